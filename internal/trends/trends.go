// Package trends answers how a team's shape moved quarter by quarter, honestly: with the
// members and targets in force at each quarter's end, from the team's first rating on, the
// open quarter marked, and the disclosure rule applied for viewers who may not see
// individuals. The computation is insight.Trend; this is the service that checks access.
package trends

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
)

// DefaultQuarters and MaxQuarters bound how many quarters a trend covers (the open one
// included).
const (
	DefaultQuarters = 6
	MaxQuarters     = 20
)

// Store is what the service needs.
type Store interface {
	insight.DashboardStore
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
}

// Service computes teams' trends.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns the service; now is the clock (the open quarter ends at now).
func New(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Query asks for a team's trend over the last Quarters quarters (0: DefaultQuarters).
type Query struct {
	TeamID   int64
	Quarters int
}

// Trend is a team's trend: per point (quarter ends, then now) the total and the figures
// per competency, and the same figures per competency as series over the points.
type Trend struct {
	TeamID      int64                      `json:"team_id"`
	Individuals bool                       `json:"individuals"`
	Points      []insight.TrendPoint       `json:"points"`
	Series      []insight.CompetencySeries `json:"competencies"`
}

// Team returns the team's trend as the actor may see it: ENOTFOUND for a team not theirs.
func (s *Service) Team(ctx context.Context, a *app.Actor, q Query) (*Trend, error) {
	if q.Quarters == 0 {
		q.Quarters = DefaultQuarters
	}
	if q.Quarters < 1 || q.Quarters > MaxQuarters {
		return nil, app.Invalid("quarters", "quarters must be between 1 and %d.", MaxQuarters)
	}
	acc, err := s.store.TeamAccess(ctx, a, q.TeamID)
	if err != nil {
		return nil, err
	}
	d, err := insight.LoadDashboard(ctx, s.store, a.OrgID, q.TeamID, s.now(), insight.QuarterPoints(s.now(), q.Quarters))
	if err != nil {
		return nil, err
	}
	ind := acc.CanSeeIndividuals()
	pts := d.Trend(ind)
	return &Trend{TeamID: q.TeamID, Individuals: ind, Points: pts, Series: insight.SeriesOf(d.Columns(), pts)}, nil
}
