package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// ---- career roles ----

func (s *Handlers) HandleListMyCareerRoles(c *fiber.Ctx) error {
	roles, err := s.Careers.MyCareerRoles(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, roles)
}

func (s *Handlers) HandleCreateCareerRole(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in app.CareerRoleInput) (*app.CareerRole, error) {
		return s.Careers.SaveMyCareerRole(c.UserContext(), kit.Actor(c), 0, in)
	})
}

func (s *Handlers) HandleUpdateCareerRole(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, in app.CareerRoleInput) (*app.CareerRole, error) {
		return s.Careers.SaveMyCareerRole(c.UserContext(), kit.Actor(c), id, in)
	})
}

func (s *Handlers) HandleDeleteCareerRole(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Careers.DeleteMyCareerRole(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return kit.Data(c, Deleted{Deleted: true})
}

func (s *Handlers) HandleGetCareer(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*careers.Career, error) {
		return s.Careers.Career(c.UserContext(), kit.Actor(c), id)
	})
}

// ---- resources ----

func (s *Handlers) HandleListResources(c *fiber.Ctx) error {
	list, err := s.Careers.Resources(c.UserContext(), kit.Actor(c), c.Query("competency"))
	if err != nil {
		return err
	}
	return kit.Data(c, list)
}

func (s *Handlers) HandleCreateResource(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in app.ResourceInput) (*app.LearningResource, error) {
		return s.Careers.SaveResource(c.UserContext(), kit.Actor(c), 0, in)
	})
}

func (s *Handlers) HandleUpdateResource(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, in app.ResourceInput) (*app.LearningResource, error) {
		return s.Careers.SaveResource(c.UserContext(), kit.Actor(c), id, in)
	})
}

func (s *Handlers) HandleDeleteResource(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Careers.DeleteResource(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return kit.Data(c, Deleted{Deleted: true})
}

// queryPerson reads ?person_id= (default: the caller).
func queryPerson(c *fiber.Ctx) (int64, error) {
	v := c.Query("person_id")
	if v == "" {
		return kit.Actor(c).UserID, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Invalid("person_id", "person_id must be a person's id.")
	}
	return id, nil
}

func (s *Handlers) HandleRecommendedResources(c *fiber.Ctx) error {
	person, err := queryPerson(c)
	if err != nil {
		return err
	}
	h, err := s.Careers.Recommend(c.UserContext(), kit.Actor(c), person, c.Query("competency"))
	if err != nil {
		return err
	}
	return kit.Data(c, h)
}

// AddToPlanInput names whose plan a resource goes into.
type AddToPlanInput struct {
	PersonID int64 `json:"person_id"` // 0: the caller
}

func (s *Handlers) HandleAddResourceToPlan(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in AddToPlanInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	ac, err := s.Careers.AddResourceToPlan(c.UserContext(), kit.Actor(c), id, in.PersonID)
	if err != nil {
		return err
	}
	return kit.Created(c, ac)
}

// ---- mentoring ----

func (s *Handlers) HandleMentors(c *fiber.Ctx) error {
	person, err := queryPerson(c)
	if err != nil {
		return err
	}
	m, err := s.Careers.Mentors(c.UserContext(), kit.Actor(c), person, c.Query("competency"))
	if err != nil {
		return err
	}
	return kit.Data(c, m)
}

func (s *Handlers) HandleListMentorships(c *fiber.Ctx) error {
	asMentee, asMentor, err := s.Careers.MyMentorships(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, MentorshipsView{AsMentee: asMentee, AsMentor: asMentor})
}

// MentorshipsView is the caller's mentorships, as mentee and as mentor.
type MentorshipsView struct {
	AsMentee []app.Mentorship `json:"as_mentee"`
	AsMentor []app.Mentorship `json:"as_mentor"`
}

func (s *Handlers) HandleAskMentor(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in careers.MentorshipInput) (*app.Mentorship, error) {
		return s.Careers.AskMentor(c.UserContext(), kit.Actor(c), in)
	})
}

func (s *Handlers) HandleMentorship(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return kit.OnID(c, kit.Data, func(id int64) (*app.Mentorship, error) {
			return s.Careers.AnswerMentorship(c.UserContext(), kit.Actor(c), id, action)
		})
	}
}

func (s *Handlers) HandleGetMentoring(c *fiber.Ctx) error {
	st, err := s.Careers.MyMentoring(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, st)
}

func (s *Handlers) HandleSetMentoring(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Data, func(in careers.MentoringInput) (*careers.MentoringState, error) {
		return s.Careers.SetMyMentoring(c.UserContext(), kit.Actor(c), in)
	})
}
