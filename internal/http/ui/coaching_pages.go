package ui

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// coachingLabels labels every key a coaching page shows: action kinds and statuses, goal
// statuses, career spikes and suggestion sources (their keys do not overlap).
var coachingLabels = func() map[string]string {
	m := map[string]string{}
	for _, opts := range [][]app.Option{app.ActionKinds, app.ActionStatuses, app.GoalStatuses, app.CareerSpikes} {
		for _, o := range opts {
			m[o.Key] = o.Label
		}
	}
	m[coaching.SourceTitle], m[coaching.SourceTeam], m[coaching.SourceBackground] = "Ladder gap", "Team gap", "Background"
	return m
}()

// coachingFlash is the message shown after a form post went through (?done=…).
var coachingFlash = map[string]string{
	"plan":       "The plan is saved.",
	"checkin":    "The check-in is recorded.",
	"carry":      "The plan is carried over: here is the new quarter's plan.",
	"action":     "The action is updated.",
	"reflection": "Your reflection is saved.",
	"added":      "The resource is on the plan as an education action.",
}

// planView is one plan as a page shows it.
type planView struct {
	Plan     *app.CoachingPlan
	Progress app.PlanProgress
	Charts   map[string]chart.Option // goal competency → rating history against the target
	Lead     bool                    // the viewer leads the PM: private notes of their own, lead controls
	ViewerID int64
	CSRF     string
	Next     string // where the plan's small forms come back to
	Today    app.Date
	Labels   map[string]string
	Statuses []app.Option
	// NextQuarter is the quarter a carry-over creates.
	NextQuarter string
	// Learn is each goal's learning hit-list, by competency (see LearnFor).
	Learn map[string][]careers.Pick
}

// newPlanView builds a plan's view, with a history chart per goal.
func (s *Pages) newPlanView(c *fiber.Ctx, svc *coaching.Service, p *app.CoachingPlan, acc coaching.Access, next string) (*planView, error) {
	a := kit.Actor(c)
	v := &planView{Plan: p, Progress: p.Progress(svc.Today()), Charts: map[string]chart.Option{}, Lead: acc.Lead,
		ViewerID: a.UserID, CSRF: s.Tokens.CSRFToken(a.SessionID), Next: next, Today: svc.Today(), Labels: coachingLabels,
		Statuses: app.ActionStatuses}
	if q, err := app.ParseQuarter(p.Quarter); err == nil {
		v.NextQuarter = q.Next().String()
	}
	h, err := svc.History(c.UserContext(), a, p)
	if err != nil {
		return nil, err
	}
	if v.Learn, err = s.Careers.PlanHitLists(c.UserContext(), a, p); err != nil {
		return nil, err
	}
	for _, g := range p.Goals {
		target := make([]*int, len(h.Dates))
		for i := range target {
			target[i] = &g.TargetLevel
		}
		o, err := chart.History(chart.HistoryData{Dates: h.Dates, Series: []chart.NamedSeries{
			{Name: "Effective rating", Values: h.Levels[g.Competency]},
			{Name: "Target", Values: target},
		}})
		if err != nil {
			return nil, err
		}
		v.Charts[g.Competency] = o
	}
	return v, nil
}

// pickPlan is the plan of the quarter asked for, else of the current quarter, else the newest.
func pickPlan(plans []app.CoachingPlan, asked, current string) *app.CoachingPlan {
	for _, q := range []string{asked, current} {
		for i := range plans {
			if q != "" && plans[i].Quarter == q {
				return &plans[i]
			}
		}
	}
	if len(plans) > 0 {
		return &plans[0]
	}
	return nil
}

func (s *Pages) PageMyCoaching(c *fiber.Ctx) error {
	a, svc := kit.Actor(c), s.Coaching
	plans, acc, err := svc.Plans(c.UserContext(), a, a.UserID)
	if err != nil {
		return err
	}
	var view *planView
	if p := pickPlan(plans, c.Query("quarter"), svc.Quarter().String()); p != nil {
		if view, err = s.newPlanView(c, svc, p, acc, "/me/coaching?quarter="+p.Quarter); err != nil {
			return err
		}
	}
	return s.Render(c, "coaching_me.html", kit.Page{Title: "My coaching", Nav: "coaching", Charts: view != nil,
		Flash: coachingFlash[c.Query("done")],
		Data:  fiber.Map{"Plans": plans, "View": view, "Quarter": svc.Quarter().String()}})
}

// checkInForm is the check-in form as last sent.
type checkInForm struct {
	Date        string
	Status      map[string]string // goal competency → status
	SharedNote  string
	PrivateNote string
}

// personCoaching is the leader's page for one PM's plans.
type personCoaching struct {
	Person      *app.User
	Plans       []app.CoachingPlan
	View        *planView
	NextPlan    *app.CoachingPlan // the plan of the quarter after the selected one, if any
	Form        planForm
	FormOpen    bool
	CheckIn     checkInForm
	CheckInOpen bool
	Suggestions *coaching.Suggestions
	Areas       []app.Area // active competencies by area
	Owners      []app.TeamPerson
	Teams       []app.Team
	Mentors     []app.User
	Error       string
	ErrorAt     string // "plan", "checkin" or "page": where the error is shown
	Quarter     string
	Spikes      []app.Option
	Kinds       []app.Option
	Statuses    []app.Option
	GoalStates  []app.Option
	Levels      []int
	Labels      map[string]string
}

// loadPersonCoaching loads the leader's page for the person with the plan asked for (0:
// the current quarter's, else the newest) selected.
func (s *Pages) loadPersonCoaching(c *fiber.Ctx, personID, planID int64) (*personCoaching, error) {
	a, svc, ctx := kit.Actor(c), s.Coaching, c.UserContext()
	plans, acc, err := svc.Plans(ctx, a, personID)
	if err != nil {
		return nil, err
	}
	if !acc.Lead {
		return nil, app.ErrNotFound("Person")
	}
	d := &personCoaching{Plans: plans, Quarter: svc.Quarter().String(), Spikes: app.CareerSpikes, Kinds: app.ActionKinds,
		Statuses: app.ActionStatuses, GoalStates: app.GoalStatuses, Levels: []int{1, 2, 3, 4, 5}, Labels: coachingLabels,
		CheckIn: checkInForm{Date: svc.Today().String(), Status: map[string]string{}}}
	e, err := svc.Editor(ctx, a, personID)
	if err != nil {
		return nil, err
	}
	d.Person, d.Areas, d.Owners, d.Teams, d.Mentors = e.Person, e.Areas, e.Owners, e.Teams, e.Mentors
	if d.Suggestions, err = svc.Suggest(ctx, a, personID); err != nil {
		return nil, err
	}
	var sel *app.CoachingPlan
	for i := range plans {
		if plans[i].ID == planID {
			sel = &plans[i]
		}
	}
	if sel == nil && planID == 0 {
		sel = pickPlan(plans, "", d.Quarter)
	}
	if sel != nil && c.Query("new") == "" {
		if d.View, err = s.newPlanView(c, svc, sel, acc, "/people/"+fmtID(personID)+"/coaching?plan="+fmtID(sel.ID)); err != nil {
			return nil, err
		}
		d.Form = formFromPlan(sel)
		d.FormOpen, d.CheckInOpen = c.Query("edit") != "", c.Query("checkin") != ""
		for i := range plans {
			if plans[i].Quarter == d.View.NextQuarter {
				d.NextPlan = &plans[i]
			}
		}
		return d, nil
	}
	d.Form = s.newPlanForm(personID, plans, d.Suggestions, svc)
	d.FormOpen = true
	return d, nil
}

// newPlanForm is the form for a new plan: the first quarter from now without a plan, the
// spikes of the PM's profile, and up to three suggested goals due at the quarter's end.
func (s *Pages) newPlanForm(personID int64, plans []app.CoachingPlan, sg *coaching.Suggestions, svc *coaching.Service) planForm {
	f := planForm{Action: "/people/" + fmtID(personID) + "/coaching", New: true, Spikes: map[string]bool{}}
	taken := map[string]bool{}
	for _, p := range plans {
		taken[p.Quarter] = true
	}
	for q, i := svc.Quarter(), 0; i < 3; q, i = q.Next(), i+1 {
		if !taken[q.String()] {
			f.Quarters = append(f.Quarters, q.String())
		}
	}
	if len(f.Quarters) > 0 {
		f.Quarter = f.Quarters[0]
	}
	for _, sp := range sg.Spikes {
		f.Spikes[sp] = true
	}
	due := ""
	if q, err := app.ParseQuarter(f.Quarter); err == nil {
		due = q.End().String()
	}
	for _, it := range sg.Pick(app.MaxCoachingGoals) {
		f.Goals = append(f.Goals, coaching.GoalInput{Competency: it.Competency, TargetLevel: it.Target, Due: due})
	}
	padForm(&f)
	return f
}

func (s *Pages) PagePersonCoaching(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	planID, _ := strconv.ParseInt(c.Query("plan"), 10, 64)
	d, err := s.loadPersonCoaching(c, id, planID)
	if err != nil {
		return err
	}
	return s.renderPersonCoaching(c, fiber.StatusOK, d)
}

func (s *Pages) renderPersonCoaching(c *fiber.Ctx, status int, d *personCoaching) error {
	return s.RenderStatus(c, status, "coaching_person.html", kit.Page{Title: "Coaching · " + d.Person.Name, Nav: "teams",
		Charts: d.View != nil, Flash: coachingFlash[c.Query("done")], Data: d})
}

// coachingFormError shows the page again with the error where the form was, or returns the
// error when it is not about the input.
func (s *Pages) coachingFormError(c *fiber.Ctx, err error, personID, planID int64, at string, apply func(d *personCoaching)) error {
	code := app.ErrorCode(err)
	if code != app.EINVALID && code != app.ECONFLICT && code != app.EBADREQUEST {
		return err
	}
	d, lerr := s.loadPersonCoaching(c, personID, planID)
	if lerr != nil {
		return lerr
	}
	d.Error, d.ErrorAt = app.ErrorMessage(err), at
	if apply != nil {
		apply(d)
	}
	return s.renderPersonCoaching(c, kit.StatusOf[code], d)
}

func (s *Pages) PageCreateCoachingPlan(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	pp := readPlanForm(c)
	p, err := s.Coaching.CreatePlan(c.UserContext(), kit.Actor(c), id, pp.Input)
	if err != nil {
		return s.coachingFormError(c, err, id, -1, "plan", func(d *personCoaching) {
			quarters := d.Form.Quarters
			d.Form, d.FormOpen = pp.Form, true
			d.Form.Action, d.Form.New, d.Form.Quarters = "/people/"+fmtID(id)+"/coaching", true, quarters
			d.Error = pp.fieldLabel(app.ErrorField(err)) + d.Error
		})
	}
	return c.Redirect("/people/"+fmtID(id)+"/coaching?plan="+fmtID(p.ID)+"&done=plan", fiber.StatusSeeOther)
}

func (s *Pages) PageUpdateCoachingPlan(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	person, err := s.Coaching.PlanPerson(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	pp := readPlanForm(c)
	if _, err := s.Coaching.UpdatePlan(c.UserContext(), kit.Actor(c), id, pp.Input); err != nil {
		return s.coachingFormError(c, err, person, id, "plan", func(d *personCoaching) {
			quarter := d.Form.Quarter
			d.Form, d.FormOpen = pp.Form, true
			d.Form.Action, d.Form.Quarter = "/coaching/plans/"+fmtID(id), quarter
			d.Error = pp.fieldLabel(app.ErrorField(err)) + d.Error
		})
	}
	return c.Redirect("/people/"+fmtID(person)+"/coaching?plan="+fmtID(id)+"&done=plan", fiber.StatusSeeOther)
}

func (s *Pages) PageCreateCheckIn(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	person, err := s.Coaching.PlanPerson(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	in := readCheckInForm(c)
	if _, err := s.Coaching.AddCheckIn(c.UserContext(), kit.Actor(c), id, in); err != nil {
		return s.coachingFormError(c, err, person, id, "checkin", func(d *personCoaching) {
			d.CheckIn = checkInForm{Date: in.Date, Status: map[string]string{},
				SharedNote: c.FormValue("shared_note"), PrivateNote: c.FormValue("private_note")}
			for _, g := range in.Goals {
				d.CheckIn.Status[g.Competency] = g.Status
			}
			d.CheckInOpen = true
		})
	}
	return c.Redirect("/people/"+fmtID(person)+"/coaching?plan="+fmtID(id)+"&done=checkin#check-ins", fiber.StatusSeeOther)
}

func (s *Pages) PageCarryOver(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	person, err := s.Coaching.PlanPerson(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	p, err := s.Coaching.CarryOver(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return s.coachingFormError(c, err, person, id, "page", nil)
	}
	return c.Redirect("/people/"+fmtID(person)+"/coaching?plan="+fmtID(p.ID)+"&done=carry", fiber.StatusSeeOther)
}

// backTo is the page a small form came from (a local path), with the flash code added
// before its #fragment, if any.
func backTo(c *fiber.Ctx, done string) error {
	next, fragment, _ := strings.Cut(kit.SafeNext(c.FormValue("next")), "#")
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	if fragment != "" {
		fragment = "#" + fragment
	}
	return c.Redirect(next+sep+"done="+done+fragment, fiber.StatusSeeOther)
}

func (s *Pages) PageSetActionStatus(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Coaching.SetActionStatus(c.UserContext(), kit.Actor(c), id, c.FormValue("status")); err != nil {
		return err
	}
	return backTo(c, "action")
}

func (s *Pages) PageSetReflection(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Coaching.SetReflection(c.UserContext(), kit.Actor(c), id, c.FormValue("reflection")); err != nil {
		return err
	}
	return backTo(c, "reflection")
}

func (s *Pages) PageTeamCoaching(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	svc := s.Coaching
	q := svc.Quarter()
	if asked, err := app.ParseQuarter(c.Query("quarter")); err == nil {
		q = asked
	}
	team, members, err := svc.TeamPlans(c.UserContext(), kit.Actor(c), id, q)
	if err != nil {
		return err
	}
	var sum struct{ Plans, Done, Total, Overdue int }
	for _, m := range members {
		if m.Plan != nil {
			sum.Plans++
			sum.Done, sum.Total, sum.Overdue = sum.Done+m.Progress.Done, sum.Total+m.Progress.Total, sum.Overdue+len(m.Progress.Overdue)
		}
	}
	return s.Render(c, "coaching_team.html", kit.Page{Title: "Coaching · " + team.Name, Nav: "teams", Data: fiber.Map{
		"Team": team, "Members": members, "Summary": sum, "Quarter": q.String(), "Prev": q.Prev().String(),
		"Next": q.Next().String(), "Current": svc.Quarter().String(), "Labels": coachingLabels}})
}

func fmtID(id int64) string { return strconv.FormatInt(id, 10) }
