package shape

import (
	"strings"
	"testing"
)

func TestNameFreeWhy(t *testing.T) {
	comps := smallFramework()
	people := []Person{
		{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 4, del: 3, research: 3, ana: 2}},
		{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 2, del: 3, research: 5}},
		{ID: 3, Name: "Cy", Ratings: map[string]int{spec: 1, del: 1, research: 1}},
	}
	s := Settings{Breadth: 3}
	res := Analyze(Input{Competencies: comps, People: people, Settings: s})
	want := map[string][2]string{
		// key: {Why, NameFreeWhy}
		spec:     {"only Ann is proficient", "only one person is proficient"},
		del:      {"deepest is 3, target 4", "deepest is 3, target 4"},
		research: {"meets target", "meets target"},
		ana:      {"nobody at working level; deepest is 2, target 4", "nobody at working level; deepest is 2, target 4"},
	}
	for key, w := range want {
		st := stat(t, res, key)
		if st.Why != w[0] {
			t.Errorf("%s: Why = %q, want %q", key, st.Why, w[0])
		}
		if got := NameFreeWhy(st, s); got != w[1] {
			t.Errorf("%s: NameFreeWhy = %q, want %q", key, got, w[1])
		}
	}
	// One person at working level and a depth shortfall.
	res = Analyze(Input{Competencies: comps, People: []Person{{ID: 9, Name: "Zed", Ratings: map[string]int{spec: 3}}}})
	st := stat(t, res, spec)
	if got := NameFreeWhy(st, Settings{}); got != "only one person is at working level; deepest is 3, target 4" || strings.Contains(got, "Zed") {
		t.Errorf("NameFreeWhy = %q", got)
	}
	if !strings.Contains(st.Why, "Zed") {
		t.Errorf("Why = %q should name Zed", st.Why)
	}
}
