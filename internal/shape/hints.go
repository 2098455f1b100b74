package shape

import (
	"cmp"
	"slices"
)

// Hint is what a background usually brings to product management: competency keys of its usual
// strengths and usual growth areas. It is an overlay, never counted as a rating.
type Hint struct {
	Strengths, GrowthAreas []string
}

// backgrounds is PRODUCT.md's background table, in its order ("other" has no hint).
var backgrounds = []struct {
	key, label string
	hint       Hint
}{
	{"sales", "sales & account management", Hint{
		Strengths:   []string{"customer_relationships", "stakeholder_partnership"},
		GrowthAreas: []string{"specification", "delivery"}}},
	{"marketing", "marketing", Hint{
		Strengths:   []string{"analytics", "customer_research"},
		GrowthAreas: []string{"specification", "delivery"}}},
	{"business_analysis", "business analysis / consulting", Hint{
		Strengths:   []string{"product_innovation", "analytics"},
		GrowthAreas: []string{"user_experience", "delivery"}}},
	{"development", "development", Hint{
		Strengths:   []string{"delivery", "specification"},
		GrowthAreas: []string{"product_innovation", "user_experience"}}},
	{"ux_design", "UX design", Hint{
		Strengths:   []string{"user_experience", "customer_research"},
		GrowthAreas: []string{"business_outcomes"}}},
	{"qa", "QA", Hint{
		Strengths:   []string{"quality_launch", "delivery", "user_experience"},
		GrowthAreas: []string{"business_outcomes"}}},
	{"project_management", "project management", Hint{
		Strengths:   []string{"delivery", "stakeholder_partnership"},
		GrowthAreas: []string{"product_innovation", "user_experience"}}},
}

// BackgroundHint returns the usual strengths and growth areas of a background key ("sales",
// "marketing", "business_analysis", "development", "ux_design", "qa", "project_management").
// "other" and unknown keys have no hint. The slices are the caller's to keep.
func BackgroundHint(background string) Hint {
	for _, b := range backgrounds {
		if b.key == background {
			return Hint{Strengths: slices.Clone(b.hint.Strengths), GrowthAreas: slices.Clone(b.hint.GrowthAreas)}
		}
	}
	return Hint{}
}

// backgroundLabel is a background's display name, or its key when unknown.
func backgroundLabel(key string) string {
	for _, b := range backgrounds {
		if b.key == key {
			return b.label
		}
	}
	return key
}

// backgroundsFor ranks the backgrounds whose usual strengths include any of keys (keys[0] being
// the spike): most strengths in keys first, then those that include the spike, then table order.
func backgroundsFor(keys []string) []string {
	type match struct {
		key     string
		overlap int
		spike   bool
	}
	var matches []match
	for _, b := range backgrounds {
		m := match{key: b.key}
		for _, k := range b.hint.Strengths {
			if slices.Contains(keys, k) {
				m.overlap++
				m.spike = m.spike || k == keys[0]
			}
		}
		if m.overlap > 0 {
			matches = append(matches, m)
		}
	}
	slices.SortStableFunc(matches, func(a, b match) int {
		if c := cmp.Compare(b.overlap, a.overlap); c != 0 {
			return c
		}
		switch {
		case a.spike && !b.spike:
			return -1
		case b.spike && !a.spike:
			return 1
		}
		return 0
	})
	var out []string
	for _, m := range matches {
		out = append(out, m.key)
	}
	return out
}

// competencyTags suggests a specialism tag per competency key ("industry" stands for an industry
// specialism such as fintech, edtech or healthtech).
var competencyTags = map[string]string{
	"specification":          "technical",
	"delivery":               "technical",
	"analytics":              "data",
	"business_outcomes":      "growth",
	"product_innovation":     "growth",
	"market_domain":          "industry",
	"user_experience":        "b2c",
	"customer_relationships": "b2b",
}

// tagsFor suggests specialism tags for a hire covering keys (spike first), without repeats.
// Delivery together with quality & launch makes a platform profile: both then suggest "platform".
func tagsFor(keys []string) []string {
	platform := slices.Contains(keys, "delivery") && slices.Contains(keys, "quality_launch")
	var tags []string
	for _, k := range keys {
		tag := competencyTags[k]
		if platform && (k == "delivery" || k == "quality_launch") {
			tag = "platform"
		}
		if tag != "" && !slices.Contains(tags, tag) {
			tags = append(tags, tag)
		}
	}
	return tags
}

// titles names a specialist PM after a skillset tag.
var titles = map[string]string{
	"platform":  "Platform PM",
	"technical": "Technical PM",
	"data":      "Data PM",
	"growth":    "Growth PM",
}

// titleFor suggests a job title: "Group PM" for a lead role (a leads-only spike or must-have),
// else the title of the first tag that has one (the spike's own tag comes first), else
// "Product Manager".
func titleFor(lead bool, tags []string) string {
	if lead {
		return "Group PM"
	}
	for _, t := range tags {
		if title, ok := titles[t]; ok {
			return title
		}
	}
	return "Product Manager"
}
