// Package audit reads the audit log for the people who may: an admin reads the whole
// organisation's log; a leader reads the log of a team they lead (an admin too). A team the
// actor cannot see is ENOTFOUND; one they are in but do not lead is EFORBIDDEN. The log is
// written by each write's own transaction, in internal/postgres.
package audit

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
)

// Store is what audit needs from storage.
type Store interface {
	app.AuditStore
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
	FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error)
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
	FindUsers(ctx context.Context, orgID int64) ([]app.User, error)
}

// Service answers audit-log requests on behalf of an actor.
type Service struct {
	store Store
}

// New returns a service over the store.
func New(st Store) *Service { return &Service{store: st} }

// Page is one page of entries, newest first, and the cursor of the next (older) page.
type Page struct {
	Entries      []app.AuditEntry `json:"entries"`
	NextBeforeID *int64           `json:"next_before_id"`
}

// scope checks the actor may read the log of team teamID (0: the organisation's) and
// returns the team, if any.
func (s *Service) scope(ctx context.Context, a *app.Actor, teamID int64) (*app.Team, error) {
	if teamID == 0 {
		return nil, app.RequireAdmin(a)
	}
	if err := app.RequireLead(ctx, s.store, a, teamID); err != nil {
		return nil, err
	}
	return s.store.FindTeamByID(ctx, a, teamID)
}

// Find returns a page of the log of team teamID (0: the whole organisation, whose
// filter may still name a team) matching the filter, in the actor's organisation.
func (s *Service) Find(ctx context.Context, a *app.Actor, teamID int64, f app.AuditFilter) (*Page, error) {
	if _, err := s.scope(ctx, a, teamID); err != nil {
		return nil, err
	}
	f.OrgID = a.OrgID
	if teamID != 0 {
		f.TeamID = teamID
	}
	entries, err := s.store.FindAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	p := &Page{Entries: entries}
	if len(entries) == f.Limit {
		last := entries[len(entries)-1].ID
		p.NextBeforeID = &last
	}
	return p, nil
}

// Choices is what the log page's filters offer: for a team's log the team, for the
// organisation's everyone and every team.
type Choices struct {
	Team  *app.Team
	Users []app.User
	Teams []app.Team
}

// Choices returns the filter choices of the log of team teamID (0: the organisation's).
func (s *Service) Choices(ctx context.Context, a *app.Actor, teamID int64) (*Choices, error) {
	t, err := s.scope(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	ch := &Choices{Team: t}
	if t != nil {
		return ch, nil
	}
	if ch.Users, err = s.store.FindUsers(ctx, a.OrgID); err != nil {
		return nil, err
	}
	if ch.Teams, err = s.store.FindTeams(ctx, a); err != nil {
		return nil, err
	}
	return ch, nil
}
