// Package people runs the organisation's people and teams as a service: the admin's list
// of people, creating and changing accounts, teams and their memberships, and a team as
// each viewer may see it. Who may do what:
//   - only an admin lists, creates or changes people, creates teams and sets memberships;
//   - anyone signed in reads the teams they belong to (an admin: every team), and a team's
//     people as their access allows: leaders and admins see everyone with e-mails; members
//     see the team's names; HR partners see the leaders and HR partners only;
//   - an admin cannot deactivate themselves or drop their own admin role;
//   - a team or person of another organisation is ENOTFOUND.
package people

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

// Store is what people needs from storage.
type Store interface {
	FindUsers(ctx context.Context, orgID int64) ([]app.User, error)
	CreateUser(ctx context.Context, u *app.User) error
	UpdateUser(ctx context.Context, orgID, id int64, upd app.UserUpdate) (*app.User, error)
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
	FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error)
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
	CreateTeam(ctx context.Context, orgID int64, name, description string) (*app.Team, error)
	FindTeamPeople(ctx context.Context, teamID int64) ([]app.TeamPerson, error)
	SetTeamMember(ctx context.Context, orgID, teamID, userID int64, role string) error
	RemoveTeamMember(ctx context.Context, orgID, teamID, userID int64) error
}

// Service answers people and team requests on behalf of an actor.
type Service struct {
	store Store
}

// New returns a service over the store.
func New(st Store) *Service { return &Service{store: st} }

// NewUser is an admin's request to create a person.
type NewUser struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Title string `json:"title"`
}

// Validate trims the fields and checks each, naming the first that is wrong.
func (in *NewUser) Validate() error {
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

// Users lists the organisation's people.
func (s *Service) Users(ctx context.Context, a *app.Actor) ([]app.User, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	return s.store.FindUsers(ctx, a.OrgID)
}

// CreateUser creates a person with a one-time password, returned once and never stored in
// clear.
func (s *Service) CreateUser(ctx context.Context, a *app.Actor, in NewUser) (*app.User, string, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, "", err
	}
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	otp := auth.RandomPassword()
	hash, err := auth.HashPassword(otp)
	if err != nil {
		return nil, "", err
	}
	u := &app.User{OrgID: a.OrgID, Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash}
	if in.Title != "" {
		u.Title = &in.Title
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, "", err
	}
	return u, otp, nil
}

// UpdateUser applies an admin's changes to a person; absent fields stay unchanged.
func (s *Service) UpdateUser(ctx context.Context, a *app.Actor, id int64, upd app.UserUpdate) (*app.User, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	if err := validateUserUpdate(&upd); err != nil {
		return nil, err
	}
	if id == a.UserID && ((upd.Active != nil && !*upd.Active) || (upd.Role != nil && *upd.Role != app.RoleAdmin)) {
		return nil, app.Invalid("role", "You cannot deactivate yourself or remove your own admin role.")
	}
	return s.store.UpdateUser(ctx, a.OrgID, id, upd)
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

// Teams lists the teams the actor belongs to; an admin's are every team.
func (s *Service) Teams(ctx context.Context, a *app.Actor) ([]app.Team, error) {
	return s.store.FindTeams(ctx, a)
}

// CreateTeam creates a team in the admin's organisation.
func (s *Service) CreateTeam(ctx context.Context, a *app.Actor, name, description string) (*app.Team, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := validName(name); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(description) > 2000 {
		return nil, app.Invalid("description", "Description must be at most 2000 characters.")
	}
	return s.store.CreateTeam(ctx, a.OrgID, name, description)
}

// TeamView is a team with the people the viewer may see.
type TeamView struct {
	*app.Team
	People []app.TeamPerson `json:"people"`
}

// Team returns the team as the actor may see it, and what the actor is to it.
func (s *Service) Team(ctx context.Context, a *app.Actor, id int64) (*TeamView, app.TeamAccess, error) {
	acc, err := s.store.TeamAccess(ctx, a, id)
	if err != nil {
		return nil, acc, err
	}
	t, err := s.store.FindTeamByID(ctx, a, id)
	if err != nil {
		return nil, acc, err
	}
	people, err := s.store.FindTeamPeople(ctx, id)
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
	return &TeamView{Team: t, People: people}, acc, nil
}

// SetTeamMember puts a person in a team with a team role.
func (s *Service) SetTeamMember(ctx context.Context, a *app.Actor, teamID, userID int64, role string) error {
	if err := app.RequireAdmin(a); err != nil {
		return err
	}
	if !app.ValidTeamRole(role) {
		return app.Invalid("role", "Role must be leader, member or hr_partner.")
	}
	if _, err := s.store.FindTeamByID(ctx, a, teamID); err != nil {
		return err
	}
	return s.store.SetTeamMember(ctx, a.OrgID, teamID, userID, role)
}

// RemoveTeamMember takes a person out of a team.
func (s *Service) RemoveTeamMember(ctx context.Context, a *app.Actor, teamID, userID int64) error {
	if err := app.RequireAdmin(a); err != nil {
		return err
	}
	return s.store.RemoveTeamMember(ctx, a.OrgID, teamID, userID)
}

// TeamWithPeople is a team and all its people, for the admin's overview.
type TeamWithPeople struct {
	app.Team
	People []app.TeamPerson
}

// Overview is the admin's page of people and teams: everyone, every team with its
// people, and the names of each person's teams.
type Overview struct {
	Users     []app.User
	Teams     []TeamWithPeople
	UserTeams map[int64][]string // team names by user id
}

// Overview returns every person and every team of the admin's organisation.
func (s *Service) Overview(ctx context.Context, a *app.Actor) (*Overview, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	o := &Overview{UserTeams: map[int64][]string{}}
	var err error
	if o.Users, err = s.store.FindUsers(ctx, a.OrgID); err != nil {
		return nil, err
	}
	teams, err := s.store.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		people, err := s.store.FindTeamPeople(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		o.Teams = append(o.Teams, TeamWithPeople{Team: t, People: people})
		for _, p := range people {
			o.UserTeams[p.UserID] = append(o.UserTeams[p.UserID], t.Name)
		}
	}
	return o, nil
}
