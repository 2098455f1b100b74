// Package insight loads a team from storage into the analytic core (package shape):
// the one place that turns people, profiles, effective ratings and targets into a
// shape.Input. Dashboards, hiring gaps, SOP staffing and coaching suggestions all use it.
package insight

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
)

// Store is what loading a team needs.
type Store interface {
	FindFramework(ctx context.Context, orgID int64) (*app.Framework, error)
	FindTeamPeople(ctx context.Context, teamID int64) ([]app.TeamPerson, error)
	FindProfiles(ctx context.Context, userIDs []int64) (map[int64]*app.Profile, error)
	FindEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOf time.Time) ([]app.EffectiveRating, error)
	FindTeamTargets(ctx context.Context, teamID int64) (map[string]app.TeamTarget, error)
	FindSettings(ctx context.Context, orgID int64) (*app.Settings, error)
}

// GoalCounter is optional for a Store: when it has it, LoadTeam fills each member's
// OpenGoals with their coaching goals in the plan for the quarter of asOf.
type GoalCounter interface {
	CountOpenGoals(ctx context.Context, userIDs []int64, asOf time.Time) (map[int64]int, error)
}

// Team is a team loaded for analysis.
type Team struct {
	Framework *app.Framework
	Members   []app.TeamPerson // team role member, active, in name order
	Ratings   []app.EffectiveRating
	// RatedAt is when each member's effective rating was made, by user id and competency key.
	RatedAt map[int64]map[string]time.Time
	Input   shape.Input
	AsOf    time.Time
}

// LoadTeam loads the team's members (not its leaders or HR partners) with their effective
// ratings as of asOf, the team's targets and the organisation's thresholds.
func LoadTeam(ctx context.Context, st Store, orgID, teamID int64, asOf time.Time) (*Team, error) {
	return loadTeam(ctx, st, orgID, teamID, asOf, func(ids []int64) ([]app.EffectiveRating, error) {
		return st.FindEffectiveRatings(ctx, orgID, ids, asOf)
	})
}

// loadTeam is LoadTeam with the members' effective ratings as of asOf loaded by ratings.
// The framework, targets and settings load while the team's people do; what depends on the
// members (their profiles, ratings and goals) starts as soon as the people are in, beside
// the rest: two round trips' time instead of seven, and after a target is saved its
// reading overlaps the ratings'.
func loadTeam(ctx context.Context, st Store, orgID, teamID int64, asOf time.Time,
	ratings func(memberIDs []int64) ([]app.EffectiveRating, error)) (*Team, error) {
	var (
		fw       *app.Framework
		targets  map[string]app.TeamTarget
		settings *app.Settings
		profiles map[int64]*app.Profile
		open     map[int64]int
	)
	parts, pctx := errgroup.WithContext(ctx)
	parts.Go(func() (err error) { fw, err = st.FindFramework(pctx, orgID); return err })
	parts.Go(func() (err error) { targets, err = st.FindTeamTargets(pctx, teamID); return err })
	parts.Go(func() (err error) { settings, err = st.FindSettings(pctx, orgID); return err })
	t := &Team{AsOf: asOf, RatedAt: map[int64]map[string]time.Time{}}
	parts.Go(func() error {
		all, err := st.FindTeamPeople(pctx, teamID)
		if err != nil {
			return err
		}
		var ids []int64
		for _, p := range all {
			if analysed(p) {
				t.Members = append(t.Members, p)
				ids = append(ids, p.UserID)
			}
		}
		parts.Go(func() (err error) { profiles, err = st.FindProfiles(pctx, ids); return err })
		parts.Go(func() (err error) { t.Ratings, err = ratings(ids); return err })
		if gc, ok := st.(GoalCounter); ok {
			parts.Go(func() (err error) { open, err = gc.CountOpenGoals(pctx, ids, asOf); return err })
		}
		return nil
	})
	if err := parts.Wait(); err != nil {
		return nil, err
	}
	t.Framework = fw
	t.Input = BuildInput(fw, t.Members, profiles, t.Ratings, targets, settings)
	for i := range t.Input.People {
		t.Input.People[i].OpenGoals = open[t.Input.People[i].ID]
	}
	for _, r := range t.Ratings {
		if t.RatedAt[r.UserID] == nil {
			t.RatedAt[r.UserID] = map[string]time.Time{}
		}
		t.RatedAt[r.UserID][r.Competency] = r.RatedAt
	}
	return t, nil
}

// For is the part of the team a viewer may be shown figures of. Viewers who may see
// individuals (the team's leaders, admins) get the whole team; every other viewer gets
// what shape.Disclose leaves: the competencies at least shape.MinContributors people are
// rated in, with the others listed as withheld. Every aggregate view of a team (dashboard,
// trend, hiring gaps, SOP staffing, rollups) goes through here.
func (t *Team) For(individuals bool) shape.Disclosure { return Disclosed(t.Input, individuals) }

// Disclosed applies the disclosure rule to in unless the viewer may see individuals.
func Disclosed(in shape.Input, individuals bool) shape.Disclosure {
	if individuals {
		return shape.Disclosure{Input: in}
	}
	return shape.Disclose(in)
}

// analysed reports whether the person counts towards the team's shape: an active member
// (not a leader or HR partner).
func analysed(p app.TeamPerson) bool { return p.TeamRole == app.TeamMember && p.Active }

// BuildInput assembles the analytic input from loaded parts.
func BuildInput(fw *app.Framework, members []app.TeamPerson, profiles map[int64]*app.Profile,
	ratings []app.EffectiveRating, targets map[string]app.TeamTarget, settings *app.Settings) shape.Input {
	in := shape.Input{Settings: shape.DefaultSettings(), Targets: map[string]shape.Target{}}
	if settings != nil {
		in.Settings.Breadth, in.Settings.Depth = settings.Breadth, settings.Depth
	}
	for _, c := range fw.Competencies {
		in.Competencies = append(in.Competencies, Competency(c))
	}
	byUser := make(map[int64]map[string]int, len(members))
	for i, r := range ratings {
		if byUser[r.UserID] == nil {
			// Sized for the run of the user's ratings (the store returns them by user): a
			// rollup builds thousands of these maps, and growing each costs more than filling it.
			n := 1
			for n < len(ratings)-i && ratings[i+n].UserID == r.UserID {
				n++
			}
			byUser[r.UserID] = make(map[string]int, n)
		}
		byUser[r.UserID][r.Competency] = r.Level
	}
	for _, m := range members {
		p := shape.Person{ID: m.UserID, Name: m.Name, Lead: m.Title != nil && *m.Title == app.TitleLead, Ratings: byUser[m.UserID]}
		if p.Ratings == nil {
			p.Ratings = map[string]int{}
		}
		if pr := profiles[m.UserID]; pr != nil {
			p.Background, p.Tags = pr.BackgroundKey(), pr.Specialisms
		}
		in.People = append(in.People, p)
	}
	for k, t := range targets {
		in.Targets[k] = shape.Target{Coverage: t.Coverage, Depth: t.Depth, Criticality: t.Criticality}
	}
	return in
}

// Competency converts a framework competency for the analytic core.
func Competency(c app.Competency) shape.Competency {
	return shape.Competency{Key: c.Key, Name: c.Name, Area: c.AreaKey, AreaName: c.AreaName,
		LeadsOnly: c.LeadsOnly, Archived: c.Archived, Importance: c.Importance}
}

// PersonShape analyses one person alone with the analytic core: breadth, spikes and
// shape of their effective ratings (profile may be nil). The profile page and the
// career portfolio both call it, so a person's shape is computed one way.
func PersonShape(fw *app.Framework, u *app.User, profile *app.Profile, eff []app.EffectiveRating, settings *app.Settings) shape.PersonShape {
	member := app.TeamPerson{UserID: u.ID, Name: u.Name, Title: u.Title, TeamRole: app.TeamMember}
	profiles := map[int64]*app.Profile{}
	if profile != nil {
		profiles[u.ID] = profile
	}
	return shape.Analyze(BuildInput(fw, []app.TeamPerson{member}, profiles, eff, nil, settings)).People[0]
}
