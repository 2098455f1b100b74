package shape

import (
	"reflect"
	"strings"
	"testing"
)

func TestDevelopOrHireDecisions(t *testing.T) {
	// Framework: spec, del (execution), research, analytics (insight), vision (strategy, target
	// depth 3). Defaults otherwise: B = 3, k = 2, d = 4, w = 2, MaxGoals = 3.
	// Ann and Bob have room for a goal; Cy (3 open goals) has none.
	//
	//             Ann  Bob  Cy   coverage depth  shortCov shortDep  status score
	//   spec       4    2    2      1      4        1       0       risk  2·½·(1/2)       = 0.5
	//   del        5    –    2      1      5        1       0       risk  2·½·(1/2)       = 0.5
	//   research   3    3    3      3      3        0       1       risk  2·½·(1/4)       = 0.25
	//   analytics  1    2    –      0      2        2       2       gap   2·½·(2/2 + 2/4) = 1.5
	//   vision     2    2    –      0      2        2       1 (d=3) gap   2·½·(2/2 + 1/3) = 4/3
	//
	// Gaps order: analytics 1.5, vision 4/3, spec 0.5, del 0.5 (tie: framework order), research 0.25.
	//   analytics: shortDep 2 → hire.
	//   vision:    needs 2 at B−1 = 2 with room: Ann, Bob ✓; and 1 at d−1 = 2: Ann, Bob ✓ (the
	//              same people count for both) → develop, although it is a gap.
	//   spec:      needs 1 at 2 with room: Bob ✓ (Cy is full) → develop.
	//   del:       needs 1 at 2 with room: Cy is full, Bob unassessed → hire; Ann (5) can teach.
	//   research:  needs 1 at 3 with room: Ann, Bob ✓ (Cy full) → develop. Dee at 2 is not a
	//              candidate: coverage is met, only depth falls short.
	comps := []Competency{
		{Key: spec, Name: "Specification", Area: "execution"},
		{Key: del, Name: "Delivery", Area: "execution"},
		{Key: research, Name: "Customer research", Area: "insight"},
		{Key: ana, Name: "Analytics", Area: "insight"},
		{Key: vision, Name: "Vision & roadmap", Area: "strategy"},
	}
	in := Input{
		Competencies: comps,
		Targets:      map[string]Target{vision: {Depth: 3}},
		People: []Person{
			{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 4, del: 5, research: 3, ana: 1, vision: 2}},
			{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 2, research: 3, ana: 2, vision: 2}},
			{ID: 3, Name: "Cy", OpenGoals: 3, Ratings: map[string]int{spec: 2, del: 2, research: 3}},
			{ID: 4, Name: "Dee", Ratings: map[string]int{research: 2}},
		},
	}
	plan := DevelopOrHire(in)
	ann2, bob2, bob3, ann3 := Candidate{1, "Ann", 2}, Candidate{2, "Bob", 2}, Candidate{2, "Bob", 3}, Candidate{1, "Ann", 3}
	want := []Decision{
		{Competency: ana, Status: StatusGap, Score: 1.5, Action: ActionHire,
			Reason:  "deepest is 2, target 4: too far to close by coaching",
			Summary: "deepest is 2, target 4: too far to close by coaching"},
		{Competency: vision, Status: StatusGap, Score: 4.0 / 3, Action: ActionDevelop,
			Candidates: []Candidate{ann2, bob2},
			Reason:     "Ann, Bob at 2 can grow to working level (2 needed); Ann, Bob at 2 can grow to 3 (deepest is 2)",
			Summary:    "2 members at 2 can grow to working level (2 needed); 2 members at 2 can grow to 3 (deepest is 2)"},
		{Competency: spec, Status: StatusRisk, Score: 0.5, Action: ActionDevelop,
			Candidates: []Candidate{bob2},
			Reason:     "Bob at 2 can grow to working level (1 needed)",
			Summary:    "1 member at 2 can grow to working level (1 needed)"},
		{Competency: del, Status: StatusRisk, Score: 0.5, Action: ActionHire, Teachers: []int64{1},
			Reason:  "needs 1 more at working level; members at 2 with room for another goal: none; Ann can teach",
			Summary: "needs 1 more at working level; members at 2 with room for another goal: none; 1 member can teach"},
		{Competency: research, Status: StatusRisk, Score: 0.25, Action: ActionDevelop,
			Candidates: []Candidate{ann3, bob3},
			Reason:     "Ann, Bob at 3 can grow to 4 (deepest is 3)",
			Summary:    "2 members at 3 can grow to 4 (deepest is 3)"},
	}
	if len(plan.Decisions) != len(want) {
		t.Fatalf("got %d decisions, want %d: %+v", len(plan.Decisions), len(want), plan.Decisions)
	}
	for i, got := range plan.Decisions {
		if !near(got.Score, want[i].Score) {
			t.Errorf("%s: score %v, want %v", got.Competency, got.Score, want[i].Score)
		}
		got.Score = want[i].Score
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("decision %d:\ngot  %+v\nwant %+v", i, got, want[i])
		}
	}

	// Hiring: unfixable are analytics (1.5) and del (0.5). Hire 1: spike analytics at
	// max(D, d) = 4, must-have del at 3.
	//   before: 1.5 + 4/3 + 0.5 + 0.5 + 0.25 = 49/12
	//   after:  analytics cov 1 (hire, 4), depth 4 → 2·½·(1/2) = 0.5; del cov 2 (Ann, hire),
	//           depth 5 → ok; the rest unchanged → 0.5 + 4/3 + 0.5 + 0.25 = 31/12
	//   removed 18/12 = 1.5.
	// Then analytics needs 1 at 2 with room: Bob → develop. Nothing is unfixable: one hire.
	if len(plan.Hires) != 1 {
		t.Fatalf("got %d hires, want 1: %+v", len(plan.Hires), plan.Hires)
	}
	h := plan.Hires[0]
	if h.Spike != ana || !reflect.DeepEqual(h.MustHaves, []string{del}) ||
		!reflect.DeepEqual(h.Levels, map[string]int{ana: 4, del: 3}) || h.Lead {
		t.Errorf("profile: %+v", h)
	}
	// analytics → data, delivery → technical (no quality & launch, so no platform).
	if !reflect.DeepEqual(h.Tags, []string{"data", "technical"}) || h.Title != "Data PM" {
		t.Errorf("tags %v, title %q", h.Tags, h.Title)
	}
	// Marketing and business analysis list analytics (the spike); development, QA and project
	// management list delivery. All overlap 1, so spike first, then table order.
	if want := []string{"marketing", "business_analysis", "development", "qa", "project_management"}; !reflect.DeepEqual(h.Backgrounds, want) {
		t.Errorf("backgrounds %v, want %v", h.Backgrounds, want)
	}
	if !near(h.ScoreBefore, 49.0/12) || !near(h.ScoreAfter, 31.0/12) || !near(h.ScoreRemoved, 1.5) {
		t.Errorf("scores %v → %v, removed %v", h.ScoreBefore, h.ScoreAfter, h.ScoreRemoved)
	}
}

// greedyInput is a team where coaching closes nothing: both members have no room for a goal.
//
//	           Ann  Bob  coverage depth  shortCov shortDep  score
//	spec        4    3      2      4        0       0       0    ok
//	del         3    2      1      3        1       1       2·½·(1/2 + 1/4) = 0.75 risk
//	ql          1    1      0      1        2       3       2·½·(2/2 + 3/4) = 1.75 gap
//	analytics   1    2      0      2        2       2       2·½·(2/2 + 2/4) = 1.5  gap
//	vision      4    3      2      4        0       0       0    ok
//
// total 4.0; every non-ok competency is a hire (nobody has room).
func greedyInput() Input {
	return Input{
		Competencies: []Competency{
			{Key: spec, Name: "Specification", Area: "execution"},
			{Key: del, Name: "Delivery & technical partnership", Area: "execution"},
			{Key: ql, Name: "Quality & launch", Area: "execution"},
			{Key: ana, Name: "Analytics & experimentation", Area: "insight"},
			{Key: vision, Name: "Vision & roadmap", Area: "strategy"},
		},
		People: []Person{
			{ID: 1, Name: "Ann", OpenGoals: 3, Ratings: map[string]int{spec: 4, del: 3, ql: 1, ana: 1, vision: 4}},
			{ID: 2, Name: "Bob", OpenGoals: 3, Ratings: map[string]int{spec: 3, del: 2, ql: 1, ana: 2, vision: 3}},
		},
	}
}

func TestDevelopOrHireGreedy(t *testing.T) {
	plan := DevelopOrHire(greedyInput())
	var actions []string
	for _, d := range plan.Decisions {
		actions = append(actions, d.Competency+":"+d.Action)
	}
	if want := []string{"quality_launch:hire", "analytics:hire", "delivery:hire"}; !reflect.DeepEqual(actions, want) {
		t.Errorf("decisions %v, want %v", actions, want)
	}

	// Hire 1: spike ql (1.75) at 4; must-haves analytics (1.5), del (0.75) at 3.
	//   after: del  Ann 3, Bob 2, hire 3 → cov 2, depth 3 → 2·½·(1/4)       = 0.25
	//          ql   hire 4              → cov 1, depth 4 → 2·½·(1/2)       = 0.5
	//          ana  hire 3              → cov 1, depth 3 → 2·½·(1/2 + 1/4) = 0.75
	//   total 1.5, removed 4 − 1.5 = 2.5.
	// Delivery now has the hire (no goals yet) at d−1 = 3: develop. Unfixable: analytics 0.75
	// (Bob at 2 is full), ql 0.5.
	// Hire 2: spike analytics at 4; must-have ql at 3.
	//   after: ana cov 2 (3, 4), depth 4 → ok; ql cov 2 (4, 3), depth 4 → ok; del 0.25
	//   total 0.25, removed 1.5 − 0.25 = 1.25.
	// Delivery is still growable: nothing unfixable, two hires.
	want := []HireProfile{
		{
			Spike: ql, MustHaves: []string{ana, del}, Levels: map[string]int{ql: 4, ana: 3, del: 3},
			// ql and del together → platform; analytics → data.
			Tags:  []string{"platform", "data"},
			Title: "Platform PM",
			// QA lists ql and del (overlap 2); marketing and business analysis list analytics,
			// development and project management list delivery (overlap 1, table order).
			Backgrounds: []string{"qa", "marketing", "business_analysis", "development", "project_management"},
			ScoreBefore: 4, ScoreAfter: 1.5, ScoreRemoved: 2.5,
			Brief: "Platform PM: a product manager who is proficient (4+) in Quality & launch and at least " +
				"working level (3+) in Analytics & experimentation, Delivery & technical partnership. " +
				"Specialisms that fit: platform, data. Backgrounds that often bring these strengths: QA; " +
				"marketing; business analysis / consulting; development; project management. " +
				"This hire would remove 2.50 of the team's 4.00 gap score.",
		},
		{
			Spike: ana, MustHaves: []string{ql}, Levels: map[string]int{ana: 4, ql: 3},
			// ql without delivery has no tag.
			Tags:  []string{"data"},
			Title: "Data PM",
			// Marketing and business analysis list the spike; QA lists ql.
			Backgrounds: []string{"marketing", "business_analysis", "qa"},
			ScoreBefore: 1.5, ScoreAfter: 0.25, ScoreRemoved: 1.25,
			Brief: "Data PM: a product manager who is proficient (4+) in Analytics & experimentation and at least " +
				"working level (3+) in Quality & launch. Specialisms that fit: data. Backgrounds that often bring " +
				"these strengths: marketing; business analysis / consulting; QA. " +
				"This hire would remove 1.25 of the team's 1.50 gap score.",
		},
	}
	if !reflect.DeepEqual(plan.Hires, want) {
		t.Errorf("hires:\ngot  %+v\nwant %+v", plan.Hires, want)
	}

	// The profile as a what-if candidate reproduces the simulated score.
	res := WhatIf(greedyInput(), []Person{plan.Hires[0].AsPerson(-1, "Candidate")}, nil)
	if !near(res.TotalScore, 1.5) {
		t.Errorf("what-if with hire 1: %v, want 1.5", res.TotalScore)
	}
}

func TestDevelopOrHireMaxHires(t *testing.T) {
	in := greedyInput()
	in.Settings = Settings{MaxHires: 1}
	if plan := DevelopOrHire(in); len(plan.Hires) != 1 || plan.Hires[0].Spike != ql {
		t.Errorf("hires: %+v, want only the ql hire", plan.Hires)
	}
}

func TestDevelopOrHireLeadsOnly(t *testing.T) {
	// Lea (lead) and Ann, both without room.
	//   spec:     Lea 3, Ann 3 → cov 2, depth 3 → risk 2·½·(1/4) = 0.25; nobody at 3 with room → hire
	//   coaching: only Lea counts: cov 0, depth 1, k = 1 → gap 2·½·(1/1 + 3/4) = 1.75 → hire
	// before 2.0. Hire: spike coaching at 4 (so a lead), must-have spec at 3.
	//   after: coaching cov 1, depth 4 → ok; spec cov 3, depth 3 → 0.25 → removed 1.75.
	// spec is then growable through the hire (at 3, no goals): one hire.
	in := Input{
		Competencies: []Competency{
			{Key: spec, Name: "Specification", Area: "execution"},
			{Key: coach, Name: "Empowerment & coaching", Area: "leadership", LeadsOnly: true},
		},
		People: []Person{
			{ID: 1, Name: "Lea", Lead: true, OpenGoals: 3, Ratings: map[string]int{spec: 3, coach: 1}},
			{ID: 2, Name: "Ann", OpenGoals: 3, Ratings: map[string]int{spec: 3}},
		},
	}
	plan := DevelopOrHire(in)
	if len(plan.Hires) != 1 {
		t.Fatalf("hires: %+v", plan.Hires)
	}
	h := plan.Hires[0]
	if h.Spike != coach || !h.Lead || h.Title != "Group PM" || !reflect.DeepEqual(h.Tags, []string{"technical"}) ||
		!reflect.DeepEqual(h.Backgrounds, []string{"development"}) || !near(h.ScoreRemoved, 1.75) || !near(h.ScoreAfter, 0.25) {
		t.Errorf("profile: %+v", h)
	}
	if want := "Group PM: a product manager who is proficient (4+) in Empowerment & coaching and at least working " +
		"level (3+) in Specification. This is a lead role (Group PM). Specialisms that fit: technical. Backgrounds " +
		"that often bring these strengths: development. This hire would remove 1.75 of the team's 2.00 gap score."; h.Brief != want {
		t.Errorf("brief:\n%s\nwant\n%s", h.Brief, want)
	}
}

func TestDevelopOrHireLeadsOnlyMustHave(t *testing.T) {
	// spec: Lea 1, Ann 1 → cov 0, depth 1 → gap 2·½·(2/2 + 3/4) = 1.75 → hire (shortDep 3).
	// coaching: Lea 3 → cov 1 = k, depth 3 → risk 2·½·(1/4) = 0.25; Lea is full → hire.
	// Hire: spike spec, must-have coaching — a leads-only must-have still makes it a lead role,
	// so the title is Group PM (not the spike tag's Technical PM).
	in := Input{
		Competencies: []Competency{
			{Key: spec, Area: "execution"},
			{Key: coach, Area: "leadership", LeadsOnly: true},
		},
		People: []Person{
			{ID: 1, Name: "Lea", Lead: true, OpenGoals: 3, Ratings: map[string]int{spec: 1, coach: 3}},
			{ID: 2, Name: "Ann", OpenGoals: 3, Ratings: map[string]int{spec: 1}},
		},
	}
	h := DevelopOrHire(in).Hires[0]
	if h.Spike != spec || !reflect.DeepEqual(h.MustHaves, []string{coach}) || !h.Lead || h.Title != "Group PM" {
		t.Errorf("profile: %+v", h)
	}
}

func TestDevelopOrHireSpikeAtTargetDepth(t *testing.T) {
	// Target depth 5 > D: nobody assessed → 2·½·(2/2 + 5/5) = 2. The spike is wanted at
	// max(D, d) = 5: after, cov 1, depth 5 → 2·½·(1/2) = 0.5, removed 1.5. Nobody can grow into
	// the last seat (the hire is at 5, not 2), so a second hire: cov 2 → ok, removed 0.5.
	in := Input{Competencies: []Competency{{Key: spec, Name: "Specification"}}, Targets: map[string]Target{spec: {Depth: 5}}}
	plan := DevelopOrHire(in)
	if len(plan.Hires) != 2 {
		t.Fatalf("hires: %+v", plan.Hires)
	}
	h := plan.Hires[0]
	if !reflect.DeepEqual(h.Levels, map[string]int{spec: 5}) || h.ScoreRemoved != 1.5 || plan.Hires[1].ScoreRemoved != 0.5 {
		t.Errorf("profiles: %+v", plan.Hires)
	}
	if want := "Technical PM: a product manager who is expert (5+) in Specification. Specialisms that fit: technical. " +
		"Backgrounds that often bring these strengths: development. This hire would remove 1.50 of the team's 2.00 gap score."; h.Brief != want {
		t.Errorf("brief:\n%s\nwant\n%s", h.Brief, want)
	}
}

func TestDevelopCoverageOnlyCandidates(t *testing.T) {
	// k = 3: Ann 4, Bob 3, Cy 2 → cov 2, depth 4 → shortCov 1, shortDep 0 → risk 2·½·(1/3) = 1/3.
	// Cy at B−1 = 2 is the candidate; Bob at d−1 = 3 is not, as depth is not short.
	in := Input{
		Competencies: []Competency{{Key: spec}},
		People:       trio(spec, 4, 3, 2),
		Targets:      map[string]Target{spec: {Coverage: 3}},
	}
	d := DevelopOrHire(in).Decisions[0]
	if d.Action != ActionDevelop || !near(d.Score, 1.0/3) || !reflect.DeepEqual(d.Candidates, []Candidate{{3, "Cy", 2}}) ||
		d.Reason != "Cy at 2 can grow to working level (1 needed)" {
		t.Errorf("decision: %+v", d)
	}
}

func TestDevelopOrHireStopsWhenNothingImproves(t *testing.T) {
	// Odd settings: D = 2 and a target depth of 1, so the spike is wanted at max(2, 1) = 2, below
	// B = 3. Spec has coverage 0 (Ann at 1, no room) and depth 1 ≥ 1: a hire at 2 adds neither
	// coverage nor depth, so the plan stops without suggesting it.
	in := Input{
		Competencies: []Competency{{Key: spec, Area: "execution"}},
		People:       []Person{{ID: 1, Name: "Ann", OpenGoals: 3, Ratings: map[string]int{spec: 1}}},
		Targets:      map[string]Target{spec: {Depth: 1}},
		Settings:     Settings{Depth: 2},
	}
	plan := DevelopOrHire(in)
	if len(plan.Decisions) != 1 || plan.Decisions[0].Action != ActionHire || plan.Hires != nil {
		t.Errorf("plan: %+v", plan)
	}
}

func TestDevelopOrHireEmptyTeam(t *testing.T) {
	// The default framework and nobody in the team: no lead, so 13 competencies, each a gap of
	// 2·½·(2/2 + 4/4) = 2 that nobody can grow into; total 26. All tie, so framework order decides.
	// Hire 1: spike specification at 4; must-haves capped at three: delivery, quality_launch,
	// customer_research, at 3.
	//   after: spec cov 1, depth 4 → 2·½·(1/2) = 0.5; the three must-haves cov 1, depth 3 →
	//          2·½·(1/2 + 1/4) = 0.75 each → 26 − 4·2 + 0.5 + 3·0.75 = 20.75, removed 5.25.
	// Nine gaps are left at 2 each, so the plan runs to MaxHires = 5.
	plan := DevelopOrHire(Input{Competencies: defaultFramework()})
	if len(plan.Decisions) != 13 || len(plan.Hires) != 5 {
		t.Fatalf("%d decisions, %d hires; want 13 and 5", len(plan.Decisions), len(plan.Hires))
	}
	h := plan.Hires[0]
	if h.Spike != "specification" || !reflect.DeepEqual(h.MustHaves, []string{"delivery", "quality_launch", "customer_research"}) {
		t.Errorf("spike %s, must-haves %v", h.Spike, h.MustHaves)
	}
	// specification → technical; delivery and quality_launch together → platform.
	if !reflect.DeepEqual(h.Tags, []string{"technical", "platform"}) || h.Title != "Technical PM" {
		t.Errorf("tags %v, title %q", h.Tags, h.Title)
	}
	if h.ScoreBefore != 26 || !near(h.ScoreAfter, 20.75) || !near(h.ScoreRemoved, 5.25) {
		t.Errorf("scores %v → %v, removed %v", h.ScoreBefore, h.ScoreAfter, h.ScoreRemoved)
	}
	if h2 := plan.Hires[1]; h2.Spike != "user_experience" || h2.ScoreBefore != h.ScoreAfter {
		t.Errorf("hire 2: spike %s, before %v", h2.Spike, h2.ScoreBefore)
	}
}

func TestDevelopOrHireAllOK(t *testing.T) {
	all := map[string]int{spec: 4, del: 4, research: 4, ana: 4}
	plan := DevelopOrHire(Input{Competencies: smallFramework(), People: []Person{{ID: 1, Ratings: all}, {ID: 2, Ratings: all}}})
	if plan.Decisions == nil || len(plan.Decisions) != 0 || plan.Hires != nil {
		t.Errorf("plan: %+v", plan)
	}
}

func TestDecisionSummaryCountsPeople(t *testing.T) {
	// Ann 5, Bob 5, Cy 2 (room), Dee 2 (no room) in specification: coverage 2, depth 5.
	//   k = 3: shortCov 1, Cy at B−1 with room → develop.
	//   k = 4: shortCov 2, only Cy → hire.
	// Ann and Bob can teach. Reason names them; Summary counts them and names nobody.
	people := []Person{
		{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 5}},
		{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 5}},
		{ID: 3, Name: "Cy", Ratings: map[string]int{spec: 2}},
		{ID: 4, Name: "Dee", OpenGoals: 3, Ratings: map[string]int{spec: 2}},
	}
	tests := []struct {
		coverage                int
		action, reason, summary string
	}{
		{3, ActionDevelop,
			"Cy at 2 can grow to working level (1 needed); Ann, Bob can teach",
			"1 member at 2 can grow to working level (1 needed); 2 members can teach"},
		{4, ActionHire,
			"needs 2 more at working level; members at 2 with room for another goal: Cy; Ann, Bob can teach",
			"needs 2 more at working level; members at 2 with room for another goal: 1 member; 2 members can teach"},
	}
	for _, tt := range tests {
		in := Input{Competencies: []Competency{{Key: spec}}, People: people, Targets: map[string]Target{spec: {Coverage: tt.coverage}}}
		d := DevelopOrHire(in).Decisions[0]
		if d.Action != tt.action || d.Reason != tt.reason || d.Summary != tt.summary {
			t.Errorf("k = %d: action %s\nreason  %q\nsummary %q\nwant %s\n        %q\n        %q",
				tt.coverage, d.Action, d.Reason, d.Summary, tt.action, tt.reason, tt.summary)
		}
		for _, p := range people {
			if strings.Contains(d.Summary, p.Name) {
				t.Errorf("k = %d: summary names %s: %q", tt.coverage, p.Name, d.Summary)
			}
		}
	}
}
