package calibration

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// Store is what the service needs.
type Store interface {
	FindFramework(ctx context.Context, orgID int64) (*app.Framework, error)
	FindUsers(ctx context.Context, orgID int64) ([]app.User, error)
	FindLatestRatingsByRater(ctx context.Context, orgID int64) ([]app.RaterRating, error)
	FindEffectiveRatingsSeries(ctx context.Context, orgID int64, userIDs []int64, asOfs []time.Time) (map[time.Time][]app.EffectiveRating, error)
}

// Service builds the calibration report.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns the service; now is the clock ("this quarter" is the quarter now falls in).
func New(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Calibration is the report with the quarter its movers cover.
type Calibration struct {
	Since time.Time `json:"since"` // the quarter's start: movers compare with it
	Report
}

// Org returns the organisation's calibration. It names every leader and person, so only
// admins may have it.
func (s *Service) Org(ctx context.Context, a *app.Actor) (*Calibration, error) {
	if a.Role != app.RoleAdmin {
		return nil, app.ErrForbidden
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	users, err := s.store.FindUsers(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	ratings, err := s.store.FindLatestRatingsByRater(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	since := app.QuarterOf(now).Start().Time
	in := Input{Ratings: ratings, Names: map[int64]string{},
		Before: map[int64]map[string]int{}, After: map[int64]map[string]int{}}
	for _, c := range fw.Competencies {
		if !c.Archived {
			in.Competencies = append(in.Competencies, c)
		}
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i], in.Names[u.ID] = u.ID, u.Name
	}
	series, err := s.store.FindEffectiveRatingsSeries(ctx, a.OrgID, ids, []time.Time{since, now})
	if err != nil {
		return nil, err
	}
	for at, m := range map[time.Time]map[int64]map[string]int{since: in.Before, now: in.After} {
		for _, r := range series[at] {
			if m[r.UserID] == nil {
				m[r.UserID] = map[string]int{}
			}
			m[r.UserID][r.Competency] = r.Level
		}
	}
	return &Calibration{Since: since, Report: Compute(in)}, nil
}
