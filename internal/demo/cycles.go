package demo

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/cycles"
)

// seedCycles gives Growth two assessment cycles, once (nothing if it has any): last
// quarter's, closed with a snapshot of the team's shape and two agreements from Maya's
// 1:1; and this quarter's, open three weeks: Maya, Omar and Sofia have self-assessed, the
// leader's ratings are in, Grace has rated Jonas while Ravi has not, and Sofia's request
// to Jonas is pending. It adds no self or leader rating: the demo's figures stay as they are.
func seedCycles(ctx context.Context, st Seeder, org *app.Organisation, ids map[string]int64) error {
	team, lena := ids["team:Growth"], ids["leader@demo.test"]
	existing, err := st.FindTeamCycles(ctx, org.ID, team)
	if err != nil || len(existing) > 0 {
		return err
	}
	now := time.Now()
	q := app.QuarterOf(now)
	prev := q.Prev()
	at := func(d app.Date, hour int) time.Time { return d.Add(time.Duration(hour) * time.Hour) }
	dayOf := func(d app.Date, n int) app.Date { return app.Date{Time: d.AddDate(0, 0, n)} }

	// Last quarter: opened a month before its end, closed on its last day.
	closed := &app.Cycle{OrgID: org.ID, TeamID: team, Quarter: prev.String(), OpenedBy: &lena,
		SelfDue: dayOf(prev.End(), -21), PeerDue: dayOf(prev.End(), -14), LeaderDue: dayOf(prev.End(), -7), ReviewDue: prev.End(),
		OpenedAt: at(dayOf(prev.End(), -30), 9)}
	if err := st.CreateCycles(ctx, []*app.Cycle{closed}); err != nil {
		return err
	}
	maya := ids["pm@demo.test"]
	err = st.SaveCycleAgreements(ctx, closed, maya, lena, []app.CycleAgreement{
		{Competency: "customer_research", Level: 2, Decision: "Run two interviews a month alone; Sofia reviews the notes."},
		{Competency: "business_outcomes", Level: 2, Decision: "Tie each experiment to a revenue line with finance."},
	})
	if err != nil {
		return err
	}
	closedAt := at(prev.End(), 17)
	snap, err := cycles.TakeSnapshot(ctx, st, closed, closedAt)
	if err != nil {
		return err
	}
	closed.ClosedAt = &closedAt
	if err := st.CloseCycle(ctx, closed, lena, snap); err != nil {
		return err
	}

	// This quarter: open for three weeks, so the self-assessments Maya, Omar and Sofia made
	// since count; the self-assessment date has passed and the peers' is in two days, so the
	// reminder sweep tells Ravi, Jonas and Grace to self-assess and Ravi and Jonas to answer
	// their peer requests. Peers are named: the demo's other features (and their tests)
	// keep working on plain peer requests.
	today := app.DateOf(now)
	open := &app.Cycle{OrgID: org.ID, TeamID: team, Quarter: q.String(), OpenedBy: &lena,
		SelfDue: dayOf(today, -2), PeerDue: dayOf(today, 2), LeaderDue: dayOf(today, 14), ReviewDue: dayOf(today, 21),
		OpenedAt: now.AddDate(0, 0, -21)}
	if err := st.CreateCycles(ctx, []*app.Cycle{open}); err != nil {
		return err
	}
	jonas, sofia := ids["pm5@demo.test"], ids["pm3@demo.test"]
	for _, p := range []struct {
		subject, reviewer, by int64
		levels, note          string
	}{
		{jonas, ids["pm6@demo.test"], lena, "3443343432344", "Clear roadmaps; pull engineering in before the spec is final."},
		{jonas, ids["pm4@demo.test"], lena, "", ""},
		{sofia, jonas, sofia, "", ""},
	} {
		r := &app.PeerRequest{SubjectID: p.subject, ReviewerID: p.reviewer, RequestedBy: p.by, CycleID: &open.ID,
			Message: "Peer feedback for the " + q.String() + " cycle."}
		if err := st.CreatePeerRequest(ctx, org.ID, r); err != nil {
			return err
		}
		if p.levels == "" {
			continue
		}
		b := app.RatingBatch{OrgID: org.ID, SubjectID: p.subject, RaterID: p.reviewer, Kind: app.RatingPeer, CycleID: &open.ID,
			At: now.AddDate(0, 0, -2), Ratings: parseLevels(p.levels, 0, p.note)}
		if err := st.AnswerPeerRequest(ctx, r.ID, b); err != nil {
			return err
		}
	}
	return nil
}
