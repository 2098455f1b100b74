package cycles

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
)

// CompareView is the 1:1 compare view of one PM in one cycle.
type CompareView struct {
	Cycle  *app.Cycle `json:"cycle"`
	Person struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"person"`
	Lead bool `json:"-"` // the viewer leads the team: may agree levels and start coaching
	Compared
}

// subject returns the cycle and checks the person is one of its team's PMs and the actor
// their leader (lead) or the PM themself; anyone else gets ENOTFOUND.
func (s *Service) subject(ctx context.Context, a *app.Actor, cycleID, personID int64) (*app.Cycle, *app.User, bool, error) {
	c, ta, err := s.cycle(ctx, a, cycleID)
	if err != nil {
		return nil, nil, false, err
	}
	lead := ta.CanLead() && a.UserID != personID
	if !lead && a.UserID != personID {
		return nil, nil, false, app.ErrNotFound("Person")
	}
	members, _, err := s.members(ctx, c)
	if err != nil {
		return nil, nil, false, err
	}
	if !slices.ContainsFunc(members, func(m Member) bool { return m.ID == personID }) {
		return nil, nil, false, app.ErrNotFound("Person")
	}
	u, err := s.store.FindUserByID(ctx, a.OrgID, personID)
	if err != nil {
		return nil, nil, false, err
	}
	return c, u, lead, nil
}

// Compare returns the PM's compare view for the cycle (0: their latest cycle, see latest):
// to their leaders with every peer's name; to the PM without names when the cycle is
// anonymous (and without peer ratings until MinPeers answered).
func (s *Service) Compare(ctx context.Context, a *app.Actor, personID, cycleID int64) (*CompareView, error) {
	var (
		c    *app.Cycle
		u    *app.User
		lead bool
		err  error
	)
	if cycleID == 0 {
		c, u, lead, err = s.latest(ctx, a, personID)
	} else {
		c, u, lead, err = s.subject(ctx, a, cycleID, personID)
	}
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	history, err := s.store.FindRatings(ctx, a.OrgID, personID)
	if err != nil {
		return nil, err
	}
	agreed, err := s.store.FindCycleAgreements(ctx, c, personID)
	if err != nil {
		return nil, err
	}
	v := &CompareView{Cycle: c, Lead: lead}
	v.Person.ID, v.Person.Name = u.ID, u.Name
	v.Compared = BuildCompare(CompareInput{Scope: fw.InScope(u.TitleKey()), History: history, Cycle: c,
		End: c.End(s.now()), Agreed: agreed, Anonymous: c.AnonymousPeers && !lead})
	return v, nil
}

// NoCycle is the answer to a compare view asked for without a cycle when the person has
// none the actor may compare: the same whether the person exists, has no cycle, or is not
// the actor's to see.
const NoCycle = "No assessment cycle to compare: this person has no open or closed cycle you can see. A leader opens one from the team's Cycles page."

// latest is subject for the person's latest cycle the actor may compare: the open one of
// their teams, else the latest closed one (newest quarter first).
func (s *Service) latest(ctx context.Context, a *app.Actor, personID int64) (*app.Cycle, *app.User, bool, error) {
	cs, err := s.store.FindCyclesOf(ctx, a.OrgID, personID)
	if err != nil {
		return nil, nil, false, err
	}
	for _, c := range cs {
		c, u, lead, err := s.subject(ctx, a, c.ID, personID)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue // a team of theirs the actor does not lead
		}
		return c, u, lead, err
	}
	return nil, nil, false, app.Errorf(app.ENOTFOUND, NoCycle)
}

// AgreementInput is one level agreed in the 1:1 and what was decided.
type AgreementInput struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
	Decision   string `json:"decision"`
}

// Agree records what the leader and the PM agreed at the 1:1, all or nothing; a
// competency agreed again replaces the earlier agreement. Only the team's leaders, in an
// open cycle.
func (s *Service) Agree(ctx context.Context, a *app.Actor, personID, cycleID int64, in []AgreementInput) (*CompareView, error) {
	c, u, lead, err := s.subject(ctx, a, cycleID, personID)
	if err != nil {
		return nil, err
	}
	if !lead {
		return nil, app.Errorf(app.EFORBIDDEN, "Your leader records what you agreed at the 1:1.")
	}
	if !c.Open() {
		return nil, app.Errorf(app.ECONFLICT, "The %s cycle is closed: its agreements are final.", c.Quarter)
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, app.Invalid("agreements", "Agree at least one level.")
	}
	seen := map[string]bool{}
	out := make([]app.CycleAgreement, len(in))
	for i, ag := range in {
		field := func(f string) string { return fmt.Sprintf("agreements[%d].%s", i, f) }
		comp := fw.ByKey(strings.TrimSpace(ag.Competency))
		switch {
		case comp == nil || !comp.InScopeFor(u.TitleKey()):
			return nil, app.Invalid(field("competency"), "Unknown competency %q for %s.", ag.Competency, u.Name)
		case seen[comp.Key]:
			return nil, app.Invalid(field("competency"), "%s is agreed twice.", comp.Name)
		case ag.Level < 0 || ag.Level > app.MaxLevel:
			return nil, app.Invalid(field("level"), "%s: the level must be 0 to 5.", comp.Name)
		case utf8.RuneCountInString(ag.Decision) > app.MaxNoteLength:
			return nil, app.Invalid(field("decision"), "%s: keep the decision under %d characters.", comp.Name, app.MaxNoteLength)
		}
		seen[comp.Key] = true
		out[i] = app.CycleAgreement{Competency: comp.Key, Level: ag.Level, Decision: strings.TrimSpace(ag.Decision)}
	}
	if err := s.store.SaveCycleAgreements(ctx, c, personID, a.UserID, out); err != nil {
		return nil, err
	}
	return s.Compare(ctx, a, personID, cycleID)
}

// GoalGap is an agreed level below what the PM's title expects (the career ladder; the
// breadth threshold where the ladder says nothing).
type GoalGap struct {
	Competency string
	Agreed     int
	Expected   int
	Decision   string
}

// LargestGaps returns up to n agreed gaps, largest first (ties: the order given).
func LargestGaps(agreed []app.CycleAgreement, expected map[string]int, breadth, n int) []GoalGap {
	var gaps []GoalGap
	for _, a := range agreed {
		want, ok := expected[a.Competency]
		if !ok {
			want = breadth
		}
		if a.Level < want && a.Level < app.MaxLevel {
			gaps = append(gaps, GoalGap{Competency: a.Competency, Agreed: a.Level, Expected: want, Decision: a.Decision})
		}
	}
	slices.SortStableFunc(gaps, func(x, y GoalGap) int { return (y.Expected - y.Agreed) - (x.Expected - x.Agreed) })
	if len(gaps) > n {
		gaps = gaps[:n]
	}
	return gaps
}

// StartCoachingInput may name the career spikes of the new plan; without them the PM's
// profile spikes are used.
type StartCoachingInput struct {
	Spikes []string `json:"spikes"`
}

// StartCoaching creates the PM's coaching plan for the quarter after the cycle's, with a
// goal for each of the largest agreed gaps (at most app.MaxCoachingGoals): one level up
// from the agreed level (or from the current level, if that is higher), due at the end of
// that quarter. The coaching service checks and stores the plan (ECONFLICT if there is
// one for that quarter already).
func (s *Service) StartCoaching(ctx context.Context, a *app.Actor, personID, cycleID int64, in StartCoachingInput) (*app.CoachingPlan, error) {
	c, u, lead, err := s.subject(ctx, a, cycleID, personID)
	if err != nil {
		return nil, err
	}
	if !lead {
		return nil, app.Errorf(app.EFORBIDDEN, "Your leader starts your coaching plan.")
	}
	agreed, err := s.store.FindCycleAgreements(ctx, c, personID)
	if err != nil {
		return nil, err
	}
	ladder, err := s.store.FindLadder(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	settings, err := s.store.FindSettings(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	gaps := LargestGaps(agreed, ladder[u.TitleKey()], settings.Breadth, app.MaxCoachingGoals)
	if len(gaps) == 0 {
		return nil, app.Invalid("agreements", "No agreed level is below what %s's title expects: agree levels at the 1:1 first.", u.Name)
	}
	eff, err := s.store.FindEffectiveRatings(ctx, a.OrgID, []int64{personID}, s.now())
	if err != nil {
		return nil, err
	}
	current := map[string]int{}
	for _, r := range eff {
		current[r.Competency] = r.Level
	}
	spikes := in.Spikes
	if len(spikes) == 0 {
		profiles, err := s.store.FindProfiles(ctx, []int64{personID})
		if err != nil {
			return nil, err
		}
		if p := profiles[personID]; p != nil {
			spikes = p.Spikes
		}
	}
	q, err := app.ParseQuarter(c.Quarter)
	if err != nil {
		return nil, err
	}
	next := q.Next()
	plan := coaching.PlanInput{Quarter: next.String(), Spikes: spikes}
	for _, g := range gaps {
		from := max(g.Agreed, current[g.Competency])
		if from >= app.MaxLevel {
			continue
		}
		plan.Goals = append(plan.Goals, coaching.GoalInput{Competency: g.Competency, TargetLevel: from + 1,
			Due:     next.End().String(),
			Goal:    fmt.Sprintf("From the %s 1:1: agreed at %d, the title expects %d.", c.Quarter, g.Agreed, g.Expected),
			Reality: g.Decision})
	}
	if len(plan.Goals) == 0 {
		return nil, app.Invalid("agreements", "%s is already at the top level in every agreed gap.", u.Name)
	}
	return s.coach.CreatePlan(ctx, a, personID, plan)
}
