package coaching

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// Sources of a suggestion.
const (
	SourceTitle      = "title"      // a gap against the career ladder of the PM's title
	SourceTeam       = "team"       // a growable gap of a team, with the PM as a candidate
	SourceBackground = "background" // a usual growth area of the PM's background
)

// maxTitleGaps is how many of the largest ladder gaps are suggested.
const maxTitleGaps = 3

// Suggestion is a competency a plan could focus on, with a target one level up.
type Suggestion struct {
	Source     string `json:"source"`
	Competency string `json:"competency"`
	Name       string `json:"name"`
	Current    *int   `json:"current_level"`
	Target     int    `json:"target_level"`
	Expected   int    `json:"expected_level,omitempty"` // title: the ladder's level
	TeamID     int64  `json:"team_id,omitempty"`        // team: the team with the gap
	TeamName   string `json:"team_name,omitempty"`
	Reason     string `json:"reason"`
}

// Suggestions are what a leader may start a PM's plan from.
type Suggestions struct {
	PersonID   int64        `json:"person_id"`
	Title      string       `json:"title"`
	Background string       `json:"background"`
	Spikes     []string     `json:"spikes"` // from the PM's profile
	Items      []Suggestion `json:"items"`  // title gaps (largest first), team gaps, background areas
}

// Suggest returns suggestions for the person's plan: their largest gaps against the ladder
// of their title, the growable gaps of the teams the actor leads where the analytic core
// names them as a candidate, and the usual growth areas of their background. Targets are
// one level above the effective rating now.
func (s *Service) Suggest(ctx context.Context, a *app.Actor, personID int64) (*Suggestions, error) {
	if err := s.leadAccess(ctx, a, personID, "Person"); err != nil {
		return nil, err
	}
	person, err := s.store.FindUserByID(ctx, a.OrgID, personID)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	all, err := s.levels(ctx, a.OrgID, []int64{personID}, s.now())
	if err != nil {
		return nil, err
	}
	levels := all[personID]
	out := &Suggestions{PersonID: personID, Title: person.TitleKey(), Spikes: []string{}, Items: []Suggestion{}}

	if out.Title != "" {
		ladder, err := s.store.FindLadder(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, titleGaps(fw, ladder[out.Title], levels, out.Title)...)
	}

	team, err := s.teamGaps(ctx, a, fw, personID)
	if err != nil {
		return nil, err
	}
	out.Items = append(out.Items, team...)

	profiles, err := s.store.FindProfiles(ctx, []int64{personID})
	if err != nil {
		return nil, err
	}
	if pr := profiles[personID]; pr != nil {
		out.Background, out.Spikes = pr.BackgroundKey(), pr.Spikes
		out.Items = append(out.Items, backgroundAreas(fw, levels, out.Background)...)
	}
	return out, nil
}

// titleGaps lists the competencies in scope for the title where the effective rating is below
// the ladder's level: largest gap first, then the more important, then framework order.
// Competencies not assessed are left out (not assessed is not 0).
func titleGaps(fw *app.Framework, ladder, levels map[string]int, title string) []Suggestion {
	type gap struct {
		s         Suggestion
		size, imp int
		position  int
	}
	var gaps []gap
	for i, c := range fw.Active() {
		if c.LeadsOnly && title != app.TitleLead {
			continue
		}
		r, ok := levels[c.Key]
		want := ladder[c.Key]
		if !ok || r >= want {
			continue
		}
		gaps = append(gaps, gap{size: want - r, imp: c.Importance, position: i, s: Suggestion{
			Source: SourceTitle, Competency: c.Key, Name: c.Name, Current: &r, Target: r + 1, Expected: want,
			Reason: fmt.Sprintf("%s expects %d (%s); the effective rating is %d (%s).",
				app.OptionLabel(app.Titles, title), want, app.LevelName(want), r, app.LevelName(r)),
		}})
	}
	slices.SortStableFunc(gaps, func(a, b gap) int {
		if c := cmp.Compare(b.size, a.size); c != 0 {
			return c
		}
		if c := cmp.Compare(b.imp, a.imp); c != 0 {
			return c
		}
		return cmp.Compare(a.position, b.position)
	})
	var out []Suggestion
	for _, g := range gaps[:min(len(gaps), maxTitleGaps)] {
		out = append(out, g.s)
	}
	return out
}

// teamGaps runs develop-or-hire on each team of the person that the actor leads and keeps
// the "develop" decisions that name the person as a candidate.
func (s *Service) teamGaps(ctx context.Context, a *app.Actor, fw *app.Framework, personID int64) ([]Suggestion, error) {
	circle, err := s.store.FindCoachingCircle(ctx, personID)
	if err != nil {
		return nil, err
	}
	var out []Suggestion
	for _, t := range circle.Teams {
		acc, err := s.store.TeamAccess(ctx, a, t.ID)
		if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && !acc.CanLead()) {
			continue
		} else if err != nil {
			return nil, err
		}
		loaded, err := insight.LoadTeam(ctx, s.store, a.OrgID, t.ID, s.now())
		if err != nil {
			return nil, err
		}
		for _, d := range shape.DevelopOrHire(loaded.Input).Decisions {
			if d.Action != shape.ActionDevelop {
				continue
			}
			for _, c := range d.Candidates {
				if c.ID != personID {
					continue
				}
				level := c.Level
				out = append(out, Suggestion{Source: SourceTeam, Competency: d.Competency, Name: competencyName(fw, d.Competency),
					Current: &level, Target: level + 1, TeamID: t.ID, TeamName: t.Name,
					Reason: fmt.Sprintf("%s has a %s here that coaching can close: %s.", t.Name, d.Status, d.Reason)})
			}
		}
	}
	return out, nil
}

// backgroundAreas lists the usual growth areas of the background that are assessed and
// below expert.
func backgroundAreas(fw *app.Framework, levels map[string]int, background string) []Suggestion {
	var out []Suggestion
	for _, key := range shape.BackgroundHint(background).GrowthAreas {
		r, ok := levels[key]
		if c := fw.ByKey(key); c == nil || c.Archived || !ok || r >= app.MaxLevel {
			continue
		}
		out = append(out, Suggestion{Source: SourceBackground, Competency: key, Name: competencyName(fw, key),
			Current: &r, Target: r + 1,
			Reason: fmt.Sprintf("A usual growth area for PMs from %s.", app.OptionLabel(app.Backgrounds, background))})
	}
	return out
}

func competencyName(fw *app.Framework, key string) string {
	if c := fw.ByKey(key); c != nil {
		return c.Name
	}
	return key
}

// Pick chooses up to n distinct competencies to start a plan from: the first suggestion of
// each source, then the rest in order.
func (sg *Suggestions) Pick(n int) []Suggestion {
	var out []Suggestion
	taken := map[string]bool{}
	take := func(s Suggestion) {
		if len(out) < n && !taken[s.Competency] {
			taken[s.Competency] = true
			out = append(out, s)
		}
	}
	for _, src := range []string{SourceTitle, SourceTeam, SourceBackground} {
		for _, s := range sg.Items {
			if s.Source == src && !taken[s.Competency] {
				take(s)
				break
			}
		}
	}
	for _, s := range sg.Items {
		take(s)
	}
	return out
}
