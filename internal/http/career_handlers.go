package http

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/careers"
)

// ---- career roles ----

func (s *Server) handleListMyCareerRoles(c *fiber.Ctx) error {
	roles, err := s.careers.MyCareerRoles(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, roles)
}

func (s *Server) handleCreateCareerRole(c *fiber.Ctx) error {
	return onBody(c, created, func(in app.CareerRoleInput) (*app.CareerRole, error) {
		return s.careers.SaveMyCareerRole(c.UserContext(), actor(c), 0, in)
	})
}

func (s *Server) handleUpdateCareerRole(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, in app.CareerRoleInput) (*app.CareerRole, error) {
		return s.careers.SaveMyCareerRole(c.UserContext(), actor(c), id, in)
	})
}

func (s *Server) handleDeleteCareerRole(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.careers.DeleteMyCareerRole(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return data(c, fiber.Map{"deleted": true})
}

func (s *Server) handleGetCareer(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*careers.Career, error) {
		return s.careers.Career(c.UserContext(), actor(c), id)
	})
}

// ---- resources ----

func (s *Server) handleListResources(c *fiber.Ctx) error {
	list, err := s.careers.Resources(c.UserContext(), actor(c), c.Query("competency"))
	if err != nil {
		return err
	}
	return data(c, list)
}

func (s *Server) handleCreateResource(c *fiber.Ctx) error {
	return onBody(c, created, func(in app.ResourceInput) (*app.LearningResource, error) {
		return s.careers.SaveResource(c.UserContext(), actor(c), 0, in)
	})
}

func (s *Server) handleUpdateResource(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, in app.ResourceInput) (*app.LearningResource, error) {
		return s.careers.SaveResource(c.UserContext(), actor(c), id, in)
	})
}

func (s *Server) handleDeleteResource(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.careers.DeleteResource(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return data(c, fiber.Map{"deleted": true})
}

// queryPerson reads ?person_id= (default: the caller).
func queryPerson(c *fiber.Ctx) (int64, error) {
	v := c.Query("person_id")
	if v == "" {
		return actor(c).UserID, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Invalid("person_id", "person_id must be a person's id.")
	}
	return id, nil
}

func (s *Server) handleRecommendedResources(c *fiber.Ctx) error {
	person, err := queryPerson(c)
	if err != nil {
		return err
	}
	h, err := s.careers.Recommend(c.UserContext(), actor(c), person, c.Query("competency"))
	if err != nil {
		return err
	}
	return data(c, h)
}

func (s *Server) handleAddResourceToPlan(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		PersonID int64 `json:"person_id"` // 0: the caller
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ac, err := s.careers.AddResourceToPlan(c.UserContext(), actor(c), id, in.PersonID)
	if err != nil {
		return err
	}
	return created(c, ac)
}

// ---- mentoring ----

func (s *Server) handleMentors(c *fiber.Ctx) error {
	person, err := queryPerson(c)
	if err != nil {
		return err
	}
	m, err := s.careers.Mentors(c.UserContext(), actor(c), person, c.Query("competency"))
	if err != nil {
		return err
	}
	return data(c, m)
}

func (s *Server) handleListMentorships(c *fiber.Ctx) error {
	asMentee, asMentor, err := s.careers.MyMentorships(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, fiber.Map{"as_mentee": asMentee, "as_mentor": asMentor})
}

func (s *Server) handleAskMentor(c *fiber.Ctx) error {
	return onBody(c, created, func(in careers.MentorshipInput) (*app.Mentorship, error) {
		return s.careers.AskMentor(c.UserContext(), actor(c), in)
	})
}

func (s *Server) handleMentorship(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return onID(c, data, func(id int64) (*app.Mentorship, error) {
			return s.careers.AnswerMentorship(c.UserContext(), actor(c), id, action)
		})
	}
}

func (s *Server) handleGetMentoring(c *fiber.Ctx) error {
	st, err := s.careers.MyMentoring(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, st)
}

func (s *Server) handleSetMentoring(c *fiber.Ctx) error {
	return onBody(c, data, func(in careers.MentoringInput) (*careers.MentoringState, error) {
		return s.careers.SetMyMentoring(c.UserContext(), actor(c), in)
	})
}
