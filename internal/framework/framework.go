// Package framework runs the organisation's competency framework and career ladder as a
// service: anyone signed in reads them; only an admin adds or changes areas and
// competencies, deletes an unrated competency, or sets the ladder's expected levels. Every
// input is validated by its own Validate (internal/app) before it reaches storage.
package framework

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
)

// Store is what framework needs from storage.
type Store interface {
	FindFramework(ctx context.Context, orgID int64) (*app.Framework, error)
	FindLadder(ctx context.Context, orgID int64) (app.Ladder, error)
	CountRatingsByCompetency(ctx context.Context, orgID int64) (map[string]int, error)
	CreateArea(ctx context.Context, orgID int64, n app.NewArea) (*app.Area, error)
	UpdateArea(ctx context.Context, orgID int64, key string, upd app.AreaUpdate) (*app.Area, error)
	CreateCompetency(ctx context.Context, orgID int64, n app.NewCompetency) (*app.Competency, error)
	UpdateCompetency(ctx context.Context, orgID int64, key string, upd app.CompetencyUpdate) (*app.Competency, error)
	DeleteCompetency(ctx context.Context, orgID int64, key string) error
	SetLadderLevels(ctx context.Context, orgID int64, levels []app.LadderLevel) error
}

// Service answers framework and ladder requests on behalf of an actor.
type Service struct {
	store Store
}

// New returns a service over the store.
func New(st Store) *Service { return &Service{store: st} }

// View is the framework as the API answers it: areas with their competencies, the rating
// scale, the titles and the ladder.
type View struct {
	Areas  []app.Area       `json:"areas"`
	Scale  []app.ScaleLevel `json:"scale"`
	Titles []app.Option     `json:"titles"`
	Ladder app.Ladder       `json:"ladder"`
}

// Get returns the organisation's framework and ladder.
func (s *Service) Get(ctx context.Context, a *app.Actor) (*View, error) {
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	ladder, err := s.store.FindLadder(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	return &View{Areas: fw.Areas, Scale: app.Scale, Titles: app.Titles, Ladder: ladder}, nil
}

// Editor is what the admin's framework editor shows: the framework, how many ratings each
// competency has (a rated one is archived, not deleted) and the ladder.
type Editor struct {
	Framework *app.Framework
	Rated     map[string]int
	Ladder    app.Ladder
}

// Editor returns the admin's framework editor's data.
func (s *Service) Editor(ctx context.Context, a *app.Actor) (*Editor, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	e := &Editor{}
	var err error
	if e.Framework, err = s.store.FindFramework(ctx, a.OrgID); err != nil {
		return nil, err
	}
	if e.Rated, err = s.store.CountRatingsByCompetency(ctx, a.OrgID); err != nil {
		return nil, err
	}
	if e.Ladder, err = s.store.FindLadder(ctx, a.OrgID); err != nil {
		return nil, err
	}
	return e, nil
}

// CreateArea adds an area at the end.
func (s *Service) CreateArea(ctx context.Context, a *app.Actor, in app.NewArea) (*app.Area, error) {
	if err := validAdmin(a, &in); err != nil {
		return nil, err
	}
	return s.store.CreateArea(ctx, a.OrgID, in)
}

// UpdateArea renames or moves an area.
func (s *Service) UpdateArea(ctx context.Context, a *app.Actor, key string, upd app.AreaUpdate) (*app.Area, error) {
	if err := validAdmin(a, &upd); err != nil {
		return nil, err
	}
	return s.store.UpdateArea(ctx, a.OrgID, key, upd)
}

// CreateCompetency adds a competency, with the default expected level for every title.
func (s *Service) CreateCompetency(ctx context.Context, a *app.Actor, in app.NewCompetency) (*app.Competency, error) {
	if err := validAdmin(a, &in); err != nil {
		return nil, err
	}
	return s.store.CreateCompetency(ctx, a.OrgID, in)
}

// UpdateCompetency changes or archives a competency.
func (s *Service) UpdateCompetency(ctx context.Context, a *app.Actor, key string, upd app.CompetencyUpdate) (*app.Competency, error) {
	if err := validAdmin(a, &upd); err != nil {
		return nil, err
	}
	return s.store.UpdateCompetency(ctx, a.OrgID, key, upd)
}

// DeleteCompetency deletes a competency nobody has rated (storage refuses a rated one).
func (s *Service) DeleteCompetency(ctx context.Context, a *app.Actor, key string) error {
	if err := app.RequireAdmin(a); err != nil {
		return err
	}
	return s.store.DeleteCompetency(ctx, a.OrgID, key)
}

// SetLadder validates and stores ladder cells, all or nothing, and returns the ladder.
func (s *Service) SetLadder(ctx context.Context, a *app.Actor, levels []app.LadderLevel) (app.Ladder, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	if err := app.ValidateLadder(fw, levels); err != nil {
		return nil, err
	}
	if err := s.store.SetLadderLevels(ctx, a.OrgID, levels); err != nil {
		return nil, err
	}
	return s.store.FindLadder(ctx, a.OrgID)
}

func validAdmin(a *app.Actor, in interface{ Validate() error }) error {
	if err := app.RequireAdmin(a); err != nil {
		return err
	}
	return in.Validate()
}
