package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/people"
)

func (s *Server) handleListUsers(c *fiber.Ctx) error {
	users, err := s.people.Users(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, users)
}

func (s *Server) handleCreateUser(c *fiber.Ctx) error {
	var in people.NewUser
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, otp, err := s.people.CreateUser(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return created(c, fiber.Map{"user": u, "one_time_password": otp})
}

func (s *Server) handleUpdateUser(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, upd app.UserUpdate) (*app.User, error) {
		return s.people.UpdateUser(c.UserContext(), actor(c), id, upd)
	})
}

func (s *Server) handleListTeams(c *fiber.Ctx) error {
	teams, err := s.people.Teams(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, teams)
}

func (s *Server) handleCreateTeam(c *fiber.Ctx) error {
	var in struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.people.CreateTeam(c.UserContext(), actor(c), in.Name, in.Description)
	if err != nil {
		return err
	}
	return created(c, t)
}

func (s *Server) handleGetTeam(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*people.TeamView, error) {
		v, _, err := s.people.Team(c.UserContext(), actor(c), id)
		return v, err
	})
}

func (s *Server) handleSetTeamMember(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		UserID int64  `json:"user_id"`
		Role   string `json:"role"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.people.SetTeamMember(c.UserContext(), actor(c), id, in.UserID, in.Role); err != nil {
		return err
	}
	return created(c, fiber.Map{"team_id": id, "user_id": in.UserID, "role": in.Role})
}

func (s *Server) handleRemoveTeamMember(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	uid, err := paramID(c, "user_id")
	if err != nil {
		return err
	}
	if err := s.people.RemoveTeamMember(c.UserContext(), actor(c), id, uid); err != nil {
		return err
	}
	return data(c, fiber.Map{"removed": true})
}
