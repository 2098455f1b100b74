package hiring

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
)

// RequisitionInput opens a requisition against one of the team's suggested hires (HireIndex,
// 0 being the first) or against a profile snapshot given in full.
type RequisitionInput struct {
	TeamID    int64             `json:"team_id"`
	HireIndex *int              `json:"hire_index"`
	Profile   *app.HireSnapshot `json:"profile"`
	Notes     string            `json:"notes"`
}

// OpenRequisition checks the input and the caller's rights (HR partner of the team, or admin)
// and stores the requisition with a snapshot of the hire profile.
func (s *Service) OpenRequisition(ctx context.Context, a *app.Actor, in RequisitionInput) (*app.Requisition, error) {
	in.Notes = strings.TrimSpace(in.Notes)
	switch {
	case in.TeamID <= 0:
		return nil, app.Invalid("team_id", "Give the id of the team the hire is for.")
	case (in.HireIndex == nil) == (in.Profile == nil):
		return nil, app.Invalid("hire_index", "Give either hire_index (a suggested hire of the team) or profile, not both.")
	case utf8.RuneCountInString(in.Notes) > 2000:
		return nil, app.Invalid("notes", "Notes must be at most 2000 characters.")
	}
	var snap app.HireSnapshot
	if in.HireIndex != nil {
		t, err := s.load(ctx, a, in.TeamID)
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
		snap = hires[*in.HireIndex].snapshot()
	} else {
		acc, err := s.store.TeamAccess(ctx, a, in.TeamID)
		if err != nil {
			return nil, err
		}
		if !acc.CanManageRequisitions() {
			return nil, app.ErrForbidden
		}
		fw, err := s.store.FindFramework(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		snap = *in.Profile
		if err := snap.Validate(fw, "profile"); err != nil {
			return nil, err
		}
	}
	r := &app.Requisition{OrgID: a.OrgID, TeamID: in.TeamID, HireSnapshot: snap, Notes: in.Notes, CreatedBy: &a.UserID}
	if err := s.store.CreateRequisition(ctx, r); err != nil {
		return nil, err
	}
	return s.store.FindRequisitionByID(ctx, a.OrgID, r.ID)
}

// MoveRequisition moves a requisition to status if the caller manages the team's requisitions
// and the move is legal. A requisition of a team the caller is not in is ENOTFOUND.
func (s *Service) MoveRequisition(ctx context.Context, a *app.Actor, id int64, status string) (*app.Requisition, error) {
	r, err := s.store.FindRequisitionByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	acc, err := s.store.TeamAccess(ctx, a, r.TeamID)
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
	return s.store.SetRequisitionStatus(ctx, a.OrgID, id, r.Status, status)
}

// Requisitions lists the requisitions of the teams the caller leads or partners as HR (every
// team of the organisation for an admin), newest first.
func (s *Service) Requisitions(ctx context.Context, a *app.Actor, f app.RequisitionFilter) ([]app.Requisition, error) {
	return s.store.FindRequisitions(ctx, a, f)
}

// RequisitionBoard is the list of requisitions with the moves the caller may make.
type RequisitionBoard struct {
	Rows    []RequisitionRow
	Teams   []app.Team // the caller's teams with hiring gaps
	Manages bool       // HR partner of one of the teams, or admin: may move requisitions on
}

// RequisitionRow is a requisition with its competencies named and the caller's moves.
type RequisitionRow struct {
	app.Requisition
	SpikeName     string
	MustHaveNames []string
	Next          []string // statuses the caller may move it to
}

// RequisitionBoard is Requisitions with the competencies named, the caller's teams with
// hiring gaps, and the statuses the caller may move each requisition to.
func (s *Service) RequisitionBoard(ctx context.Context, a *app.Actor, f app.RequisitionFilter) (*RequisitionBoard, error) {
	list, err := s.store.FindRequisitions(ctx, a, f)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	teams, err := s.store.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	b := &RequisitionBoard{Rows: []RequisitionRow{}}
	manages := map[int64]bool{}
	for _, t := range teams {
		acc := app.TeamAccess{TeamID: t.ID, Role: t.MyRole, Admin: a.Role == app.RoleAdmin}
		if acc.CanSeeHiring() {
			b.Teams = append(b.Teams, t)
			manages[t.ID] = acc.CanManageRequisitions()
			b.Manages = b.Manages || manages[t.ID]
		}
	}
	name := func(key string) string {
		if comp := fw.ByKey(key); comp != nil {
			return comp.Name
		}
		return key
	}
	for _, r := range list {
		row := RequisitionRow{Requisition: r, SpikeName: name(r.Spike)}
		for _, k := range r.MustHaves {
			row.MustHaveNames = append(row.MustHaveNames, name(k))
		}
		if manages[r.TeamID] {
			row.Next = app.NextRequisitionStatuses(r.Status)
		}
		b.Rows = append(b.Rows, row)
	}
	return b, nil
}
