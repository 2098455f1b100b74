package sops

import (
	"cmp"
	"context"
	"slices"

	"github.com/teamshape/teamshape/internal/app"
)

// Category is one category of a team's board. SOPs is for readers only.
type Category struct {
	Category string         `json:"category"`
	Label    string         `json:"label"`
	Counts   map[string]int `json:"counts"` // by maturity, every maturity present
	Total    int            `json:"total"`
	InUse    bool           `json:"in_use"` // some SOP is adopted or measured
	SOPs     []Doc          `json:"-"`
}

// HRHandshake is a handshake with HR, all an HR partner sees of an SOP beyond the counts.
type HRHandshake struct {
	Category string `json:"category"`
	app.SOPHandshake
}

// Board is a team's operating-model board.
type Board struct {
	Team    *app.Team
	Access  app.TeamAccess
	Summary []Category
	// For leaders, PMs and admins:
	SOPs []Doc
	Due  []Doc // next review within SOPDueListDays (or overdue), soonest first
	// For HR partners:
	HRHandshakes []HRHandshake
	// Counts for the headline.
	Total, InUse, Overdue, DueSoon int
	Covered                        int // categories with an SOP in use
}

// Board loads a team's board as the actor may see it: anyone in the team (or an admin)
// gets the summary; its readers (leaders, PMs, admins) every SOP with its staffing check;
// its HR partners only the handshakes with HR. Outside the team: ENOTFOUND.
func (s *Service) Board(ctx context.Context, a *app.Actor, teamID int64) (*Board, error) {
	acc, err := s.store.TeamAccess(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	team, err := s.store.FindTeamByID(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	sops, err := s.store.FindSOPs(ctx, app.SOPFilter{OrgID: a.OrgID, TeamIDs: []int64{teamID}})
	if err != nil {
		return nil, err
	}
	b := &Board{Team: team, Access: acc, Total: len(sops)}
	byCat := map[string]*Category{}
	for _, o := range app.SOPCategories {
		b.Summary = append(b.Summary, Category{Category: o.Key, Label: o.Label, Counts: map[string]int{}})
	}
	for i := range b.Summary {
		for _, m := range app.SOPMaturities {
			b.Summary[i].Counts[m.Key] = 0
		}
		byCat[b.Summary[i].Category] = &b.Summary[i]
	}
	for i := range sops {
		sop := &sops[i]
		cat := byCat[sop.Category]
		cat.Counts[sop.Maturity]++
		cat.Total++
		if app.SOPInUse(sop.Maturity) {
			cat.InUse = true
			b.InUse++
		}
	}
	for _, cat := range b.Summary {
		if cat.InUse {
			b.Covered++
		}
	}
	if !acc.CanReadSOPs() {
		for _, sop := range sops {
			for _, h := range sop.Handshakes {
				if h.Partner == app.SOPPartnerHR {
					b.HRHandshakes = append(b.HRHandshakes, HRHandshake{Category: sop.Category, SOPHandshake: h})
				}
			}
		}
		return b, nil
	}
	today := s.today()
	b.SOPs = make([]Doc, len(sops))
	for i := range sops {
		sops[i].SetReviewStatus(today)
		b.SOPs[i] = Doc{SOP: &sops[i]}
	}
	if err := s.staff(ctx, a, acc, teamID, b.SOPs); err != nil {
		return nil, err
	}
	dueBy := today.AddDate(0, 0, app.SOPDueListDays)
	for _, d := range b.SOPs {
		byCat[d.Category].SOPs = append(byCat[d.Category].SOPs, d)
		switch {
		case d.ReviewStatus == app.SOPReviewOverdue:
			b.Overdue++
		case d.ReviewStatus == app.SOPReviewDue:
			b.DueSoon++
		}
		if !app.Day(d.NextReviewOn).After(dueBy) {
			b.Due = append(b.Due, d)
		}
	}
	slices.SortStableFunc(b.Due, func(x, y Doc) int { return x.NextReviewOn.Compare(y.NextReviewOn) })
	return b, nil
}

// Due lists the SOPs of the actor's teams whose review is due within SOPDueListDays (or
// overdue), soonest first. Teams the actor is an HR partner of are left out.
func (s *Service) Due(ctx context.Context, a *app.Actor) ([]app.SOP, error) {
	teams, err := s.store.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, t := range teams {
		if (app.TeamAccess{TeamID: t.ID, Role: t.MyRole, Admin: a.Role == app.RoleAdmin}).CanReadSOPs() {
			ids = append(ids, t.ID)
		}
	}
	today := s.today()
	by := today.AddDate(0, 0, app.SOPDueListDays)
	sops, err := s.store.FindSOPs(ctx, app.SOPFilter{OrgID: a.OrgID, TeamIDs: ids, DueBy: &by})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(sops, func(x, y app.SOP) int {
		return cmp.Or(x.NextReviewOn.Compare(y.NextReviewOn), cmp.Compare(x.ID, y.ID))
	})
	for i := range sops {
		sops[i].SetReviewStatus(today)
	}
	return sops, nil
}
