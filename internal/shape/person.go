package shape

import "slices"

// Shapes of a person's profile.
const (
	ShapeT          = "T"          // spikes in one area, breadth ≥ β
	ShapeM          = "M"          // spikes in two or more areas, breadth ≥ β
	ShapeGeneralist = "generalist" // no spike, breadth ≥ β
	ShapeI          = "I"          // spikes, breadth < β
	ShapeDeveloping = "developing" // no spike, breadth < β (or nothing in scope)
)

// Competency is one entry of the organisation's framework. The order of Input.Competencies is
// the framework order, which every output keeps.
type Competency struct {
	Key, Name      string
	Area, AreaName string // area key and display name
	LeadsOnly      bool   // in scope only for people with a lead title
	Archived       bool   // out of scope for everyone
	Importance     int    // 1..3, from the framework; informational (criticality comes from Target)
}

// Person is one team member with their effective ratings.
type Person struct {
	ID   int64
	Name string
	// Lead is true for a lead title (group_pm): leads-only competencies are in scope for them.
	Lead bool
	// Ratings holds the effective rating per competency key, 0..5. A missing key means "not
	// assessed", which is never the same as 0.
	Ratings    map[string]int
	Background string   // background key, e.g. "sales", "development"
	Tags       []string // specialism tags
	OpenGoals  int      // coaching goals in the current plan; room for another while < Settings.MaxGoals
}

// rating returns p's effective rating in key, clamped to 0..5, and whether it was assessed at all.
func (p Person) rating(key string) (int, bool) {
	r, ok := p.Ratings[key]
	return min(max(r, MinLevel), MaxLevel), ok
}

// inScope reports whether c counts for p: archived competencies never do, leads-only ones only
// for leads. It is the one scope rule for both a person's shape and the team's statistics.
func inScope(c Competency, p Person) bool {
	return !c.Archived && (!c.LeadsOnly || p.Lead)
}

// PersonShape is one person's profile over the competencies in their scope.
type PersonShape struct {
	ID   int64
	Name string
	// Breadth = (1/n)·Σ min(r, B)/B over the n competencies in scope, unassessed counting 0; in [0,1].
	Breadth    float64
	Spikes     []string // competency keys with r ≥ D, framework order
	SpikeAreas []string // distinct areas of the spikes, framework order
	Shape      string   // one of the Shape constants
	Assessed   int      // competencies in scope with a rating
	InScope    int      // n: competencies in scope
}

// shapeOf computes p's breadth, spikes and shape over comps (framework order).
func shapeOf(p Person, comps []Competency, s Settings) PersonShape {
	ps := PersonShape{ID: p.ID, Name: p.Name}
	capped := 0 // Σ min(r, B)
	for _, c := range comps {
		if !inScope(c, p) {
			continue
		}
		ps.InScope++
		r, ok := p.rating(c.Key)
		if !ok {
			continue
		}
		ps.Assessed++
		capped += min(r, s.Breadth)
		if r >= s.Depth {
			ps.Spikes = append(ps.Spikes, c.Key)
			if !slices.Contains(ps.SpikeAreas, c.Area) {
				ps.SpikeAreas = append(ps.SpikeAreas, c.Area)
			}
		}
	}
	if ps.InScope > 0 {
		// One division, so a breadth exactly at β compares equal to it.
		ps.Breadth = float64(capped) / float64(s.Breadth*ps.InScope)
	}
	ps.Shape = classify(ps.Breadth, len(ps.Spikes), len(ps.SpikeAreas), s.Beta)
	return ps
}

// classify names a shape from breadth, the number of spikes and of their areas. Nothing in scope
// means breadth 0 and no spike, hence "developing".
func classify(breadth float64, spikes, spikeAreas int, beta float64) string {
	broad := breadth >= beta
	switch {
	case broad && spikes == 0:
		return ShapeGeneralist
	case broad && spikeAreas == 1:
		return ShapeT
	case broad:
		return ShapeM
	case spikes > 0:
		return ShapeI
	default:
		return ShapeDeveloping
	}
}
