package app

import (
	"context"
	"sort"
	"time"
)

// MemberSpan is a period in which a person held a team role: [From, To), To nil while it
// lasts. The person's name, title and active flag are today's.
type MemberSpan struct {
	TeamPerson
	From time.Time  `db:"valid_from"`
	To   *time.Time `db:"valid_to"`
}

// TargetSpan is a period in which a team's target for a competency held its values.
type TargetSpan struct {
	TeamTarget
	From time.Time  `db:"valid_from"`
	To   *time.Time `db:"valid_to"`
}

// TeamHistory is a team's membership and targets over time (migration 00025).
type TeamHistory struct {
	Members []MemberSpan
	Targets []TargetSpan
}

// inForce reports whether a period counts as of t: it began before t and had not ended
// before t, as ratings made before t count.
func inForce(from time.Time, to *time.Time, t time.Time) bool {
	return from.Before(t) && (to == nil || !to.Before(t))
}

// PeopleAt lists the people who held a team role as of t, in name order.
func (h TeamHistory) PeopleAt(t time.Time) []TeamPerson {
	var out []TeamPerson
	for _, s := range h.Members {
		if inForce(s.From, s.To, t) {
			out = append(out, s.TeamPerson)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].UserID < out[j].UserID
	})
	return out
}

// TargetsAt is the team's explicit targets as of t, by competency key.
func (h TeamHistory) TargetsAt(t time.Time) map[string]TeamTarget {
	out := map[string]TeamTarget{}
	for _, s := range h.Targets {
		if inForce(s.From, s.To, t) {
			out[s.Competency] = s.TeamTarget
		}
	}
	return out
}

// TeamHistoryStore reads a team's history.
type TeamHistoryStore interface {
	FindTeamHistory(ctx context.Context, teamID int64) (*TeamHistory, error)
	// BackdateTeamHistory moves the start of the team's current memberships and targets
	// that began after since back to since. Only the demo seed uses it: its ratings history
	// is older than the seed run that adds the people.
	BackdateTeamHistory(ctx context.Context, teamID int64, since time.Time) error
}
