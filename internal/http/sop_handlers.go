package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/sops"
)

func (s *Server) handleSOPBoard(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	b, err := s.sops.Board(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if !b.Access.CanReadSOPs() {
		hs := b.HRHandshakes
		if hs == nil {
			hs = []sops.HRHandshake{}
		}
		return data(c, sopBoardForHR{TeamID: id, Summary: b.Summary, HRHandshakes: hs})
	}
	due := b.Due
	if due == nil {
		due = []sops.Doc{}
	}
	return data(c, sopBoard{TeamID: id, Summary: b.Summary, SOPs: b.SOPs, Due: due})
}

// sopBoard is a team's SOP board for its leaders, PMs and admins.
type sopBoard struct {
	Due     []sops.Doc      `json:"due"`
	SOPs    []sops.Doc      `json:"sops"`
	Summary []sops.Category `json:"summary"`
	TeamID  int64           `json:"team_id"`
}

// sopBoardForHR is the board as the team's HR partners see it: the summary and the
// handshakes with HR.
type sopBoardForHR struct {
	HRHandshakes []sops.HRHandshake `json:"hr_handshakes"`
	Summary      []sops.Category    `json:"summary"`
	TeamID       int64              `json:"team_id"`
}

func (s *Server) handleCreateSOP(c *fiber.Ctx) error {
	return onIDBody(c, created, func(id int64, f app.SOPFields) (*app.SOP, error) {
		return s.sops.Create(c.UserContext(), actor(c), id, f)
	})
}

func (s *Server) handleGetSOP(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (sops.Doc, error) {
		return s.sops.SOP(c.UserContext(), actor(c), id)
	})
}

// handleUpdateSOP takes the SOP back whole, as GET gave it; the read-only fields are ignored.
// The body is decoded once the service has checked access: an outsider's bad body is 404.
func (s *Server) handleUpdateSOP(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	saved, err := s.sops.Update(c.UserContext(), actor(c), id, func() (sops.Edit, error) {
		in := sops.Doc{SOP: &app.SOP{}}
		err := decodeJSON(c, &in)
		return sops.Edit{Base: in.Revision, Fields: in.SOPFields}, err
	})
	if err != nil {
		return err
	}
	return data(c, saved)
}

func (s *Server) handleSOPRevisions(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) ([]app.SOPRevision, error) {
		return s.sops.Revisions(c.UserContext(), actor(c), id)
	})
}

func (s *Server) handleSOPRevision(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.sops.Revision(c.UserContext(), actor(c), id, paramRevision(c))
	if err != nil {
		return err
	}
	diff := d.Diff
	if diff == nil {
		diff = []app.SOPChange{}
	}
	return data(c, sopRevisionView{Revision: d.Revision, CurrentRevision: d.SOP.Revision, DiffToCurrent: diff})
}

// sopRevisionView is one revision of an SOP and how the current one differs from it.
type sopRevisionView struct {
	CurrentRevision int              `json:"current_revision"`
	DiffToCurrent   []app.SOPChange  `json:"diff_to_current"`
	Revision        *app.SOPRevision `json:"revision"`
}

// restoreInput optionally names the revision the caller saw as current.
type restoreInput struct {
	Revision int `json:"revision"`
}

func (s *Server) handleRestoreSOP(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	saved, err := s.sops.Restore(c.UserContext(), actor(c), id, paramRevision(c), func() (int, error) {
		// An optional body {"revision": n} names the revision the caller saw as current.
		var in restoreInput
		if len(c.Body()) > 0 {
			if err := decodeJSON(c, &in); err != nil {
				return 0, err
			}
		}
		return in.Revision, nil
	})
	if err != nil {
		return err
	}
	return created(c, saved)
}

func (s *Server) handleReviewSOP(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*app.SOP, error) {
		return s.sops.Review(c.UserContext(), actor(c), id)
	})
}

// handleSOPsDue lists the SOPs of the caller's teams whose review is due within
// SOPDueListDays (or overdue), soonest first. HR partners' teams are left out.
func (s *Server) handleSOPsDue(c *fiber.Ctx) error {
	due, err := s.sops.Due(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, due)
}
