package app

import (
	"strings"
	"testing"
	"time"
)

// defaultFramework is the shipped framework as storage would return it, with
// "archived_one" archived.
func defaultFramework() *Framework {
	fw := &Framework{}
	for _, a := range DefaultFramework {
		for _, c := range a.Competencies {
			fw.Competencies = append(fw.Competencies, Competency{Key: c.Key, Name: c.Name, AreaKey: a.Key,
				Importance: c.Importance, LeadsOnly: a.LeadsOnly})
		}
	}
	fw.Competencies = append(fw.Competencies, Competency{Key: "archived_one", Name: "Old", AreaKey: "execution", Archived: true})
	return fw
}

func lv(n int) *int { return &n }

func TestValidateRatings(t *testing.T) {
	fw := defaultFramework()
	loose, strict := &Settings{}, &Settings{RequireEvidence: true}
	ok := RatingInput{Competency: "analytics", Level: lv(3), Note: "ran the pricing test"}
	tests := []struct {
		name     string
		title    string
		settings *Settings
		in       []RatingInput
		field    string // "" = valid
	}{
		{"valid batch with not assessed", "pm", loose, []RatingInput{ok, {Competency: "delivery"}, {Competency: "quality_launch", Level: lv(0)}}, ""},
		{"empty batch", "pm", loose, nil, "ratings"},
		{"unknown competency", "pm", loose, []RatingInput{ok, {Competency: "astrology", Level: lv(2)}}, "ratings[1].competency"},
		{"archived competency", "pm", loose, []RatingInput{{Competency: "archived_one", Level: lv(2)}}, "ratings[0].competency"},
		{"leads-only for a non-lead", "senior_pm", loose, []RatingInput{ok, {Competency: "coaching", Level: lv(2)}}, "ratings[1].competency"},
		{"leads-only for a lead", TitleLead, loose, []RatingInput{{Competency: "coaching", Level: lv(2)}}, ""},
		{"leads-only without a title", "", loose, []RatingInput{{Competency: "coaching", Level: lv(2)}}, "ratings[0].competency"},
		{"duplicate", "pm", loose, []RatingInput{ok, ok}, "ratings[1].competency"},
		{"level too high", "pm", loose, []RatingInput{ok, {Competency: "specification", Level: lv(5)}, {Competency: "delivery", Level: lv(6)}}, "ratings[2].level"},
		{"level negative", "pm", loose, []RatingInput{{Competency: "delivery", Level: lv(-1)}}, "ratings[0].level"},
		{"note too long", "pm", loose, []RatingInput{{Competency: "delivery", Level: lv(2), Note: strings.Repeat("é", MaxNoteLength+1)}}, "ratings[0].note"},
		{"evidence required", "pm", strict, []RatingInput{ok, {Competency: "delivery", Level: lv(2), Note: "  "}}, "ratings[1].note"},
		{"evidence not needed for not assessed", "pm", strict, []RatingInput{ok, {Competency: "delivery"}}, ""},
		{"evidence rule off", "pm", loose, []RatingInput{{Competency: "delivery", Level: lv(2)}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateRatings(fw, tt.settings, tt.title, tt.in)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != tt.field {
				t.Fatalf("err = %v (field %q), want EINVALID on %q", err, ErrorField(err), tt.field)
			}
		})
	}
	// The message names the competency, so a form user knows which row.
	err := ValidateRatings(fw, loose, "pm", []RatingInput{{Competency: "delivery", Level: lv(9)}})
	if !strings.Contains(ErrorMessage(err), "Delivery & technical partnership") {
		t.Errorf("message %q does not name the competency", ErrorMessage(err))
	}
}

func TestSummarizeRatings(t *testing.T) {
	fw := defaultFramework()
	scope := fw.InScope("pm")
	if len(scope) != 13 {
		t.Fatalf("scope of a pm: %d competencies, want 13 (no leads-only, no archived)", len(scope))
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const me, lead1, lead2, peerA, peerB = 1, 2, 3, 4, 5
	r := func(rater int64, kind, comp string, level *int, day int) Rating {
		return Rating{RaterID: rater, Kind: kind, Competency: comp, Level: level, CreatedAt: t0.AddDate(0, 0, day)}
	}
	history := []Rating{
		// specification: self 4, leader 3 then (another leader) 2 → others 2, |4−2| = 2: flag.
		r(me, RatingSelf, "specification", lv(4), 0),
		r(lead1, RatingLeader, "specification", lv(3), 1),
		r(lead2, RatingLeader, "specification", lv(2), 2),
		// delivery: self 3, leader 2 → no flag.
		r(me, RatingSelf, "delivery", lv(3), 0),
		r(lead1, RatingLeader, "delivery", lv(2), 1),
		// analytics: no leader; peer A 1 then 5 (latest counts), peer B 1 → lower median of {1,5} = 1;
		// self 3 → |3−1| = 2: flag.
		r(me, RatingSelf, "analytics", lv(3), 0),
		r(peerA, RatingPeer, "analytics", lv(1), 1),
		r(peerB, RatingPeer, "analytics", lv(1), 2),
		r(peerA, RatingPeer, "analytics", lv(5), 3),
		// communication: leader withdrew (not assessed) → falls back to the peer's 4; self 2 → flag.
		r(lead1, RatingLeader, "communication", lv(1), 0),
		r(lead1, RatingLeader, "communication", nil, 1),
		r(peerA, RatingPeer, "communication", lv(4), 1),
		r(me, RatingSelf, "communication", lv(2), 1),
		// customer_research: self then self "not assessed" → no flag even with a leader at 0.
		r(me, RatingSelf, "customer_research", lv(5), 0),
		r(me, RatingSelf, "customer_research", nil, 1),
		r(lead1, RatingLeader, "customer_research", lv(0), 1),
		// a leads-only rating is out of a pm's scope.
		r(lead1, RatingLeader, "coaching", lv(3), 1),
	}
	effective := []EffectiveRating{{Competency: "specification", Level: 2, Source: "leader"}}
	got := map[string]CompetencyRatings{}
	for _, cr := range SummarizeRatings(scope, history, effective, map[string]int{"specification": 3}) {
		got[cr.Competency] = cr
	}
	if len(got) != 13 {
		t.Fatalf("%d rows, want 13", len(got))
	}
	if _, ok := got["coaching"]; ok {
		t.Error("a leads-only competency is in a pm's summary")
	}
	spec := got["specification"]
	if spec.Leader == nil || *spec.Leader.Level != 2 || spec.Leader.RaterID != lead2 || !spec.Flag || *spec.Others != 2 {
		t.Errorf("specification: %+v", spec)
	}
	if spec.Effective == nil || spec.Effective.Level != 2 || spec.Expected == nil || *spec.Expected != 3 {
		t.Errorf("specification effective/expected: %+v %v", spec.Effective, spec.Expected)
	}
	if d := got["delivery"]; d.Flag || *d.Others != 2 {
		t.Errorf("delivery: flag %v others %v", d.Flag, *d.Others)
	}
	an := got["analytics"]
	if len(an.Peers) != 2 || *an.Peers[0].Level != 5 || *an.Others != 1 || !an.Flag {
		t.Errorf("analytics: peers %+v others %v flag %v", an.Peers, an.Others, an.Flag)
	}
	if cm := got["communication"]; cm.Others == nil || *cm.Others != 4 || !cm.Flag {
		t.Errorf("communication: others %v flag %v", cm.Others, cm.Flag)
	}
	if cr := got["customer_research"]; cr.Flag || cr.Self == nil || cr.Self.Level != nil {
		t.Errorf("customer_research: %+v", cr)
	}
	if q := got["quality_launch"]; q.Self != nil || q.Leader != nil || q.Others != nil || q.Flag || q.Expected != nil || q.Peers == nil {
		t.Errorf("unrated competency: %+v", q)
	}
}

func TestRoleWindow(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	today := day(2025, 6, 15)
	tests := []struct {
		start  time.Time
		months int
		status string
	}{
		{day(2025, 6, 1), 0, WindowEarly},
		{day(2024, 1, 16), 16, WindowEarly}, // 17 months less a day
		{day(2024, 1, 15), 17, WindowEarly},
		{day(2023, 12, 15), 18, WindowIn},
		{day(2022, 6, 15), 36, WindowIn},
		{day(2022, 6, 16), 35, WindowIn},
		{day(2022, 5, 15), 37, WindowOverstaying},
		{day(2026, 1, 1), 0, WindowEarly}, // a future date counts as just started
	}
	for _, tt := range tests {
		m, s := RoleWindow(tt.start, today)
		if m != tt.months || s != tt.status {
			t.Errorf("RoleWindow(%s) = %d %s, want %d %s", tt.start.Format(DateLayout), m, s, tt.months, tt.status)
		}
	}
	if RoleWindowLabel(WindowIn) != "in the window" || RoleWindowLabel(WindowEarly) != "too early to move" ||
		RoleWindowLabel(WindowOverstaying) != "overstaying" {
		t.Error("window labels")
	}
}

func TestProfileInput(t *testing.T) {
	today := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	s := func(v string) *string { return &v }
	p, err := ProfileInput{Background: s("development"), RoleStartedOn: s("2024-02-01"),
		Specialisms: []string{"fintech", " b2b ", "fintech", "payments-eu"}, Spikes: []string{"management", "management"}}.Profile(7, today)
	if err != nil {
		t.Fatal(err)
	}
	if p.UserID != 7 || *p.Background != "development" || p.RoleStartedOn.Format(DateLayout) != "2024-02-01" ||
		strings.Join(p.Specialisms, ",") != "fintech,b2b,payments-eu" || strings.Join(p.Spikes, ",") != "management" {
		t.Errorf("profile %+v", p)
	}
	empty, err := ProfileInput{Background: s(""), RoleStartedOn: s("")}.Profile(7, today)
	if err != nil || empty.Background != nil || empty.RoleStartedOn != nil || empty.Specialisms == nil || empty.Spikes == nil {
		t.Errorf("empty profile %+v %v", empty, err)
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "tag" + string(rune('a'+i))
	}
	bad := []struct {
		in    ProfileInput
		field string
	}{
		{ProfileInput{Background: s("astronaut")}, "background"},
		{ProfileInput{RoleStartedOn: s("15/06/2024")}, "role_started_on"},
		{ProfileInput{RoleStartedOn: s("2025-06-16")}, "role_started_on"},
		{ProfileInput{Specialisms: []string{"ok", "FinTech"}}, "specialisms[1]"},
		{ProfileInput{Specialisms: []string{"<script>"}}, "specialisms[0]"},
		{ProfileInput{Specialisms: []string{""}}, "specialisms[0]"},
		{ProfileInput{Specialisms: eleven}, "specialisms"},
		{ProfileInput{Spikes: []string{"fame"}}, "spikes[0]"},
		{ProfileInput{Spikes: []string{"management", "compensation", "social_impact"}}, "spikes"},
	}
	for _, b := range bad {
		if _, err := b.in.Profile(7, today); ErrorCode(err) != EINVALID || ErrorField(err) != b.field {
			t.Errorf("%+v: err %v (field %q), want %q", b.in, err, ErrorField(err), b.field)
		}
	}
}

func TestValidateLadder(t *testing.T) {
	fw := defaultFramework()
	if err := ValidateLadder(fw, []LadderLevel{{"pm", "analytics", 3}, {"group_pm", "coaching", 5}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in    []LadderLevel
		field string
	}{
		{nil, "levels"},
		{[]LadderLevel{{"pm", "analytics", 3}, {"cto", "analytics", 3}}, "levels[1].title"},
		{[]LadderLevel{{"pm", "astrology", 3}}, "levels[0].competency"},
		{[]LadderLevel{{"pm", "archived_one", 3}}, "levels[0].competency"},
		{[]LadderLevel{{"pm", "analytics", 6}}, "levels[0].level"},
	} {
		if err := ValidateLadder(fw, tt.in); ErrorField(err) != tt.field {
			t.Errorf("%+v: err %v, want field %q", tt.in, err, tt.field)
		}
	}
}
