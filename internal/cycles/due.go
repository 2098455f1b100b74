package cycles

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/teamshape/teamshape/internal/app"
)

// FindDue is the cycle deadlines' share of the reminders (package notify sweeps it beside
// the store's): for each open cycle whose deadline is on or before q.CycleDueBy, the
// people who still owe something by it, read from the progress board —
//   - self_due: each PM who has not rated themself in every competency of their scope;
//   - peer_due: each peer with open requests of the cycle (how many, naming nobody);
//   - leader_due: the team's leaders, while a PM is not fully rated by them;
//   - review_due: the team's leaders, while a PM's 1:1 has no agreed level.
//
// Only active people are reminded. Nothing here depends on who answered: the PM rated
// hears only of their own self-assessment, and a peer's reminder names no one, so neither
// the content nor the timing of a reminder tells anyone who rated (anonymous cycles).
// The same items are found again until done; notify's keys make each one reminder.
func (s *Service) FindDue(ctx context.Context, q app.DueQuery) ([]app.Due, error) {
	if q.CycleDueBy.IsZero() {
		return nil, nil
	}
	cs, err := s.store.FindDueCycles(ctx, q.CycleDueBy)
	if err != nil {
		return nil, err
	}
	var out []app.Due
	var errs []error
	for i := range cs {
		// One cycle that cannot be read must not hold back the others' reminders.
		due, err := s.cycleDue(ctx, &cs[i], q.CycleDueBy)
		if err != nil {
			errs = append(errs, fmt.Errorf("cycle %d: %w", cs[i].ID, err))
			continue
		}
		out = append(out, due...)
	}
	return out, errors.Join(errs...)
}

// cycleDue is one open cycle's due items for deadlines on or before by.
func (s *Service) cycleDue(ctx context.Context, c *app.Cycle, by app.Date) ([]app.Due, error) {
	p, err := s.progress(ctx, c)
	if err != nil {
		return nil, err
	}
	people, err := s.store.FindTeamPeople(ctx, c.TeamID)
	if err != nil {
		return nil, err
	}
	var out []app.Due
	add := func(stage string, due app.Date, who app.TeamPerson, owed, of int) {
		at := due.Time
		out = append(out, app.Due{Kind: app.NotifyCycleDue, OrgID: c.OrgID, UserID: who.UserID, Name: who.Name,
			Email: who.Email, RefID: c.ID, Subject: c.TeamName, Due: &at, Stage: stage, Quarter: c.Quarter, Owed: owed, Of: of})
	}
	byID := map[int64]app.TeamPerson{}
	var leaders []app.TeamPerson
	for _, tp := range people {
		byID[tp.UserID] = tp
		if tp.TeamRole == app.TeamLeader && tp.Active {
			leaders = append(leaders, tp)
		}
	}
	due := func(d app.Date) bool { return !d.After(by.Time) }
	unrated, unreviewed := 0, 0
	for _, m := range p.Members {
		if m.Scope > 0 && !m.SelfDone && due(c.SelfDue) {
			add(StageSelf, c.SelfDue, byID[m.PersonID], m.Scope-m.SelfRated, m.Scope)
		}
		if m.Scope > 0 && !m.LeaderDone {
			unrated++
		}
		if !m.Reviewed {
			unreviewed++
		}
	}
	for _, l := range leaders {
		if unrated > 0 && due(c.LeaderDue) {
			add(StageLeader, c.LeaderDue, l, unrated, len(p.Members))
		}
		if unreviewed > 0 && due(c.ReviewDue) {
			add(StageReview, c.ReviewDue, l, unreviewed, len(p.Members))
		}
	}
	if !due(c.PeerDue) {
		return out, nil
	}
	// Peers: everyone with an open request of the cycle, whether in the team or not.
	pending := map[int64]int{}
	for _, m := range p.Members {
		for _, r := range m.Pending {
			pending[r.ReviewerID]++
		}
	}
	ids := make([]int64, 0, len(pending))
	for id := range pending {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		u, err := s.store.FindUserByID(ctx, c.OrgID, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Active {
			add(StagePeer, c.PeerDue, app.TeamPerson{UserID: u.ID, Name: u.Name, Email: u.Email}, pending[id], pending[id])
		}
	}
	return out, nil
}
