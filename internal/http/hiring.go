package http

import (
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// hiringView is a team's develop-or-hire answer as the caller may see it. Leaders and admins
// (Named) see who could grow into a gap and who could teach; HR partners see aggregates only:
// people counted, reasons that name nobody, no individual levels. This is the one place that
// decides what of the analysis leaves the server.
type hiringView struct {
	Team         hiringTeamRef  `json:"team"`
	AsOf         time.Time      `json:"as_of"`
	Named        bool           `json:"-"`
	Members      int            `json:"members"`
	TotalScore   float64        `json:"total_score"`
	Counts       map[string]int `json:"counts"`       // gap, risk, ok → number of competencies
	Competencies []standingView `json:"competencies"` // the combined T-shape, framework order
	Items        []gapItem      `json:"items"`        // what to do, highest score first
	// Withheld are the competencies whose figures the viewer may not see (fewer than
	// shape.MinContributors rated): they count in none of the figures above.
	Withheld []insight.HeatmapColumn `json:"withheld_competencies"`
	// SharedBrief is the newest brief the team's leader shared with HR, if any.
	SharedBrief *app.HiringBrief `json:"shared_brief"`
	// For pages: one decision per competency that is not ok, and the suggested hires.
	Decisions []decisionView `json:"-"`
	Hires     []hireView     `json:"-"`
}

type hiringTeamRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// standingView is the team's standing in one competency: aggregates only.
type standingView struct {
	Key            string  `json:"key"`
	Name           string  `json:"name"`
	Area           string  `json:"area"`
	AreaName       string  `json:"area_name"`
	Coverage       int     `json:"coverage"`
	Depth          int     `json:"depth"`
	TargetCoverage int     `json:"target_coverage"`
	TargetDepth    int     `json:"target_depth"`
	Criticality    int     `json:"criticality"`
	Status         string  `json:"status"`
	Score          float64 `json:"score"`
}

// decisionView says whether one competency is to be developed or hired for.
type decisionView struct {
	Competency     string         `json:"competency"`
	Name           string         `json:"name"`
	Status         string         `json:"status"`
	Score          float64        `json:"score"`
	Action         string         `json:"action"`
	Reason         string         `json:"reason"`  // names people for leaders and admins
	Summary        string         `json:"summary"` // the reason with people counted, for everyone
	CandidateCount int            `json:"candidate_count"`
	TeacherCount   int            `json:"teacher_count"`
	Candidates     []hiringPerson `json:"candidates,omitempty"` // leaders and admins only
	Teachers       []hiringPerson `json:"teachers,omitempty"`   // leaders and admins only
	HireIndex      *int           `json:"hire_index"`           // the suggested hire that covers it, if any
}

// hiringPerson is a member (or a what-if candidate, whose id is negative) at a level.
type hiringPerson struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// hireView is one suggested hire: a profile that names nobody.
type hireView struct {
	Index         int            `json:"hire_index"` // 0 is the first hire
	Title         string         `json:"title"`
	Spike         string         `json:"spike"`
	SpikeName     string         `json:"spike_name"`
	SpikeLevel    int            `json:"spike_level"`
	MustHaves     []string       `json:"must_haves"`
	MustHaveNames []string       `json:"must_have_names"`
	MustHaveLevel int            `json:"must_have_level"`
	Levels        map[string]int `json:"levels"`
	Lead          bool           `json:"lead"`
	Tags          []string       `json:"tags"`
	Backgrounds   []string       `json:"backgrounds"`
	ScoreBefore   float64        `json:"score_before"`
	ScoreAfter    float64        `json:"score_after"`
	ScoreRemoved  float64        `json:"score_removed"`
	Brief         string         `json:"brief"`
	profile       shape.HireProfile
}

// DevelopCount is how many gaps coaching can close.
func (v hiringView) DevelopCount() int {
	n := 0
	for _, d := range v.Decisions {
		if d.Action == shape.ActionDevelop {
			n++
		}
	}
	return n
}

// ScoreAfterHires is the gap score once every suggested hire is in the team.
func (v hiringView) ScoreAfterHires() float64 {
	if len(v.Hires) == 0 {
		return v.TotalScore
	}
	return v.Hires[len(v.Hires)-1].ScoreAfter
}

// covers reports whether the hire brings the competency (as spike or must-have).
func (h hireView) covers(key string) bool { return h.Spike == key || slices.Contains(h.MustHaves, key) }

// Number is the hire's position for people (Hire 1, Hire 2, …).
func (h hireView) Number() int { return h.Index + 1 }

// Snapshot is what a requisition keeps of the hire.
func (h hireView) Snapshot() app.HireSnapshot {
	return app.HireSnapshot{Title: h.Title, Spike: h.Spike, MustHaves: slices.Clone(h.MustHaves), Brief: h.Brief, ScoreRemoved: h.ScoreRemoved}
}

// gapItem is one thing to do: develop one competency, or make one hire that covers several.
type gapItem struct {
	Competencies []string       `json:"competencies"`
	Action       string         `json:"action"`
	Gaps         []decisionView `json:"gaps"`
	HireIndex    *int           `json:"hire_index,omitempty"`
	Profile      *hireView      `json:"profile,omitempty"`
	ScoreRemoved float64        `json:"score_removed,omitempty"`
}

// planHiring analyses the part of the team the viewer may see (insight.Team.For) and builds
// the view; named shows people (leaders, admins).
func planHiring(team hiringTeamRef, asOf time.Time, view shape.Disclosure, named bool) hiringView {
	in := view.Input
	res := shape.Analyze(in)
	plan := shape.DevelopOrHire(in)
	v := hiringView{Team: team, AsOf: asOf, Named: named, Members: len(in.People), TotalScore: res.TotalScore,
		Counts: res.Counts, Competencies: []standingView{}, Items: []gapItem{}, Decisions: []decisionView{}, Hires: []hireView{},
		Withheld: []insight.HeatmapColumn{}}
	for _, c := range view.Withheld {
		v.Withheld = append(v.Withheld, insight.Column(c))
	}
	names := map[string]string{}
	for _, c := range in.Competencies {
		names[c.Key] = c.Name
	}
	people := map[int64]string{}
	for _, p := range in.People {
		people[p.ID] = p.Name
	}
	for _, st := range res.Competencies {
		v.Competencies = append(v.Competencies, standingView{
			Key: st.Key, Name: st.Name, Area: st.Area, AreaName: st.AreaName, Coverage: st.Coverage, Depth: st.Depth,
			TargetCoverage: st.Target.Coverage, TargetDepth: st.Target.Depth, Criticality: st.Target.Criticality,
			Status: st.Status, Score: st.Score,
		})
	}
	for i, h := range plan.Hires {
		hv := hireView{Index: i, Title: h.Title, Spike: h.Spike, SpikeName: names[h.Spike], SpikeLevel: h.Levels[h.Spike],
			MustHaves: nonNil(h.MustHaves), Levels: h.Levels, Lead: h.Lead, Tags: nonNil(h.Tags),
			Backgrounds: nonNil(h.Backgrounds), ScoreBefore: h.ScoreBefore, ScoreAfter: h.ScoreAfter,
			ScoreRemoved: h.ScoreRemoved, Brief: h.Brief, MustHaveNames: []string{}, profile: h}
		for _, k := range h.MustHaves {
			hv.MustHaveNames = append(hv.MustHaveNames, names[k])
			hv.MustHaveLevel = h.Levels[k]
		}
		v.Hires = append(v.Hires, hv)
	}
	for _, d := range plan.Decisions {
		dv := decisionView{Competency: d.Competency, Name: names[d.Competency], Status: d.Status, Score: d.Score,
			Action: d.Action, Reason: d.Summary, Summary: d.Summary, CandidateCount: len(d.Candidates), TeacherCount: len(d.Teachers)}
		if named {
			dv.Reason = d.Reason
			for _, c := range d.Candidates {
				dv.Candidates = append(dv.Candidates, hiringPerson{ID: c.ID, Name: c.Name, Level: c.Level})
			}
			for _, id := range d.Teachers {
				dv.Teachers = append(dv.Teachers, hiringPerson{ID: id, Name: people[id], Level: shape.MaxLevel})
			}
		}
		if d.Action == shape.ActionHire {
			for _, h := range v.Hires {
				if h.covers(d.Competency) {
					dv.HireIndex = &h.Index
					break
				}
			}
		}
		v.Decisions = append(v.Decisions, dv)
	}
	v.Items = itemsOf(v.Decisions, v.Hires)
	return v
}

// itemsOf groups decisions into things to do, in decision order: each competency to develop is
// an item; each suggested hire is one item, placed at its first gap, with every gap it covers (a
// later hire may cover a gap again, e.g. the second seat of a competency); a gap to hire for
// that no suggested hire covers (the plan stopped) is an item without a profile.
func itemsOf(decisions []decisionView, hires []hireView) []gapItem {
	items := []gapItem{}
	done := map[int]bool{}
	for _, d := range decisions {
		if d.Action == shape.ActionDevelop || d.HireIndex == nil {
			items = append(items, gapItem{Competencies: []string{d.Competency}, Action: d.Action, Gaps: []decisionView{d}})
			continue
		}
		for _, h := range hires {
			if done[h.Index] || !h.covers(d.Competency) {
				continue
			}
			done[h.Index] = true
			it := gapItem{Competencies: append([]string{h.Spike}, h.MustHaves...), Action: shape.ActionHire,
				HireIndex: &h.Index, Profile: &h, ScoreRemoved: h.ScoreRemoved}
			for _, g := range decisions {
				if g.Action == shape.ActionHire && h.covers(g.Competency) {
					it.Gaps = append(it.Gaps, g)
				}
			}
			items = append(items, it)
		}
	}
	return items
}

// tshape draws the team's combined T-shape.
func (v hiringView) tshape() (chart.Option, error) {
	var d chart.TShapeData
	for _, c := range v.Competencies {
		d.Competencies = append(d.Competencies, c.Name)
		d.Depth = append(d.Depth, c.Depth)
		d.TargetDepth = append(d.TargetDepth, c.TargetDepth)
		d.Coverage = append(d.Coverage, c.Coverage)
		d.TargetCoverage = append(d.TargetCoverage, c.TargetCoverage)
		d.Status = append(d.Status, c.Status)
	}
	return chart.TShape(d)
}

// hiringTeam is a team loaded for its hiring gaps, with what the caller is to it.
type hiringTeam struct {
	Access app.TeamAccess
	Ref    hiringTeamRef
	Loaded *insight.Team
	Brief  *app.HiringBrief // the newest brief shared with HR, if any
}

// loadHiringTeam loads the team as of now if the caller may see its hiring gaps: a team of
// another organisation or one the caller is not in is 404; someone in the team who is neither
// its leader nor its HR partner is 403.
func (s *Server) loadHiringTeam(c *fiber.Ctx, teamID int64) (*hiringTeam, error) {
	a := actor(c)
	acc, err := s.store.TeamAccess(c.UserContext(), a, teamID)
	if err != nil {
		return nil, err
	}
	if !acc.CanSeeHiring() {
		return nil, app.ErrForbidden
	}
	t, err := s.store.FindTeamByID(c.UserContext(), a, teamID)
	if err != nil {
		return nil, err
	}
	loaded, err := insight.LoadTeam(c.UserContext(), s.store, a.OrgID, teamID, s.now())
	if err != nil {
		return nil, err
	}
	brief, err := s.store.FindLatestHiringBrief(c.UserContext(), a.OrgID, teamID)
	if err != nil {
		return nil, err
	}
	return &hiringTeam{Access: acc, Ref: hiringTeamRef{ID: t.ID, Name: t.Name}, Loaded: loaded, Brief: brief}, nil
}

// shareHiringBrief freezes the team's hiring gaps as they stand, without names, into a
// brief its HR partners can read: the leader's choice to share what HR may not see live
// (figures under three people). Only the team's leaders and admins may share.
func (s *Server) shareHiringBrief(c *fiber.Ctx, teamID int64) (*app.HiringBrief, error) {
	t, err := s.loadHiringTeam(c, teamID)
	if err != nil {
		return nil, err
	}
	if !t.Access.CanLead() {
		return nil, app.ErrForbidden
	}
	a := actor(c)
	whole := planHiring(t.Ref, t.Loaded.AsOf, shape.Disclosure{Input: t.Loaded.Input}, false)
	b := &app.HiringBrief{TeamID: teamID, SharedBy: &a.UserID, SharedByName: a.Name, Brief: string(hiringMarkdown(whole))}
	if err := s.store.ShareHiringBrief(c.UserContext(), a.OrgID, b); err != nil {
		return nil, err
	}
	return b, nil
}

// plan is the team's hiring view today.
func (t *hiringTeam) plan() hiringView {
	named := t.Access.CanSeeIndividuals()
	v := planHiring(t.Ref, t.Loaded.AsOf, t.Loaded.For(named), named)
	v.SharedBrief = t.Brief
	return v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
