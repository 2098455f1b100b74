package coaching

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
)

// PlanInput is a plan as a leader writes it (API body and form).
type PlanInput struct {
	Quarter  string      `json:"quarter"`
	Spikes   []string    `json:"spikes"`
	MentorID *int64      `json:"mentor_id"`
	Goals    []GoalInput `json:"goals"`
}

// GoalInput is one focus goal; its current level is read from the effective ratings.
type GoalInput struct {
	Competency  string        `json:"competency"`
	TargetLevel int           `json:"target_level"`
	Due         string        `json:"due"`
	Goal        string        `json:"goal"`
	Reality     string        `json:"reality"`
	Options     string        `json:"options"`
	Will        string        `json:"will"`
	Actions     []ActionInput `json:"actions"`
}

// ActionInput is one action of a goal.
type ActionInput struct {
	Kind        string `json:"kind"`
	Description string `json:"description"`
	OwnerID     int64  `json:"owner_id"`
	Due         string `json:"due"`
	ResourceURL string `json:"resource_url"`
	Status      string `json:"status"`
}

// CheckInInput is a check-in as a leader records it.
type CheckInInput struct {
	Date  string             `json:"date"`
	Goals []CheckInGoalInput `json:"goals"`
	Notes []NoteInput        `json:"notes"`
}

// CheckInGoalInput is one goal's status at a check-in.
type CheckInGoalInput struct {
	Competency string `json:"competency"`
	Status     string `json:"status"`
}

// NoteInput is a leader's note: shared with the PM, or private to its author.
type NoteInput struct {
	Text    string `json:"text"`
	Private bool   `json:"private"`
}

// Limits on what people type.
const (
	maxText    = 5000
	maxActions = 20
)

// planRules is what a plan is checked against.
type planRules struct {
	person    *app.User
	framework *app.Framework
	levels    map[string]int // the person's effective ratings now
	circle    *app.CoachingCircle
	// baseline keeps the level a goal started from when an existing plan is edited.
	baseline map[string]*int
	// quarter is fixed for an existing plan; zero for a new one.
	quarter app.Quarter
}

// buildPlan checks the input against the rules and returns the plan to store, or an
// EINVALID error naming the first field that is wrong (e.g. "goals[0].actions[1].owner_id").
func buildPlan(in PlanInput, r planRules) (*app.CoachingPlan, error) {
	q := r.quarter
	if q == (app.Quarter{}) {
		var err error
		if q, err = app.ParseQuarter(strings.TrimSpace(in.Quarter)); err != nil {
			return nil, app.Invalid("quarter", "Quarter must look like 2026-Q4.")
		}
	} else if in.Quarter != "" && in.Quarter != q.String() {
		return nil, app.Invalid("quarter", "A plan's quarter cannot change; carry the plan over to the next quarter instead.")
	}
	p := &app.CoachingPlan{OrgID: r.person.OrgID, PersonID: r.person.ID, PersonName: r.person.Name, Quarter: q.String(), MentorID: in.MentorID}

	if len(in.Spikes) < 1 || len(in.Spikes) > 2 {
		return nil, app.Invalid("spikes", "Choose the one or two career spikes the PM pursues.")
	}
	for i, sp := range in.Spikes {
		if !app.ValidOption(app.CareerSpikes, sp) {
			return nil, app.Invalid(index("spikes", i), "Unknown career spike %q.", sp)
		}
		if i > 0 && in.Spikes[0] == sp {
			return nil, app.Invalid(index("spikes", i), "The same spike is listed twice.")
		}
	}
	p.Spikes = in.Spikes

	if len(in.Goals) < 1 || len(in.Goals) > app.MaxCoachingGoals {
		return nil, app.Invalid("goals", "A plan has one to %d focus goals.", app.MaxCoachingGoals)
	}
	for i, gi := range in.Goals {
		g, err := buildGoal(gi, index("goals", i), q, r)
		if err != nil {
			return nil, err
		}
		for j := range p.Goals {
			if p.Goals[j].Competency == g.Competency {
				return nil, app.Invalid(index("goals", i)+".competency", "%s is already goal %d; each goal needs its own competency.", g.CompetencyName, j+1)
			}
		}
		p.Goals = append(p.Goals, *g)
	}
	return p, nil
}

func buildGoal(in GoalInput, field string, q app.Quarter, r planRules) (*app.CoachingGoal, error) {
	c := r.framework.ByKey(strings.TrimSpace(in.Competency))
	if c == nil || c.Archived {
		return nil, app.Invalid(field+".competency", "Choose a competency of the framework.")
	}
	g := &app.CoachingGoal{Competency: c.Key, CompetencyName: c.Name, TargetLevel: in.TargetLevel}
	if base, ok := r.baseline[c.Key]; ok {
		g.CurrentLevel = base
	} else if l, ok := r.levels[c.Key]; ok {
		g.CurrentLevel = &l
	}
	if in.TargetLevel < 1 || in.TargetLevel > app.MaxLevel {
		return nil, app.Invalid(field+".target_level", "Target level must be 1 to 5.")
	}
	if g.CurrentLevel != nil && in.TargetLevel <= *g.CurrentLevel {
		return nil, app.Invalid(field+".target_level", "Target level must be above the current level (%d) in %s.", *g.CurrentLevel, c.Name)
	}
	var err error
	if g.Due, err = dateIn(in.Due, field+".due", q); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		name string
		in   string
		out  *string
	}{{"goal", in.Goal, &g.Goal}, {"reality", in.Reality, &g.Reality}, {"options", in.Options, &g.Options}, {"will", in.Will, &g.Will}} {
		*t.out = strings.TrimSpace(t.in)
		if utf8.RuneCountInString(*t.out) > maxText {
			return nil, app.Invalid(field+"."+t.name, "Keep it under %d characters.", maxText)
		}
	}
	if len(in.Actions) > maxActions {
		return nil, app.Invalid(field+".actions", "A goal has at most %d actions.", maxActions)
	}
	g.Actions = []app.CoachingAction{}
	for j, ai := range in.Actions {
		a, err := buildAction(ai, index(field+".actions", j), q, r)
		if err != nil {
			return nil, err
		}
		g.Actions = append(g.Actions, *a)
	}
	return g, nil
}

func buildAction(in ActionInput, field string, q app.Quarter, r planRules) (*app.CoachingAction, error) {
	a := &app.CoachingAction{Kind: in.Kind, Description: strings.TrimSpace(in.Description), OwnerID: in.OwnerID,
		ResourceURL: strings.TrimSpace(in.ResourceURL), Status: in.Status}
	if !app.ValidOption(app.ActionKinds, a.Kind) {
		return nil, app.Invalid(field+".kind", "Kind must be experience, relationships or education.")
	}
	if n := utf8.RuneCountInString(a.Description); n == 0 || n > 2000 {
		return nil, app.Invalid(field+".description", "Describe the action in 1 to 2000 characters.")
	}
	if !r.circle.Has(a.OwnerID) {
		return nil, app.Invalid(field+".owner_id", "The owner must be the PM, a leader of their team or another member of it.")
	}
	var err error
	if a.Due, err = dateIn(in.Due, field+".due", q); err != nil {
		return nil, err
	}
	if a.ResourceURL != "" && !app.WebURL(a.ResourceURL) {
		return nil, app.Invalid(field+".resource_url", "The resource link must be an http:// or https:// address.")
	}
	if a.Status == "" {
		a.Status = app.ActionTodo
	} else if !app.ValidOption(app.ActionStatuses, a.Status) {
		return nil, app.Invalid(field+".status", "Status must be todo, doing or done.")
	}
	for _, p := range r.circle.People {
		if p.UserID == a.OwnerID {
			a.OwnerName = p.Name
		}
	}
	return a, nil
}

// dateIn parses a "YYYY-MM-DD" day that must fall in the quarter.
func dateIn(s, field string, q app.Quarter) (app.Date, error) {
	d, err := app.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return d, app.Invalid(field, "Enter a date as YYYY-MM-DD.")
	}
	if !q.Contains(d) {
		return d, app.Invalid(field, "The date must fall in %s (%s to %s).", q, q.Start(), q.End())
	}
	return d, nil
}

// buildCheckIn checks a check-in against its plan: a date in the plan's quarter and not in
// the future, one status for every goal, notes of 1 to 5000 characters. Levels are read
// from levels (the person's effective ratings now).
func buildCheckIn(in CheckInInput, p *app.CoachingPlan, levels map[string]int, today app.Date) (*app.CheckIn, error) {
	q, err := app.ParseQuarter(p.Quarter)
	if err != nil {
		return nil, err
	}
	ci := &app.CheckIn{PlanID: p.ID, Date: today}
	if strings.TrimSpace(in.Date) != "" {
		if ci.Date, err = dateIn(in.Date, "date", q); err != nil {
			return nil, err
		}
	} else if !q.Contains(today) {
		return nil, app.Invalid("date", "Give the date of the check-in, in %s.", q)
	}
	if ci.Date.After(today.Time) {
		return nil, app.Invalid("date", "A check-in records a conversation that happened: the date cannot be in the future.")
	}
	given := map[string]bool{}
	for i, gi := range in.Goals {
		field := index("goals", i)
		var goal *app.CoachingGoal
		for j := range p.Goals {
			if p.Goals[j].Competency == gi.Competency {
				goal = &p.Goals[j]
			}
		}
		if goal == nil {
			return nil, app.Invalid(field+".competency", "%q is not a goal of this plan.", gi.Competency)
		}
		if given[goal.Competency] {
			return nil, app.Invalid(field+".competency", "%s has a status already.", goal.CompetencyName)
		}
		given[goal.Competency] = true
		if !app.ValidOption(app.GoalStatuses, gi.Status) {
			return nil, app.Invalid(field+".status", "Status must be needs_focus, on_track or outperforming.")
		}
		g := app.CheckInGoal{Competency: goal.Competency, Status: gi.Status, TargetLevel: goal.TargetLevel}
		if l, ok := levels[goal.Competency]; ok {
			g.Level = &l
		}
		ci.Goals = append(ci.Goals, g)
	}
	for _, g := range p.Goals {
		if !given[g.Competency] {
			return nil, app.Invalid("goals", "Give a status for every goal: %s has none.", g.CompetencyName)
		}
	}
	for i, n := range in.Notes {
		text := strings.TrimSpace(n.Text)
		if l := utf8.RuneCountInString(text); l == 0 || l > maxText {
			return nil, app.Invalid(index("notes", i)+".text", "A note has 1 to %d characters.", maxText)
		}
		ci.Notes = append(ci.Notes, app.CheckInNote{Text: text, Private: n.Private})
	}
	return ci, nil
}

// validReflection trims a reflection and checks its length.
func validReflection(s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxText {
		return "", app.Invalid("reflection", "Keep the reflection under %d characters.", maxText)
	}
	return s, nil
}

func index(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }
