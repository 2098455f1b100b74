package demo

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// demoRole is a role of a demo career. The current role (the first) starts when the demo
// profile says (profiles[email].monthsInRole); each earlier role lasts months and ends
// gapAfter days before the next one starts.
type demoRole struct {
	company, title, industry, market, specialism string
	spikes                                       []string
	months, gapAfter                             int // gapAfter: days between its end and the next role's start
}

// careers are the demo careers, current role first: Maya has a long, varied career with a
// gap and no management spike yet; Omar is early in his, both roles in B2B.
var careers = map[string][]demoRole{
	"pm@demo.test": {
		{"Demo Co · Growth", "Senior PM", "SaaS", "b2c", "platform", []string{"advancement_speed"}, 0, 0},
		{"Ledgerly", "Product Manager", "fintech", "b2b", "technical", []string{"compensation", "industry_expertise"}, 31, 14},
		{"Brightpath Learning", "Associate PM", "edtech", "b2c", "growth", []string{"social_impact"}, 20, 122},
	},
	"pm2@demo.test": {
		{"Demo Co · Growth", "PM", "fintech", "b2b", "fintech", []string{"compensation", "industry_expertise"}, 0, 0},
		{"Northwind CRM", "Associate PM", "SaaS", "b2b", "growth", []string{"advancement_speed"}, 13, 10},
	},
}

// resources are the demo organisation's starter hit-lists, written for it.
var resources = []struct {
	title, kind, competency string
	lo, hi                  int
	market, background      string
	description             string
}{
	{"Five interviews before Friday", "article", "customer_research", 0, 2, "both", "",
		"A one-week plan for your first customer interviews: whom to ask, what to ask, how to take notes you will use."},
	{"Synthesis that sticks: from notes to opportunities", "course", "customer_research", 2, 4, "both", "",
		"Four sessions on turning interview notes into an opportunity map the team can prioritise."},
	{"Interviewing buyers, not just users", "talk", "customer_research", 2, 4, "b2b", "development",
		"For engineers turned PMs: how budget holders decide, and how to hear it in an interview."},
	{"Reading a cohort chart", "article", "analytics", 0, 2, "both", "",
		"What retention curves say, and what they do not, in ten minutes."},
	{"Metrics that matter for a self-serve funnel", "article", "analytics", 1, 3, "b2c", "",
		"Activation, conversion and payback for consumer sign-ups, with the traps to avoid."},
	{"Experiment design clinic", "internal", "analytics", 2, 4, "both", "",
		"Our monthly clinic with the data team: bring an experiment idea, leave with a design and a sample size."},
	{"The revenue case on one page", "internal", "business_outcomes", 1, 3, "both", "",
		"Demo Co's template for tying a bet to revenue, cost or retention, with two filled-in examples."},
	{"From feature to P&L: finance for builders", "book", "business_outcomes", 1, 3, "both", "development",
		"A short primer on margins, unit economics and budgets for PMs who came from engineering."},
	{"SaaS unit economics for product people", "course", "business_outcomes", 2, 4, "b2b", "",
		"LTV, CAC, payback and net revenue retention, worked through on a B2B pricing change."},
	{"Acceptance criteria workshop", "internal", "specification", 0, 2, "both", "",
		"A two-hour workshop with an engineering lead: write, review and test acceptance criteria on a live story."},
	{"Specs engineers want to read", "article", "specification", 1, 3, "both", "sales",
		"For PMs from sales or marketing: structure a spec around the problem, the constraints and the tests."},
	{"Roadmaps as bets", "book", "vision_roadmap", 2, 4, "both", "",
		"Why outcome roadmaps beat feature lists, and how to present one to leadership without dates on everything."},
	{"Stakeholder maps in practice", "talk", "stakeholder_partnership", 1, 3, "both", "",
		"Map influence and interest, then plan the conversations: a talk from our Platform team's planning day."},
	{"Running a customer advisory board", "course", "customer_relationships", 2, 4, "b2b", "",
		"Recruit, run and learn from an advisory board of customers without turning it into a feature queue."},
	{"Onboarding that respects the user", "article", "user_experience", 1, 3, "b2c", "",
		"Patterns for first-run experiences that teach by doing, with before-and-after examples."},
	{"Coaching PMs with GROW", "course", "coaching", 2, 5, "both", "",
		"Goal, reality, options, will: practise coaching conversations with other group PMs."},
}

// mentorOffers are the demo people who opted in to be suggested, with the competencies
// they offer to mentor in (each rated 3 or more by their leader, see leaderLevels). Paula,
// Ravi and the leaders have not opted in: they are suggested to nobody.
var mentorOffers = map[string][]string{
	"pm@demo.test":  {"specification", "delivery"},
	"pm2@demo.test": {"customer_relationships"},
	"pm3@demo.test": {"customer_research", "user_experience"},
	"pm5@demo.test": {"analytics", "vision_roadmap"},
	"pm6@demo.test": {"delivery", "stakeholder_partnership"},
}

// demoMentorships: Maya is mentored by Sofia in customer research (active); Omar has asked
// Maya for help with delivery (waiting for her answer).
var demoMentorships = []struct {
	mentee, mentor, competency, message string
	accepted                            bool
}{
	{"pm@demo.test", "pm3@demo.test", "customer_research", "Could you watch me run two interviews and give feedback?", true},
	{"pm2@demo.test", "pm@demo.test", "delivery", "I would like to get better at sequencing work with engineering.", false},
}

// seedCareer adds the demo careers, the starter resources, the mentoring opt-ins and the
// demo mentorships, each once: a person with roles keeps them, a resource whose title
// exists is left alone, a person who decided about mentoring (even to opt out) keeps their
// decision, and a mentee with any mentorship gets no new one.
func seedCareer(ctx context.Context, st Seeder, org *app.Organisation, ids map[string]int64) error {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	for email, roles := range careers {
		existing, err := st.FindCareerRoles(ctx, org.ID, ids[email])
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			continue
		}
		next := today.AddDate(0, -profiles[email].monthsInRole, -3) // the current role starts as the demo profile says
		for i, dr := range roles {
			r := &app.CareerRole{OrgID: org.ID, PersonID: ids[email], Company: dr.company, Title: dr.title,
				Industry: dr.industry, Market: dr.market, Specialism: dr.specialism, Spikes: dr.spikes, Start: app.DateOf(next)}
			if i > 0 {
				end := app.DateOf(next.AddDate(0, 0, -dr.gapAfter))
				r.End, r.Start = &end, app.DateOf(end.AddDate(0, -dr.months, 0))
			}
			if err := st.SaveCareerRole(ctx, r, func(others []app.CareerRole) error { return app.CheckCareerRole(others, *r) }); err != nil {
				return err
			}
			next = r.Start.Time
		}
	}

	have, err := st.FindResources(ctx, org.ID, "")
	if err != nil {
		return err
	}
	titles := map[string]bool{}
	for _, r := range have {
		titles[r.Title] = true
	}
	admin := ids["admin@demo.test"]
	for _, dr := range resources {
		if titles[dr.title] {
			continue
		}
		r := &app.LearningResource{OrgID: org.ID, Title: dr.title, URL: "https://example.com/learn/" + slug(dr.title),
			Description: dr.description, Kind: dr.kind, Competency: dr.competency, LevelMin: dr.lo, LevelMax: dr.hi,
			Market: dr.market, CreatedBy: &admin}
		if dr.background != "" {
			bg := dr.background
			r.Background = &bg
		}
		if err := st.CreateResource(ctx, r); err != nil {
			return err
		}
	}

	consents, err := st.FindMentorConsents(ctx, org.ID)
	if err != nil {
		return err
	}
	for email, offers := range mentorOffers {
		if _, decided := consents[ids[email]]; decided {
			continue
		}
		if err := st.SetMentorConsent(ctx, ids[email], true, offers); err != nil {
			return err
		}
	}

	for _, dm := range demoMentorships {
		mine, err := st.FindMentorships(ctx, org.ID, app.MentorshipFilter{PersonID: ids[dm.mentee], AsMentee: true})
		if err != nil {
			return err
		}
		if len(mine) > 0 {
			continue
		}
		m := &app.Mentorship{OrgID: org.ID, MenteeID: ids[dm.mentee], MentorID: ids[dm.mentor], Competency: dm.competency, Message: dm.message}
		if err := st.CreateMentorship(ctx, m); err != nil {
			return err
		}
		if dm.accepted {
			if err := st.SetMentorshipStatus(ctx, org.ID, m.ID, app.MentorshipPending, app.MentorshipAccepted, app.MentorCapacity); err != nil {
				return err
			}
		}
	}
	return nil
}

// slug turns a title into a path segment: lowercase letters and digits joined by dashes.
func slug(s string) string {
	var out []rune
	dash := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out, dash = append(out, r), false
		case r >= 'A' && r <= 'Z':
			out, dash = append(out, r-'A'+'a'), false
		case !dash && len(out) > 0:
			out, dash = append(out, '-'), true
		}
	}
	if dash {
		out = out[:len(out)-1]
	}
	return string(out)
}
