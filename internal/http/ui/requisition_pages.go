package ui

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// PageRequisitions lists the requisitions; ?done=opened|moved&id=N (the redirect after a form
// post) adds a flash about requisition N.
func (s *Pages) PageRequisitions(c *fiber.Ctx) error {
	return s.renderRequisitions(c, fiber.StatusOK, "")
}

// renderRequisitions renders the list, with errMsg when a form post was refused.
func (s *Pages) renderRequisitions(c *fiber.Ctx, status int, errMsg string) error {
	f, err := kit.RequisitionFilter(c)
	if err != nil {
		f, errMsg = app.RequisitionFilter{}, app.ErrorMessage(err)
	}
	b, err := s.Hiring.RequisitionBoard(c.UserContext(), kit.Actor(c), f)
	if err != nil {
		return err
	}
	p := requisitionsPage{Rows: b.Rows, Teams: b.Teams, Filter: f, Statuses: app.RequisitionStatuses, Manages: b.Manages}
	flash := ""
	doneID, _ := strconv.ParseInt(c.Query("id"), 10, 64)
	for _, r := range b.Rows {
		if r.ID == doneID {
			switch c.Query("done") {
			case "opened":
				flash = fmt.Sprintf("Requisition #%d opened for %s.", r.ID, r.TeamName)
			case "moved":
				flash = fmt.Sprintf("Requisition #%d is now %s.", r.ID, r.Status)
			}
		}
	}
	return s.RenderStatus(c, status, "requisitions.html", kit.Page{Title: "Requisitions", Nav: "requisitions", Flash: flash, Error: errMsg, Data: p})
}

// PageOpenRequisition is the form post of a hiring page: team_id, hire_index, notes.
func (s *Pages) PageOpenRequisition(c *fiber.Ctx) error {
	teamID, _ := strconv.ParseInt(c.FormValue("team_id"), 10, 64)
	in := hiring.RequisitionInput{TeamID: teamID, Notes: c.FormValue("notes")}
	if idx, err := strconv.Atoi(c.FormValue("hire_index")); err == nil {
		in.HireIndex = &idx
	}
	r, err := s.Hiring.OpenRequisition(c.UserContext(), kit.Actor(c), in)
	return s.requisitionPosted(c, r, err, "opened")
}

// PageMoveRequisition is the form post of a status button: status.
func (s *Pages) PageMoveRequisition(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Hiring.MoveRequisition(c.UserContext(), kit.Actor(c), id, c.FormValue("status"))
	return s.requisitionPosted(c, r, err, "moved")
}

// requisitionsPage is the list of requisitions with the moves the caller may make.
type requisitionsPage struct {
	Rows     []hiring.RequisitionRow
	Teams    []app.Team // the caller's teams with hiring gaps, for the empty state and the filter
	Filter   app.RequisitionFilter
	Statuses []string
	Manages  bool // HR partner of one of the teams, or admin: may move requisitions on
}

// requisitionPosted answers a form post: a redirect to the list on success (so a reload does
// not post again), the list with the message when the input was refused.
func (s *Pages) requisitionPosted(c *fiber.Ctx, r *app.Requisition, err error, done string) error {
	code := app.ErrorCode(err)
	switch {
	case err == nil:
		return c.Redirect(fmt.Sprintf("/requisitions?done=%s&id=%d", done, r.ID), fiber.StatusSeeOther)
	case code == app.EINVALID || code == app.ECONFLICT:
		return s.renderRequisitions(c, kit.StatusOf[code], app.ErrorMessage(err))
	}
	return err
}
