package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/profiles"
)

// ---- framework and ladder ----

func (s *Handlers) HandleGetFramework(c *fiber.Ctx) error {
	v, err := s.Framework.Get(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, v)
}

func (s *Handlers) HandleCreateArea(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in app.NewArea) (*app.Area, error) {
		return s.Framework.CreateArea(c.UserContext(), kit.Actor(c), in)
	})
}

func (s *Handlers) HandleUpdateArea(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Data, func(upd app.AreaUpdate) (*app.Area, error) {
		return s.Framework.UpdateArea(c.UserContext(), kit.Actor(c), c.Params("key"), upd)
	})
}

func (s *Handlers) HandleCreateCompetency(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in app.NewCompetency) (*app.Competency, error) {
		return s.Framework.CreateCompetency(c.UserContext(), kit.Actor(c), in)
	})
}

func (s *Handlers) HandleUpdateCompetency(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Data, func(upd app.CompetencyUpdate) (*app.Competency, error) {
		return s.Framework.UpdateCompetency(c.UserContext(), kit.Actor(c), c.Params("key"), upd)
	})
}

func (s *Handlers) HandleDeleteCompetency(c *fiber.Ctx) error {
	if err := s.Framework.DeleteCompetency(c.UserContext(), kit.Actor(c), c.Params("key")); err != nil {
		return err
	}
	return kit.Data(c, Deleted{Deleted: true})
}

// Deleted answers a deletion.
type Deleted struct {
	Deleted bool `json:"deleted"`
}

// LadderInput is the career ladder's levels to set.
type LadderInput struct {
	Levels []app.LadderLevel `json:"levels"`
}

func (s *Handlers) HandleSetLadder(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Data, func(in LadderInput) (app.Ladder, error) {
		return s.Framework.SetLadder(c.UserContext(), kit.Actor(c), in.Levels)
	})
}

// ---- own profile and self-ratings ----

func (s *Handlers) HandleGetMyProfile(c *fiber.Ctx) error {
	v, err := s.Profiles.MyProfile(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, v)
}

func (s *Handlers) HandlePutMyProfile(c *fiber.Ctx) error {
	var in app.ProfileInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.Profiles.SaveMyProfile(c.UserContext(), kit.Actor(c), in); err != nil {
		return err
	}
	return s.HandleGetMyProfile(c)
}

func (s *Handlers) HandlePutMyRatings(c *fiber.Ctx) error {
	in, err := decodeRatings(c)
	if err != nil {
		return err
	}
	if err := s.Profiles.RateSelf(c.UserContext(), kit.Actor(c), in); err != nil {
		return err
	}
	return kit.Data(c, Recorded{Recorded: len(in)})
}

// Recorded answers a batch of ratings.
type Recorded struct {
	Recorded int `json:"recorded"`
}

// RatingsInput is a batch of ratings.
type RatingsInput struct {
	Ratings []app.RatingInput `json:"ratings"`
}

func decodeRatings(c *fiber.Ctx) ([]app.RatingInput, error) {
	var in RatingsInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return nil, err
	}
	return in.Ratings, nil
}

// ---- a person's ratings ----

// personRef is the little the API says about the person rated.
type personRef struct {
	ID    int64   `json:"id"`
	Name  string  `json:"name"`
	Title *string `json:"title"`
}

// PersonRatingsView is a person's ratings; History only when asked for.
type PersonRatingsView struct {
	Competencies []app.CompetencyRatings `json:"competencies"`
	Flags        int                     `json:"flags"`
	History      *[]app.Rating           `json:"history,omitempty" nullable:"true"`
	Person       personRef               `json:"person"`
}

func (s *Handlers) HandleGetPersonRatings(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	pr, err := s.Profiles.PersonRatings(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	out := PersonRatingsView{Person: personRef{ID: pr.Person.ID, Name: pr.Person.Name, Title: pr.Person.Title},
		Competencies: pr.Competencies, Flags: pr.Flags}
	if c.QueryBool("history") {
		out.History = &pr.History
	}
	return kit.Data(c, out)
}

func (s *Handlers) HandlePutPersonRatings(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	in, err := decodeRatings(c)
	if err != nil {
		return err
	}
	if err := s.Profiles.RateAsLeader(c.UserContext(), kit.Actor(c), id, in); err != nil {
		return err
	}
	return kit.Data(c, Recorded{Recorded: len(in)})
}

// ---- peer requests ----

func (s *Handlers) HandleCreatePeerRequest(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Created, func(id int64, in profiles.PeerRequestInput) (*app.PeerRequest, error) {
		return s.Profiles.RequestPeerRating(c.UserContext(), kit.Actor(c), id, in)
	})
}

func (s *Handlers) HandleListPeerRequests(c *fiber.Ctx) error {
	toAnswer, made, err := s.Profiles.MyPeerRequests(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, PeerRequestsView{ToAnswer: toAnswer, Made: made})
}

// PeerRequestsView is the caller's peer requests, to answer and made.
type PeerRequestsView struct {
	Made     []app.PeerRequest `json:"made"`
	ToAnswer []app.PeerRequest `json:"to_answer"`
}

// Answered answers a peer request's ratings; declined, its refusal.
type Answered struct {
	Recorded int    `json:"recorded"`
	Status   string `json:"status"`
}

type Declined struct {
	Status string `json:"status"`
}

func (s *Handlers) HandleAnswerPeerRequest(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	in, err := decodeRatings(c)
	if err != nil {
		return err
	}
	if err := s.Profiles.AnswerPeerRequest(c.UserContext(), kit.Actor(c), id, in); err != nil {
		return err
	}
	return kit.Data(c, Answered{Recorded: len(in), Status: app.RequestAnswered})
}

func (s *Handlers) HandleDeclinePeerRequest(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Profiles.DeclinePeerRequest(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return kit.Data(c, Declined{Status: app.RequestDeclined})
}
