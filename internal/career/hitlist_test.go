package career

import (
	"slices"
	"testing"
)

// res is a resource; market "both" fits every market (stored as "").
func res(id int64, title, competency string, lo, hi int, market, background string) Resource {
	if market == "both" {
		market = ""
	}
	return Resource{ID: id, Title: title, Competency: competency, LevelMin: lo, LevelMax: hi, Market: market, Background: background}
}

// words are the labels the reasons use.
var words = Words{"b2b": "B2B", "b2c": "B2C", "development": "Development", "sales": "Sales"}

func lvl(v int) *int { return &v }

func TestHitList(t *testing.T) {
	resources := []Resource{
		res(1, "A basics", "analytics", 0, 2, "both", ""),
		res(2, "B experiments", "analytics", 2, 4, "b2b", ""),
		res(3, "C metrics for developers", "analytics", 1, 3, "both", "development"),
		res(4, "D consumer funnels", "analytics", 2, 3, "b2c", ""),
		res(5, "E advanced causal inference", "analytics", 4, 5, "both", ""),
		res(6, "F pipeline analytics", "analytics", 1, 4, "both", "sales"),
		res(7, "G interviews", "customer_research", 0, 5, "both", ""),
	}
	tests := []struct {
		name    string
		learner Learner
		n       int
		want    []int64
	}{
		// Fit: 1 (0–2), 2 (b2b), 3, 6; not 4 (b2c), 5 (level), 7 (competency).
		// 3 is for their background; 2 is for their market; 1 and 2 tie on span; 6 is for another background.
		{"level 2, b2b, from development", Learner{lvl(2), "b2b", "development"}, 5, []int64{3, 2, 1, 6}},
		// Fit: 2, 3, 4, 6; 6 is for their background; 4 (span 1) before 2 (span 2); 3 for another background.
		{"level 3, any market, from sales", Learner{lvl(3), "", "sales"}, 5, []int64{6, 4, 2, 3}},
		// Unassessed: every level fits; b2b is out. 4 is for their market; then span, then the lower start.
		{"not assessed, b2c", Learner{nil, "b2c", ""}, 5, []int64{4, 5, 1, 3, 6}},
		{"top three only", Learner{nil, "b2c", ""}, 3, []int64{4, 5, 1}},
		{"level 5: only the advanced one", Learner{lvl(5), "", ""}, 5, []int64{5}},
		{"level 0 in b2b: only the basics", Learner{lvl(0), "b2b", ""}, 5, []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int64
			for _, p := range HitList(resources, "analytics", tt.learner, tt.n, words) {
				id := resources[p.Index].ID
				got = append(got, id)
				if len(p.Reasons) < 2 {
					t.Errorf("resource %d: reasons %v", id, p.Reasons)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("hit-list = %v, want %v", got, tt.want)
			}
		})
	}
	if got := HitList(resources, "vision_roadmap", Learner{}, 5, words); got == nil || len(got) != 0 {
		t.Errorf("no resource: %v, want an empty list", got)
	}
}

func TestHitListReasons(t *testing.T) {
	p := HitList([]Resource{res(3, "C", "analytics", 1, 3, "b2b", "development")}, "analytics",
		Learner{lvl(2), "b2b", "development"}, 5, words)
	want := []string{"level 2 is within 1–3", "for B2B", "written for a Development background: a match"}
	if len(p) != 1 || !slices.Equal(p[0].Reasons, want) {
		t.Fatalf("reasons = %v, want %v", p, want)
	}
}

func TestMarketOf(t *testing.T) {
	tests := []struct {
		tags []string
		want string
	}{
		{[]string{"b2b"}, "b2b"},
		{[]string{"growth", "b2c"}, "b2c"},
		{[]string{"b2b", "b2c"}, ""},
		{[]string{"fintech"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := MarketOf(tt.tags); got != tt.want {
			t.Errorf("MarketOf(%q) = %q, want %q", tt.tags, got, tt.want)
		}
	}
}
