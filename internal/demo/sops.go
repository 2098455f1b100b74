package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// demoSOP is a demo procedure of the Growth team. Revise, if set, is saved as revision 2;
// AgeDays backdates the review clock (a procedure written that many days ago).
type demoSOP struct {
	Fields  app.SOPFields
	Owner   string // e-mail
	AgeDays int
	Revise  func(f *app.SOPFields)
}

func need(key string, level int) app.SOPCompetency {
	return app.SOPCompetency{Competency: key, Level: level}
}

// growthSOPs give the Growth board something to show: procedures at every maturity, one
// overdue and one due review, a fragile and an unstaffed procedure, categories with no
// procedure in use (backlog, user feedback, scaling), and a handshake with HR.
var growthSOPs = []demoSOP{
	{Owner: "leader@demo.test", AgeDays: 40, Fields: app.SOPFields{
		Category: "intake", Title: "Weekly intake triage", Maturity: "documented", ReviewEveryDays: 90,
		Purpose: "Every request from sales, support and leadership gets a **visible decision** within a week, so nobody has to lobby individual PMs.",
		Trigger: "Every Monday, 30 minutes; or a request marked *urgent* in the intake form.",
		Steps: []string{
			"Collect new requests from the intake form and the #growth-requests channel",
			"Score each against this quarter's outcomes (reach, impact, confidence, effort)",
			"Tech lead sizes the top five in t-shirt sizes",
			"Decide: **now**, **next**, **later** or **no** — with a one-line reason",
			"Post the decisions back to every requester",
		},
		Outputs:        "An updated intake board and a reply to every requester.",
		DecisionRights: "The PM who owns the area decides *now/next/later*; a **no** on a top-20 customer's request needs the group PM.",
		Escalation:     "Disagreements go to the Growth leader within two working days.",
		Metrics:        "Median time from request to decision (target: ≤ 7 days); share of requests with a reply.",
		Competencies:   []app.SOPCompetency{need("business_outcomes", 3), need("stakeholder_partnership", 3)},
		Handshakes: []app.SOPHandshake{
			{Partner: "engineering", Purpose: "Sizing the top requests", Expectations: "The tech lead joins triage and sizes the top five.", Contact: "Tech lead, Growth squad"},
			{Partner: "sales", Purpose: "Top customer asks", Expectations: "Sales tags requests with account and deal size; we reply within a week.", Contact: "#sales-growth"},
		},
	}, Revise: func(f *app.SOPFields) {
		f.Maturity = "adopted"
		f.Steps = append(f.Steps, "Review last week's *later* pile once a month")
	}},
	{Owner: "pm@demo.test", AgeDays: 20, Fields: app.SOPFields{
		Category: "backlog", Title: "Backlog refinement with engineering", Maturity: "documented", ReviewEveryDays: 60,
		Purpose: "Stories reach sprint planning small, testable and understood by the engineers who will build them.",
		Trigger: "Twice a week, 45 minutes.",
		Steps: []string{
			"PM brings the next ten stories with acceptance criteria",
			"Engineers ask questions and split anything bigger than three days",
			"Agree the definition of ready for each story",
		},
		Outputs:        "A ready backlog two sprints deep.",
		DecisionRights: "Engineering owns estimates and technical approach; the PM owns scope and order.",
		Escalation:     "Scope disputes go to the Growth leader and the engineering manager together.",
		Metrics:        "Stories carried over per sprint; share of stories meeting the definition of ready.",
		Competencies:   []app.SOPCompetency{need("specification", 4), need("delivery", 3)},
		Handshakes: []app.SOPHandshake{
			{Partner: "engineering", Purpose: "Shared definition of ready", Expectations: "Two engineers attend each session; estimates within the session.", Contact: "Engineering manager, Growth"},
		},
	}},
	{Owner: "pm3@demo.test", AgeDays: 10, Fields: app.SOPFields{
		Category: "value_testing", Title: "Value test before we build", Maturity: "measured", ReviewEveryDays: 90,
		Purpose: "Test whether customers want a solution before engineering builds it. See the [team playbook](https://example.com/playbooks/value-testing).",
		Trigger: "Any initiative estimated at more than two sprints.",
		Steps: []string{
			"Write the riskiest assumption as a falsifiable hypothesis",
			"Pick the cheapest test: interview, fake door, concierge or prototype",
			"Run it with at least eight target customers",
			"Record the result and the decision in the initiative brief",
		},
		Outputs:        "A hypothesis, the test, its result and a go / no-go decision.",
		DecisionRights: "The PM decides go / no-go; design signs off the prototype.",
		Escalation:     "If the test is inconclusive twice, the leader decides.",
		Metrics:        "Share of large initiatives tested before build (target 80%); initiatives stopped early.",
		Competencies:   []app.SOPCompetency{need("customer_research", 4), need("analytics", 3)},
		Handshakes: []app.SOPHandshake{
			{Partner: "design", Purpose: "Prototypes for tests", Expectations: "A clickable prototype within five working days of the request.", Contact: "Design lead"},
		},
	}},
	{Owner: "pm5@demo.test", AgeDays: 100, Fields: app.SOPFields{
		Category: "product_measurement", Title: "Monthly product metrics review", Maturity: "adopted", ReviewEveryDays: 90,
		Purpose: "Look at the funnel and revenue metrics together every month and agree what to act on.",
		Trigger: "First Tuesday of the month.",
		Steps: []string{
			"Refresh the growth dashboard (acquisition, activation, retention, revenue)",
			"Each PM explains one metric that moved and why",
			"Agree at most three actions with owners",
		},
		Outputs:        "Three actions with owners, posted in #growth.",
		DecisionRights: "The leader chooses the actions; finance confirms revenue figures.",
		Escalation:     "Metric definitions in dispute go to the data team.",
		Metrics:        "Actions completed by the next review.",
		Competencies:   []app.SOPCompetency{need("analytics", 4), need("business_outcomes", 4)},
		Handshakes: []app.SOPHandshake{
			{Partner: "finance", Purpose: "Revenue figures", Expectations: "Finance shares the month's revenue by plan two days before the review.", Contact: "FP&A partner"},
		},
	}},
	{Owner: "pm2@demo.test", AgeDays: 20, Fields: app.SOPFields{
		Category: "user_feedback", Title: "Customer feedback loop", Maturity: "draft", ReviewEveryDays: 30,
		Purpose: "Turn what customers tell support and sales into themes the team can act on.",
		Trigger: "Every other Thursday.",
		Steps: []string{
			"Pull tagged tickets and call notes from the last two weeks",
			"Group them into themes and count accounts per theme",
			"Bring the top three themes to intake triage",
		},
		Outputs:      "A ranked list of feedback themes.",
		Competencies: []app.SOPCompetency{need("customer_relationships", 3), need("user_experience", 3)},
	}},
	{Owner: "leader@demo.test", AgeDays: 5, Fields: app.SOPFields{
		Category: "scaling", Title: "Hiring and onboarding a PM", Maturity: "draft", ReviewEveryDays: 180,
		Purpose: "Hire for the team's gaps, not for a generic profile, and get new PMs productive in their first 90 days.",
		Trigger: "A hiring gap is approved, or a PM joins.",
		Steps: []string{
			"Take the spike and must-have competencies from the team's hiring gaps",
			"Agree the role profile and interview loop with the HR partner",
			"Assign an onboarding buddy and a 30/60/90-day plan",
		},
		Outputs:        "An open requisition with a role profile; an onboarding plan per new PM.",
		DecisionRights: "The leader decides the hire; HR owns the offer.",
		Competencies:   []app.SOPCompetency{need("coaching", 3), need("operating_model", 3)},
		Handshakes: []app.SOPHandshake{
			{Partner: "hr", Purpose: "Requisitions and interview loops", Expectations: "HR opens the requisition within five working days of an approved gap and books the loop.", Contact: "Hana Reyes (HR partner)"},
			{Partner: "finance", Purpose: "Headcount budget", Expectations: "Finance confirms budget before the requisition opens.", Contact: "FP&A partner"},
		},
	}},
	{Owner: "pm6@demo.test", AgeDays: 30, Fields: app.SOPFields{
		Category: "go_to_market", Title: "Launch readiness review", Maturity: "adopted", ReviewEveryDays: 120,
		Purpose: "Every launch ships with quality, messaging, sales enablement and legal sign-off in place.",
		Trigger: "Two weeks before a tier-1 or tier-2 launch.",
		Steps: []string{
			"Check the launch checklist: quality bar, rollout plan, rollback",
			"Marketing presents messaging and channels",
			"Sales enablement: demo, FAQ and pricing notes",
			"Legal confirms terms and privacy review",
		},
		Outputs:        "A go / no-go with a launch date.",
		DecisionRights: "The PM decides go / no-go; legal can block.",
		Escalation:     "A blocked launch goes to the leader the same day.",
		Metrics:        "Launches without a rollback; time from ready to launched.",
		Competencies:   []app.SOPCompetency{need("quality_launch", 3), need("communication", 4)},
		Handshakes: []app.SOPHandshake{
			{Partner: "marketing", Purpose: "Messaging and channels", Expectations: "Draft messaging one week before the review.", Contact: "Product marketing"},
			{Partner: "sales", Purpose: "Enablement", Expectations: "Sales leads attend the enablement session.", Contact: "Sales enablement"},
			{Partner: "legal", Purpose: "Terms and privacy", Expectations: "Review within five working days.", Contact: "legal@demo.test"},
		},
	}},
}

// seedSOPs writes the Growth team's demo procedures, once: nothing happens if the team
// already has SOPs.
func seedSOPs(ctx context.Context, st Seeder, org *app.Organisation, ids map[string]int64) error {
	team := ids["team:Growth"]
	existing, err := st.FindSOPs(ctx, app.SOPFilter{OrgID: org.ID, TeamIDs: []int64{team}})
	if err != nil || len(existing) > 0 {
		return err
	}
	fw, err := st.FindFramework(ctx, org.ID)
	if err != nil {
		return err
	}
	people, err := st.FindTeamPeople(ctx, team)
	if err != nil {
		return err
	}
	owners := map[int64]bool{}
	for _, p := range people {
		owners[p.UserID] = p.TeamRole != app.TeamHRPartner
	}
	leader := ids["leader@demo.test"]
	today := time.Now()
	for _, d := range growthSOPs {
		f := d.Fields
		owner := ids[d.Owner]
		f.OwnerID = &owner
		if err := app.ValidateSOP(&f, fw, owners); err != nil {
			return fmt.Errorf("%s: %w", f.Title, err)
		}
		sop, err := st.CreateSOP(ctx, org.ID, team, leader, f, today.AddDate(0, 0, -d.AgeDays))
		if err != nil {
			return err
		}
		if d.Revise != nil {
			f.Steps = append([]string(nil), f.Steps...)
			d.Revise(&f)
			if err := app.ValidateSOP(&f, fw, owners); err != nil {
				return fmt.Errorf("%s: %w", f.Title, err)
			}
			if _, err := st.UpdateSOP(ctx, org.ID, sop.ID, app.SOPUpdate{BaseRevision: 1, AuthorID: leader, Fields: f}); err != nil {
				return err
			}
		}
	}
	return nil
}
