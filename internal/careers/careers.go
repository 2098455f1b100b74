// Package careers runs the career features as a service: a person's career portfolio,
// learning resources and the hit-lists fitted to a person, mentor matching by consent,
// mentorships, and each person's mentoring consent. Each method checks access itself, so
// the API and the pages get the same rules:
//   - a career portfolio is read by the person, their leaders and admins; written by the person;
//   - hit-lists fitted to a person are read by the same people (the fit reveals a level);
//   - resources are curated by leaders and admins;
//   - mentorships are the mentee's and the mentor's alone;
//   - HR has none of it (the route table admits no HR here): everything here is individual.
//
// It talks to storage through Store, to the career arithmetic through package career, to
// the analytic core (a profile's shape) through packages insight and shape, and to coaching
// plans through the coaching service.
package careers

import (
	"context"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
)

// Store is what careers needs from storage: career roles, resources, mentorships and
// consents (app.CareerStore), the organisation's people, and what the coaching service
// needs (people and access, the framework, ladder, settings, profiles, effective ratings
// and coaching plans).
type Store interface {
	coaching.Store
	app.CareerStore
	FindUsers(ctx context.Context, orgID int64) ([]app.User, error)
}

// Service answers career requests on behalf of an actor.
type Service struct {
	store    Store
	coaching *coaching.Service // resources go onto coaching plans through it
	now      func() time.Time
}

// New returns a service over the store; now is the clock (time.Now outside tests).
func New(st Store, now func() time.Time) *Service {
	return &Service{store: st, coaching: coaching.New(st, now), now: now}
}

// person returns a person whose career the actor may see: themself, a member of a team
// they lead, anyone of the organisation for an admin. Anyone else is ENOTFOUND.
func (s *Service) person(ctx context.Context, a *app.Actor, personID int64) (*app.User, app.PersonAccess, error) {
	acc, err := s.store.PersonAccess(ctx, a, personID)
	if err != nil {
		return nil, acc, err
	}
	u, err := s.store.FindUserByID(ctx, a.OrgID, personID)
	if err != nil {
		return nil, acc, err
	}
	if !acc.CanSeeRatings() {
		return nil, acc, app.ErrNotFound("Person")
	}
	return u, acc, nil
}

// mayCurate is EFORBIDDEN unless the actor curates resources: leaders and admins.
func mayCurate(a *app.Actor) error {
	if !a.Is(app.RoleAdmin, app.RoleLeader) {
		return app.ErrForbidden
	}
	return nil
}

// activeCompetency returns a competency of the framework that is not archived.
func (s *Service) activeCompetency(ctx context.Context, orgID int64, key string) (*app.Competency, error) {
	fw, err := s.store.FindFramework(ctx, orgID)
	if err != nil {
		return nil, err
	}
	comp := fw.ByKey(strings.TrimSpace(key))
	if comp == nil || comp.Archived {
		return nil, app.Invalid("competency", "Choose a competency of the framework.")
	}
	return comp, nil
}

// CompetencyLink is a competency offered as a shortcut, with a note ("goal: level 3").
type CompetencyLink struct {
	Key, Name string
	Note      string
}
