// Package hiring answers a team's hiring questions as a service: its gaps and whether to
// develop or hire for each (with suggested hire profiles), what-if scenarios, the briefs its
// leaders share with HR, and the requisitions HR opens against the profiles. It decides who
// may see and do what, and what of the analysis each viewer is shown (through insight.Team.For,
// the disclosure rule). It talks to storage through Store and to the analytic core through
// packages insight and shape.
package hiring

import (
	"context"
	"slices"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// Store is what hiring needs from storage.
type Store interface {
	insight.Store
	// The develop-or-hire advice counts the members' open coaching goals.
	insight.GoalCounter
	app.HiringBriefStore
	app.RequisitionStore
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
	FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error)
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
}

// Service answers hiring requests on behalf of an actor, for the API and the pages alike.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a service over the store; now is the clock (time.Now outside tests).
func New(st Store, now func() time.Time) *Service {
	return &Service{store: st, now: now}
}

// View is a team's develop-or-hire answer as the caller may see it. Leaders and admins
// (Named) see who could grow into a gap and who could teach; HR partners see aggregates only:
// people counted, reasons that name nobody, no individual levels. This is the one place that
// decides what of the analysis leaves the server.
type View struct {
	Team         TeamRef        `json:"team"`
	AsOf         time.Time      `json:"as_of"`
	Named        bool           `json:"-"`
	Members      int            `json:"members"`
	TotalScore   float64        `json:"total_score"`
	Counts       map[string]int `json:"counts"`       // gap, risk, ok → number of competencies
	Competencies []Standing     `json:"competencies"` // the combined T-shape, framework order
	Items        []Item         `json:"items"`        // what to do, highest score first
	// Withheld are the competencies whose figures the viewer may not see (fewer than
	// shape.MinContributors rated): they count in none of the figures above.
	Withheld []insight.HeatmapColumn `json:"withheld_competencies"`
	// SharedBrief is the newest brief the team's leader shared with HR, if any.
	SharedBrief *app.HiringBrief `json:"shared_brief"`
	// For pages: one decision per competency that is not ok, and the suggested hires.
	Decisions []Decision `json:"-"`
	Hires     []Hire     `json:"-"`
}

// TeamRef names the team a view is of.
type TeamRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Standing is the team's standing in one competency: aggregates only.
type Standing struct {
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

// Decision says whether one competency is to be developed or hired for.
type Decision struct {
	Competency     string   `json:"competency"`
	Name           string   `json:"name"`
	Status         string   `json:"status"`
	Score          float64  `json:"score"`
	Action         string   `json:"action"`
	Reason         string   `json:"reason"`  // names people for leaders and admins
	Summary        string   `json:"summary"` // the reason with people counted, for everyone
	CandidateCount int      `json:"candidate_count"`
	TeacherCount   int      `json:"teacher_count"`
	Candidates     []Person `json:"candidates,omitempty"` // leaders and admins only
	Teachers       []Person `json:"teachers,omitempty"`   // leaders and admins only
	HireIndex      *int     `json:"hire_index"`           // the suggested hire that covers it, if any
}

// Person is a member (or a what-if candidate, whose id is negative) at a level.
type Person struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// Hire is one suggested hire: a profile that names nobody.
type Hire struct {
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
func (v View) DevelopCount() int {
	n := 0
	for _, d := range v.Decisions {
		if d.Action == shape.ActionDevelop {
			n++
		}
	}
	return n
}

// ScoreAfterHires is the gap score once every suggested hire is in the team.
func (v View) ScoreAfterHires() float64 {
	if len(v.Hires) == 0 {
		return v.TotalScore
	}
	return v.Hires[len(v.Hires)-1].ScoreAfter
}

// covers reports whether the hire brings the competency (as spike or must-have).
func (h Hire) covers(key string) bool { return h.Spike == key || slices.Contains(h.MustHaves, key) }

// Number is the hire's position for people (Hire 1, Hire 2, …).
func (h Hire) Number() int { return h.Index + 1 }

// snapshot is what a requisition keeps of the hire.
func (h Hire) snapshot() app.HireSnapshot {
	return app.HireSnapshot{Title: h.Title, Spike: h.Spike, MustHaves: slices.Clone(h.MustHaves), Brief: h.Brief, ScoreRemoved: h.ScoreRemoved}
}

// Item is one thing to do: develop one competency, or make one hire that covers several.
type Item struct {
	Competencies []string   `json:"competencies"`
	Action       string     `json:"action"`
	Gaps         []Decision `json:"gaps"`
	HireIndex    *int       `json:"hire_index,omitempty"`
	Profile      *Hire      `json:"profile,omitempty"`
	ScoreRemoved float64    `json:"score_removed,omitempty"`
}

// planHiring analyses the part of the team the viewer may see (insight.Team.For) and builds
// the view; named shows people (leaders, admins).
func planHiring(team TeamRef, asOf time.Time, view shape.Disclosure, named bool) View {
	in := view.Input
	res := shape.Analyze(in)
	plan := shape.DevelopOrHire(in)
	v := View{Team: team, AsOf: asOf, Named: named, Members: len(in.People), TotalScore: res.TotalScore,
		Counts: res.Counts, Competencies: []Standing{}, Items: []Item{}, Decisions: []Decision{}, Hires: []Hire{},
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
		v.Competencies = append(v.Competencies, Standing{
			Key: st.Key, Name: st.Name, Area: st.Area, AreaName: st.AreaName, Coverage: st.Coverage, Depth: st.Depth,
			TargetCoverage: st.Target.Coverage, TargetDepth: st.Target.Depth, Criticality: st.Target.Criticality,
			Status: st.Status, Score: st.Score,
		})
	}
	for i, h := range plan.Hires {
		hv := Hire{Index: i, Title: h.Title, Spike: h.Spike, SpikeName: names[h.Spike], SpikeLevel: h.Levels[h.Spike],
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
		dv := Decision{Competency: d.Competency, Name: names[d.Competency], Status: d.Status, Score: d.Score,
			Action: d.Action, Reason: d.Summary, Summary: d.Summary, CandidateCount: len(d.Candidates), TeacherCount: len(d.Teachers)}
		if named {
			dv.Reason = d.Reason
			for _, c := range d.Candidates {
				dv.Candidates = append(dv.Candidates, Person{ID: c.ID, Name: c.Name, Level: c.Level})
			}
			for _, id := range d.Teachers {
				dv.Teachers = append(dv.Teachers, Person{ID: id, Name: people[id], Level: shape.MaxLevel})
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
func itemsOf(decisions []Decision, hires []Hire) []Item {
	items := []Item{}
	done := map[int]bool{}
	for _, d := range decisions {
		if d.Action == shape.ActionDevelop || d.HireIndex == nil {
			items = append(items, Item{Competencies: []string{d.Competency}, Action: d.Action, Gaps: []Decision{d}})
			continue
		}
		for _, h := range hires {
			if done[h.Index] || !h.covers(d.Competency) {
				continue
			}
			done[h.Index] = true
			it := Item{Competencies: append([]string{h.Spike}, h.MustHaves...), Action: shape.ActionHire,
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

// team is a team loaded for its hiring gaps, with what the caller is to it.
type team struct {
	Access app.TeamAccess
	Ref    TeamRef
	Loaded *insight.Team
	Brief  *app.HiringBrief // the newest brief shared with HR, if any
}

// load loads the team as of now if the caller may see its hiring gaps: a team of another
// organisation or one the caller is not in is ENOTFOUND; someone in the team who is neither
// its leader nor its HR partner is EFORBIDDEN.
func (s *Service) load(ctx context.Context, a *app.Actor, teamID int64) (*team, error) {
	acc, err := s.store.TeamAccess(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	if !acc.CanSeeHiring() {
		return nil, app.ErrForbidden
	}
	t, err := s.store.FindTeamByID(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	loaded, err := insight.LoadTeam(ctx, s.store, a.OrgID, teamID, s.now())
	if err != nil {
		return nil, err
	}
	brief, err := s.store.FindLatestHiringBrief(ctx, a.OrgID, teamID)
	if err != nil {
		return nil, err
	}
	return &team{Access: acc, Ref: TeamRef{ID: t.ID, Name: t.Name}, Loaded: loaded, Brief: brief}, nil
}

// loadLead is load for what only the team's leaders and admins do (what-if, sharing a
// brief): its HR partners get EFORBIDDEN.
func (s *Service) loadLead(ctx context.Context, a *app.Actor, teamID int64) (*team, error) {
	t, err := s.load(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	if !t.Access.CanLead() {
		return nil, app.ErrForbidden
	}
	return t, nil
}

// plan is the team's hiring view today.
func (t *team) plan() View {
	named := t.Access.CanSeeIndividuals()
	v := planHiring(t.Ref, t.Loaded.AsOf, t.Loaded.For(named), named)
	v.SharedBrief = t.Brief
	return v
}

// Gaps is the team's hiring gaps today as the caller may see them. The team's leaders,
// HR partners and admins only.
func (s *Service) Gaps(ctx context.Context, a *app.Actor, teamID int64) (*View, error) {
	t, err := s.load(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	v := t.plan()
	return &v, nil
}

// Overview is the team's hiring page: its gaps, what the caller may do about them, and the
// requisitions open against them.
type Overview struct {
	View         View
	Access       app.TeamAccess
	Requisitions []app.Requisition
}

// Overview is Gaps with what the caller may do and the team's requisitions.
func (s *Service) Overview(ctx context.Context, a *app.Actor, teamID int64) (*Overview, error) {
	t, err := s.load(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	v := t.plan()
	reqs, err := s.store.FindRequisitions(ctx, a, app.RequisitionFilter{TeamID: teamID})
	if err != nil {
		return nil, err
	}
	return &Overview{View: v, Access: t.Access, Requisitions: reqs}, nil
}

// ShareBrief freezes the team's hiring gaps as they stand, without names, into a brief its
// HR partners can read: the leader's choice to share what HR may not see live (figures under
// three people). Only the team's leaders and admins may share.
func (s *Service) ShareBrief(ctx context.Context, a *app.Actor, teamID int64) (*app.HiringBrief, error) {
	t, err := s.loadLead(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	whole := planHiring(t.Ref, t.Loaded.AsOf, shape.Disclosure{Input: t.Loaded.Input}, false)
	b := &app.HiringBrief{TeamID: teamID, SharedBy: &a.UserID, SharedByName: a.Name, Brief: string(markdownOf(whole))}
	if err := s.store.ShareHiringBrief(ctx, a.OrgID, b); err != nil {
		return nil, err
	}
	return b, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
