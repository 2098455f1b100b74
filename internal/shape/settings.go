// Package shape is Teamshape's analytic core: each person's shape (T, M, generalist, I or
// developing), the team's coverage and depth per competency, its gaps and their scores, whether a
// gap is better closed by coaching or by hiring, and what-if simulations.
//
// It is pure Go over plain structs: no database, no HTTP. Every rule of PRODUCT.md's "Shapes and
// gaps" section lives in exactly one function here, and every output is deterministic: slices keep
// the framework's order (or the team's input order) unless documented otherwise.
package shape

// Proficiency scale bounds: 0 unexposed … 5 expert. A missing rating means "not assessed".
const (
	MinLevel = 0
	MaxLevel = 5 // expert: sets the standard and teaches
)

// levelNames names each level of the proficiency scale, for human-readable reasons.
var levelNames = [MaxLevel + 1]string{"unexposed", "aware", "developing", "working", "proficient", "expert"}

// Settings holds the thresholds of the analysis. A zero (or negative) field means "use the
// default" from DefaultSettings, so a zero Settings behaves exactly like DefaultSettings().
type Settings struct {
	Breadth            int     // B: a rating ≥ B counts as coverage; breadth caps ratings at B
	Depth              int     // D: a rating ≥ D is a spike; a hire's spike is rated at least D
	Beta               float64 // β: the minimum breadth of the T, M and generalist shapes
	DefaultCoverage    int     // target coverage k when a team sets none
	DefaultDepth       int     // target depth d when a team sets none
	DefaultCriticality int     // criticality w when a team sets none (1..3)
	LeadsOnlyCoverage  int     // target coverage of leads-only competencies when a team sets none
	MaxGoals           int     // a person has room for another coaching goal while OpenGoals < MaxGoals
	MaxHires           int     // the greedy hiring plan suggests at most this many hires
}

// DefaultSettings returns the thresholds of PRODUCT.md: B = 3, D = 4, β = 0.75, target coverage 2,
// target depth 4, criticality 2, leads-only coverage 1, at most 3 coaching goals and 5 hires.
func DefaultSettings() Settings {
	return Settings{
		Breadth:            3,
		Depth:              4,
		Beta:               0.75,
		DefaultCoverage:    2,
		DefaultDepth:       4,
		DefaultCriticality: 2,
		LeadsOnlyCoverage:  1,
		MaxGoals:           3,
		MaxHires:           5,
	}
}

// withDefaults replaces every non-positive field by its default and caps the thresholds B and D
// at the top of the scale.
func (s Settings) withDefaults() Settings {
	d := DefaultSettings()
	orDefault(&s.Breadth, d.Breadth)
	orDefault(&s.Depth, d.Depth)
	s.Breadth, s.Depth = min(s.Breadth, MaxLevel), min(s.Depth, MaxLevel)
	if s.Beta <= 0 {
		s.Beta = d.Beta
	}
	orDefault(&s.DefaultCoverage, d.DefaultCoverage)
	orDefault(&s.DefaultDepth, d.DefaultDepth)
	orDefault(&s.DefaultCriticality, d.DefaultCriticality)
	orDefault(&s.LeadsOnlyCoverage, d.LeadsOnlyCoverage)
	orDefault(&s.MaxGoals, d.MaxGoals)
	orDefault(&s.MaxHires, d.MaxHires)
	return s
}

func orDefault(v *int, def int) {
	if *v <= 0 {
		*v = def
	}
}

// Target is a team's goal for one competency. A zero (or negative) field means "use the default".
type Target struct {
	Coverage    int // k: how many people should be at B or above
	Depth       int // d: how deep the deepest person should be
	Criticality int // w: 1..3, weighs the gap score
}

// target resolves the effective target of c from the team's target t: missing fields take the
// settings' defaults (leads-only competencies default to LeadsOnlyCoverage) and the criticality
// is clamped to 1..3.
func (s Settings) target(c Competency, t Target) Target {
	coverage := s.DefaultCoverage
	if c.LeadsOnly {
		coverage = s.LeadsOnlyCoverage
	}
	orDefault(&t.Coverage, coverage)
	orDefault(&t.Depth, s.DefaultDepth)
	orDefault(&t.Criticality, s.DefaultCriticality)
	t.Criticality = min(max(t.Criticality, 1), 3)
	return t
}
