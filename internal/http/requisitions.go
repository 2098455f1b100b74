package http

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// requisitionInput opens a requisition against one of the team's suggested hires (HireIndex,
// 0 being the first) or against a profile snapshot given in full.
type requisitionInput struct {
	TeamID    int64             `json:"team_id"`
	HireIndex *int              `json:"hire_index"`
	Profile   *app.HireSnapshot `json:"profile"`
	Notes     string            `json:"notes"`
}

// openRequisition checks the input and the caller's rights (HR partner of the team, or admin)
// and stores the requisition with a snapshot of the hire profile.
func (s *Server) openRequisition(c *fiber.Ctx, in requisitionInput) (*app.Requisition, error) {
	in.Notes = strings.TrimSpace(in.Notes)
	switch {
	case in.TeamID <= 0:
		return nil, app.Invalid("team_id", "Give the id of the team the hire is for.")
	case (in.HireIndex == nil) == (in.Profile == nil):
		return nil, app.Invalid("hire_index", "Give either hire_index (a suggested hire of the team) or profile, not both.")
	case utf8.RuneCountInString(in.Notes) > 2000:
		return nil, app.Invalid("notes", "Notes must be at most 2000 characters.")
	}
	a := actor(c)
	var snap app.HireSnapshot
	if in.HireIndex != nil {
		t, err := s.loadHiringTeam(c, in.TeamID)
		if err != nil {
			return nil, err
		}
		if !t.Access.CanManageRequisitions() {
			return nil, app.ErrForbidden
		}
		hires := t.plan().Hires
		if *in.HireIndex < 0 || *in.HireIndex >= len(hires) {
			return nil, app.Invalid("hire_index", "The team's plan suggests %d hires today; hire_index must be from 0 to %d.", len(hires), len(hires)-1)
		}
		snap = hires[*in.HireIndex].Snapshot()
	} else {
		acc, err := s.store.TeamAccess(c.UserContext(), a, in.TeamID)
		if err != nil {
			return nil, err
		}
		if !acc.CanManageRequisitions() {
			return nil, app.ErrForbidden
		}
		fw, err := s.store.FindFramework(c.UserContext(), a.OrgID)
		if err != nil {
			return nil, err
		}
		snap = *in.Profile
		if err := snap.Validate(fw, "profile"); err != nil {
			return nil, err
		}
	}
	r := &app.Requisition{OrgID: a.OrgID, TeamID: in.TeamID, HireSnapshot: snap, Notes: in.Notes, CreatedBy: &a.UserID}
	if err := s.store.CreateRequisition(c.UserContext(), r); err != nil {
		return nil, err
	}
	return s.store.FindRequisitionByID(c.UserContext(), a.OrgID, r.ID)
}

// moveRequisition moves a requisition to status if the caller manages the team's requisitions
// and the move is legal. A requisition of a team the caller is not in is 404.
func (s *Server) moveRequisition(c *fiber.Ctx, id int64, status string) (*app.Requisition, error) {
	a := actor(c)
	r, err := s.store.FindRequisitionByID(c.UserContext(), a.OrgID, id)
	if err != nil {
		return nil, err
	}
	acc, err := s.store.TeamAccess(c.UserContext(), a, r.TeamID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.ErrNotFound("Requisition")
	} else if err != nil {
		return nil, err
	}
	if !acc.CanManageRequisitions() {
		return nil, app.ErrForbidden
	}
	if err := app.CheckRequisitionTransition(r.Status, status); err != nil {
		return nil, err
	}
	return s.store.SetRequisitionStatus(c.UserContext(), a.OrgID, id, r.Status, status)
}

// requisitionFilter reads ?team_id= and ?status= (either may be empty).
func requisitionFilter(c *fiber.Ctx) (app.RequisitionFilter, error) {
	var f app.RequisitionFilter
	if v := c.Query("team_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, app.Invalid("team_id", "team_id must be a team id.")
		}
		f.TeamID = id
	}
	if f.Status = c.Query("status"); f.Status != "" && !slices.Contains(app.RequisitionStatuses, f.Status) {
		return f, app.Invalid("status", "Status must be one of %s.", strings.Join(app.RequisitionStatuses, ", "))
	}
	return f, nil
}

func (s *Server) handleListRequisitions(c *fiber.Ctx) error {
	f, err := requisitionFilter(c)
	if err != nil {
		return err
	}
	list, err := s.store.FindRequisitions(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return data(c, list)
}

func (s *Server) handleCreateRequisition(c *fiber.Ctx) error {
	return onBody(c, created, func(in requisitionInput) (*app.Requisition, error) { return s.openRequisition(c, in) })
}

func (s *Server) handleUpdateRequisition(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, in struct {
		Status string `json:"status"`
	}) (*app.Requisition, error) {
		return s.moveRequisition(c, id, in.Status)
	})
}

// requisitionsPage is the list of requisitions with the moves the caller may make.
type requisitionsPage struct {
	Rows     []requisitionRow
	Teams    []app.Team // the caller's teams with hiring gaps, for the empty state and the filter
	Filter   app.RequisitionFilter
	Statuses []string
	Manages  bool // HR partner of one of the teams, or admin: may move requisitions on
}

type requisitionRow struct {
	app.Requisition
	SpikeName     string
	MustHaveNames []string
	Next          []string // statuses the caller may move it to
}

// pageRequisitions lists the requisitions; ?done=opened|moved&id=N (the redirect after a form
// post) adds a flash about requisition N.
func (s *Server) pageRequisitions(c *fiber.Ctx) error {
	return s.renderRequisitions(c, fiber.StatusOK, "")
}

// renderRequisitions renders the list, with errMsg when a form post was refused.
func (s *Server) renderRequisitions(c *fiber.Ctx, status int, errMsg string) error {
	a := actor(c)
	f, err := requisitionFilter(c)
	if err != nil {
		f, errMsg = app.RequisitionFilter{}, app.ErrorMessage(err)
	}
	list, err := s.store.FindRequisitions(c.UserContext(), a, f)
	if err != nil {
		return err
	}
	fw, err := s.store.FindFramework(c.UserContext(), a.OrgID)
	if err != nil {
		return err
	}
	teams, err := s.store.FindTeams(c.UserContext(), a)
	if err != nil {
		return err
	}
	p := requisitionsPage{Filter: f, Statuses: app.RequisitionStatuses, Rows: []requisitionRow{}}
	manages := map[int64]bool{}
	for _, t := range teams {
		acc := app.TeamAccess{TeamID: t.ID, Role: t.MyRole, Admin: a.Role == app.RoleAdmin}
		if acc.CanSeeHiring() {
			p.Teams = append(p.Teams, t)
			manages[t.ID] = acc.CanManageRequisitions()
			p.Manages = p.Manages || manages[t.ID]
		}
	}
	name := func(key string) string {
		if comp := fw.ByKey(key); comp != nil {
			return comp.Name
		}
		return key
	}
	flash := ""
	doneID, _ := strconv.ParseInt(c.Query("id"), 10, 64)
	for _, r := range list {
		row := requisitionRow{Requisition: r, SpikeName: name(r.Spike)}
		for _, k := range r.MustHaves {
			row.MustHaveNames = append(row.MustHaveNames, name(k))
		}
		if manages[r.TeamID] {
			row.Next = app.NextRequisitionStatuses(r.Status)
		}
		p.Rows = append(p.Rows, row)
		if r.ID == doneID {
			switch c.Query("done") {
			case "opened":
				flash = fmt.Sprintf("Requisition #%d opened for %s.", r.ID, r.TeamName)
			case "moved":
				flash = fmt.Sprintf("Requisition #%d is now %s.", r.ID, r.Status)
			}
		}
	}
	return s.renderStatus(c, status, "requisitions.html", page{Title: "Requisitions", Nav: "requisitions", Flash: flash, Error: errMsg, Data: p})
}

// requisitionPosted answers a form post: a redirect to the list on success (so a reload does
// not post again), the list with the message when the input was refused.
func (s *Server) requisitionPosted(c *fiber.Ctx, r *app.Requisition, err error, done string) error {
	code := app.ErrorCode(err)
	switch {
	case err == nil:
		return c.Redirect(fmt.Sprintf("/requisitions?done=%s&id=%d", done, r.ID), fiber.StatusSeeOther)
	case code == app.EINVALID || code == app.ECONFLICT:
		return s.renderRequisitions(c, statusOf[code], app.ErrorMessage(err))
	}
	return err
}

// pageOpenRequisition is the form post of a hiring page: team_id, hire_index, notes.
func (s *Server) pageOpenRequisition(c *fiber.Ctx) error {
	teamID, _ := strconv.ParseInt(c.FormValue("team_id"), 10, 64)
	in := requisitionInput{TeamID: teamID, Notes: c.FormValue("notes")}
	if idx, err := strconv.Atoi(c.FormValue("hire_index")); err == nil {
		in.HireIndex = &idx
	}
	r, err := s.openRequisition(c, in)
	return s.requisitionPosted(c, r, err, "opened")
}

// pageMoveRequisition is the form post of a status button: status.
func (s *Server) pageMoveRequisition(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.moveRequisition(c, id, c.FormValue("status"))
	return s.requisitionPosted(c, r, err, "moved")
}
