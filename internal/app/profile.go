package app

import (
	"context"
	"time"
)

// Profile is what a PM keeps current about themself.
type Profile struct {
	UserID        int64      `db:"user_id" json:"user_id"`
	Background    *string    `db:"background" json:"background"`
	RoleStartedOn *time.Time `db:"role_started_on" json:"role_started_on"`
	Specialisms   []string   `db:"-" json:"specialisms"`
	Spikes        []string   `db:"-" json:"spikes"`
	UpdatedAt     time.Time  `db:"updated_at" json:"updated_at"`
}

// BackgroundKey returns the background key or "".
func (p *Profile) BackgroundKey() string {
	if p == nil {
		return ""
	}
	return deref(p.Background)
}

// TeamTarget is a team's target for one competency.
type TeamTarget struct {
	Competency  string `db:"competency" json:"competency"`
	Coverage    int    `db:"coverage" json:"coverage"`
	Depth       int    `db:"depth" json:"depth"`
	Criticality int    `db:"criticality" json:"criticality"`
}

// Settings are an organisation's analytic thresholds and rules.
type Settings struct {
	Breadth         int  `db:"breadth" json:"breadth"`
	Depth           int  `db:"depth" json:"depth"`
	RequireEvidence bool `db:"require_evidence" json:"require_evidence"`
}

// ProfileStore keeps profiles, team targets and organisation settings.
type ProfileStore interface {
	// FindProfiles returns the profiles of the users that have one, by user id.
	FindProfiles(ctx context.Context, userIDs []int64) (map[int64]*Profile, error)
	// UpsertProfile stores a profile.
	UpsertProfile(ctx context.Context, p *Profile) error
	// FindTeamTargets returns the team's explicit targets by competency key.
	FindTeamTargets(ctx context.Context, teamID int64) (map[string]TeamTarget, error)
	// SetTeamTargets replaces the team's targets in one transaction; unknown keys fail it.
	SetTeamTargets(ctx context.Context, orgID, teamID int64, targets []TeamTarget) error
	FindSettings(ctx context.Context, orgID int64) (*Settings, error)
}
