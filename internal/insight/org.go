package insight

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

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
	FindTeamsEffectiveRatings(ctx context.Context, orgID int64, teamIDs []int64, asOf time.Time) ([]app.EffectiveRating, error)
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

// LoadRollup analyses the teams as of asOf: members, effective ratings and targets of all
// of them in one query each, loaded at once, then shape.Analyze per team in Go on every CPU.
// individuals says whether the viewer may see a team's individuals (admins, its leaders);
// of the other teams, those too small to aggregate are withheld.
func LoadRollup(ctx context.Context, st RollupStore, orgID int64, teams []app.Team, asOf time.Time, individuals func(app.Team) bool) (*Rollup, error) {
	teamIDs := make([]int64, len(teams))
	for i, t := range teams {
		teamIDs[i] = t.ID
	}
	var (
		fw       *app.Framework
		settings *app.Settings
		targets  map[int64]map[string]app.TeamTarget
		members  = map[int64][]app.TeamPerson{}
		ratings  []app.EffectiveRating
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { fw, err = st.FindFramework(gctx, orgID); return err })
	g.Go(func() (err error) { settings, err = st.FindSettings(gctx, orgID); return err })
	g.Go(func() (err error) { targets, err = st.FindTeamsTargets(gctx, orgID, teamIDs); return err })
	g.Go(func() (err error) {
		ratings, err = st.FindTeamsEffectiveRatings(gctx, orgID, teamIDs, asOf)
		return err
	})
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
	byUser, err := ratingsByUser(ratings)
	if err != nil {
		return nil, err
	}

	// Each team's summary, computed in parallel: a pure function of what was loaded.
	summaries := make([]TeamSummary, len(teams))
	shown := make([]bool, len(teams))
	for i, t := range teams {
		shown[i] = individuals(t)
	}
	workers := min(runtime.GOMAXPROCS(0), len(teams))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var teamRatings []app.EffectiveRating
			for i := w; i < len(teams); i += workers {
				summaries[i], teamRatings = summarise(teams[i], shown[i], fw, settings, members[teams[i].ID], byUser, targets[teams[i].ID], teamRatings[:0])
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
