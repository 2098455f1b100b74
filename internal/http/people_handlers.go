package http

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

func (s *Server) handleListUsers(c *fiber.Ctx) error {
	users, err := s.store.FindUsers(c.UserContext(), actor(c).OrgID)
	if err != nil {
		return err
	}
	return data(c, users)
}

// NewUserInput is an admin's request to create a person.
type NewUserInput struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Title string `json:"title"`
}

// validate checks every field, naming the first that is wrong.
func (in *NewUserInput) validate() error {
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		return app.Invalid("email", "Enter a valid e-mail address.")
	}
	if err := validName(in.Name); err != nil {
		return err
	}
	if !app.ValidRole(in.Role) {
		return app.Invalid("role", "Role must be one of admin, leader, pm, hr.")
	}
	if in.Title != "" && !app.ValidOption(app.Titles, in.Title) {
		return app.Invalid("title", "Title must be one of apm, pm, senior_pm, principal_pm, group_pm.")
	}
	return nil
}

func validName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return app.Invalid("name", "Name must be 1 to 200 characters.")
	}
	return nil
}

// createUser creates a person with a one-time password, returned once and never stored in clear.
func (s *Server) createUser(c *fiber.Ctx, in NewUserInput) (*app.User, string, error) {
	if err := in.validate(); err != nil {
		return nil, "", err
	}
	otp := auth.RandomPassword()
	hash, err := auth.HashPassword(otp)
	if err != nil {
		return nil, "", err
	}
	u := &app.User{OrgID: actor(c).OrgID, Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash}
	if in.Title != "" {
		u.Title = &in.Title
	}
	if err := s.store.CreateUser(c.UserContext(), u); err != nil {
		return nil, "", err
	}
	return u, otp, nil
}

func (s *Server) handleCreateUser(c *fiber.Ctx) error {
	var in NewUserInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, otp, err := s.createUser(c, in)
	if err != nil {
		return err
	}
	return created(c, fiber.Map{"user": u, "one_time_password": otp})
}

func (s *Server) handleUpdateUser(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, upd app.UserUpdate) (*app.User, error) {
		return s.updateUser(c, id, upd)
	})
}

// updateUser applies an admin's changes to a person (API and admin page).
func (s *Server) updateUser(c *fiber.Ctx, id int64, upd app.UserUpdate) (*app.User, error) {
	if err := validateUserUpdate(&upd); err != nil {
		return nil, err
	}
	if id == actor(c).UserID && ((upd.Active != nil && !*upd.Active) || (upd.Role != nil && *upd.Role != app.RoleAdmin)) {
		return nil, app.Invalid("role", "You cannot deactivate yourself or remove your own admin role.")
	}
	return s.store.UpdateUser(c.UserContext(), actor(c).OrgID, id, upd)
}

func validateUserUpdate(upd *app.UserUpdate) error {
	if upd.Name != nil {
		n := strings.TrimSpace(*upd.Name)
		upd.Name = &n
		if err := validName(n); err != nil {
			return err
		}
	}
	if upd.Role != nil && !app.ValidRole(*upd.Role) {
		return app.Invalid("role", "Role must be one of admin, leader, pm, hr.")
	}
	if upd.Title != nil && *upd.Title != "" && !app.ValidOption(app.Titles, *upd.Title) {
		return app.Invalid("title", "Title must be one of apm, pm, senior_pm, principal_pm, group_pm (or empty).")
	}
	return nil
}

func (s *Server) handleListTeams(c *fiber.Ctx) error {
	teams, err := s.store.FindTeams(c.UserContext(), actor(c))
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
	t, err := s.createTeam(c, in.Name, in.Description)
	if err != nil {
		return err
	}
	return created(c, t)
}

// createTeam creates a team in the admin's organisation (API and admin page).
func (s *Server) createTeam(c *fiber.Ctx, name, description string) (*app.Team, error) {
	name = strings.TrimSpace(name)
	if err := validName(name); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(description) > 2000 {
		return nil, app.Invalid("description", "Description must be at most 2000 characters.")
	}
	return s.store.CreateTeam(c.UserContext(), actor(c).OrgID, name, description)
}

// teamView is a team with the people the caller may see: leaders and admins see everyone;
// members see names of the team's people; HR partners see the leaders only and a count.
type teamView struct {
	*app.Team
	People []app.TeamPerson `json:"people"`
}

func (s *Server) loadTeamView(c *fiber.Ctx, id int64) (*teamView, app.TeamAccess, error) {
	a := actor(c)
	acc, err := s.store.TeamAccess(c.UserContext(), a, id)
	if err != nil {
		return nil, acc, err
	}
	t, err := s.store.FindTeamByID(c.UserContext(), a, id)
	if err != nil {
		return nil, acc, err
	}
	people, err := s.store.FindTeamPeople(c.UserContext(), id)
	if err != nil {
		return nil, acc, err
	}
	if !acc.CanSeeIndividuals() {
		visible := people[:0]
		for _, p := range people {
			p.Email = ""
			if acc.Role == app.TeamMember || p.TeamRole != app.TeamMember {
				visible = append(visible, p)
			}
		}
		people = visible
	}
	return &teamView{Team: t, People: people}, acc, nil
}

func (s *Server) handleGetTeam(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*teamView, error) {
		v, _, err := s.loadTeamView(c, id)
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
	if err := s.setTeamMember(c, id, in.UserID, in.Role); err != nil {
		return err
	}
	return created(c, fiber.Map{"team_id": id, "user_id": in.UserID, "role": in.Role})
}

// setTeamMember puts a person in a team with a team role (API and admin page).
func (s *Server) setTeamMember(c *fiber.Ctx, teamID, userID int64, role string) error {
	if !app.ValidTeamRole(role) {
		return app.Invalid("role", "Role must be leader, member or hr_partner.")
	}
	a := actor(c)
	if _, err := s.store.FindTeamByID(c.UserContext(), a, teamID); err != nil {
		return err
	}
	return s.store.SetTeamMember(c.UserContext(), a.OrgID, teamID, userID, role)
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
	if err := s.store.RemoveTeamMember(c.UserContext(), actor(c).OrgID, id, uid); err != nil {
		return err
	}
	return data(c, fiber.Map{"removed": true})
}
