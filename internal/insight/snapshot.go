package insight

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
)

// Snapshot is a team's shape frozen when its assessment cycle closed (package cycles takes
// it): the analytic core's input as it stood (members with their effective ratings, targets
// and thresholds in force, the framework) and the figures computed from it, so that a later
// reading never depends on later changes. The input keeps every rating, so the disclosure
// rule can be applied to it for viewers who may not see individuals.
type Snapshot struct {
	Quarter      string                 `json:"quarter"`
	TakenAt      time.Time              `json:"taken_at"`
	Input        shape.Input            `json:"input"`
	Competencies []shape.CompetencyStat `json:"competencies"`
	TotalScore   float64                `json:"total_score"`
	Counts       map[string]int         `json:"counts"`
}

// ParseSnapshot reads a closed cycle's snapshot.
func ParseSnapshot(c *app.Cycle) (*Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(c.Snapshot, &s); err != nil {
		return nil, fmt.Errorf("cycle %d: snapshot: %w", c.ID, err)
	}
	return &s, nil
}

// withSnapshots returns a copy of the points where each past quarter's end carries the
// snapshot of the team's cycle for that quarter, when the cycle had closed by asOf (a
// dashboard as of an earlier time shows what was known then).
func withSnapshots(cycles []app.Cycle, points []TrendPoint, asOf time.Time) ([]TrendPoint, error) {
	out := slices.Clone(points)
	for i := range cycles {
		c := &cycles[i]
		if c.Open() || c.ClosedAt.After(asOf) || c.Snapshot == nil {
			continue
		}
		q, err := app.ParseQuarter(c.Quarter)
		if err != nil {
			return nil, fmt.Errorf("cycle %d: %w", c.ID, err)
		}
		end := q.Next().Start().Time
		for j := range out {
			if out[j].Open || !out[j].AsOf.Equal(end) {
				continue
			}
			if out[j].snapshot, err = ParseSnapshot(c); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
