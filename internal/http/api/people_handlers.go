package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/people"
)

func (s *Handlers) HandleListUsers(c *fiber.Ctx) error {
	users, err := s.People.Users(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, users)
}

func (s *Handlers) HandleCreateUser(c *fiber.Ctx) error {
	var in people.NewUser
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, otp, err := s.People.CreateUser(c.UserContext(), kit.Actor(c), in)
	if err != nil {
		return err
	}
	return kit.Created(c, NewUserView{User: u, OneTimePassword: otp})
}

// NewUserView is a new person with their one-time password, shown only here.
type NewUserView struct {
	OneTimePassword string    `json:"one_time_password"`
	User            *app.User `json:"user"`
}

func (s *Handlers) HandleUpdateUser(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, upd app.UserUpdate) (*app.User, error) {
		return s.People.UpdateUser(c.UserContext(), kit.Actor(c), id, upd)
	})
}

func (s *Handlers) HandleListTeams(c *fiber.Ctx) error {
	teams, err := s.People.Teams(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, teams)
}

func (s *Handlers) HandleCreateTeam(c *fiber.Ctx) error {
	var in TeamInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.People.CreateTeam(c.UserContext(), kit.Actor(c), in.Name, in.Description)
	if err != nil {
		return err
	}
	return kit.Created(c, t)
}

// TeamInput is a new team.
type TeamInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (s *Handlers) HandleGetTeam(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*people.TeamView, error) {
		v, _, err := s.People.Team(c.UserContext(), kit.Actor(c), id)
		return v, err
	})
}

func (s *Handlers) HandleSetTeamMember(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in MemberInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.People.SetTeamMember(c.UserContext(), kit.Actor(c), id, in.UserID, in.Role); err != nil {
		return err
	}
	return kit.Created(c, MemberView{TeamID: id, UserID: in.UserID, Role: in.Role})
}

// MemberInput is a person's membership of a team.
type MemberInput struct {
	UserID int64  `json:"user_id"`
	Role   string `json:"role"`
}

// MemberView is a membership made.
type MemberView struct {
	Role   string `json:"role"`
	TeamID int64  `json:"team_id"`
	UserID int64  `json:"user_id"`
}

func (s *Handlers) HandleRemoveTeamMember(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	uid, err := kit.ParamID(c, "user_id")
	if err != nil {
		return err
	}
	if err := s.People.RemoveTeamMember(c.UserContext(), kit.Actor(c), id, uid); err != nil {
		return err
	}
	return kit.Data(c, Removed{Removed: true})
}

// Removed answers a removal.
type Removed struct {
	Removed bool `json:"removed"`
}
