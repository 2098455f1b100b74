package shape

import (
	"reflect"
	"testing"
)

func TestBackgroundHint(t *testing.T) {
	tests := []struct {
		background string
		want       Hint
	}{
		{"sales", Hint{[]string{"customer_relationships", "stakeholder_partnership"}, []string{"specification", "delivery"}}},
		{"marketing", Hint{[]string{"analytics", "customer_research"}, []string{"specification", "delivery"}}},
		{"business_analysis", Hint{[]string{"product_innovation", "analytics"}, []string{"user_experience", "delivery"}}},
		{"development", Hint{[]string{"delivery", "specification"}, []string{"product_innovation", "user_experience"}}},
		{"ux_design", Hint{[]string{"user_experience", "customer_research"}, []string{"business_outcomes"}}},
		{"qa", Hint{[]string{"quality_launch", "delivery", "user_experience"}, []string{"business_outcomes"}}},
		{"project_management", Hint{[]string{"delivery", "stakeholder_partnership"}, []string{"product_innovation", "user_experience"}}},
		{"other", Hint{}},
		{"", Hint{}},
		{"astronaut", Hint{}},
	}
	for _, tt := range tests {
		if got := BackgroundHint(tt.background); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("BackgroundHint(%q) = %+v, want %+v", tt.background, got, tt.want)
		}
	}
	// The caller's copy does not alias the table.
	BackgroundHint("qa").Strengths[0] = "changed"
	if BackgroundHint("qa").Strengths[0] != "quality_launch" {
		t.Error("BackgroundHint returned the table's own slice")
	}
}

func TestTagsAndTitle(t *testing.T) {
	tests := []struct {
		keys  []string // spike first
		tags  []string
		title string
	}{
		{[]string{"delivery", "quality_launch"}, []string{"platform"}, "Platform PM"},
		{[]string{"quality_launch", "specification", "delivery"}, []string{"platform", "technical"}, "Platform PM"},
		{[]string{"specification", "delivery"}, []string{"technical"}, "Technical PM"},
		{[]string{"analytics", "specification"}, []string{"data", "technical"}, "Data PM"},
		{[]string{"business_outcomes", "market_domain"}, []string{"growth", "industry"}, "Growth PM"},
		{[]string{"vision_roadmap", "market_domain"}, []string{"industry"}, "Product Manager"},
		{[]string{"user_experience", "customer_relationships"}, []string{"b2c", "b2b"}, "Product Manager"},
		{[]string{"vision_roadmap", "analytics"}, []string{"data"}, "Data PM"},
		{[]string{"vision_roadmap"}, nil, "Product Manager"},
	}
	for _, tt := range tests {
		tags := tagsFor(tt.keys)
		if !reflect.DeepEqual(tags, tt.tags) {
			t.Errorf("tagsFor(%v) = %v, want %v", tt.keys, tags, tt.tags)
		}
		if got := titleFor(false, tags); got != tt.title {
			t.Errorf("title for %v = %q, want %q", tt.keys, got, tt.title)
		}
	}
	if got := titleFor(true, []string{"data"}); got != "Group PM" {
		t.Errorf("leads-only spike title = %q", got)
	}
}

func TestBackgroundsFor(t *testing.T) {
	tests := []struct {
		keys []string // spike first
		want []string
	}{
		// Overlap 2 first (QA: quality_launch, delivery), then overlap 1 in table order.
		{[]string{"quality_launch", "analytics", "delivery"}, []string{"qa", "marketing", "business_analysis", "development", "project_management"}},
		// All overlap 1: those listing the spike (delivery) before those listing analytics.
		{[]string{"delivery", "analytics"}, []string{"development", "qa", "project_management", "marketing", "business_analysis"}},
		// Leadership competencies are nobody's usual strength.
		{[]string{"coaching", "operating_model"}, nil},
	}
	for _, tt := range tests {
		if got := backgroundsFor(tt.keys); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("backgroundsFor(%v) = %v, want %v", tt.keys, got, tt.want)
		}
	}
}
