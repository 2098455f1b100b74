package insight

import (
	"context"
	"fmt"
	"hash/maphash"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
)

// RollupStore is what a rollup of many teams needs: a fixed number of queries, whatever the
// number of teams and people.
type RollupStore interface {
	FindFramework(ctx context.Context, orgID int64) (*app.Framework, error)
	FindSettings(ctx context.Context, orgID int64) (*app.Settings, error)
	FindTeamsPeople(ctx context.Context, orgID int64, teamIDs []int64) ([]app.TeamMembership, error)
	FindTeamsTargets(ctx context.Context, orgID int64, teamIDs []int64) (map[int64]map[string]app.TeamTarget, error)
	FindEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOf time.Time) ([]app.EffectiveRating, error)
	// FindTeamRatingVersions returns each team's rating version (moved by every write to its
	// people's ratings) and whether effective ratings as of asOf are the current ones, the
	// only ones a version stands for.
	FindTeamRatingVersions(ctx context.Context, orgID int64, teamIDs []int64, asOf time.Time) (map[int64]int64, bool, error)
}

// TeamSummary is one team's shape in a rollup: aggregate only, names nobody.
type TeamSummary struct {
	ID             int64              `json:"id"`
	Name           string             `json:"name"`
	Members        int                `json:"members"`
	Counts         map[string]int     `json:"counts"`
	TotalScore     float64            `json:"total_score"`
	KeyPersonRisks int                `json:"key_person_risks"`
	TopGaps        []CompetencyFigure `json:"top_gaps"`
	// Statuses holds each competency's status in the team's scope, by key; a leads-only
	// competency of a team without a lead is absent.
	Statuses map[string]string `json:"statuses"`
	// WithheldCompetencies are the keys of the competencies whose figures this viewer may not
	// see (fewer than shape.MinContributors rated; see Team.For); they count in no total.
	WithheldCompetencies []string `json:"withheld_competencies"`
	// Withheld: the rollup is for a viewer who may not see individuals and the team has
	// fewer than MinAggregate PMs; only its name and member count are given, and it counts
	// in no total.
	Withheld bool `json:"withheld"`
}

// StatusOf returns the team's status in the competency, "" when it is out of the team's scope.
func (t TeamSummary) StatusOf(key string) string { return t.Statuses[key] }

// CompetencyRollup counts the teams per status in one competency.
type CompetencyRollup struct {
	HeatmapColumn
	Teams map[string]int `json:"teams"` // status → number of teams
}

// Rollup is the shape of several teams (an organisation, or an HR partner's teams).
type Rollup struct {
	AsOf         time.Time          `json:"as_of"`
	Members      int                `json:"members"`
	Counts       map[string]int     `json:"counts"` // status → team-competency pairs
	Competencies []CompetencyRollup `json:"competencies"`
	Teams        []TeamSummary      `json:"teams"`
}

// TopGaps is how many gaps a team summary lists.
const TopGaps = 3

// LoadRollup analyses the teams as of asOf: the members and targets of all of them in one
// query each, loaded at once, then the effective ratings of the members of every team to
// analyse in one more, and shape.Analyze per team in Go on every CPU. individuals says
// whether the viewer may see a team's individuals (admins, its leaders); of the other
// teams, those too small to aggregate are withheld.
//
// kept, if not nil, keeps the summaries: a team whose inputs are those of a summary kept is
// neither read nor analysed again.
func LoadRollup(ctx context.Context, st RollupStore, orgID int64, teams []app.Team, asOf time.Time,
	individuals func(app.Team) bool, kept *Summaries) (*Rollup, error) {
	teamIDs := make([]int64, len(teams))
	for i, t := range teams {
		teamIDs[i] = t.ID
	}
	var (
		fw       *app.Framework
		settings *app.Settings
		targets  map[int64]map[string]app.TeamTarget
		members  = map[int64][]app.TeamPerson{}
		versions map[int64]int64
		current  bool
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { fw, err = st.FindFramework(gctx, orgID); return err })
	g.Go(func() (err error) { settings, err = st.FindSettings(gctx, orgID); return err })
	g.Go(func() (err error) { targets, err = st.FindTeamsTargets(gctx, orgID, teamIDs); return err })
	if kept != nil {
		g.Go(func() (err error) {
			versions, current, err = st.FindTeamRatingVersions(gctx, orgID, teamIDs, asOf)
			return err
		})
	}
	g.Go(func() error {
		people, err := st.FindTeamsPeople(gctx, orgID, teamIDs)
		for _, p := range people {
			if analysed(p.TeamPerson) {
				members[p.TeamID] = append(members[p.TeamID], p.TeamPerson)
			}
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}

	// The summaries kept whose inputs are unchanged (read after the versions: a rating
	// written meanwhile only makes the ratings newer than the version they are kept under).
	summaries := make([]TeamSummary, len(teams))
	shown := make([]bool, len(teams))
	keys := make([]summaryKey, len(teams))
	var stale []int // the teams to analyse
	common := kept.common(fw, settings)
	for i, t := range teams {
		shown[i] = individuals(t)
		keys[i] = kept.key(common, t, shown[i], members[t.ID], targets[t.ID], versions[t.ID])
		var ok bool
		if summaries[i], ok = kept.get(keys[i], current); !ok {
			stale = append(stale, i)
		}
	}
	var memberIDs []int64 // the stale teams' members: only theirs are analysed
	for _, i := range stale {
		for _, m := range members[teams[i].ID] {
			memberIDs = append(memberIDs, m.UserID)
		}
	}
	ratings, err := st.FindEffectiveRatings(ctx, orgID, memberIDs, asOf)
	if err != nil {
		return nil, err
	}
	byUser, err := ratingsByUser(ratings)
	if err != nil {
		return nil, err
	}

	// Each stale team's summary, computed in parallel: a pure function of what was loaded.
	workers := min(runtime.GOMAXPROCS(0), len(stale))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var teamRatings []app.EffectiveRating
			for j := w; j < len(stale); j += workers {
				i := stale[j]
				t := teams[i]
				summaries[i], teamRatings = summarise(t, shown[i], fw, settings, members[t.ID], byUser, targets[t.ID], teamRatings[:0])
				if current {
					kept.add(keys[i], summaries[i])
				}
			}
		}()
	}
	wg.Wait()

	r := &Rollup{AsOf: asOf, Counts: map[string]int{shape.StatusGap: 0, shape.StatusRisk: 0, shape.StatusOK: 0},
		Competencies: []CompetencyRollup{}, Teams: summaries}
	index := map[string]int{}
	for _, c := range fw.Active() {
		index[c.Key] = len(r.Competencies)
		r.Competencies = append(r.Competencies, CompetencyRollup{
			HeatmapColumn: HeatmapColumn{Competency: c.Key, Name: c.Name, Area: c.AreaKey, AreaName: c.AreaName},
			Teams:         map[string]int{shape.StatusGap: 0, shape.StatusRisk: 0, shape.StatusOK: 0},
		})
	}
	for _, s := range summaries {
		r.Members += s.Members
		for key, status := range s.Statuses {
			r.Counts[status]++
			if i, ok := index[key]; ok {
				r.Competencies[i].Teams[status]++
			}
		}
	}
	return r, nil
}

// summarise is one team's summary in a rollup; buf is scratch space for the team's
// ratings, returned for reuse.
func summarise(t app.Team, individuals bool, fw *app.Framework, settings *app.Settings, members []app.TeamPerson,
	byUser map[int64][]app.EffectiveRating, targets map[string]app.TeamTarget, buf []app.EffectiveRating) (TeamSummary, []app.EffectiveRating) {
	s := TeamSummary{ID: t.ID, Name: t.Name, Members: len(members),
		Counts: map[string]int{}, TopGaps: []CompetencyFigure{}, Statuses: map[string]string{}, WithheldCompetencies: []string{}}
	if s.Withheld = Withheld(individuals, s.Members); s.Withheld {
		return s, buf
	}
	for _, m := range members {
		buf = append(buf, byUser[m.UserID]...)
	}
	view := Disclosed(BuildInput(fw, members, nil, buf, targets, settings), individuals)
	in, res := view.Input, shape.Analyze(view.Input)
	for _, c := range view.Withheld {
		s.WithheldCompetencies = append(s.WithheldCompetencies, c.Key)
	}
	s.Counts, s.TotalScore, s.KeyPersonRisks = res.Counts, res.TotalScore, len(res.KeyPersonRisks)
	for _, st := range res.Competencies {
		s.Statuses[st.Key] = st.Status
	}
	for _, g := range res.Gaps() {
		if len(s.TopGaps) == TopGaps {
			break
		}
		s.TopGaps = append(s.TopGaps, competencyFigure(g, in.Settings, false, nil))
	}
	return s, buf
}

// ratingsByUser slices ratings, which the store returns by user, into each user's run.
func ratingsByUser(ratings []app.EffectiveRating) (map[int64][]app.EffectiveRating, error) {
	out := map[int64][]app.EffectiveRating{}
	for i := 0; i < len(ratings); {
		j, id := i, ratings[i].UserID
		for j < len(ratings) && ratings[j].UserID == id {
			j++
		}
		if _, seen := out[id]; seen {
			return nil, fmt.Errorf("insight: effective ratings are not ordered by user")
		}
		out[id] = ratings[i:j:j]
		i = j
	}
	return out, nil
}

// Summaries keeps team summaries by what a summary is computed from: the team, its
// members, its targets, the framework, the thresholds, whether the viewer may see
// individuals (hashed), and the team's rating version, which every write to its people's
// ratings moves (migrations/00030). A rollup after a write reads the ratings of, and
// analyses, only the teams the write changed. A nil *Summaries keeps nothing.
type Summaries struct {
	kept *lru.Cache[summaryKey, TeamSummary]
}

// NewSummaries keeps up to size team summaries (a few kilobytes each).
func NewSummaries(size int) *Summaries {
	c, err := lru.New[summaryKey, TeamSummary](size)
	if err != nil {
		panic(err) // only for a size < 1
	}
	return &Summaries{kept: c}
}

// summaryKey is a team, its rating version, and two hashes, under different seeds, of the
// summary's other inputs.
type summaryKey struct {
	team, ratings int64
	inputs        [2]uint64
}

// summarySeeds seed the inputs' hashes (per process, as the summaries kept are).
var summarySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// inputs hashes a summary's inputs under both seeds.
type inputs [2]maphash.Hash

func newInputs() *inputs {
	var h inputs
	for i := range h {
		h[i].SetSeed(summarySeeds[i])
	}
	return &h
}

func (h *inputs) int(n int64) {
	for i := range h {
		maphash.WriteComparable(&h[i], n)
	}
}

func (h *inputs) str(s string) {
	for i := range h {
		h[i].WriteString(s)
		h[i].WriteByte(0)
	}
}

func (h *inputs) sum() [2]uint64 { return [2]uint64{h[0].Sum64(), h[1].Sum64()} }

func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// common hashes what every team's summary is computed from: the framework (as the analysis
// reads it) and the thresholds.
func (k *Summaries) common(fw *app.Framework, settings *app.Settings) [2]uint64 {
	if k == nil {
		return [2]uint64{}
	}
	h := newInputs()
	for _, c := range fw.Competencies {
		sc := Competency(c)
		h.str(sc.Key)
		h.str(sc.Name)
		h.str(sc.Area)
		h.str(sc.AreaName)
		h.int(flag(sc.LeadsOnly)<<1 | flag(sc.Archived))
		h.int(int64(sc.Importance))
	}
	if settings != nil {
		h.int(int64(settings.Breadth))
		h.int(int64(settings.Depth))
	} else {
		h.int(-1)
	}
	return h.sum()
}

// key is the key of a team's summary (zero when nothing is kept).
func (k *Summaries) key(common [2]uint64, t app.Team, individuals bool, members []app.TeamPerson,
	targets map[string]app.TeamTarget, ratings int64) summaryKey {
	if k == nil {
		return summaryKey{}
	}
	h := newInputs()
	h.int(int64(common[0]))
	h.int(int64(common[1]))
	h.str(t.Name)
	h.int(flag(individuals))
	for _, m := range members {
		h.int(m.UserID)
		if m.Title != nil {
			h.str(*m.Title)
		} else {
			h.int(-1)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(targets)) {
		tt := targets[key]
		h.str(key)
		h.int(int64(tt.Coverage)<<32 | int64(tt.Depth)<<16 | int64(tt.Criticality))
	}
	return summaryKey{team: t.ID, ratings: ratings, inputs: h.sum()}
}

// get returns the summary kept under key, if the ratings are the current ones (a version
// stands only for those).
func (k *Summaries) get(key summaryKey, current bool) (TeamSummary, bool) {
	if k == nil || !current {
		return TeamSummary{}, false
	}
	return k.kept.Get(key)
}

// add keeps a summary (a nil k keeps nothing).
func (k *Summaries) add(key summaryKey, s TeamSummary) {
	if k != nil {
		k.kept.Add(key, s)
	}
}
