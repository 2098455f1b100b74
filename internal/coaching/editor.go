package coaching

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
)

// Editor is what a leader's plan editor for one PM offers: the person, the active
// competencies by area, who may own an action (the person's teams' people), the person's
// teams, and who may mentor (every other active person of the organisation).
type Editor struct {
	Person  *app.User
	Areas   []app.Area
	Owners  []app.TeamPerson
	Teams   []app.Team
	Mentors []app.User
}

// Editor returns the choices of the plan editor for the person; only their leaders and
// admins get it (the person and anyone else: ENOTFOUND, as for their plans).
func (s *Service) Editor(ctx context.Context, a *app.Actor, personID int64) (*Editor, error) {
	acc, err := s.access(ctx, a, personID, "Person")
	if err != nil {
		return nil, err
	}
	if !acc.Lead {
		return nil, app.ErrNotFound("Person")
	}
	e := &Editor{}
	if e.Person, err = s.store.FindUserByID(ctx, a.OrgID, personID); err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	e.Areas = fw.ActiveAreas()
	circle, err := s.store.FindCoachingCircle(ctx, personID)
	if err != nil {
		return nil, err
	}
	e.Owners, e.Teams = circle.People, circle.Teams
	users, err := s.store.FindUsers(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Active && u.ID != personID {
			e.Mentors = append(e.Mentors, u)
		}
	}
	return e, nil
}

// PlanPerson returns whose plan the plan is, for a page to come back to that person's
// coaching after a write; anyone who may not read the plan gets ENOTFOUND.
func (s *Service) PlanPerson(ctx context.Context, a *app.Actor, planID int64) (int64, error) {
	p, err := s.store.FindCoachingPlanByID(ctx, a.OrgID, planID)
	if err != nil {
		return 0, err
	}
	if _, err := s.access(ctx, a, p.PersonID, "Coaching plan"); err != nil {
		return 0, err
	}
	return p.PersonID, nil
}
