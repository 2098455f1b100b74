package shape

import (
	"reflect"
	"testing"
)

func TestPersonShape(t *testing.T) {
	// Defaults: B = 3, D = 4, β = 0.75. For a non-lead in smallFramework n = 4 (the archived
	// competency and the leads-only one are out of scope), so breadth = Σ min(r,3) / 12 and
	// breadth ≥ β ⇔ Σ min(r,3) ≥ 9.
	onlyLeads := []Competency{{Key: coach, Area: "leadership", LeadsOnly: true}}
	tests := []struct {
		name       string
		comps      []Competency // nil: smallFramework
		settings   Settings
		person     Person
		breadth    float64
		spikes     []string
		spikeAreas []string
		shape      string
		assessed   int
		inScope    int
	}{
		{
			// 3+3+3+0 = 9 → 9/12 = 0.75 = β (boundary counts); spikes spec, del both in execution.
			name:    "T at the breadth boundary",
			person:  Person{Ratings: map[string]int{spec: 5, del: 4, research: 3}},
			breadth: 0.75, spikes: []string{spec, del}, spikeAreas: []string{"execution"},
			shape: ShapeT, assessed: 3, inScope: 4,
		},
		{
			// 3+2+3+1 = 9 → 0.75; spikes spec (execution) and research (insight).
			name:    "M",
			person:  Person{Ratings: map[string]int{spec: 4, del: 2, research: 4, ana: 1}},
			breadth: 0.75, spikes: []string{spec, research}, spikeAreas: []string{"execution", "insight"},
			shape: ShapeM, assessed: 4, inScope: 4,
		},
		{
			// 3+3+3+3 = 12 → 1; no rating ≥ 4.
			name:    "generalist",
			person:  Person{Ratings: map[string]int{spec: 3, del: 3, research: 3, ana: 3}},
			breadth: 1, shape: ShapeGeneralist, assessed: 4, inScope: 4,
		},
		{
			// min(5,3) = 3 → 3/12 = 0.25 < β; one spike.
			name:    "I",
			person:  Person{Ratings: map[string]int{spec: 5}},
			breadth: 0.25, spikes: []string{spec}, spikeAreas: []string{"execution"},
			shape: ShapeI, assessed: 1, inScope: 4,
		},
		{
			// 3+2+3+0 = 8 → 8/12 = 2/3 < β: spikes in two areas but too narrow for M.
			name:    "I just below the breadth boundary",
			person:  Person{Ratings: map[string]int{spec: 4, del: 2, research: 4, ana: 0}},
			breadth: 8.0 / 12, spikes: []string{spec, research}, spikeAreas: []string{"execution", "insight"},
			shape: ShapeI, assessed: 4, inScope: 4,
		},
		{
			// 3+3+2 = 8 → 2/3 < β; no spike.
			name:    "developing",
			person:  Person{Ratings: map[string]int{spec: 3, del: 3, research: 2}},
			breadth: 8.0 / 12, shape: ShapeDeveloping, assessed: 3, inScope: 4,
		},
		{
			name:    "nothing assessed",
			person:  Person{},
			breadth: 0, shape: ShapeDeveloping, assessed: 0, inScope: 4,
		},
		{
			// 0 is a rating (unexposed), unlike a missing key: assessed 2, breadth 0.
			name:    "zero ratings are assessed",
			person:  Person{Ratings: map[string]int{spec: 0, del: 0}},
			breadth: 0, shape: ShapeDeveloping, assessed: 2, inScope: 4,
		},
		{
			// retired is archived and coaching leads-only: both ignored. 3+3+3 = 9 → 0.75, no spike.
			name:    "archived and leads-only ratings ignored for a non-lead",
			person:  Person{Ratings: map[string]int{retired: 5, coach: 5, spec: 3, del: 3, research: 3}},
			breadth: 0.75, shape: ShapeGeneralist, assessed: 3, inScope: 4,
		},
		{
			// Lead: n = 5; 3·5 = 15 → 15/15 = 1; the only spike is coaching (leadership).
			name:    "lead with a leads-only spike",
			person:  Person{Lead: true, Ratings: map[string]int{spec: 3, del: 3, research: 3, ana: 3, coach: 5}},
			breadth: 1, spikes: []string{coach}, spikeAreas: []string{"leadership"},
			shape: ShapeT, assessed: 5, inScope: 5,
		},
		{
			// Lead: n = 5 even though coaching is unassessed; 3·4 = 12 → 12/15 = 0.8.
			name:    "lead with the leads-only competency unassessed",
			person:  Person{Lead: true, Ratings: map[string]int{spec: 3, del: 3, research: 3, ana: 3}},
			breadth: 0.8, shape: ShapeGeneralist, assessed: 4, inScope: 5,
		},
		{
			// n = 0 → breadth 0, developing.
			name:    "nothing in scope",
			comps:   onlyLeads,
			person:  Person{Ratings: map[string]int{coach: 5}},
			breadth: 0, shape: ShapeDeveloping, assessed: 0, inScope: 0,
		},
		{
			// 7 is clamped to 5: a spike, min(5,3) = 3 → 3/12.
			name:    "out-of-range rating clamped",
			person:  Person{Ratings: map[string]int{spec: 7}},
			breadth: 0.25, spikes: []string{spec}, spikeAreas: []string{"execution"},
			shape: ShapeI, assessed: 1, inScope: 4,
		},
		{
			// B = 2, D = 3, β = 0.5: min(r,2) → 2+2+1+0 = 5 → 5/8 = 0.625 ≥ 0.5; spike del (3).
			name:     "custom thresholds",
			settings: Settings{Breadth: 2, Depth: 3, Beta: 0.5},
			person:   Person{Ratings: map[string]int{spec: 2, del: 3, research: 1}},
			breadth:  0.625, spikes: []string{del}, spikeAreas: []string{"execution"},
			shape: ShapeT, assessed: 3, inScope: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps := tt.comps
			if comps == nil {
				comps = smallFramework()
			}
			tt.person.ID, tt.person.Name = 7, "Maya"
			res := Analyze(Input{Competencies: comps, People: []Person{tt.person}, Settings: tt.settings})
			got := res.People[0]
			want := PersonShape{ID: 7, Name: "Maya", Breadth: tt.breadth, Spikes: tt.spikes, SpikeAreas: tt.spikeAreas,
				Shape: tt.shape, Assessed: tt.assessed, InScope: tt.inScope}
			if !near(got.Breadth, want.Breadth) {
				t.Errorf("breadth = %v, want %v", got.Breadth, want.Breadth)
			}
			got.Breadth = want.Breadth
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	// The shape rule on its own, at β = 0.75.
	tests := []struct {
		breadth       float64
		spikes, areas int
		want          string
	}{
		{0.75, 2, 1, ShapeT},
		{1, 3, 2, ShapeM},
		{0.75, 0, 0, ShapeGeneralist},
		{0.74, 1, 1, ShapeI},
		{0.74, 3, 3, ShapeI},
		{0.74, 0, 0, ShapeDeveloping},
		{0, 0, 0, ShapeDeveloping},
	}
	for _, tt := range tests {
		if got := classify(tt.breadth, tt.spikes, tt.areas, 0.75); got != tt.want {
			t.Errorf("classify(%v, %d spikes, %d areas) = %q, want %q", tt.breadth, tt.spikes, tt.areas, got, tt.want)
		}
	}
}
