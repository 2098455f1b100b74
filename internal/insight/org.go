package insight

import (
	"context"
	"fmt"
	"time"

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
// of them in one query each, then shape.Analyze per team in Go. individuals says whether the
// viewer may see a team's individuals (admins, its leaders); of the other teams, those too
// small to aggregate are withheld.
func LoadRollup(ctx context.Context, st RollupStore, orgID int64, teams []app.Team, asOf time.Time, individuals func(app.Team) bool) (*Rollup, error) {
	fw, err := st.FindFramework(ctx, orgID)
	if err != nil {
		return nil, err
	}
	settings, err := st.FindSettings(ctx, orgID)
	if err != nil {
		return nil, err
	}
	teamIDs := make([]int64, len(teams))
	for i, t := range teams {
		teamIDs[i] = t.ID
	}
	people, err := st.FindTeamsPeople(ctx, orgID, teamIDs)
	if err != nil {
		return nil, err
	}
	members := map[int64][]app.TeamPerson{}
	var ids []int64
	seen := map[int64]bool{}
	for _, p := range people {
		if !analysed(p.TeamPerson) {
			continue
		}
		members[p.TeamID] = append(members[p.TeamID], p.TeamPerson)
		if !seen[p.UserID] {
			seen[p.UserID] = true
			ids = append(ids, p.UserID)
		}
	}
	ratings, err := st.FindEffectiveRatings(ctx, orgID, ids, asOf)
	if err != nil {
		return nil, err
	}
	targets, err := st.FindTeamsTargets(ctx, orgID, teamIDs)
	if err != nil {
		return nil, err
	}

	r := &Rollup{AsOf: asOf, Counts: map[string]int{shape.StatusGap: 0, shape.StatusRisk: 0, shape.StatusOK: 0},
		Competencies: []CompetencyRollup{}, Teams: []TeamSummary{}}
	index := map[string]int{}
	for _, c := range fw.Active() {
		index[c.Key] = len(r.Competencies)
		r.Competencies = append(r.Competencies, CompetencyRollup{
			HeatmapColumn: HeatmapColumn{Competency: c.Key, Name: c.Name, Area: c.AreaKey, AreaName: c.AreaName},
			Teams:         map[string]int{shape.StatusGap: 0, shape.StatusRisk: 0, shape.StatusOK: 0},
		})
	}
	byUser, err := ratingsByUser(ratings)
	if err != nil {
		return nil, err
	}
	var teamRatings []app.EffectiveRating
	for _, t := range teams {
		s := TeamSummary{ID: t.ID, Name: t.Name, Members: len(members[t.ID]),
			Counts: map[string]int{}, TopGaps: []CompetencyFigure{}, Statuses: map[string]string{}, WithheldCompetencies: []string{}}
		r.Members += s.Members
		if s.Withheld = Withheld(individuals(t), s.Members); s.Withheld {
			r.Teams = append(r.Teams, s)
			continue
		}
		teamRatings = teamRatings[:0]
		for _, m := range members[t.ID] {
			teamRatings = append(teamRatings, byUser[m.UserID]...)
		}
		view := Disclosed(BuildInput(fw, members[t.ID], nil, teamRatings, targets[t.ID], settings), individuals(t))
		in, res := view.Input, shape.Analyze(view.Input)
		for _, c := range view.Withheld {
			s.WithheldCompetencies = append(s.WithheldCompetencies, c.Key)
		}
		s.Counts, s.TotalScore, s.KeyPersonRisks = res.Counts, res.TotalScore, len(res.KeyPersonRisks)
		for _, st := range res.Competencies {
			s.Statuses[st.Key] = st.Status
			r.Counts[st.Status]++
			if i, ok := index[st.Key]; ok {
				r.Competencies[i].Teams[st.Status]++
			}
		}
		for _, g := range res.Gaps() {
			if len(s.TopGaps) == TopGaps {
				break
			}
			s.TopGaps = append(s.TopGaps, competencyFigure(g, in.Settings, false, nil))
		}
		r.Teams = append(r.Teams, s)
	}
	return r, nil
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
