package app

import (
	"testing"
	"time"
)

func TestCareerRoleInput(t *testing.T) {
	today := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	ok := CareerRoleInput{Company: "Acme", Title: "PM", Start: "2020-01-01", End: "2022-01-01", Market: "b2b",
		Specialism: "fintech", Spikes: []string{"compensation"}}
	tests := []struct {
		name  string
		edit  func(in *CareerRoleInput)
		field string // "" = valid
	}{
		{"valid", func(in *CareerRoleInput) {}, ""},
		{"current role", func(in *CareerRoleInput) { in.End = "" }, ""},
		{"two spikes", func(in *CareerRoleInput) { in.Spikes = []string{"compensation", "management"} }, ""},
		{"no company", func(in *CareerRoleInput) { in.Company = "  " }, "company"},
		{"no title", func(in *CareerRoleInput) { in.Title = "" }, "title"},
		{"bad start", func(in *CareerRoleInput) { in.Start = "2020-13-01" }, "start"},
		{"future start", func(in *CareerRoleInput) { in.Start, in.End = "2026-04-01", "" }, "start"},
		{"end before start", func(in *CareerRoleInput) { in.End = "2019-12-31" }, "end"},
		{"end on the start day", func(in *CareerRoleInput) { in.End = "2020-01-01" }, "end"},
		{"future end", func(in *CareerRoleInput) { in.End = "2026-03-16" }, "end"},
		{"bad end", func(in *CareerRoleInput) { in.End = "soon" }, "end"},
		{"unknown market", func(in *CareerRoleInput) { in.Market = "b2g" }, "market"},
		{"no market", func(in *CareerRoleInput) { in.Market = "" }, "market"},
		{"bad specialism", func(in *CareerRoleInput) { in.Specialism = "Fin Tech" }, "specialism"},
		{"no spike", func(in *CareerRoleInput) { in.Spikes = nil }, "spikes"},
		{"three spikes", func(in *CareerRoleInput) { in.Spikes = []string{"compensation", "management", "social_impact"} }, "spikes"},
		{"unknown spike", func(in *CareerRoleInput) { in.Spikes = []string{"compensation", "fame"} }, "spikes[1]"},
		{"repeated spike", func(in *CareerRoleInput) { in.Spikes = []string{"management", "management"} }, "spikes[1]"},
	}
	for _, tt := range tests {
		in := ok
		tt.edit(&in)
		r, err := in.Role(7, today)
		if got := ErrorField(err); got != tt.field || (tt.field != "" && ErrorCode(err) != EINVALID) {
			t.Errorf("%s: field %q (%v), want %q", tt.name, got, err, tt.field)
		}
		if tt.field == "" && (r == nil || r.PersonID != 7) {
			t.Errorf("%s: role %+v", tt.name, r)
		}
	}
}

func TestCheckCareerRole(t *testing.T) {
	d := func(s string) *Date {
		if s == "" {
			return nil
		}
		v, _ := ParseDate(s)
		return &v
	}
	role := func(start, end string) CareerRole {
		return CareerRole{Title: "PM", Company: "Co", Start: *d(start), End: d(end)}
	}
	others := []CareerRole{role("2015-01-01", "2017-01-01"), role("2018-01-01", "2020-01-01")}
	tests := []struct {
		name  string
		r     CareerRole
		field string
	}{
		{"between the two", role("2017-01-01", "2018-01-01"), ""}, // handovers on the same day
		{"after both, current", role("2020-06-01", ""), ""},
		{"starts inside the first", role("2016-06-01", "2017-06-01"), "start"},
		{"runs into the second", role("2017-03-01", "2018-02-01"), "end"},
		{"covers the second", role("2017-06-01", "2021-01-01"), "end"},
		{"inside the second", role("2018-06-01", "2019-01-01"), "start"},
		{"current from before the second", role("2017-06-01", ""), "end"},
	}
	for _, tt := range tests {
		if got := ErrorField(CheckCareerRole(others, tt.r)); got != tt.field {
			t.Errorf("%s: field %q, want %q", tt.name, got, tt.field)
		}
	}
	current := []CareerRole{role("2020-01-01", "")}
	if ErrorField(CheckCareerRole(current, role("2021-01-01", ""))) != "start" {
		t.Error("a second current role is accepted")
	}
	many := make([]CareerRole, MaxRolesPerPerson)
	for i := range many {
		many[i] = role("1900-01-01", "1900-02-01")
	}
	if ErrorField(CheckCareerRole(many[:MaxRolesPerPerson-1], role("1990-01-01", "1990-02-01"))) != "" {
		t.Error("the last allowed role is refused")
	}
	if ErrorField(CheckCareerRole(many, role("1990-01-01", "1990-02-01"))) != "roles" {
		t.Error("too many roles are accepted")
	}
}

func TestResourceInput(t *testing.T) {
	fw := &Framework{Competencies: []Competency{{Key: "analytics", Name: "Analytics"}, {Key: "old", Name: "Old", Archived: true}}}
	lo, hi := 1, 3
	ok := ResourceInput{Title: "Lean Analytics", URL: "https://example.com/lean", Kind: "book", Competency: "analytics",
		LevelMin: &lo, LevelMax: &hi, Market: "b2c"}
	n := func(v int) *int { return &v }
	s := func(v string) *string { return &v }
	tests := []struct {
		name  string
		edit  func(in *ResourceInput)
		field string
	}{
		{"valid", func(in *ResourceInput) {}, ""},
		{"defaults", func(in *ResourceInput) { in.LevelMin, in.LevelMax, in.Market = nil, nil, "" }, ""},
		{"with background", func(in *ResourceInput) { in.Background = s("sales") }, ""},
		{"empty background", func(in *ResourceInput) { in.Background = s("") }, ""},
		{"no title", func(in *ResourceInput) { in.Title = "" }, "title"},
		{"javascript link", func(in *ResourceInput) { in.URL = "javascript:alert(1)" }, "url"},
		{"relative link", func(in *ResourceInput) { in.URL = "/learn" }, "url"},
		{"ftp link", func(in *ResourceInput) { in.URL = "ftp://example.com/x" }, "url"},
		{"link with credentials", func(in *ResourceInput) { in.URL = "https://a:b@example.com/" }, "url"},
		{"unknown kind", func(in *ResourceInput) { in.Kind = "podcast" }, "kind"},
		{"unknown competency", func(in *ResourceInput) { in.Competency = "juggling" }, "competency"},
		{"archived competency", func(in *ResourceInput) { in.Competency = "old" }, "competency"},
		{"min below 0", func(in *ResourceInput) { in.LevelMin = n(-1) }, "level_min"},
		{"max above 5", func(in *ResourceInput) { in.LevelMax = n(6) }, "level_max"},
		{"min above max", func(in *ResourceInput) { in.LevelMin, in.LevelMax = n(4), n(2) }, "level_min"},
		{"unknown market", func(in *ResourceInput) { in.Market = "b2g" }, "market"},
		{"unknown background", func(in *ResourceInput) { in.Background = s("astronaut") }, "background"},
	}
	for _, tt := range tests {
		in := ok
		tt.edit(&in)
		r, err := in.Resource(1, fw)
		if got := ErrorField(err); got != tt.field {
			t.Errorf("%s: field %q (%v), want %q", tt.name, got, err, tt.field)
		}
		if tt.name == "defaults" && (r.LevelMin != 0 || r.LevelMax != 5 || r.Market != MarketBoth) {
			t.Errorf("defaults: %+v", r)
		}
		if tt.name == "empty background" && r.Background != nil {
			t.Errorf("empty background stored as %q", *r.Background)
		}
	}
}
