package shape

import (
	"math"
	"testing"
)

// Competency keys used by the hand-worked examples (the shipped framework's keys).
const (
	spec     = "specification"
	del      = "delivery"
	ql       = "quality_launch"
	research = "customer_research"
	ana      = "analytics"
	vision   = "vision_roadmap"
	coach    = "coaching"
	retired  = "retired"
)

// smallFramework has two areas of two competencies each, plus an archived competency and a
// leads-only one: a non-lead has n = 4 in scope, a lead n = 5.
func smallFramework() []Competency {
	return []Competency{
		{Key: spec, Name: "Specification", Area: "execution", AreaName: "Product execution"},
		{Key: del, Name: "Delivery", Area: "execution", AreaName: "Product execution"},
		{Key: retired, Name: "Retired", Area: "execution", AreaName: "Product execution", Archived: true},
		{Key: research, Name: "Customer research", Area: "insight", AreaName: "Customer insight"},
		{Key: ana, Name: "Analytics", Area: "insight", AreaName: "Customer insight"},
		{Key: coach, Name: "Coaching", Area: "leadership", AreaName: "Product leadership", LeadsOnly: true},
	}
}

// keys lists the competency keys of stats, in order.
func keys(stats []CompetencyStat) []string {
	var out []string
	for _, st := range stats {
		out = append(out, st.Key)
	}
	return out
}

// stat finds key in res or fails the test.
func stat(t *testing.T, res Result, key string) CompetencyStat {
	t.Helper()
	for _, st := range res.Competencies {
		if st.Key == key {
			return st
		}
	}
	t.Fatalf("competency %q not in result %v", key, keys(res.Competencies))
	return CompetencyStat{}
}

// near compares computed scores with hand-computed fractions.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
