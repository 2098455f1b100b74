package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/sops"
)

func (s *Handlers) HandleSOPBoard(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	b, err := s.Sops.Board(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	if !b.Access.CanReadSOPs() {
		hs := b.HRHandshakes
		if hs == nil {
			hs = []sops.HRHandshake{}
		}
		return kit.Data(c, SopBoardForHR{TeamID: id, Summary: b.Summary, HRHandshakes: hs})
	}
	due := b.Due
	if due == nil {
		due = []sops.Doc{}
	}
	return kit.Data(c, SopBoard{TeamID: id, Summary: b.Summary, SOPs: b.SOPs, Due: due})
}

// SopBoard is a team's SOP board for its leaders, PMs and admins.
type SopBoard struct {
	Due     []sops.Doc      `json:"due"`
	SOPs    []sops.Doc      `json:"sops"`
	Summary []sops.Category `json:"summary"`
	TeamID  int64           `json:"team_id"`
}

// SopBoardForHR is the board as the team's HR partners see it: the summary and the
// handshakes with HR.
type SopBoardForHR struct {
	HRHandshakes []sops.HRHandshake `json:"hr_handshakes"`
	Summary      []sops.Category    `json:"summary"`
	TeamID       int64              `json:"team_id"`
}

func (s *Handlers) HandleCreateSOP(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Created, func(id int64, f app.SOPFields) (*app.SOP, error) {
		return s.Sops.Create(c.UserContext(), kit.Actor(c), id, f)
	})
}

func (s *Handlers) HandleGetSOP(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (sops.Doc, error) {
		return s.Sops.SOP(c.UserContext(), kit.Actor(c), id)
	})
}

// HandleUpdateSOP takes the SOP back whole, as GET gave it; the read-only fields are ignored.
// The body is decoded once the service has checked access: an outsider's bad body is 404.
func (s *Handlers) HandleUpdateSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	saved, err := s.Sops.Update(c.UserContext(), kit.Actor(c), id, func() (sops.Edit, error) {
		in := sops.Doc{SOP: &app.SOP{}}
		err := kit.DecodeJSON(c, &in)
		return sops.Edit{Base: in.Revision, Fields: in.SOPFields}, err
	})
	if err != nil {
		return err
	}
	return kit.Data(c, saved)
}

func (s *Handlers) HandleSOPRevisions(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) ([]app.SOPRevision, error) {
		return s.Sops.Revisions(c.UserContext(), kit.Actor(c), id)
	})
}

func (s *Handlers) HandleSOPRevision(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.Sops.Revision(c.UserContext(), kit.Actor(c), id, kit.ParamRevision(c))
	if err != nil {
		return err
	}
	diff := d.Diff
	if diff == nil {
		diff = []app.SOPChange{}
	}
	return kit.Data(c, SopRevisionView{Revision: d.Revision, CurrentRevision: d.SOP.Revision, DiffToCurrent: diff})
}

// SopRevisionView is one revision of an SOP and how the current one differs from it.
type SopRevisionView struct {
	CurrentRevision int              `json:"current_revision"`
	DiffToCurrent   []app.SOPChange  `json:"diff_to_current"`
	Revision        *app.SOPRevision `json:"revision"`
}

// RestoreInput optionally names the revision the caller saw as current.
type RestoreInput struct {
	Revision int `json:"revision"`
}

func (s *Handlers) HandleRestoreSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	saved, err := s.Sops.Restore(c.UserContext(), kit.Actor(c), id, kit.ParamRevision(c), func() (int, error) {
		// An optional body {"revision": n} names the revision the caller saw as current.
		var in RestoreInput
		if len(c.Body()) > 0 {
			if err := kit.DecodeJSON(c, &in); err != nil {
				return 0, err
			}
		}
		return in.Revision, nil
	})
	if err != nil {
		return err
	}
	return kit.Created(c, saved)
}

func (s *Handlers) HandleReviewSOP(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*app.SOP, error) {
		return s.Sops.Review(c.UserContext(), kit.Actor(c), id)
	})
}

// HandleSOPsDue lists the SOPs of the caller's teams whose review is due within
// SOPDueListDays (or overdue), soonest first. HR partners' teams are left out.
func (s *Handlers) HandleSOPsDue(c *fiber.Ctx) error {
	due, err := s.Sops.Due(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, due)
}
