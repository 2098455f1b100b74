// Package readcache keeps in memory what an organisation's views are built from other than
// ratings — its framework and settings, teams, their people, targets, history and cycles,
// profiles, coaching goals, and what each viewer is to each team — between changes to it.
// A rating saved changes none of it, so the first view after it reads only ratings again.
//
// Each read names the tables its statements read (a kind), and entries are keyed by a
// structure number that changes with every change to one of them (sessioncache.Cache.
// Structure: PostgreSQL announces the table of each change on commit, migrations/00032):
// saving a team's targets drops the targets and the team's history, not its people or the
// framework. While that number is unknown — the instance is not listening, or has not
// caught up since reconnecting — every read goes to the store.
//
// Give it only to read-only views: a request that writes and then reads what it wrote
// through it could read the state before its own write (the announcement arrives after
// the commit). Values are shared between requests: slices and maps are copied on the way
// out; what pointers point at (the framework, settings, a team's history) must not be
// modified.
package readcache

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/teamshape/teamshape/internal/app"
)

// Size is how many reads are kept: a few per team and per viewer of each team.
const Size = 8192

// Store is a store whose reads of the structure are answered from memory.
type Store struct {
	app.Store
	structure func(tables ...string) (uint64, bool)
	memo      *lru.Cache[key, any]
	// loading shares one load of a key between the callers that miss it at once: after a
	// change to the structure, one team page asks for the viewer's access to the team three
	// times and for the framework and the team's people twice, all at once.
	loading singleflight.Group
}

type key struct {
	structure uint64
	what      *kind
	a, b, c   int64
	s         string
}

// kind is a kind of read and the tables its statements read (internal/postgres): a change
// to any of them, and only such a change, moves its structure number. Every table here
// must announce its changes (a bump_data_version trigger: TestReadTablesAnnounceChanges).
type kind struct {
	name   string
	tables []string
}

var (
	framework    = &kind{"framework", []string{"competency_areas", "competencies"}}
	settings     = &kind{"settings", []string{"org_settings"}}
	team         = &kind{"team", []string{"teams", "team_members"}}
	access       = &kind{"access", []string{"teams", "team_members"}}
	people       = &kind{"people", []string{"team_members", "users"}}
	targets      = &kind{"targets", []string{"team_targets", "competencies"}}
	history      = &kind{"history", []string{"team_member_history", "team_target_history", "users", "competencies"}}
	cycles       = &kind{"cycles", []string{"cycles", "teams"}}
	profiles     = &kind{"profiles", []string{"profiles"}}
	goals        = &kind{"goals", []string{"coaching_plans", "coaching_goals"}}
	teamsPeople  = &kind{"teams-people", []string{"team_members", "teams", "users"}}
	teamsTargets = &kind{"teams-targets", []string{"team_targets", "teams", "competencies"}}
	teams        = &kind{"teams", []string{"teams", "team_members"}}
	kinds        = []*kind{framework, settings, team, access, people, targets, history, cycles, profiles, goals,
		teamsPeople, teamsTargets, teams}
)

// Tables lists every table a read depends on, sorted.
func Tables() []string {
	var out []string
	for _, k := range kinds {
		out = append(out, k.tables...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// New returns st with its structure reads kept in memory under structure's number of the
// tables each reads.
func New(st app.Store, structure func(tables ...string) (uint64, bool)) *Store {
	memo, err := lru.New[key, any](Size)
	if err != nil {
		panic(err) // only for a size < 1
	}
	return &Store{Store: st, structure: structure, memo: memo}
}

// read answers k from memory, else loads it and keeps it (errors are not kept); out copies
// a value on its way out.
func read[T any](s *Store, k key, load func() (T, error), out func(T) T) (T, error) {
	n, ok := s.structure(k.what.tables...)
	if !ok {
		return load()
	}
	k.structure = n
	if v, hit := s.memo.Get(k); hit {
		return out(v.(T)), nil
	}
	v, err, _ := s.loading.Do(fmt.Sprintf("%d %s %d %d %d %s", k.structure, k.what.name, k.a, k.b, k.c, k.s), func() (any, error) {
		v, err := load()
		if err == nil {
			s.memo.Add(k, v)
		}
		return v, err
	})
	if err != nil {
		// Another caller's load, ended by its context (its request ended): load our own.
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return load()
		}
		var zero T
		return zero, err
	}
	return out(v.(T)), nil
}

func shared[T any](v T) T { return v }

// ids is a list of ids as a key.
func ids(list []int64) string {
	var b strings.Builder
	for _, id := range list {
		b.WriteString(strconv.FormatInt(id, 36))
		b.WriteByte(',')
	}
	return b.String()
}

func (s *Store) FindFramework(ctx context.Context, orgID int64) (*app.Framework, error) {
	return read(s, key{what: framework, a: orgID}, func() (*app.Framework, error) { return s.Store.FindFramework(ctx, orgID) }, shared)
}

func (s *Store) FindSettings(ctx context.Context, orgID int64) (*app.Settings, error) {
	return read(s, key{what: settings, a: orgID}, func() (*app.Settings, error) { return s.Store.FindSettings(ctx, orgID) }, shared)
}

func (s *Store) FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error) {
	return read(s, key{what: team, a: a.OrgID, b: a.UserID, c: id},
		func() (*app.Team, error) { return s.Store.FindTeamByID(ctx, a, id) },
		func(t *app.Team) *app.Team { c := *t; return &c })
}

func (s *Store) TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error) {
	return read(s, key{what: access, a: a.OrgID, b: a.UserID, c: teamID, s: a.Role},
		func() (app.TeamAccess, error) { return s.Store.TeamAccess(ctx, a, teamID) }, shared)
}

func (s *Store) FindTeamPeople(ctx context.Context, teamID int64) ([]app.TeamPerson, error) {
	return read(s, key{what: people, a: teamID}, func() ([]app.TeamPerson, error) { return s.Store.FindTeamPeople(ctx, teamID) }, slices.Clone)
}

func (s *Store) FindTeamTargets(ctx context.Context, teamID int64) (map[string]app.TeamTarget, error) {
	return read(s, key{what: targets, a: teamID}, func() (map[string]app.TeamTarget, error) { return s.Store.FindTeamTargets(ctx, teamID) }, maps.Clone)
}

func (s *Store) FindTeamHistory(ctx context.Context, teamID int64) (*app.TeamHistory, error) {
	return read(s, key{what: history, a: teamID}, func() (*app.TeamHistory, error) { return s.Store.FindTeamHistory(ctx, teamID) }, shared)
}

func (s *Store) FindTeamCycles(ctx context.Context, orgID, teamID int64) ([]app.Cycle, error) {
	return read(s, key{what: cycles, a: orgID, b: teamID}, func() ([]app.Cycle, error) { return s.Store.FindTeamCycles(ctx, orgID, teamID) }, slices.Clone)
}

func (s *Store) FindProfiles(ctx context.Context, userIDs []int64) (map[int64]*app.Profile, error) {
	return read(s, key{what: profiles, s: ids(userIDs)}, func() (map[int64]*app.Profile, error) { return s.Store.FindProfiles(ctx, userIDs) }, maps.Clone)
}

// CountOpenGoals counts the goals of the plans for asOf's quarter (the store's rule): kept
// by quarter.
func (s *Store) CountOpenGoals(ctx context.Context, userIDs []int64, asOf time.Time) (map[int64]int, error) {
	return read(s, key{what: goals, s: app.QuarterOf(asOf).String() + ":" + ids(userIDs)},
		func() (map[int64]int, error) { return s.Store.CountOpenGoals(ctx, userIDs, asOf) }, maps.Clone)
}

func (s *Store) FindTeamsPeople(ctx context.Context, orgID int64, teamIDs []int64) ([]app.TeamMembership, error) {
	return read(s, key{what: teamsPeople, a: orgID, s: ids(teamIDs)},
		func() ([]app.TeamMembership, error) { return s.Store.FindTeamsPeople(ctx, orgID, teamIDs) }, slices.Clone)
}

// FindTeamsTargets: the map of each team's targets is shared (read only), the outer map copied.
func (s *Store) FindTeamsTargets(ctx context.Context, orgID int64, teamIDs []int64) (map[int64]map[string]app.TeamTarget, error) {
	return read(s, key{what: teamsTargets, a: orgID, s: ids(teamIDs)},
		func() (map[int64]map[string]app.TeamTarget, error) {
			return s.Store.FindTeamsTargets(ctx, orgID, teamIDs)
		}, maps.Clone)
}

func (s *Store) FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error) {
	return read(s, key{what: teams, a: a.OrgID, b: a.UserID, s: a.Role},
		func() ([]app.Team, error) { return s.Store.FindTeams(ctx, a) }, slices.Clone)
}
