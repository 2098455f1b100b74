// Package sops runs a team's standard operating procedures (SOPs) as a service: who may
// read and write them, the team's board, the staffing check of each SOP against the team's
// ratings (through the disclosure rule of package insight), revisions, restores and reviews.
// API handlers and pages call the same methods and differ only in how they answer.
package sops

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
)

// Store is what the SOP service needs from storage: the SOPs themselves, the team as the
// analytic core loads it (framework, people, ratings), and the actor's access to teams.
type Store interface {
	app.SOPStore
	insight.Store
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
	FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error)
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
}

// Service answers SOP requests on behalf of an actor.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a service over the store; now is the clock (time.Now outside tests).
func New(st Store, now func() time.Time) *Service {
	return &Service{store: st, now: now}
}

// today is the service's calendar day.
func (s *Service) today() time.Time { return app.Day(s.now()) }

// find loads an SOP the actor may read (lead: may edit), its review status set as of
// today. An SOP of a team the actor is not in is ENOTFOUND; its HR partners, and its PMs
// when lead is set, get EFORBIDDEN.
func (s *Service) find(ctx context.Context, a *app.Actor, id int64, lead bool) (*app.SOP, app.TeamAccess, error) {
	sop, err := s.store.FindSOPByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, app.TeamAccess{}, err
	}
	acc, err := s.store.TeamAccess(ctx, a, sop.TeamID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, acc, app.ErrNotFound("SOP")
	} else if err != nil {
		return nil, acc, err
	}
	if !acc.CanReadSOPs() || (lead && !acc.CanLead()) {
		return nil, acc, app.ErrForbidden
	}
	sop.SetReviewStatus(s.today())
	return sop, acc, nil
}

// leadTeam is EFORBIDDEN unless the actor leads the team (or is an admin); a team the
// actor is not in is ENOTFOUND.
func (s *Service) leadTeam(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error) {
	acc, err := s.store.TeamAccess(ctx, a, teamID)
	if err != nil {
		return acc, err
	}
	if !acc.CanLead() {
		return acc, app.ErrForbidden
	}
	return acc, nil
}

// SOP returns an SOP the actor may read, with its staffing check as the actor may see it.
func (s *Service) SOP(ctx context.Context, a *app.Actor, id int64) (Doc, error) {
	doc, _, err := s.doc(ctx, a, id)
	return doc, err
}

// Detail is an SOP with its revisions and the reader's access: what its page shows.
type Detail struct {
	Doc       Doc
	Access    app.TeamAccess
	Revisions []app.SOPRevision // newest first, each with the fields it changed
}

// Detail returns an SOP the actor may read with its staffing check and its revisions.
func (s *Service) Detail(ctx context.Context, a *app.Actor, id int64) (*Detail, error) {
	doc, acc, err := s.doc(ctx, a, id)
	if err != nil {
		return nil, err
	}
	revs, err := s.history(ctx, doc.ID)
	if err != nil {
		return nil, err
	}
	return &Detail{Doc: doc, Access: acc, Revisions: revs}, nil
}

// doc is find with the staffing check.
func (s *Service) doc(ctx context.Context, a *app.Actor, id int64) (Doc, app.TeamAccess, error) {
	sop, acc, err := s.find(ctx, a, id, false)
	if err != nil {
		return Doc{}, acc, err
	}
	docs := []Doc{{SOP: sop}}
	if err := s.staff(ctx, a, acc, sop.TeamID, docs); err != nil {
		return Doc{}, acc, err
	}
	return docs[0], acc, nil
}
