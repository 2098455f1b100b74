package career

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func role(title, start, end string, spikes ...string) Role {
	r := Role{Title: title, Start: day(start), Spikes: spikes}
	if end != "" {
		e := day(end)
		r.End = &e
	}
	return r
}

// spikes are the career spikes in the domain's order; analyze adds up by the domain's window.
var spikes = func() (keys []string) {
	for _, o := range app.CareerSpikes {
		keys = append(keys, o.Key)
	}
	return keys
}()

func analyze(roles []Role, today time.Time, shapeLabel string) Portfolio {
	return Analyze(roles, spikes, app.RoleWindow, today, shapeLabel)
}

// months returns the months per spike in app.CareerSpikes order:
// social_impact, management, industry_expertise, compensation, advancement_speed.
func months(p Portfolio) [5]int {
	var out [5]int
	for i, s := range p.Spikes {
		out[i] = s.Months
	}
	return out
}

// The careers below are added up by hand; a month counts when its day is reached
// (2017-11-15 to 2020-05-14 is 29 full months, not 30).
func TestAnalyze(t *testing.T) {
	today := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		roles      []Role
		shape      string
		months     [5]int
		total      int
		current    string // title of the current role
		curMonths  int
		window     string
		never      []string
		gaps       []int // months of each gap
		stage      string
		adviceHint string
	}{
		{
			name: "four roles, a gap, a same-day handover and a gap under a month",
			roles: []Role{
				// Given out of order: Analyze sorts by start.
				role("Senior PM", "2024-02-20", "", "advancement_speed", "management"),       // 24 (to 2026-03-15)
				role("APM", "2015-09-01", "2017-07-01", "social_impact"),                     // 22
				role("PM", "2017-11-15", "2020-05-14", "compensation", "industry_expertise"), // 29; gap of 4 before
				role("PM, payments", "2020-05-14", "2024-01-31", "industry_expertise"),       // 44; no gap before
			},
			shape:     shape.ShapeT,
			months:    [5]int{22, 24, 29 + 44, 29, 24},
			total:     22 + 29 + 44 + 24,
			current:   "Senior PM",
			curMonths: 24, window: app.WindowIn,
			gaps:  []int{4}, // 2017-07-01 → 2017-11-15; 2024-01-31 → 2024-02-20 is under a month
			stage: StageLater, adviceHint: "may now accelerate",
		},
		{
			name:      "one recent role: too early to move, breadth first",
			roles:     []Role{role("PM", "2025-06-10", "", "compensation")},
			shape:     shape.ShapeI,
			months:    [5]int{0, 0, 0, 9, 0},
			total:     9,
			current:   "PM",
			curMonths: 9, window: app.WindowEarly,
			never: []string{"social_impact", "management", "industry_expertise", "advancement_speed"},
			stage: StageEarly, adviceHint: "round it out",
		},
		{
			name: "overstaying the current role after a gap",
			roles: []Role{
				role("PM", "2019-03-01", "2021-09-01", "management"),             // 30
				role("Lead PM", "2022-01-20", "", "management", "social_impact"), // 49: 2026-03-15 is before the 20th
			},
			shape:     shape.ShapeGeneralist,
			months:    [5]int{49, 30 + 49, 0, 0, 0},
			total:     79,
			current:   "Lead PM",
			curMonths: 49, window: app.WindowOverstaying,
			never: []string{"industry_expertise", "compensation", "advancement_speed"},
			gaps:  []int{4},
			stage: StageLater, adviceHint: "no spike yet",
		},
		{
			name:   "every role ended: no current role, no window",
			roles:  []Role{role("PM", "2020-01-01", "2021-01-01", "industry_expertise")},
			months: [5]int{0, 0, 12, 0, 0},
			total:  12,
			never:  []string{"social_impact", "management", "compensation", "advancement_speed"},
			stage:  StageEarly, adviceHint: "breadth first",
		},
		{
			name:  "no roles",
			never: []string{"social_impact", "management", "industry_expertise", "compensation", "advancement_speed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := analyze(tt.roles, today, tt.shape)
			if got := months(p); got != tt.months {
				t.Errorf("months per spike = %v, want %v", got, tt.months)
			}
			if p.MonthsAsPM != tt.total {
				t.Errorf("months as PM = %d, want %d", p.MonthsAsPM, tt.total)
			}
			cur := ""
			if p.Current >= 0 {
				cur = tt.roles[p.Current].Title
			}
			if cur != tt.current || p.CurrentMonths != tt.curMonths || p.Window != tt.window {
				t.Errorf("current = %q %d months %q, want %q %d %q", cur, p.CurrentMonths, p.Window, tt.current, tt.curMonths, tt.window)
			}
			if !slices.Equal(p.NeverPursued, tt.never) {
				t.Errorf("never pursued = %v, want %v", p.NeverPursued, tt.never)
			}
			var gaps []int
			for _, g := range p.Gaps {
				gaps = append(gaps, g.Months)
			}
			if !slices.Equal(gaps, tt.gaps) {
				t.Errorf("gaps = %v, want %v", gaps, tt.gaps)
			}
			if p.Stage != tt.stage || !strings.Contains(p.Advice, tt.adviceHint) {
				t.Errorf("stage = %q %q, want %q containing %q", p.Stage, p.Advice, tt.stage, tt.adviceHint)
			}
		})
	}
}

func TestAnalyzeGapDates(t *testing.T) {
	p := analyze([]Role{
		role("APM", "2015-09-01", "2017-07-01", "social_impact"),
		role("PM", "2017-11-15", "", "compensation"),
	}, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), "")
	if len(p.Gaps) != 1 || p.Gaps[0].From.Format(time.DateOnly) != "2017-07-01" || p.Gaps[0].To.Format(time.DateOnly) != "2017-11-15" || p.Gaps[0].After != "APM" {
		t.Fatalf("gaps = %+v", p.Gaps)
	}
	if p.Spikes[0].Roles != 1 || p.Spikes[3].Roles != 1 || p.Spikes[1].Roles != 0 {
		t.Errorf("roles per spike = %+v", p.Spikes)
	}
}

func TestStage(t *testing.T) {
	tests := []struct {
		months int
		shape  string
		stage  string
		hint   string
	}{
		{0, "", StageEarly, "breadth first"},
		{35, shape.ShapeT, StageEarly, "breadth first"},
		{20, shape.ShapeI, StageEarly, "round it out"},
		{36, shape.ShapeT, StageLater, "may now accelerate"},
		{80, shape.ShapeM, StageLater, "may now accelerate"},
		{60, shape.ShapeGeneralist, StageLater, "no spike yet"},
		{60, shape.ShapeI, StageLater, "still narrow"},
		{60, shape.ShapeDeveloping, StageLater, "still narrow"},
		{60, "", StageLater, "Rate your competencies"},
	}
	for _, tt := range tests {
		stage, advice := Stage(tt.months, tt.shape)
		if stage != tt.stage || !strings.Contains(advice, tt.hint) {
			t.Errorf("Stage(%d, %q) = %q %q, want %q containing %q", tt.months, tt.shape, stage, advice, tt.stage, tt.hint)
		}
	}
}
