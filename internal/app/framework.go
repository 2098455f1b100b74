package app

// The proficiency scale, 0–5. "Not assessed" is no rating at all, never 0.
var Scale = []ScaleLevel{
	{0, "unexposed", "Has not met this yet."},
	{1, "aware", "Knows what it is and why it matters."},
	{2, "developing", "Handles routine cases, under review."},
	{3, "working", "Handles typical cases end to end, alone."},
	{4, "proficient", "Handles ambiguous cases and reviews others."},
	{5, "expert", "Sets the standard and teaches it."},
}

// ScaleLevel is one step of the proficiency scale.
type ScaleLevel struct {
	Level       int    `json:"level"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// LevelName returns the scale name of a level.
func LevelName(l int) string {
	if l < 0 || l >= len(Scale) {
		return ""
	}
	return Scale[l].Name
}

// Titles (career levels), from junior to lead. TitleLead is the one with leads-only competencies.
var Titles = []Option{
	{"apm", "Associate PM"}, {"pm", "PM"}, {"senior_pm", "Senior PM"},
	{"principal_pm", "Principal PM"}, {"group_pm", "Group PM"},
}

// TitleLead is the title for which leads-only competencies count.
const TitleLead = "group_pm"

// Backgrounds a PM may come from.
var Backgrounds = []Option{
	{"sales", "Sales & account management"}, {"marketing", "Marketing"},
	{"business_analysis", "Business analysis / consulting"}, {"development", "Development"},
	{"ux_design", "UX design"}, {"qa", "QA"}, {"project_management", "Project management"},
	{"other", "Other"},
}

// CareerSpikes are what a PM may pursue in a role (one or two at a time).
var CareerSpikes = []Option{
	{"social_impact", "Social impact"}, {"management", "Management chops"},
	{"industry_expertise", "Industry expertise"}, {"compensation", "Compensation"},
	{"advancement_speed", "Advancement speed"},
}

// SpecialismTags are the suggested specialism tags, grouped by kind.
var SpecialismTags = []Option{
	{"technical", "Skillset"}, {"data", "Skillset"}, {"platform", "Skillset"}, {"growth", "Skillset"},
	{"ai_ml", "Technology"}, {"blockchain", "Technology"},
	{"fintech", "Industry"}, {"edtech", "Industry"}, {"healthtech", "Industry"},
	{"b2b", "Market"}, {"b2c", "Market"},
}

// Option is a stable key with its display label.
type Option struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// OptionLabel returns the label of key in opts, or key itself.
func OptionLabel(opts []Option, key string) string {
	for _, o := range opts {
		if o.Key == key {
			return o.Label
		}
	}
	return key
}

// ValidOption reports whether key is one of opts.
func ValidOption(opts []Option, key string) bool {
	for _, o := range opts {
		if o.Key == key {
			return true
		}
	}
	return false
}

// DefaultArea is an area of the shipped framework.
type DefaultArea struct {
	Key, Name    string
	LeadsOnly    bool
	Competencies []DefaultCompetency
}

// DefaultCompetency is a competency of the shipped framework.
type DefaultCompetency struct {
	Key, Name, Definition string
	Importance            int
}

// DefaultFramework is created for every new organisation: 16 competencies in 5 areas.
var DefaultFramework = []DefaultArea{
	{Key: "execution", Name: "Product execution", Competencies: []DefaultCompetency{
		{"specification", "Specification", "Turns problems into clear, testable requirements and acceptance criteria.", 3},
		{"delivery", "Delivery & technical partnership", "Ships with engineering: trade-offs, sequencing, technical fluency.", 3},
		{"quality_launch", "Quality & launch", "Gets releases to users safely: quality bars, rollout, launch readiness.", 2},
	}},
	{Key: "insight", Name: "Customer insight", Competencies: []DefaultCompetency{
		{"customer_research", "Customer research", "Finds and validates real customer problems through interviews and evidence.", 3},
		{"user_experience", "User experience", "Shapes usable, delightful experiences with design.", 2},
		{"analytics", "Analytics & experimentation", "Measures outcomes, designs experiments and reads data soundly.", 3},
	}},
	{Key: "strategy", Name: "Product strategy", Competencies: []DefaultCompetency{
		{"product_innovation", "Product innovation", "Generates and tests new product ideas beyond the obvious.", 2},
		{"vision_roadmap", "Vision & roadmap", "Sets a compelling direction and a roadmap that serves it.", 3},
		{"business_outcomes", "Business outcomes", "Ties product work to revenue, cost and strategic goals.", 3},
		{"market_domain", "Market & domain knowledge", "Knows the market, competitors and the industry's rules.", 2},
	}},
	{Key: "influence", Name: "Influence & relationships", Competencies: []DefaultCompetency{
		{"customer_relationships", "Customer & client relationships", "Builds trust with customers and clients and represents them well.", 2},
		{"stakeholder_partnership", "Stakeholder partnership", "Aligns partner teams and stakeholders around shared goals.", 3},
		{"communication", "Communication & managing up", "Communicates clearly in writing and in person, including to executives.", 3},
	}},
	{Key: "leadership", Name: "Product leadership", LeadsOnly: true, Competencies: []DefaultCompetency{
		{"operating_model", "Operating model", "Designs how the team works: processes, rituals and handshakes with partners.", 3},
		{"coaching", "Empowerment & coaching", "Grows PMs through coaching, delegation and feedback.", 3},
		{"team_wellbeing", "Team well-being & talent", "Hires well and keeps the team healthy and motivated.", 2},
	}},
}

// DefaultLadderLevel is the expected level of a title in a competency of the default ladder:
// associates develop, PMs work alone, seniors are proficient where it matters most,
// principals are proficient everywhere, group PMs lead.
func DefaultLadderLevel(title string, importance int, leadsOnly bool) int {
	if leadsOnly {
		if title == TitleLead {
			return 4
		}
		return 0
	}
	switch title {
	case "apm":
		return 2
	case "pm":
		return 3
	case "senior_pm":
		if importance >= 3 {
			return 4
		}
		return 3
	case "principal_pm":
		return 4
	case "group_pm":
		if importance >= 3 {
			return 4
		}
		return 3
	}
	return 0
}
