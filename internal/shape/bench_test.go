package shape

import (
	"math/rand/v2"
	"testing"
)

// defaultFramework is the shipped framework of PRODUCT.md: 16 competencies in 5 areas, the last
// three for leads only.
func defaultFramework() []Competency {
	areas := []struct {
		key       string
		leadsOnly bool
		comps     []string
	}{
		{"execution", false, []string{"specification", "delivery", "quality_launch"}},
		{"insight", false, []string{"customer_research", "user_experience", "analytics"}},
		{"strategy", false, []string{"product_innovation", "vision_roadmap", "business_outcomes", "market_domain"}},
		{"influence", false, []string{"customer_relationships", "stakeholder_partnership", "communication"}},
		{"leadership", true, []string{"operating_model", "coaching", "team_wellbeing"}},
	}
	var comps []Competency
	for _, a := range areas {
		for _, k := range a.comps {
			comps = append(comps, Competency{Key: k, Name: k, Area: a.key, AreaName: a.key, LeadsOnly: a.leadsOnly, Importance: 2})
		}
	}
	return comps
}

// benchInput builds a reproducible team of n people over the default framework: ratings 0..5
// with about one in eight unassessed, one lead in ten, 0..3 open goals.
func benchInput(n int, seed uint64) Input {
	rng := rand.New(rand.NewPCG(seed, 42))
	comps := defaultFramework()
	people := make([]Person, n)
	for i := range people {
		ratings := make(map[string]int, len(comps))
		for _, c := range comps {
			if rng.IntN(8) > 0 {
				ratings[c.Key] = rng.IntN(6)
			}
		}
		people[i] = Person{ID: int64(i + 1), Name: "Person", Lead: i%10 == 0, Ratings: ratings, OpenGoals: rng.IntN(4)}
	}
	return Input{Competencies: comps, People: people, Targets: map[string]Target{"analytics": {Coverage: 3, Depth: 5, Criticality: 3}}}
}

func BenchmarkAnalyze(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
	}{{"20x16", 20}, {"5000x16", 5000}} {
		in := benchInput(bc.n, 1)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				Analyze(in)
			}
		})
	}
}

func BenchmarkDevelopOrHire(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
	}{{"20x16", 20}, {"5000x16", 5000}} {
		in := benchInput(bc.n, 1)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				DevelopOrHire(in)
			}
		})
	}
}
