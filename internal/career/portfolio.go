// Package career is the pure arithmetic of career growth: a career as a portfolio of
// spikes (months per spike, gaps, the current role against the window of a good time to
// move, a career-stage hint), the ranking of learning resources into hit-lists, and mentor
// matching. No database, no HTTP, no domain types: like shape, plain structs in (Role,
// Resource, Person, Learner) and plain values out; the domain's rules it needs (the
// window, the order of spikes, the words for keys) come in as arguments. Package careers
// turns the domain's records into these and the answers back.
package career

import (
	"slices"
	"time"

	"github.com/teamshape/teamshape/internal/shape"
)

// EarlyCareerMonths: under three years as a PM is early in a PM career.
const EarlyCareerMonths = 36

// Career stages.
const (
	StageNone  = ""      // no role recorded
	StageEarly = "early" // breadth first
	StageLater = "later" // a specialism may accelerate
)

// SpikeTime is the time a career gave one spike: the months of the roles that served it.
type SpikeTime struct {
	Spike  string `json:"spike"`
	Months int    `json:"months"`
	Roles  int    `json:"roles"`
}

// Role is one role of a career as the portfolio adds it up.
type Role struct {
	Title  string
	Start  time.Time
	End    *time.Time // nil: the current role
	Spikes []string   // the one or two career spikes the role served
}

// Window is the domain's rule for a stretch of time in a role: its full months, and where
// they sit in the window of a good time to move (the status; see app.RoleWindow).
type Window func(start, end time.Time) (months int, status string)

// Gap is time between two roles: the months from one role's end to the next one's start.
type Gap struct {
	From, To time.Time
	Months   int
	After    string // the title of the role before the gap
}

// Portfolio is what a career adds up to.
type Portfolio struct {
	// Spikes has one entry per career spike, in the order Analyze was given them.
	Spikes []SpikeTime `json:"months_per_spike"`
	// NeverPursued lists the spikes no role served, in the same order.
	NeverPursued []string `json:"never_pursued"`
	// Gaps are the gaps of at least a full month between consecutive roles, oldest first.
	Gaps []Gap `json:"-"`
	// MonthsAsPM is the months in all roles together (roles never overlap).
	MonthsAsPM int `json:"months_as_pm"`
	// Current is the index of the current role among the roles given (-1 when every role
	// has ended), with its months in the role and its window status.
	Current       int    `json:"-"`
	CurrentMonths int    `json:"current_months"`
	Window        string `json:"window"` // the window's status, "" without a current role
	// Stage and Advice are the career-stage hint from MonthsAsPM and the profile's shape.
	Stage  string `json:"stage"`
	Advice string `json:"advice"`
}

// Analyze adds a career up as of today. Each role counts its full months (window) from
// its start to its end, or to today for the current role; a role that served two spikes
// counts its months for both. spikes are the career spikes in the order to report them;
// shapeLabel is the person's shape from the analytic core (shape.ShapeT, …), "" when
// unknown.
func Analyze(roles []Role, spikes []string, window Window, today time.Time, shapeLabel string) Portfolio {
	order := make([]int, len(roles))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return roles[a].Start.Compare(roles[b].Start) })
	p := Portfolio{NeverPursued: []string{}, Gaps: []Gap{}, Current: -1}
	bySpike := map[string]*SpikeTime{}
	for _, sp := range spikes {
		p.Spikes = append(p.Spikes, SpikeTime{Spike: sp})
	}
	for i := range p.Spikes {
		bySpike[p.Spikes[i].Spike] = &p.Spikes[i]
	}
	for k, i := range order {
		r := roles[i]
		end := today
		if r.End != nil {
			end = *r.End
		}
		months, _ := window(r.Start, end)
		p.MonthsAsPM += months
		for _, s := range r.Spikes {
			if st := bySpike[s]; st != nil {
				st.Months += months
				st.Roles++
			}
		}
		if r.End == nil {
			p.Current = i
			p.CurrentMonths, p.Window = window(r.Start, today)
		}
		if k > 0 && roles[order[k-1]].End != nil {
			prev := roles[order[k-1]]
			if gap, _ := window(*prev.End, r.Start); gap >= 1 {
				p.Gaps = append(p.Gaps, Gap{From: *prev.End, To: r.Start, Months: gap, After: prev.Title})
			}
		}
	}
	for _, st := range p.Spikes {
		if st.Roles == 0 {
			p.NeverPursued = append(p.NeverPursued, st.Spike)
		}
	}
	if len(roles) > 0 {
		p.Stage, p.Advice = Stage(p.MonthsAsPM, shapeLabel)
	}
	return p
}

// Stage is the career-stage hint: early in a PM career (under EarlyCareerMonths) breadth
// comes first; later, a specialism may accelerate, once the profile is broad enough for it
// (a T, M or generalist shape).
func Stage(monthsAsPM int, shapeLabel string) (stage, advice string) {
	if monthsAsPM < EarlyCareerMonths {
		advice = "Early in your PM career: go for breadth first. Different problems, products, stakeholders " +
			"and industries ground your product thinking; specialise later."
		if shapeLabel == shape.ShapeI {
			advice += " Your profile already has a deep spike but little breadth: round it out before you specialise."
		}
		return StageEarly, advice
	}
	switch shapeLabel {
	case shape.ShapeT, shape.ShapeM:
		advice = "Later in your PM career with a broad base and depth: a specialism (an industry, a technology " +
			"or a skillset such as data or platform) may now accelerate you."
	case shape.ShapeGeneralist:
		advice = "Later in your PM career with a broad base but no spike yet: choosing a specialism may " +
			"accelerate you."
	case shape.ShapeI, shape.ShapeDeveloping:
		advice = "Later in your PM career, but your profile is still narrow: broaden the base first, then " +
			"a specialism can accelerate you."
	default:
		advice = "Later in your PM career: a specialism may accelerate you. Rate your competencies to see " +
			"whether your base is broad enough for it."
	}
	return StageLater, advice
}
