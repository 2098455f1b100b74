package shape

import (
	"reflect"
	"testing"
)

func TestWhatIf(t *testing.T) {
	// Before:
	//             Ann  Bob  Cy*  coverage depth → score
	//   spec       4    2    3      1      4    2·½·(1/2)       = 0.5
	//   del        3    2    4      1      3    2·½·(1/2 + 1/4) = 0.75
	//   research   2    3    4      1      3    0.75
	//   analytics  3    3    4      2      3    2·½·(1/4)       = 0.25
	// total 2.25 (* Cy is the hypothetical candidate, not yet in the team).
	ann := Person{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 4, del: 3, research: 2, ana: 3}}
	bob := Person{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 2, del: 2, research: 3, ana: 3}}
	cy := Person{ID: 3, Name: "Cy", Ratings: map[string]int{spec: 3, del: 4, research: 4, ana: 4}}
	in := Input{Competencies: smallFramework(), People: []Person{ann, bob}}

	tests := []struct {
		name   string
		add    []Person
		remove []int64
		total  float64
		people []int64
		risks  []KeyPersonRisk
	}{
		{name: "unchanged", total: 2.25, people: []int64{1, 2},
			risks: []KeyPersonRisk{{PersonID: 1, Name: "Ann", Competencies: []string{spec, del}}}},
		{name: "unknown id removed", remove: []int64{99}, total: 2.25, people: []int64{1, 2},
			risks: []KeyPersonRisk{{PersonID: 1, Name: "Ann", Competencies: []string{spec, del}}}},
		{
			// Bob alone: spec 2 → gap 2·½·(2/2 + 2/4) = 1.5; del 2 → 1.5;
			// research 3 → 2·½·(1/2 + 1/4) = 0.75; analytics 3 → 0.75. Total 4.5.
			// Bob alone covers research and analytics.
			name: "remove a leaver", remove: []int64{1}, total: 4.5, people: []int64{2},
			risks: []KeyPersonRisk{{PersonID: 2, Name: "Bob", Competencies: []string{research, ana}}},
		},
		{
			// With Cy: spec cov 2, depth 4; del cov 2, depth 4; research cov 2, depth 4;
			// analytics cov 3, depth 4: all ok, total 0.
			name: "add a candidate", add: []Person{cy}, total: 0, people: []int64{1, 2, 3},
		},
		{
			// Bob and Cy: spec cov 1 (Cy 3), depth 3 → 0.75; del cov 1 (Cy 4), depth 4 → 0.5;
			// research and analytics cov 2, depth 4 → ok. Total 1.25; Cy alone covers spec and del.
			name: "swap a leaver for a candidate", add: []Person{cy}, remove: []int64{1}, total: 1.25, people: []int64{2, 3},
			risks: []KeyPersonRisk{{PersonID: 3, Name: "Cy", Competencies: []string{spec, del}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := WhatIf(in, tt.add, tt.remove)
			if !near(res.TotalScore, tt.total) {
				t.Errorf("total = %v, want %v", res.TotalScore, tt.total)
			}
			var ids []int64
			for _, p := range res.People {
				ids = append(ids, p.ID)
			}
			if !reflect.DeepEqual(ids, tt.people) {
				t.Errorf("people = %v, want %v", ids, tt.people)
			}
			if !reflect.DeepEqual(res.KeyPersonRisks, tt.risks) {
				t.Errorf("key-person risks = %+v, want %+v", res.KeyPersonRisks, tt.risks)
			}
		})
	}
	if len(in.People) != 2 || in.People[0].ID != 1 || in.People[1].ID != 2 {
		t.Errorf("input modified: %+v", in.People)
	}
	if !reflect.DeepEqual(WhatIf(in, nil, nil), Analyze(in)) {
		t.Error("WhatIf without changes differs from Analyze")
	}
}

func TestWithPlansTheChangedTeam(t *testing.T) {
	// greedyInput plans two hires (TestDevelopOrHireGreedy): a Platform PM removing 2.5 of 4.0,
	// then a Data PM removing 1.25 of 1.5. With the first hire already in the team, the plan
	// of the changed team starts with the second.
	in := greedyInput()
	first := DevelopOrHire(in).Hires[0]
	plan := DevelopOrHire(in.With([]Person{first.AsPerson(-101, "Candidate A")}, nil))
	if len(plan.Hires) != 1 || plan.Hires[0].Spike != ana || !near(plan.Hires[0].ScoreBefore, 1.5) ||
		!near(plan.Hires[0].ScoreRemoved, 1.25) {
		t.Errorf("hires with the first hire in the team: %+v", plan.Hires)
	}

	tests := []struct {
		name   string
		add    []Person
		remove []int64
		people []int64
	}{
		{name: "nothing", people: []int64{1, 2}},
		{name: "remove one", remove: []int64{1}, people: []int64{2}},
		{name: "remove an unknown id", remove: []int64{7}, people: []int64{1, 2}},
		{name: "remove all, add two", add: []Person{{ID: -101}, {ID: -102}}, remove: []int64{2, 1}, people: []int64{-101, -102}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ids []int64
			for _, p := range in.With(tt.add, tt.remove).People {
				ids = append(ids, p.ID)
			}
			if !reflect.DeepEqual(ids, tt.people) {
				t.Errorf("people = %v, want %v", ids, tt.people)
			}
		})
	}
	if len(in.People) != 2 || in.People[0].ID != 1 || in.People[1].ID != 2 {
		t.Errorf("input modified: %+v", in.People)
	}
}
