package demo

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// The notes of the demo check-in: one shared with Maya, one private to her leader.
const (
	SharedNote  = "Great progress on the interviews. Next: pick the two segments we have not heard from yet."
	PrivateNote = "Maya may be ready for the Principal PM ladder next year; talk to Olu about a sponsor before the Q1 calibration."
)

// demoGoal is a goal of the demo plan; the target is one level above Maya's rating.
type demoGoal struct {
	competency, goal, reality, options, will, status string
	actions                                          []demoAction
}

type demoAction struct {
	kind, description, owner, url, status string
	dueDay                                int // days after the quarter starts
}

var mayaGoals = []demoGoal{
	{
		competency: "customer_research",
		goal:       "Lead discovery for the onboarding redesign without Sofia in the room.",
		reality:    "Maya plans interviews well but leans on Sofia to run them and to synthesise the findings.",
		options:    "Run interviews herself, pair with Sofia on synthesis, take the discovery course.",
		will:       "Five interviews run alone this quarter, with a synthesis shared with the team.",
		status:     "on_track",
		actions: []demoAction{
			{app.ActionExperience, "Run five onboarding interviews alone and share the synthesis.", "pm@demo.test", "", app.ActionDoing, 70},
			{app.ActionRelationships, "Pair with Sofia on two synthesis sessions.", "pm3@demo.test", "", app.ActionDone, 30},
			{app.ActionEducation, "Read Continuous Discovery Habits and share three takeaways.", "pm@demo.test",
				"https://www.producttalk.org/continuous-discovery-habits/", app.ActionDone, 20},
		},
	},
	{
		competency: "business_outcomes",
		goal:       "Tie the Growth roadmap to revenue the finance partner signs off.",
		reality:    "Experiments are measured on activation only; nobody owns the revenue case.",
		options:    "Own the pricing-page business case, monthly time with finance, a SaaS metrics course.",
		will:       "Present the pricing-page business case at the December review.",
		status:     "needs_focus",
		actions: []demoAction{
			{app.ActionExperience, "Write the business case for the pricing-page experiment.", "pm@demo.test", "", app.ActionTodo, 45},
			{app.ActionRelationships, "Introduce Maya to the Growth finance partner; monthly 1:1 after.", "leader@demo.test", "", app.ActionTodo, 40},
			{app.ActionEducation, "Work through a SaaS metrics primer (LTV, CAC, payback).", "pm@demo.test",
				"https://www.svpg.com/articles/", app.ActionTodo, 80},
		},
	},
}

// seedCoaching gives Maya (pm@demo.test) a plan for the current quarter with a check-in that
// has one shared and one private note, once: it does nothing if she has a plan for the quarter.
func seedCoaching(ctx context.Context, st Seeder, org *app.Organisation, ids map[string]int64) error {
	now := time.Now()
	q := app.QuarterOf(now)
	maya, lena := ids["pm@demo.test"], ids["leader@demo.test"]
	existing, err := st.FindCoachingPlans(ctx, app.CoachingPlanFilter{OrgID: org.ID, PersonIDs: []int64{maya}, Quarter: q.String()})
	if err != nil || len(existing) > 0 {
		return err
	}
	ratings, err := st.FindEffectiveRatings(ctx, org.ID, []int64{maya}, now)
	if err != nil {
		return err
	}
	level := map[string]int{}
	for _, r := range ratings {
		level[r.Competency] = r.Level
	}
	day := func(n int) app.Date {
		d := app.Date{Time: q.Start().AddDate(0, 0, n)}
		if d.After(q.End().Time) {
			return q.End()
		}
		return d
	}
	mentor := ids["other-leader@demo.test"]
	plan := &app.CoachingPlan{OrgID: org.ID, PersonID: maya, Quarter: q.String(), CreatedBy: &lena, MentorID: &mentor,
		Spikes: []string{"advancement_speed", "management"}}
	checkIn := &app.CheckIn{Date: app.DateOf(now), CreatedBy: &lena, Reflection: "Running interviews alone is getting easier. " +
		"I still find it hard to connect our experiments to revenue; the session with finance would help."}
	for _, g := range mayaGoals {
		current := level[g.competency]
		goal := app.CoachingGoal{Competency: g.competency, CurrentLevel: &current, TargetLevel: min(current+1, app.MaxLevel),
			Due: day(85), Goal: g.goal, Reality: g.reality, Options: g.options, Will: g.will}
		for _, a := range g.actions {
			goal.Actions = append(goal.Actions, app.CoachingAction{Kind: a.kind, Description: a.description,
				OwnerID: ids[a.owner], Due: day(a.dueDay), ResourceURL: a.url, Status: a.status})
		}
		plan.Goals = append(plan.Goals, goal)
		checkIn.Goals = append(checkIn.Goals, app.CheckInGoal{Competency: g.competency, Status: g.status,
			Level: &current, TargetLevel: goal.TargetLevel})
	}
	if err := st.CreateCoachingPlan(ctx, plan); err != nil {
		return err
	}
	checkIn.PlanID = plan.ID
	checkIn.Notes = []app.CheckInNote{
		{AuthorID: lena, Text: SharedNote},
		{AuthorID: lena, Text: PrivateNote, Private: true},
	}
	if err := st.CreateCheckIn(ctx, checkIn); err != nil {
		return err
	}
	return st.SetCheckInReflection(ctx, checkIn.ID, checkIn.Reflection)
}
