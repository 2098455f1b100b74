package coaching

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
)

// rules loads what a plan for the person is checked against.
func (s *Service) rules(ctx context.Context, a *app.Actor, personID int64) (planRules, error) {
	person, err := s.store.FindUserByID(ctx, a.OrgID, personID)
	if err != nil {
		return planRules{}, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return planRules{}, err
	}
	circle, err := s.store.FindCoachingCircle(ctx, personID)
	if err != nil {
		return planRules{}, err
	}
	if len(circle.Teams) == 0 {
		return planRules{}, app.Invalid("person", "%s is not a member of any team: only team members have coaching plans.", person.Name)
	}
	levels, err := s.levels(ctx, a.OrgID, []int64{personID}, s.now())
	if err != nil {
		return planRules{}, err
	}
	return planRules{person: person, framework: fw, circle: circle, levels: levels[personID]}, nil
}

// checkMentor accepts no mentor, or an active person of the organisation other than the PM.
func (s *Service) checkMentor(ctx context.Context, a *app.Actor, mentorID *int64, personID int64) error {
	if mentorID == nil {
		return nil
	}
	u, err := s.store.FindUserByID(ctx, a.OrgID, *mentorID)
	if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && !u.Active) {
		return app.Invalid("mentor_id", "The mentor or sponsor must be an active person of your organisation.")
	} else if err != nil {
		return err
	}
	if u.ID == personID {
		return app.Invalid("mentor_id", "The mentor or sponsor must be someone other than the PM.")
	}
	return nil
}

// CreatePlan creates the person's plan for a quarter; ECONFLICT if they have one.
func (s *Service) CreatePlan(ctx context.Context, a *app.Actor, personID int64, in PlanInput) (*app.CoachingPlan, error) {
	if err := s.leadAccess(ctx, a, personID, "Person"); err != nil {
		return nil, err
	}
	r, err := s.rules(ctx, a, personID)
	if err != nil {
		return nil, err
	}
	p, err := buildPlan(in, r)
	if err != nil {
		return nil, err
	}
	if err := s.checkMentor(ctx, a, p.MentorID, personID); err != nil {
		return nil, err
	}
	p.CreatedBy = &a.UserID
	if err := s.store.CreateCoachingPlan(ctx, p); err != nil {
		return nil, err
	}
	p, _, err = s.Plan(ctx, a, p.ID)
	return p, err
}

// UpdatePlan replaces a plan's spikes, mentor, goals and actions. A goal kept from before
// keeps the level it started from.
func (s *Service) UpdatePlan(ctx context.Context, a *app.Actor, id int64, in PlanInput) (*app.CoachingPlan, error) {
	old, err := s.store.FindCoachingPlanByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	if err := s.leadAccess(ctx, a, old.PersonID, "Coaching plan"); err != nil {
		return nil, err
	}
	r, err := s.rules(ctx, a, old.PersonID)
	if err != nil {
		return nil, err
	}
	if r.quarter, err = app.ParseQuarter(old.Quarter); err != nil {
		return nil, err
	}
	r.baseline = map[string]*int{}
	for _, g := range old.Goals {
		r.baseline[g.Competency] = g.CurrentLevel
	}
	p, err := buildPlan(in, r)
	if err != nil {
		return nil, err
	}
	if err := s.checkMentor(ctx, a, p.MentorID, old.PersonID); err != nil {
		return nil, err
	}
	p.ID = id
	if err := s.store.UpdateCoachingPlan(ctx, p); err != nil {
		return nil, err
	}
	p, _, err = s.Plan(ctx, a, id)
	return p, err
}

// CarryOver starts the next quarter's plan from this one: the goals whose target is not
// reached yet (by the effective rating now) with their unfinished actions, due dates moved
// three months on (kept inside the new quarter), owners who left the team replaced by the
// PM. ECONFLICT when the next quarter has a plan already.
func (s *Service) CarryOver(ctx context.Context, a *app.Actor, id int64) (*app.CoachingPlan, error) {
	old, acc, err := s.Plan(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := acc.mayLead(); err != nil {
		return nil, err
	}
	q, err := app.ParseQuarter(old.Quarter)
	if err != nil {
		return nil, err
	}
	next := q.Next()
	existing, err := s.store.FindCoachingPlans(ctx, app.CoachingPlanFilter{OrgID: a.OrgID, PersonIDs: []int64{old.PersonID}, Quarter: next.String()})
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, app.Errorf(app.ECONFLICT, "%s already has a plan for %s.", old.PersonName, next)
	}
	r, err := s.rules(ctx, a, old.PersonID)
	if err != nil {
		return nil, err
	}
	in := carryInput(old, next, r.circle)
	if len(in.Goals) == 0 {
		return nil, app.Invalid("goals", "Every goal of this plan has reached its target: start a new plan for %s instead.", next)
	}
	if s.checkMentor(ctx, a, in.MentorID, old.PersonID) != nil {
		in.MentorID = nil // the mentor has left: the leader picks another
	}
	p, err := buildPlan(in, r)
	if err != nil {
		return nil, err
	}
	p.CreatedBy = &a.UserID
	if err := s.store.CreateCoachingPlan(ctx, p); err != nil {
		return nil, err
	}
	p, _, err = s.Plan(ctx, a, p.ID)
	return p, err
}

// carryInput is the next quarter's plan made from old's unfinished goals and actions.
func carryInput(old *app.CoachingPlan, next app.Quarter, circle *app.CoachingCircle) PlanInput {
	in := PlanInput{Quarter: next.String(), Spikes: old.Spikes, MentorID: old.MentorID}
	for _, g := range old.Goals {
		if g.Reached() {
			continue
		}
		ng := GoalInput{Competency: g.Competency, TargetLevel: g.TargetLevel, Due: moveInto(g.Due, next),
			Goal: g.Goal, Reality: g.Reality, Options: g.Options, Will: g.Will}
		for _, ac := range g.Actions {
			if ac.Status == app.ActionDone {
				continue
			}
			owner := ac.OwnerID
			if !circle.Has(owner) {
				owner = old.PersonID
			}
			ng.Actions = append(ng.Actions, ActionInput{Kind: ac.Kind, Description: ac.Description, OwnerID: owner,
				Due: moveInto(ac.Due, next), ResourceURL: ac.ResourceURL, Status: ac.Status})
		}
		in.Goals = append(in.Goals, ng)
	}
	return in
}

// moveInto moves a day three months on and keeps it inside the quarter.
func moveInto(d app.Date, q app.Quarter) string {
	moved := app.DateOf(d.AddDate(0, 3, 0))
	switch {
	case moved.Before(q.Start().Time):
		moved = q.Start()
	case moved.After(q.End().Time):
		moved = q.End()
	}
	return moved.String()
}

// AddCheckIn records a check-in on a plan, reading each goal's level from the effective
// ratings now. Notes are written by the actor.
func (s *Service) AddCheckIn(ctx context.Context, a *app.Actor, planID int64, in CheckInInput) (*app.CheckIn, error) {
	p, err := s.store.FindCoachingPlanByID(ctx, a.OrgID, planID)
	if err != nil {
		return nil, err
	}
	if err := s.leadAccess(ctx, a, p.PersonID, "Coaching plan"); err != nil {
		return nil, err
	}
	levels, err := s.levels(ctx, a.OrgID, []int64{p.PersonID}, s.now())
	if err != nil {
		return nil, err
	}
	ci, err := buildCheckIn(in, p, levels[p.PersonID], s.Today())
	if err != nil {
		return nil, err
	}
	ci.CreatedBy = &a.UserID
	for i := range ci.Notes {
		ci.Notes[i].AuthorID, ci.Notes[i].AuthorName = a.UserID, a.Name
	}
	if err := s.store.CreateCheckIn(ctx, ci); err != nil {
		return nil, err
	}
	return ci, nil
}

// SetReflection stores the PM's reflection on a check-in of their own plan.
func (s *Service) SetReflection(ctx context.Context, a *app.Actor, checkInID int64, text string) (string, error) {
	planID, err := s.store.FindCheckInPlanID(ctx, a.OrgID, checkInID)
	if err != nil {
		return "", err
	}
	p, err := s.store.FindCoachingPlanByID(ctx, a.OrgID, planID)
	if err != nil {
		return "", err
	}
	acc, err := s.access(ctx, a, p.PersonID, "Check-in")
	if err != nil {
		return "", err
	}
	if !acc.Self {
		return "", app.Errorf(app.EFORBIDDEN, "Only the PM writes the reflection on their check-in.")
	}
	if text, err = validReflection(text); err != nil {
		return "", err
	}
	return text, s.store.SetCheckInReflection(ctx, checkInID, text)
}

// SetActionStatus sets an action's status: leaders and admins for any action, the PM for
// the actions of their plan that they own.
func (s *Service) SetActionStatus(ctx context.Context, a *app.Actor, actionID int64, status string) (*app.CoachingAction, error) {
	ac, planID, err := s.store.FindCoachingAction(ctx, a.OrgID, actionID)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindCoachingPlanByID(ctx, a.OrgID, planID)
	if err != nil {
		return nil, err
	}
	acc, err := s.access(ctx, a, p.PersonID, "Coaching action")
	if err != nil {
		return nil, err
	}
	if !acc.Lead && ac.OwnerID != a.UserID {
		return nil, app.Errorf(app.EFORBIDDEN, "You can update only the actions you own; ask your leader about the others.")
	}
	if !app.ValidOption(app.ActionStatuses, status) {
		return nil, app.Invalid("status", "Status must be todo, doing or done.")
	}
	if err := s.store.SetCoachingActionStatus(ctx, actionID, status); err != nil {
		return nil, err
	}
	ac.Status = status
	return ac, nil
}
