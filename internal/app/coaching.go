package app

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of coaching action, the 70/20/10 of development: learning by doing, from others,
// and from courses and books.
const (
	ActionExperience    = "experience"
	ActionRelationships = "relationships"
	ActionEducation     = "education"
)

// ActionKinds lists the kinds with their labels, in 70/20/10 order.
var ActionKinds = []Option{
	{ActionExperience, "Experience"}, {ActionRelationships, "Relationships"}, {ActionEducation, "Education"},
}

// ActionMix is the share of actions each kind should have: 70/20/10.
var ActionMix = map[string]int{ActionExperience: 70, ActionRelationships: 20, ActionEducation: 10}

// Action statuses.
const (
	ActionTodo  = "todo"
	ActionDoing = "doing"
	ActionDone  = "done"
)

// ActionStatuses lists the statuses with their labels.
var ActionStatuses = []Option{{ActionTodo, "To do"}, {ActionDoing, "Doing"}, {ActionDone, "Done"}}

// GoalStatuses are what a check-in says about each goal.
var GoalStatuses = []Option{
	{"needs_focus", "Needs focus"}, {"on_track", "On track"}, {"outperforming", "Outperforming"},
}

// MaxCoachingGoals is how many focus goals a plan may have (and the analytic core's MaxGoals).
const MaxCoachingGoals = 3

// MaxLevel is the top of the proficiency scale.
const MaxLevel = 5

// Quarter is a calendar quarter, written "2026-Q4".
type Quarter struct {
	Year int
	Q    int // 1..4
}

// ParseQuarter reads "YYYY-Qn".
func ParseQuarter(s string) (Quarter, error) {
	y, q, ok := strings.Cut(s, "-Q")
	year, err1 := strconv.Atoi(y)
	n, err2 := strconv.Atoi(q)
	if !ok || len(y) != 4 || len(q) != 1 || err1 != nil || err2 != nil || n < 1 || n > 4 || year < 2000 {
		return Quarter{}, fmt.Errorf("bad quarter %q", s)
	}
	return Quarter{Year: year, Q: n}, nil
}

// QuarterOf returns the quarter of the day t falls on (in t's location).
func QuarterOf(t time.Time) Quarter {
	return Quarter{Year: t.Year(), Q: (int(t.Month())-1)/3 + 1}
}

func (q Quarter) String() string { return fmt.Sprintf("%04d-Q%d", q.Year, q.Q) }

// Start is the quarter's first day.
func (q Quarter) Start() Date {
	return Date{time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, time.UTC)}
}

// End is the quarter's last day.
func (q Quarter) End() Date { return Date{q.Next().Start().AddDate(0, 0, -1)} }

// Next is the following quarter.
func (q Quarter) Next() Quarter {
	if q.Q == 4 {
		return Quarter{Year: q.Year + 1, Q: 1}
	}
	return Quarter{Year: q.Year, Q: q.Q + 1}
}

// Prev is the quarter before.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{Year: q.Year - 1, Q: 4}
	}
	return Quarter{Year: q.Year, Q: q.Q - 1}
}

// Contains reports whether the day falls in the quarter.
func (q Quarter) Contains(d Date) bool { return !d.Before(q.Start().Time) && !d.After(q.End().Time) }

// Date is a calendar day: "2006-01-02" in JSON, a date column in PostgreSQL.
type Date struct{ time.Time }

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	return Date{t}, err
}

// DateOf returns the calendar day of t (in t's location).
func DateOf(t time.Time) Date {
	return Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

func (d Date) String() string { return d.Format(DateLayout) }

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// Scan reads a date column.
func (d *Date) Scan(src any) error {
	t, ok := src.(time.Time)
	if !ok {
		return fmt.Errorf("app.Date: cannot scan %T", src)
	}
	*d = DateOf(t)
	return nil
}

// Value writes a date column.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// CoachingPlan is one PM's plan for one quarter.
type CoachingPlan struct {
	ID         int64     `db:"id" json:"id"`
	OrgID      int64     `db:"org_id" json:"-"`
	PersonID   int64     `db:"person_id" json:"person_id"`
	PersonName string    `db:"person_name" json:"person_name"`
	Quarter    string    `db:"quarter" json:"quarter"`
	Spikes     []string  `db:"-" json:"spikes"`
	MentorID   *int64    `db:"mentor_id" json:"mentor_id"`
	MentorName *string   `db:"mentor_name" json:"mentor_name"`
	CreatedBy  *int64    `db:"created_by" json:"created_by"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`

	Goals    []CoachingGoal `db:"-" json:"goals"`
	CheckIns []CheckIn      `db:"-" json:"check_ins"`
}

// Actions returns every action of the plan, goal by goal.
func (p *CoachingPlan) Actions() []CoachingAction {
	var out []CoachingAction
	for _, g := range p.Goals {
		out = append(out, g.Actions...)
	}
	return out
}

// CoachingGoal is a focus goal: a competency to grow from its current level to a target
// by a date, framed as GROW (goal, reality, options, will).
type CoachingGoal struct {
	ID             int64  `db:"id" json:"id"`
	PlanID         int64  `db:"plan_id" json:"-"`
	Competency     string `db:"competency" json:"competency"`
	CompetencyName string `db:"competency_name" json:"competency_name"`
	CurrentLevel   *int   `db:"current_level" json:"current_level"` // when the goal was set
	TargetLevel    int    `db:"target_level" json:"target_level"`
	Due            Date   `db:"due" json:"due"`
	Goal           string `db:"goal" json:"goal"`
	Reality        string `db:"reality" json:"reality"`
	Options        string `db:"options" json:"options"`
	Will           string `db:"will" json:"will"`

	Actions []CoachingAction `db:"-" json:"actions"`
	// LevelNow is the effective rating when the plan was read; Status is the latest
	// check-in's status ("" before the first check-in).
	LevelNow *int   `db:"-" json:"level_now"`
	Status   string `db:"-" json:"status"`
}

// Reached reports whether the effective rating has reached the target.
func (g CoachingGoal) Reached() bool { return g.LevelNow != nil && *g.LevelNow >= g.TargetLevel }

// CoachingAction is one thing someone does for a goal.
type CoachingAction struct {
	ID          int64  `db:"id" json:"id"`
	GoalID      int64  `db:"goal_id" json:"goal_id"`
	Kind        string `db:"kind" json:"kind"`
	Description string `db:"description" json:"description"`
	OwnerID     int64  `db:"owner_id" json:"owner_id"`
	OwnerName   string `db:"owner_name" json:"owner_name"`
	Due         Date   `db:"due" json:"due"`
	ResourceURL string `db:"resource_url" json:"resource_url"`
	Status      string `db:"status" json:"status"`
}

// Overdue reports whether the action is not done and its due day is before today.
func (a CoachingAction) Overdue(today Date) bool {
	return a.Status != ActionDone && a.Due.Before(today.Time)
}

// CheckIn is a quarterly conversation about a plan.
type CheckIn struct {
	ID           int64         `db:"id" json:"id"`
	PlanID       int64         `db:"plan_id" json:"plan_id"`
	Date         Date          `db:"held_on" json:"date"`
	CreatedBy    *int64        `db:"created_by" json:"created_by"`
	CreatedAt    time.Time     `db:"created_at" json:"created_at"`
	Reflection   string        `db:"reflection" json:"reflection"`
	ReflectionAt *time.Time    `db:"reflection_at" json:"reflection_at"`
	Goals        []CheckInGoal `db:"-" json:"goals"`
	// Notes are the leaders' notes the reader may see: shared ones, and private ones of their own.
	Notes []CheckInNote `db:"-" json:"notes"`
}

// CheckInGoal is a goal's status at a check-in and the effective level read then.
type CheckInGoal struct {
	CheckInID      int64  `db:"check_in_id" json:"-"`
	Competency     string `db:"competency" json:"competency"`
	CompetencyName string `db:"competency_name" json:"competency_name"`
	Status         string `db:"status" json:"status"`
	Level          *int   `db:"level" json:"level"`
	TargetLevel    int    `db:"target_level" json:"target_level"`
}

// CheckInNote is a leader's note on a check-in, shared with the PM or private to its author.
type CheckInNote struct {
	ID         int64     `db:"id" json:"id"`
	CheckInID  int64     `db:"check_in_id" json:"-"`
	AuthorID   int64     `db:"author_id" json:"author_id"`
	AuthorName string    `db:"author_name" json:"author_name"`
	Text       string    `db:"text" json:"text"`
	Private    bool      `db:"private" json:"private"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
}

// CoachingPlanFilter selects plans of one organisation.
type CoachingPlanFilter struct {
	OrgID     int64
	PersonIDs []int64 // nil: anyone
	Quarter   string  // "": any quarter
}

// CoachingCircle is who surrounds a PM: the teams they are a member of and the active
// leaders and members of those teams (the PM included), who may own actions of their plan.
type CoachingCircle struct {
	Teams  []Team
	People []TeamPerson // distinct people, by name
}

// Has reports whether the person is in the circle.
func (c *CoachingCircle) Has(userID int64) bool {
	for _, p := range c.People {
		if p.UserID == userID {
			return true
		}
	}
	return false
}

// CoachingStore keeps coaching plans and check-ins.
type CoachingStore interface {
	// FindCoachingPlans returns the plans with their goals and actions (no check-ins),
	// newest quarter first.
	FindCoachingPlans(ctx context.Context, f CoachingPlanFilter) ([]CoachingPlan, error)
	// FindCoachingPlanByID returns a plan of the organisation with goals and actions.
	FindCoachingPlanByID(ctx context.Context, orgID, id int64) (*CoachingPlan, error)
	// CreateCoachingPlan stores a plan with its goals and actions in one transaction;
	// ECONFLICT when the person has a plan for the quarter.
	CreateCoachingPlan(ctx context.Context, p *CoachingPlan) error
	// UpdateCoachingPlan replaces the plan's spikes, mentor, goals and actions in one transaction.
	UpdateCoachingPlan(ctx context.Context, p *CoachingPlan) error
	// FindCheckIns returns the plans' check-ins, oldest first. Private notes are returned
	// only to their author (viewerID).
	FindCheckIns(ctx context.Context, planIDs []int64, viewerID int64) ([]CheckIn, error)
	// CreateCheckIn stores a check-in with its goals and notes in one transaction.
	CreateCheckIn(ctx context.Context, ci *CheckIn) error
	// FindCheckInPlanID returns the plan of a check-in of the organisation.
	FindCheckInPlanID(ctx context.Context, orgID, checkInID int64) (int64, error)
	SetCheckInReflection(ctx context.Context, checkInID int64, reflection string) error
	// FindCoachingAction returns an action of the organisation and the id of its plan.
	FindCoachingAction(ctx context.Context, orgID, actionID int64) (*CoachingAction, int64, error)
	SetCoachingActionStatus(ctx context.Context, actionID int64, status string) error
	// AddCoachingAction appends an action to its goal (GoalID).
	AddCoachingAction(ctx context.Context, a *CoachingAction) error
	// FindCoachingCircle returns the teams the person is a member of and their people.
	FindCoachingCircle(ctx context.Context, personID int64) (*CoachingCircle, error)
	// CountOpenGoals counts each person's goals in their plan for the quarter of asOf.
	CountOpenGoals(ctx context.Context, userIDs []int64, asOf time.Time) (map[int64]int, error)
}

// PlanProgress summarises a plan's actions: how many are done, the 70/20/10 mix, which are
// overdue, and how many goals have reached their target.
type PlanProgress struct {
	Done, Total  int
	Mix          []MixShare // one per kind, in ActionKinds order
	Overdue      []CoachingAction
	GoalsReached int
}

// MixShare is one kind's share of a plan's actions against its aim (70, 20 or 10 percent).
type MixShare struct {
	Kind, Label         string
	Count, Percent, Aim int
}

// Progress summarises the plan as of today.
func (p *CoachingPlan) Progress(today Date) PlanProgress {
	var pr PlanProgress
	count := map[string]int{}
	for _, a := range p.Actions() {
		pr.Total++
		count[a.Kind]++
		if a.Status == ActionDone {
			pr.Done++
		}
		if a.Overdue(today) {
			pr.Overdue = append(pr.Overdue, a)
		}
	}
	for _, k := range ActionKinds {
		m := MixShare{Kind: k.Key, Label: k.Label, Count: count[k.Key], Aim: ActionMix[k.Key]}
		if pr.Total > 0 {
			m.Percent = (100*m.Count + pr.Total/2) / pr.Total
		}
		pr.Mix = append(pr.Mix, m)
	}
	for i := range p.Goals {
		if p.Goals[i].Reached() {
			pr.GoalsReached++
		}
	}
	return pr
}
