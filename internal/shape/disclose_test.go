package shape

import (
	"reflect"
	"testing"
)

func TestDisclose(t *testing.T) {
	// The small framework: spec, del, retired (archived), research, ana, coach (leads only).
	// r(...) rates a person; a missing key is "not assessed".
	r := func(id int64, lead bool, ratings map[string]int) Person {
		return Person{ID: id, Name: string(rune('A' + id - 1)), Lead: lead, Ratings: ratings}
	}
	tests := []struct {
		name     string
		people   []Person
		shown    []string // disclosed competencies, framework order
		withheld []string
	}{
		{
			name: "one PM: every figure is that PM's rating, all withheld",
			people: []Person{
				r(1, false, map[string]int{spec: 4, del: 3, research: 2, ana: 5}),
			},
			withheld: []string{spec, del, research, ana},
		},
		{
			name: "two PMs: either reads the other's, all withheld",
			people: []Person{
				r(1, false, map[string]int{spec: 4, del: 3, research: 2, ana: 5}),
				r(2, false, map[string]int{spec: 1, del: 3, research: 2, ana: 5}),
			},
			withheld: []string{spec, del, research, ana},
		},
		{
			// spec: 3 rated → shown; del: 2 rated → withheld; research: nobody; ana: 3.
			// The leads-only coaching is out of scope (no lead): neither shown nor withheld.
			name: "three PMs: per competency, counting only those rated",
			people: []Person{
				r(1, false, map[string]int{spec: 4, del: 3, ana: 1}),
				r(2, false, map[string]int{spec: 2, ana: 2}),
				r(3, false, map[string]int{spec: 0, del: 5, ana: 3}),
			},
			shown:    []string{spec, ana},
			withheld: []string{del, research},
		},
		{
			// Six PMs, one lead rated in coaching: coaching is in scope and has one
			// contributor, withheld although the team is large. A non-lead's coaching
			// rating (out of their scope) does not count.
			name: "the only lead's leads-only competencies are withheld",
			people: []Person{
				r(1, true, map[string]int{spec: 3, coach: 4}),
				r(2, false, map[string]int{spec: 3, coach: 5}),
				r(3, false, map[string]int{spec: 3, coach: 5}),
				r(4, false, map[string]int{spec: 3}),
				r(5, false, map[string]int{spec: 3}),
				r(6, false, map[string]int{spec: 3}),
			},
			shown:    []string{spec},
			withheld: []string{del, research, ana, coach},
		},
		{
			name: "three leads rated: the leads-only competency is shown",
			people: []Person{
				r(1, true, map[string]int{coach: 4, spec: 1, del: 1, research: 1, ana: 1}),
				r(2, true, map[string]int{coach: 2, spec: 1, del: 1, research: 1, ana: 1}),
				r(3, true, map[string]int{coach: 3, spec: 1, del: 1, research: 1, ana: 1}),
			},
			shown: []string{spec, del, research, ana, coach},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := make([]int, len(tt.people))
			for i, p := range tt.people {
				before[i] = len(p.Ratings)
			}
			d := Disclose(Input{Competencies: smallFramework(), People: tt.people})
			var shown, withheld []string
			for _, c := range d.Input.Competencies {
				shown = append(shown, c.Key)
			}
			for _, c := range d.Withheld {
				withheld = append(withheld, c.Key)
			}
			if !reflect.DeepEqual(shown, tt.shown) || !reflect.DeepEqual(withheld, tt.withheld) {
				t.Errorf("shown %v withheld %v; want %v and %v", shown, withheld, tt.shown, tt.withheld)
			}
			// No rating in a competency that is not shown survives.
			ok := map[string]bool{}
			for _, k := range tt.shown {
				ok[k] = true
			}
			for _, p := range d.Input.People {
				for k := range p.Ratings {
					if !ok[k] {
						t.Errorf("person %d keeps a rating in %s", p.ID, k)
					}
				}
			}
			// The caller's input is not changed.
			for i, p := range tt.people {
				if len(p.Ratings) != before[i] {
					t.Errorf("Disclose changed person %d's ratings: %v", p.ID, p.Ratings)
				}
			}
		})
	}
}

// TestDisclosedFiguresIgnoreWithheldRatings: whatever the withheld ratings are, everything
// computed from the disclosed input is the same: statuses, totals, risks, plans.
func TestDisclosedFiguresIgnoreWithheldRatings(t *testing.T) {
	team := func(delLevel, coachLevel int) Input {
		return Input{Competencies: smallFramework(), People: []Person{
			{ID: 1, Name: "Ann", Lead: true, Ratings: map[string]int{spec: 4, ana: 1, del: delLevel, coach: coachLevel}},
			{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 2, ana: 2}},
			{ID: 3, Name: "Cy", Ratings: map[string]int{spec: 0, ana: 3, del: 1}},
		}}
	}
	base := Disclose(team(0, 0)).Input
	a, p := Analyze(base), DevelopOrHire(base)
	for _, lv := range [][2]int{{5, 5}, {3, 1}, {1, 4}} {
		in := Disclose(team(lv[0], lv[1])).Input
		if got := Analyze(in); !reflect.DeepEqual(got, a) {
			t.Errorf("del %d coach %d: the analysis changed:\n%+v\nwant\n%+v", lv[0], lv[1], got, a)
		}
		if got := DevelopOrHire(in); !reflect.DeepEqual(got, p) {
			t.Errorf("del %d coach %d: the plan changed", lv[0], lv[1])
		}
	}
}
