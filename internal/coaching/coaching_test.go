package coaching

import (
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

func TestQuarter(t *testing.T) {
	for _, tc := range []struct{ in, start, end, next, prev string }{
		{"2026-Q4", "2026-10-01", "2026-12-31", "2027-Q1", "2026-Q3"},
		{"2024-Q1", "2024-01-01", "2024-03-31", "2024-Q2", "2023-Q4"},
		{"2025-Q2", "2025-04-01", "2025-06-30", "2025-Q3", "2025-Q1"},
	} {
		q, err := app.ParseQuarter(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if q.String() != tc.in || q.Start().String() != tc.start || q.End().String() != tc.end ||
			q.Next().String() != tc.next || q.Prev().String() != tc.prev {
			t.Errorf("%s: %s..%s next %s prev %s", tc.in, q.Start(), q.End(), q.Next(), q.Prev())
		}
		if !q.Contains(q.Start()) || !q.Contains(q.End()) || q.Contains(q.Next().Start()) || q.Contains(app.Date{Time: q.Start().AddDate(0, 0, -1)}) {
			t.Errorf("%s: Contains is wrong at the edges", tc.in)
		}
	}
	for _, bad := range []string{"", "2026-Q0", "2026-Q5", "2026Q4", "26-Q4", "2026-q4", "2026-Q44", " 2026-Q4", "1999-Q1"} {
		if _, err := app.ParseQuarter(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestMoveInto(t *testing.T) {
	q, _ := app.ParseQuarter("2027-Q1")
	for in, want := range map[string]string{
		"2026-10-15": "2027-01-15",
		"2026-11-30": "2027-03-02", // Feb 30th rolls over, still in the quarter
		"2026-12-31": "2027-03-31",
		"2026-08-31": "2027-01-01", // an overdue date from an older quarter is kept inside
		"2027-03-20": "2027-03-31",
	} {
		d, _ := app.ParseDate(in)
		if got := moveInto(d, q); got != want {
			t.Errorf("moveInto(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestCarryInput(t *testing.T) {
	lvl := func(n int) *int { return &n }
	due, _ := app.ParseDate("2026-11-15")
	old := &app.CoachingPlan{PersonID: 1, Quarter: "2026-Q4", Spikes: []string{"management"}, Goals: []app.CoachingGoal{
		{Competency: "delivery", TargetLevel: 3, LevelNow: lvl(3), Due: due}, // reached: dropped
		{Competency: "analytics", TargetLevel: 4, LevelNow: lvl(3), Due: due, // not reached: kept
			Actions: []app.CoachingAction{
				{Kind: app.ActionExperience, Description: "done", OwnerID: 1, Due: due, Status: app.ActionDone},
				{Kind: app.ActionRelationships, Description: "left the team", OwnerID: 9, Due: due, Status: app.ActionDoing},
				{Kind: app.ActionEducation, Description: "still here", OwnerID: 2, Due: due, Status: app.ActionTodo},
			}},
		{Competency: "market_domain", TargetLevel: 2, Due: due}, // not assessed: kept
	}}
	circle := &app.CoachingCircle{People: []app.TeamPerson{{UserID: 1}, {UserID: 2}}}
	in := carryInput(old, app.Quarter{Year: 2027, Q: 1}, circle)
	if in.Quarter != "2027-Q1" || len(in.Goals) != 2 || in.Goals[0].Competency != "analytics" || in.Goals[1].Competency != "market_domain" {
		t.Fatalf("carried: %+v", in)
	}
	acts := in.Goals[0].Actions
	if len(acts) != 2 || acts[0].OwnerID != 1 || acts[0].Status != app.ActionDoing || acts[1].OwnerID != 2 || acts[0].Due != "2027-02-15" {
		t.Fatalf("carried actions: %+v", acts)
	}
}

// rules for a PM rated delivery 2, in a circle of people 1 (the PM), 2 and 3.
func testRules() planRules {
	fw := &app.Framework{}
	for _, a := range app.DefaultFramework {
		for _, c := range a.Competencies {
			fw.Competencies = append(fw.Competencies, app.Competency{Key: c.Key, Name: c.Name, Importance: c.Importance, LeadsOnly: a.LeadsOnly})
		}
	}
	return planRules{
		person:    &app.User{ID: 1, OrgID: 7, Name: "Pat"},
		framework: fw,
		levels:    map[string]int{"delivery": 2},
		circle:    &app.CoachingCircle{People: []app.TeamPerson{{UserID: 1, Name: "Pat"}, {UserID: 2, Name: "Lee"}, {UserID: 3}}},
	}
}

func TestBuildPlanKeepsBaselineOfKeptGoals(t *testing.T) {
	r := testRules()
	in := PlanInput{Quarter: "2026-Q4", Spikes: []string{"management"}, Goals: []GoalInput{
		{Competency: "delivery", TargetLevel: 3, Due: "2026-12-01", Actions: []ActionInput{
			{Kind: "education", Description: " Read ", OwnerID: 2, Due: "2026-10-02", ResourceURL: "https://example.com/a"}}},
		{Competency: "analytics", TargetLevel: 2, Due: "2026-12-01"},
	}}
	p, err := buildPlan(in, r)
	if err != nil {
		t.Fatal(err)
	}
	if *p.Goals[0].CurrentLevel != 2 || p.Goals[1].CurrentLevel != nil || p.Goals[0].Actions[0].Status != app.ActionTodo ||
		p.Goals[0].Actions[0].Description != "Read" || p.Goals[0].Actions[0].OwnerName != "Lee" || p.OrgID != 7 {
		t.Fatalf("plan: %+v", p)
	}
	// Editing later, after delivery was rated 3: the goal still starts from 2, so target 3 stays valid.
	r.levels["delivery"] = 3
	two := 2
	r.baseline = map[string]*int{"delivery": &two}
	r.quarter = app.Quarter{Year: 2026, Q: 4}
	in.Quarter = ""
	if p, err = buildPlan(in, r); err != nil || *p.Goals[0].CurrentLevel != 2 {
		t.Fatalf("edit: %v %+v", err, p)
	}
	// A new goal in delivery would start from 3.
	r.baseline = nil
	if _, err := buildPlan(in, r); app.ErrorField(err) != "goals[0].target_level" {
		t.Fatalf("new goal at the current level: %v", err)
	}
	// The quarter of a stored plan cannot change.
	in.Quarter = "2027-Q1"
	if _, err := buildPlan(in, r); app.ErrorField(err) != "quarter" {
		t.Fatalf("quarter change: %v", err)
	}
}

func TestPlanProgress(t *testing.T) {
	today, _ := app.ParseDate("2026-11-20")
	past, _ := app.ParseDate("2026-11-19")
	lvl := 3
	p := &app.CoachingPlan{Goals: []app.CoachingGoal{
		{TargetLevel: 3, LevelNow: &lvl, Actions: []app.CoachingAction{
			{Kind: app.ActionExperience, Status: app.ActionDone, Due: past},
			{Kind: app.ActionExperience, Status: app.ActionTodo, Due: past},
			{Kind: app.ActionRelationships, Status: app.ActionDoing, Due: today}}},
		{TargetLevel: 4, LevelNow: &lvl},
	}}
	pr := p.Progress(today)
	if pr.Done != 1 || pr.Total != 3 || len(pr.Overdue) != 1 || pr.GoalsReached != 1 {
		t.Fatalf("progress: %+v", pr)
	}
	if pr.Mix[0].Percent != 67 || pr.Mix[1].Percent != 33 || pr.Mix[2].Percent != 0 || pr.Mix[0].Aim != 70 {
		t.Fatalf("mix: %+v", pr.Mix)
	}
}

func TestPick(t *testing.T) {
	sg := &Suggestions{Items: []Suggestion{
		{Source: SourceTitle, Competency: "a"}, {Source: SourceTitle, Competency: "b"}, {Source: SourceTitle, Competency: "c"},
		{Source: SourceTeam, Competency: "a"}, {Source: SourceTeam, Competency: "d"},
		{Source: SourceBackground, Competency: "b"},
	}}
	var got string
	for _, s := range sg.Pick(3) {
		got += s.Source + ":" + s.Competency + " "
	}
	if got != "title:a team:d background:b " {
		t.Fatalf("pick: %s", got)
	}
}
