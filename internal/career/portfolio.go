// Package career is the pure arithmetic of career growth: a career as a portfolio of
// spikes (months per spike, gaps, the current role against the 18–36-month window, a
// career-stage hint), the ranking of learning resources into hit-lists, and mentor
// matching. No database, no HTTP: plain values in, plain values out.
package career

import (
	"slices"
	"time"

	"github.com/teamshape/teamshape/internal/app"
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

// Gap is time between two roles: the months from one role's end to the next one's start.
type Gap struct {
	From   app.Date `json:"from"`
	To     app.Date `json:"to"`
	Months int      `json:"months"`
	After  string   `json:"after"` // the title of the role before the gap
}

// Portfolio is what a career adds up to.
type Portfolio struct {
	// Spikes has one entry per career spike, in app.CareerSpikes order.
	Spikes []SpikeTime `json:"months_per_spike"`
	// NeverPursued lists the spikes no role served, in app.CareerSpikes order.
	NeverPursued []string `json:"never_pursued"`
	// Gaps are the gaps of at least a full month between consecutive roles, oldest first.
	Gaps []Gap `json:"gaps"`
	// MonthsAsPM is the months in all roles together (roles never overlap).
	MonthsAsPM int `json:"months_as_pm"`
	// Current is the current role (nil when every role has ended), with its months in the
	// role and where they sit in the 18–36-month window (app.RoleWindow).
	Current       *app.CareerRole `json:"current_role"`
	CurrentMonths int             `json:"current_months"`
	Window        string          `json:"window"` // app.WindowEarly, app.WindowIn, app.WindowOverstaying or ""
	// Stage and Advice are the career-stage hint from MonthsAsPM and the profile's shape.
	Stage  string `json:"stage"`
	Advice string `json:"advice"`
}

// Analyze adds a career up as of today. Each role counts its full months (app.RoleWindow)
// from its start to its end, or to today for the current role; a role that served two
// spikes counts its months for both. shapeLabel is the person's shape from the analytic
// core (shape.ShapeT, …), "" when unknown.
func Analyze(roles []app.CareerRole, today time.Time, shapeLabel string) Portfolio {
	sorted := slices.Clone(roles)
	slices.SortFunc(sorted, func(a, b app.CareerRole) int { return a.Start.Compare(b.Start.Time) })
	p := Portfolio{NeverPursued: []string{}, Gaps: []Gap{}}
	bySpike := map[string]*SpikeTime{}
	for _, o := range app.CareerSpikes {
		p.Spikes = append(p.Spikes, SpikeTime{Spike: o.Key})
	}
	for i := range p.Spikes {
		bySpike[p.Spikes[i].Spike] = &p.Spikes[i]
	}
	for i, r := range sorted {
		end := today
		if r.End != nil {
			end = r.End.Time
		}
		months, _ := app.RoleWindow(r.Start.Time, end)
		p.MonthsAsPM += months
		for _, s := range r.Spikes {
			if st := bySpike[s]; st != nil {
				st.Months += months
				st.Roles++
			}
		}
		if r.End == nil {
			p.Current = &sorted[i]
			p.CurrentMonths, p.Window = app.RoleWindow(r.Start.Time, today)
		}
		if i > 0 && sorted[i-1].End != nil {
			prev := sorted[i-1]
			if gap, _ := app.RoleWindow(prev.End.Time, r.Start.Time); gap >= 1 {
				p.Gaps = append(p.Gaps, Gap{From: *prev.End, To: r.Start, Months: gap, After: prev.Title})
			}
		}
	}
	for _, st := range p.Spikes {
		if st.Roles == 0 {
			p.NeverPursued = append(p.NeverPursued, st.Spike)
		}
	}
	if len(sorted) > 0 {
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
