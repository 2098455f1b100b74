package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/profiles"
)

// ---- framework and ladder ----

func (s *Server) handleGetFramework(c *fiber.Ctx) error {
	v, err := s.framework.Get(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, v)
}

func (s *Server) handleCreateArea(c *fiber.Ctx) error {
	return onBody(c, created, func(in app.NewArea) (*app.Area, error) {
		return s.framework.CreateArea(c.UserContext(), actor(c), in)
	})
}

func (s *Server) handleUpdateArea(c *fiber.Ctx) error {
	return onBody(c, data, func(upd app.AreaUpdate) (*app.Area, error) {
		return s.framework.UpdateArea(c.UserContext(), actor(c), c.Params("key"), upd)
	})
}

func (s *Server) handleCreateCompetency(c *fiber.Ctx) error {
	return onBody(c, created, func(in app.NewCompetency) (*app.Competency, error) {
		return s.framework.CreateCompetency(c.UserContext(), actor(c), in)
	})
}

func (s *Server) handleUpdateCompetency(c *fiber.Ctx) error {
	return onBody(c, data, func(upd app.CompetencyUpdate) (*app.Competency, error) {
		return s.framework.UpdateCompetency(c.UserContext(), actor(c), c.Params("key"), upd)
	})
}

func (s *Server) handleDeleteCompetency(c *fiber.Ctx) error {
	if err := s.framework.DeleteCompetency(c.UserContext(), actor(c), c.Params("key")); err != nil {
		return err
	}
	return data(c, fiber.Map{"deleted": true})
}

func (s *Server) handleSetLadder(c *fiber.Ctx) error {
	return onBody(c, data, func(in struct {
		Levels []app.LadderLevel `json:"levels"`
	}) (app.Ladder, error) {
		return s.framework.SetLadder(c.UserContext(), actor(c), in.Levels)
	})
}

// ---- own profile and self-ratings ----

func (s *Server) handleGetMyProfile(c *fiber.Ctx) error {
	v, err := s.profiles.MyProfile(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, v)
}

func (s *Server) handlePutMyProfile(c *fiber.Ctx) error {
	var in app.ProfileInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.profiles.SaveMyProfile(c.UserContext(), actor(c), in); err != nil {
		return err
	}
	return s.handleGetMyProfile(c)
}

func (s *Server) handlePutMyRatings(c *fiber.Ctx) error {
	in, err := decodeRatings(c)
	if err != nil {
		return err
	}
	if err := s.profiles.RateSelf(c.UserContext(), actor(c), in); err != nil {
		return err
	}
	return data(c, fiber.Map{"recorded": len(in)})
}

func decodeRatings(c *fiber.Ctx) ([]app.RatingInput, error) {
	var in struct {
		Ratings []app.RatingInput `json:"ratings"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return nil, err
	}
	return in.Ratings, nil
}

// ---- a person's ratings ----

// personRef is the little the API says about the person rated.
func personRef(u *app.User) fiber.Map {
	return fiber.Map{"id": u.ID, "name": u.Name, "title": u.Title}
}

func (s *Server) handleGetPersonRatings(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	pr, err := s.profiles.PersonRatings(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	out := fiber.Map{"person": personRef(pr.Person), "competencies": pr.Competencies, "flags": pr.Flags}
	if c.QueryBool("history") {
		out["history"] = pr.History
	}
	return data(c, out)
}

func (s *Server) handlePutPersonRatings(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in, err := decodeRatings(c)
	if err != nil {
		return err
	}
	if err := s.profiles.RateAsLeader(c.UserContext(), actor(c), id, in); err != nil {
		return err
	}
	return data(c, fiber.Map{"recorded": len(in)})
}

// ---- peer requests ----

func (s *Server) handleCreatePeerRequest(c *fiber.Ctx) error {
	return onIDBody(c, created, func(id int64, in profiles.PeerRequestInput) (*app.PeerRequest, error) {
		return s.profiles.RequestPeerRating(c.UserContext(), actor(c), id, in)
	})
}

func (s *Server) handleListPeerRequests(c *fiber.Ctx) error {
	toAnswer, made, err := s.profiles.MyPeerRequests(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, fiber.Map{"to_answer": toAnswer, "made": made})
}

func (s *Server) handleAnswerPeerRequest(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in, err := decodeRatings(c)
	if err != nil {
		return err
	}
	if err := s.profiles.AnswerPeerRequest(c.UserContext(), actor(c), id, in); err != nil {
		return err
	}
	return data(c, fiber.Map{"recorded": len(in), "status": app.RequestAnswered})
}

func (s *Server) handleDeclinePeerRequest(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.profiles.DeclinePeerRequest(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return data(c, fiber.Map{"status": app.RequestDeclined})
}
