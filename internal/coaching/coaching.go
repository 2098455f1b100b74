// Package coaching runs coaching plans: who may read and write them, the rules a plan and a
// check-in must follow, carrying a plan over to the next quarter, and suggestions to start
// a plan from. It talks to storage through app.CoachingStore and to the analytic core
// through package insight.
package coaching

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
)

// Store is what coaching needs from storage.
type Store interface {
	app.CoachingStore
	insight.Store
	PersonAccess(ctx context.Context, a *app.Actor, personID int64) (app.PersonAccess, error)
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
	FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error)
	FindUserByID(ctx context.Context, orgID, id int64) (*app.User, error)
	FindUsers(ctx context.Context, orgID int64) ([]app.User, error)
	FindLadder(ctx context.Context, orgID int64) (app.Ladder, error)
}

// Service answers coaching requests on behalf of an actor.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a service over the store; now is the clock (time.Now outside tests).
func New(st Store, now func() time.Time) *Service {
	return &Service{store: st, now: now}
}

// Today is the current calendar day.
func (s *Service) Today() app.Date { return app.DateOf(s.now()) }

// Quarter is the current quarter.
func (s *Service) Quarter() app.Quarter { return app.QuarterOf(s.now()) }

// Access is what the actor may do with one person's plans.
type Access struct {
	Lead bool // a leader of a team the person is in, or an admin: everything
	Self bool // the person: read, own action status, reflections
}

// access returns the actor's access to the person's plans. Anyone else (HR, other PMs,
// leaders of other teams, other organisations) gets ENOTFOUND naming what: whether a plan
// exists is private.
func (s *Service) access(ctx context.Context, a *app.Actor, personID int64, what string) (Access, error) {
	pa, err := s.store.PersonAccess(ctx, a, personID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return Access{}, app.ErrNotFound(what)
	} else if err != nil {
		return Access{}, err
	}
	acc := Access{Lead: pa.CanRateAsLeader(), Self: pa.Self}
	if !acc.Lead && !acc.Self {
		return acc, app.ErrNotFound(what)
	}
	return acc, nil
}

// leadAccess is access for a write only leaders make: the person themself gets EFORBIDDEN.
func (s *Service) leadAccess(ctx context.Context, a *app.Actor, personID int64, what string) error {
	acc, err := s.access(ctx, a, personID, what)
	if err != nil {
		return err
	}
	return acc.mayLead()
}

// mayLead is EFORBIDDEN unless the access is a leader's.
func (acc Access) mayLead() error {
	if !acc.Lead {
		return app.Errorf(app.EFORBIDDEN, "Only a leader of your team can change your coaching plan.")
	}
	return nil
}

// Plans returns the person's plans, newest quarter first, as the actor may see them.
func (s *Service) Plans(ctx context.Context, a *app.Actor, personID int64) ([]app.CoachingPlan, Access, error) {
	acc, err := s.access(ctx, a, personID, "Person")
	if err != nil {
		return nil, acc, err
	}
	plans, err := s.store.FindCoachingPlans(ctx, app.CoachingPlanFilter{OrgID: a.OrgID, PersonIDs: []int64{personID}})
	if err != nil {
		return nil, acc, err
	}
	return plans, acc, s.fill(ctx, a, plans)
}

// Plan returns one plan as the actor may see it.
func (s *Service) Plan(ctx context.Context, a *app.Actor, id int64) (*app.CoachingPlan, Access, error) {
	p, err := s.store.FindCoachingPlanByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, Access{}, err
	}
	acc, err := s.access(ctx, a, p.PersonID, "Coaching plan")
	if err != nil {
		return nil, acc, err
	}
	plans := []app.CoachingPlan{*p}
	if err := s.fill(ctx, a, plans); err != nil {
		return nil, acc, err
	}
	return &plans[0], acc, nil
}

// fill adds what a reader sees beyond the stored plan: the check-ins (with only the notes
// the actor may read), each goal's level now and its latest check-in status.
func (s *Service) fill(ctx context.Context, a *app.Actor, plans []app.CoachingPlan) error {
	if len(plans) == 0 {
		return nil
	}
	ids := make([]int64, len(plans))
	var people []int64
	seen := map[int64]bool{}
	for i, p := range plans {
		ids[i] = p.ID
		if !seen[p.PersonID] {
			seen[p.PersonID] = true
			people = append(people, p.PersonID)
		}
	}
	checkIns, err := s.store.FindCheckIns(ctx, ids, a.UserID)
	if err != nil {
		return err
	}
	levels, err := s.levels(ctx, a.OrgID, people, s.now())
	if err != nil {
		return err
	}
	for i := range plans {
		p := &plans[i]
		status := map[string]string{}
		for _, ci := range checkIns {
			if ci.PlanID == p.ID {
				p.CheckIns = append(p.CheckIns, ci)
				for _, g := range ci.Goals {
					status[g.Competency] = g.Status // oldest first: the latest wins
				}
			}
		}
		for gi := range p.Goals {
			g := &p.Goals[gi]
			if l, ok := levels[p.PersonID][g.Competency]; ok {
				g.LevelNow = &l
			}
			g.Status = status[g.Competency]
		}
	}
	return nil
}

// levels returns the people's effective ratings as of the time, by person and competency.
func (s *Service) levels(ctx context.Context, orgID int64, people []int64, asOf time.Time) (map[int64]map[string]int, error) {
	ratings, err := s.store.FindEffectiveRatings(ctx, orgID, people, asOf)
	if err != nil {
		return nil, err
	}
	out := map[int64]map[string]int{}
	for _, r := range ratings {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]int{}
		}
		out[r.UserID][r.Competency] = r.Level
	}
	return out, nil
}

// MemberPlan is a team member with their plan for the quarter (nil if none) and its progress.
type MemberPlan struct {
	Person   app.TeamPerson
	Plan     *app.CoachingPlan
	Progress app.PlanProgress
}

// TeamPlans lists every member of the team with their plan for the quarter. Only the
// team's leaders and admins may see it; anyone else gets ENOTFOUND.
func (s *Service) TeamPlans(ctx context.Context, a *app.Actor, teamID int64, q app.Quarter) (*app.Team, []MemberPlan, error) {
	acc, err := s.store.TeamAccess(ctx, a, teamID)
	if err != nil {
		return nil, nil, err
	}
	if !acc.CanLead() {
		return nil, nil, app.ErrNotFound("Team")
	}
	team, err := s.store.FindTeamByID(ctx, a, teamID)
	if err != nil {
		return nil, nil, err
	}
	people, err := s.store.FindTeamPeople(ctx, teamID)
	if err != nil {
		return nil, nil, err
	}
	var out []MemberPlan
	var ids []int64
	for _, p := range people {
		if p.TeamRole == app.TeamMember && p.Active && p.UserID != a.UserID {
			out = append(out, MemberPlan{Person: p})
			ids = append(ids, p.UserID)
		}
	}
	if len(ids) == 0 {
		return team, out, nil
	}
	plans, err := s.store.FindCoachingPlans(ctx, app.CoachingPlanFilter{OrgID: a.OrgID, PersonIDs: ids, Quarter: q.String()})
	if err != nil {
		return nil, nil, err
	}
	if err := s.fill(ctx, a, plans); err != nil {
		return nil, nil, err
	}
	today := s.Today()
	for i := range out {
		for j := range plans {
			if plans[j].PersonID == out[i].Person.UserID {
				out[i].Plan = &plans[j]
				out[i].Progress = plans[j].Progress(today)
			}
		}
	}
	return team, out, nil
}
