package coaching

import (
	"context"
	"strings"

	"github.com/teamshape/teamshape/internal/app"
)

// AddAction appends one action to the plan's goal in the competency, checked like the
// actions of a whole plan (buildAction). Leaders and admins may add any action; the PM may
// add actions they own themself (learning they take on, such as a hit-list resource). An
// empty due date takes the goal's. A resource link already on the goal is ECONFLICT.
func (s *Service) AddAction(ctx context.Context, a *app.Actor, planID int64, competency string, in ActionInput) (*app.CoachingAction, error) {
	p, err := s.store.FindCoachingPlanByID(ctx, a.OrgID, planID)
	if err != nil {
		return nil, err
	}
	acc, err := s.access(ctx, a, p.PersonID, "Coaching plan")
	if err != nil {
		return nil, err
	}
	if !acc.Lead && in.OwnerID != a.UserID {
		return nil, app.Errorf(app.EFORBIDDEN, "You can add actions you own yourself; ask your leader about the others.")
	}
	var goal *app.CoachingGoal
	for i := range p.Goals {
		if p.Goals[i].Competency == competency {
			goal = &p.Goals[i]
		}
	}
	if goal == nil {
		return nil, app.Invalid("competency", "The plan for %s has no goal in this competency.", p.Quarter)
	}
	if len(goal.Actions) >= maxActions {
		return nil, app.Invalid("actions", "The goal has %d actions already, the most a goal may have.", maxActions)
	}
	r, err := s.rules(ctx, a, p.PersonID)
	if err != nil {
		return nil, err
	}
	q, err := app.ParseQuarter(p.Quarter)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Due) == "" {
		in.Due = goal.Due.String()
	}
	ac, err := buildAction(in, "action", q, r)
	if err != nil {
		return nil, err
	}
	for _, old := range goal.Actions {
		if ac.ResourceURL != "" && old.ResourceURL == ac.ResourceURL {
			return nil, app.Errorf(app.ECONFLICT, "This resource is already an action of the %s goal.", goal.CompetencyName)
		}
	}
	ac.GoalID = goal.ID
	if err := s.store.AddCoachingAction(ctx, ac); err != nil {
		return nil, err
	}
	return ac, nil
}
