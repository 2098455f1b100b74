package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/people"
)

// The admin pages post forms to these handlers, which read the form into the same
// input the API takes and call the same code path as the API handler.

var adminDoneMessages = map[string]string{
	"area_created":       "Area added at the end. Add its competencies below.",
	"area_saved":         "Area saved.",
	"competency_created": "Competency added, with the default expected level for every title.",
	"competency_saved":   "Competency saved.",
	"competency_deleted": "Competency deleted.",
	"ladder":             "Career ladder saved.",
	"user_saved":         "Person saved.",
	"team_created":       "Team created. Add its leaders, members and HR partners below.",
	"member_saved":       "Team membership saved.",
	"member_removed":     "Removed from the team.",
}

// formPresent returns a pointer to the form value, or nil when the form lacks the field.
func formPresent(c *fiber.Ctx, key string) *string {
	if !c.Request().PostArgs().Has(key) {
		return nil
	}
	v := c.FormValue(key)
	return &v
}

// formInt parses a form number; an unreadable one becomes -1 for the validation to refuse.
func formInt(c *fiber.Ctx, key string) int {
	n, err := strconv.Atoi(c.FormValue(key))
	if err != nil {
		return -1
	}
	return n
}

// ---- /admin/framework ----

type frameworkData struct {
	Areas  []app.Area
	Active []app.Competency
	Rated  map[string]int
	Titles []app.Option
	Ladder app.Ladder
	Form   app.NewCompetency
	// AreaForm keeps a new area's fields when it was refused.
	AreaForm app.NewArea
}

// renderFramework shows the editor; keep, if set, puts a refused form's values back.
func (s *Pages) renderFramework(c *fiber.Ctx, status int, formErr error, keep func(*frameworkData)) error {
	e, err := s.Framework.Editor(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	d := frameworkData{Areas: e.Framework.Areas, Active: e.Framework.Active(), Rated: e.Rated, Ladder: e.Ladder,
		Titles: app.Titles, Form: app.NewCompetency{Importance: 2}}
	if keep != nil {
		keep(&d)
	}
	p := kit.Page{Title: "Competency framework", Nav: "framework", Data: d, Flash: adminDoneMessages[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.RenderStatus(c, status, "admin_framework.html", p)
}

func (s *Pages) PageFramework(c *fiber.Ctx) error {
	return s.renderFramework(c, fiber.StatusOK, nil, nil)
}

func (s *Pages) PageCompetencyCreatePost(c *fiber.Ctx) error {
	in := app.NewCompetency{Area: c.FormValue("area"), Key: c.FormValue("key"), Name: c.FormValue("name"),
		Definition: c.FormValue("definition"), Importance: formInt(c, "importance"), LeadsOnly: c.FormValue("leads_only") == "true"}
	if _, err := s.Framework.CreateCompetency(c.UserContext(), kit.Actor(c), in); err != nil {
		return formError(err, func(status int) error {
			return s.renderFramework(c, status, err, func(d *frameworkData) { d.Form = in })
		})
	}
	return c.Redirect("/admin/framework?done=competency_created#competencies", fiber.StatusSeeOther)
}

func (s *Pages) PageAreaCreatePost(c *fiber.Ctx) error {
	in := app.NewArea{Key: c.FormValue("key"), Name: c.FormValue("name")}
	if _, err := s.Framework.CreateArea(c.UserContext(), kit.Actor(c), in); err != nil {
		return formError(err, func(status int) error {
			return s.renderFramework(c, status, err, func(d *frameworkData) { d.AreaForm = in })
		})
	}
	return c.Redirect("/admin/framework?done=area_created#competencies", fiber.StatusSeeOther)
}

// PageAreaUpdatePost takes the area's name form or a move button (position alone).
func (s *Pages) PageAreaUpdatePost(c *fiber.Ctx) error {
	var upd app.AreaUpdate
	upd.Name = formPresent(c, "name")
	if formPresent(c, "position") != nil {
		pos := formInt(c, "position")
		upd.Position = &pos
	}
	key := c.Params("key")
	if _, err := s.Framework.UpdateArea(c.UserContext(), kit.Actor(c), key, upd); err != nil {
		return formError(err, func(status int) error { return s.renderFramework(c, status, err, nil) })
	}
	return c.Redirect("/admin/framework?done=area_saved#area-"+key, fiber.StatusSeeOther)
}

// PageCompetencyUpdatePost takes the row form (name, definition, importance and the
// leads-only box) or the archive button (archived alone).
func (s *Pages) PageCompetencyUpdatePost(c *fiber.Ctx) error {
	var upd app.CompetencyUpdate
	if name := formPresent(c, "name"); name != nil {
		imp, leads := formInt(c, "importance"), c.FormValue("leads_only") == "true"
		def := c.FormValue("definition")
		upd.Name, upd.Definition, upd.Importance, upd.LeadsOnly = name, &def, &imp, &leads
	}
	if v := formPresent(c, "archived"); v != nil {
		archived := *v == "true"
		upd.Archived = &archived
	}
	if _, err := s.Framework.UpdateCompetency(c.UserContext(), kit.Actor(c), c.Params("key"), upd); err != nil {
		return formError(err, func(status int) error { return s.renderFramework(c, status, err, nil) })
	}
	return c.Redirect("/admin/framework?done=competency_saved#competencies", fiber.StatusSeeOther)
}

func (s *Pages) PageCompetencyDeletePost(c *fiber.Ctx) error {
	if err := s.Framework.DeleteCompetency(c.UserContext(), kit.Actor(c), c.Params("key")); err != nil {
		return formError(err, func(status int) error { return s.renderFramework(c, status, err, nil) })
	}
	return c.Redirect("/admin/framework?done=competency_deleted#competencies", fiber.StatusSeeOther)
}

// ladderField names the form field of a ladder cell.
func ladderField(title, key string) string { return "lvl." + title + "." + key }

func (s *Pages) PageLadderPost(c *fiber.Ctx) error {
	e, err := s.Framework.Editor(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	var levels []app.LadderLevel
	for _, comp := range e.Framework.Active() {
		for _, t := range app.Titles {
			if f := ladderField(t.Key, comp.Key); c.Request().PostArgs().Has(f) {
				levels = append(levels, app.LadderLevel{Title: t.Key, Competency: comp.Key, Level: formInt(c, f)})
			}
		}
	}
	if _, err := s.Framework.SetLadder(c.UserContext(), kit.Actor(c), levels); err != nil {
		return formError(err, func(status int) error { return s.renderFramework(c, status, err, nil) })
	}
	return c.Redirect("/admin/framework?done=ladder#ladder", fiber.StatusSeeOther)
}

// ---- /admin/people ----

type createdUser struct {
	User     *app.User
	Password string
}

type adminPeopleData struct {
	*people.Overview
	Titles    []app.Option
	Roles     []string
	TeamRoles []string
	Created   *createdUser
	NewUser   people.NewUser
}

func (s *Pages) renderAdminPeople(c *fiber.Ctx, status int, formErr error, created *createdUser, newUser *people.NewUser) error {
	o, err := s.People.Overview(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	d := adminPeopleData{Overview: o, Titles: app.Titles, Roles: app.Roles, Created: created,
		TeamRoles: []string{app.TeamMember, app.TeamLeader, app.TeamHRPartner}, NewUser: people.NewUser{Role: app.RolePM}}
	if newUser != nil {
		d.NewUser = *newUser
	}
	p := kit.Page{Title: "People and teams", Nav: "admin", Data: d, Flash: adminDoneMessages[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.RenderStatus(c, status, "admin_people.html", p)
}

func (s *Pages) PageAdminPeople(c *fiber.Ctx) error {
	return s.renderAdminPeople(c, fiber.StatusOK, nil, nil, nil)
}

// PageUserCreatePost creates a person and shows their one-time password on this
// response only: it is never stored in clear and never shown again.
func (s *Pages) PageUserCreatePost(c *fiber.Ctx) error {
	in := people.NewUser{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: c.FormValue("role"), Title: c.FormValue("title")}
	u, otp, err := s.People.CreateUser(c.UserContext(), kit.Actor(c), in)
	if err != nil {
		return formError(err, func(status int) error { return s.renderAdminPeople(c, status, err, nil, &in) })
	}
	return s.renderAdminPeople(c, fiber.StatusCreated, nil, &createdUser{User: u, Password: otp}, nil)
}

// PageUserUpdatePost takes the row form (name, title, role) or the activation button
// (active alone); absent fields stay unchanged, as in PATCH /api/v1/users/:id.
func (s *Pages) PageUserUpdatePost(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	upd := app.UserUpdate{Name: formPresent(c, "name"), Title: formPresent(c, "title"), Role: formPresent(c, "role")}
	if v := formPresent(c, "active"); v != nil {
		active := *v == "true"
		upd.Active = &active
	}
	if _, err := s.People.UpdateUser(c.UserContext(), kit.Actor(c), id, upd); err != nil {
		return formError(err, func(status int) error { return s.renderAdminPeople(c, status, err, nil, nil) })
	}
	return c.Redirect("/admin/people?done=user_saved#people", fiber.StatusSeeOther)
}

func (s *Pages) PageTeamCreatePost(c *fiber.Ctx) error {
	if _, err := s.People.CreateTeam(c.UserContext(), kit.Actor(c), c.FormValue("name"), c.FormValue("description")); err != nil {
		return formError(err, func(status int) error { return s.renderAdminPeople(c, status, err, nil, nil) })
	}
	return c.Redirect("/admin/people?done=team_created#teams", fiber.StatusSeeOther)
}

func (s *Pages) PageTeamMemberPost(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	userID, _ := strconv.ParseInt(c.FormValue("user_id"), 10, 64)
	if err := s.People.SetTeamMember(c.UserContext(), kit.Actor(c), id, userID, c.FormValue("role")); err != nil {
		return formError(err, func(status int) error { return s.renderAdminPeople(c, status, err, nil, nil) })
	}
	return c.Redirect("/admin/people?done=member_saved#team-"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

func (s *Pages) PageTeamMemberRemovePost(c *fiber.Ctx) error {
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
	return c.Redirect("/admin/people?done=member_removed#team-"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}
