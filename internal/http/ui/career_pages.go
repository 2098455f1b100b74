package ui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// careerBadges are the badge classes of role windows and mentorship statuses.
var careerBadges = map[string]string{
	app.WindowEarly: "flag", app.WindowIn: "ok", app.WindowOverstaying: "risk",
	app.MentorshipPending: "flag", app.MentorshipAccepted: "ok", app.MentorshipDeclined: "gap",
}

// careerFlash is the message shown after a career form went through (?done=…).
var careerFlash = map[string]string{
	"role":      "The role is saved.",
	"deleted":   "The role is deleted.",
	"resource":  "The resource is saved.",
	"removed":   "The resource is deleted.",
	"added":     "The resource is on your plan as an education action.",
	"asked":     "Your request is sent. It shows under \u201cYour mentors\u201d until they answer.",
	"accept":    "You accepted: the mentorship is active.",
	"decline":   "You declined the request.",
	"end":       "The mentorship is ended.",
	"mentoring": "Your mentoring preference is saved.",
}

// careerTabs is the tab bar of the career pages.
type careerTabs struct {
	Current string // "portfolio", "learn", "mentoring" or "manage"
	Curator bool   // leaders and admins curate resources
}

func tabsFor(c *fiber.Ctx, current string) careerTabs {
	return careerTabs{Current: current, Curator: kit.Actor(c).Is(app.RoleAdmin, app.RoleLeader)}
}

// ---- /me/career and /people/:id/career ----

// roleForm is the role form as shown or last sent.
type roleForm struct {
	Action, Company, Title, Start, End, Industry, Market, Specialism string
	Spikes                                                           map[string]bool
	Editing                                                          bool
}

func formFromRole(r *app.CareerRole) roleForm {
	f := roleForm{Action: "/me/career/roles/" + fmtID(r.ID), Company: r.Company, Title: r.Title, Start: r.Start.String(),
		Industry: r.Industry, Market: r.Market, Specialism: r.Specialism, Spikes: map[string]bool{}, Editing: true}
	if r.End != nil {
		f.End = r.End.String()
	}
	for _, s := range r.Spikes {
		f.Spikes[s] = true
	}
	return f
}

// readRoleForm reads a role form into the input and the form to show again.
func readRoleForm(c *fiber.Ctx) (app.CareerRoleInput, roleForm) {
	in := app.CareerRoleInput{Company: c.FormValue("company"), Title: c.FormValue("title"), Start: c.FormValue("start"),
		End: c.FormValue("end"), Industry: c.FormValue("industry"), Market: c.FormValue("market"),
		Specialism: c.FormValue("specialism"), Spikes: []string{}}
	f := roleForm{Company: in.Company, Title: in.Title, Start: in.Start, End: in.End, Industry: in.Industry,
		Market: in.Market, Specialism: in.Specialism, Spikes: map[string]bool{}}
	for _, v := range c.Request().PostArgs().PeekMulti("spikes") {
		in.Spikes = append(in.Spikes, string(v))
		f.Spikes[string(v)] = true
	}
	return in, f
}

// careerPage is the portfolio page.
type careerPage struct {
	View        *careers.Career
	Mine        bool // the caller's own portfolio: editable
	Chart       chart.Option
	ChartHeight int
	Timeline    chart.Option
	// TimelineHeight is the timeline's height in pixels.
	TimelineHeight int
	Years          string
	Form           roleForm
	Error          string
	Tabs           careerTabs
	Labels         map[string]string
	Badges         map[string]string
	Spikes         []app.Option
	Markets        []app.Option
	Tags           []app.Option
	Today          string
}

func (s *Pages) renderCareer(c *fiber.Ctx, status int, personID int64, form *roleForm, formErr error) error {
	v, err := s.Careers.Career(c.UserContext(), kit.Actor(c), personID)
	if err != nil {
		return err
	}
	d := careerPage{View: v, Mine: v.Access.Self, Tabs: tabsFor(c, "portfolio"), Labels: careers.Labels, Badges: careerBadges,
		Spikes: app.CareerSpikes, Markets: app.Markets, Tags: app.SpecialismTags, Today: app.DateOf(s.Now()).String(),
		Form: roleForm{Action: "/me/career/roles", Market: "b2b", Spikes: map[string]bool{}}}
	d.Years = yearsMonths(v.Portfolio.MonthsAsPM)
	if d.Chart, d.ChartHeight, err = spikeChart(v); err != nil {
		return err
	}
	if len(v.Roles) > 0 {
		if d.Timeline, err = timelineChart(v.Roles, s.Now()); err != nil {
			return err
		}
		d.TimelineHeight = chart.TimelineHeight(len(app.CareerSpikes))
	}
	if edit, _ := strconv.ParseInt(c.Query("edit"), 10, 64); edit > 0 && d.Mine {
		for i := range v.Roles {
			if v.Roles[i].ID == edit {
				d.Form = formFromRole(&v.Roles[i])
			}
		}
	}
	if form != nil {
		d.Form = *form
	}
	title := "My career"
	if !d.Mine {
		title = v.User.Name + " · career"
	}
	p := kit.Page{Title: title, Nav: "career", Charts: true, Data: d, Flash: careerFlash[c.Query("done")]}
	if formErr != nil {
		d.Error, p.Flash = app.ErrorMessage(formErr), ""
		p.Data = d
	}
	if !d.Mine {
		p.Nav = "teams"
	}
	return s.RenderStatus(c, status, "career.html", p)
}

// yearsMonths words a number of months: "6 years 2 months".
func yearsMonths(m int) string {
	y, r := m/12, m%12
	plural := func(n int, w string) string {
		if n == 1 {
			return "1 " + w
		}
		return strconv.Itoa(n) + " " + w + "s"
	}
	switch {
	case y == 0:
		return plural(r, "month")
	case r == 0:
		return plural(y, "year")
	}
	return plural(y, "year") + " " + plural(r, "month")
}

// spikeChart draws the months each spike got across the career.
func spikeChart(v *careers.Career) (chart.Option, int, error) {
	var b chart.BarsData
	b.Name = "Months"
	for _, st := range v.Portfolio.Spikes {
		b.Labels = append(b.Labels, app.OptionLabel(app.CareerSpikes, st.Spike))
		b.Values = append(b.Values, float64(st.Months))
	}
	o, err := chart.Bars(b)
	return o, chart.BarsHeight(len(b.Labels)), err
}

// timelineChart draws the roles on a time axis, one row per spike they served.
func timelineChart(roles []app.CareerRole, today time.Time) (chart.Option, error) {
	var t chart.TimelineData
	for _, sp := range app.CareerSpikes {
		t.Rows = append(t.Rows, sp.Label)
	}
	for _, r := range roles {
		end := today.Format(app.DateLayout)
		if r.End != nil {
			end = r.End.String()
		}
		for _, sp := range r.Spikes {
			t.Bars = append(t.Bars, chart.TimelineBar{Row: slices.IndexFunc(app.CareerSpikes, func(o app.Option) bool { return o.Key == sp }),
				Start: r.Start.String(), End: end, Label: r.Title + " · " + r.Company})
		}
	}
	return chart.Timeline(t)
}

func (s *Pages) PageMyCareer(c *fiber.Ctx) error {
	return s.renderCareer(c, fiber.StatusOK, kit.Actor(c).UserID, nil, nil)
}

func (s *Pages) PagePersonCareer(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if id == kit.Actor(c).UserID {
		return c.Redirect("/me/career", fiber.StatusSeeOther)
	}
	return s.renderCareer(c, fiber.StatusOK, id, nil, nil)
}

func (s *Pages) PageSaveCareerRole(c *fiber.Ctx) error {
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = kit.ParamID(c, "id"); err != nil {
			return err
		}
	}
	in, f := readRoleForm(c)
	f.Action, f.Editing = c.Path(), id != 0
	if _, err := s.Careers.SaveMyCareerRole(c.UserContext(), kit.Actor(c), id, in); err != nil {
		return formError(err, func(status int) error {
			return s.renderCareer(c, status, kit.Actor(c).UserID, &f, err)
		})
	}
	return c.Redirect("/me/career?done=role#roles", fiber.StatusSeeOther)
}

func (s *Pages) PageDeleteCareerRole(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Careers.DeleteMyCareerRole(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/me/career?done=deleted#roles", fiber.StatusSeeOther)
}

// ---- /learn ----

// goalLearn is the hit-list of one coaching goal as the plan page shows it.
type goalLearn struct {
	Picks    []careers.LearnPick
	CanAdd   bool
	PersonID int64
	CSRF     string
	Next     string
	Labels   map[string]string
}

// LearnFor is the hit-list of the goal in the competency.
func (v *planView) LearnFor(competency string) goalLearn {
	g := goalLearn{CanAdd: v.Lead || v.ViewerID == v.Plan.PersonID, PersonID: v.Plan.PersonID, CSRF: v.CSRF,
		Next: v.Next, Labels: careers.Labels}
	g.Picks = careers.MarkOnPlan(v.Learn[competency], v.Plan)
	return g
}

type learnPage struct {
	*careers.LearnView
	Tabs    careerTabs
	Labels  map[string]string
	Curator bool
}

func (s *Pages) PageLearn(c *fiber.Ctx) error {
	v, err := s.Careers.Learn(c.UserContext(), kit.Actor(c), c.Query("competency"))
	if err != nil {
		return err
	}
	d := learnPage{LearnView: v, Tabs: tabsFor(c, "learn"), Labels: careers.Labels, Curator: tabsFor(c, "").Curator}
	return s.Render(c, "learn.html", kit.Page{Title: "Learn", Nav: "career", Data: d, Flash: careerFlash[c.Query("done")]})
}

func (s *Pages) PageAddResourceToPlan(c *fiber.Ctx) error {
	rid, _ := strconv.ParseInt(c.FormValue("resource_id"), 10, 64)
	person, _ := strconv.ParseInt(c.FormValue("person_id"), 10, 64) // 0: the caller
	if _, err := s.Careers.AddResourceToPlan(c.UserContext(), kit.Actor(c), rid, person); err != nil {
		return err
	}
	return backTo(c, "added")
}

// ---- /learn/manage ----

// resourceForm is the resource form as shown or last sent.
type resourceForm struct {
	Action, Title, URL, Description, Kind, Competency, Market, Background string
	LevelMin, LevelMax                                                    int
	Editing                                                               bool
}

func formFromResource(r *app.LearningResource) resourceForm {
	return resourceForm{Action: "/learn/manage/" + fmtID(r.ID), Title: r.Title, URL: r.URL, Description: r.Description,
		Kind: r.Kind, Competency: r.Competency, Market: r.Market, Background: r.BackgroundKey(),
		LevelMin: r.LevelMin, LevelMax: r.LevelMax, Editing: true}
}

// readResourceForm reads the resource form; a level that is not a number is reported as out
// of range by the validation.
func readResourceForm(c *fiber.Ctx) (app.ResourceInput, resourceForm) {
	level := func(name string, def int) int {
		v, err := strconv.Atoi(c.FormValue(name))
		if err != nil {
			if c.FormValue(name) == "" {
				return def
			}
			return -1
		}
		return v
	}
	lo, hi, bg := level("level_min", 0), level("level_max", app.MaxLevel), c.FormValue("background")
	in := app.ResourceInput{Title: c.FormValue("title"), URL: c.FormValue("url"), Description: c.FormValue("description"),
		Kind: c.FormValue("kind"), Competency: c.FormValue("competency"), LevelMin: &lo, LevelMax: &hi,
		Market: c.FormValue("market"), Background: &bg}
	f := resourceForm{Title: in.Title, URL: in.URL, Description: in.Description, Kind: in.Kind, Competency: in.Competency,
		Market: in.Market, Background: bg, LevelMin: lo, LevelMax: hi}
	return in, f
}

type manageData struct {
	Tabs        careerTabs
	Resources   []app.LearningResource
	Form        resourceForm
	Error       string
	Areas       []app.Area
	Kinds       []app.Option
	Markets     []app.Option
	Backgrounds []app.Option
	Levels      []int
	Labels      map[string]string
}

func (s *Pages) renderManage(c *fiber.Ctx, status int, form *resourceForm, formErr error) error {
	cat, err := s.Careers.Catalogue(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	d := manageData{Tabs: tabsFor(c, "manage"), Resources: cat.Resources, Areas: cat.Areas, Kinds: app.ResourceKinds,
		Markets: app.Markets, Backgrounds: app.Backgrounds, Levels: []int{0, 1, 2, 3, 4, 5}, Labels: careers.Labels,
		Form: resourceForm{Action: "/learn/manage", Kind: "article", Market: app.MarketBoth, LevelMax: app.MaxLevel}}
	if edit, _ := strconv.ParseInt(c.Query("edit"), 10, 64); edit > 0 {
		for i := range d.Resources {
			if d.Resources[i].ID == edit {
				d.Form = formFromResource(&d.Resources[i])
			}
		}
	}
	if form != nil {
		d.Form = *form
	}
	p := kit.Page{Title: "Manage learning resources", Nav: "career", Flash: careerFlash[c.Query("done")]}
	if formErr != nil {
		d.Error, p.Flash = app.ErrorMessage(formErr), ""
		if f := app.ErrorField(formErr); f != "" {
			d.Error = f + ": " + d.Error
		}
	}
	p.Data = d
	return s.RenderStatus(c, status, "learn_manage.html", p)
}

func (s *Pages) PageManageResources(c *fiber.Ctx) error {
	return s.renderManage(c, fiber.StatusOK, nil, nil)
}

func (s *Pages) PageSaveResource(c *fiber.Ctx) error {
	in, f := readResourceForm(c)
	f.Action = c.Path()
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = kit.ParamID(c, "id"); err != nil {
			return err
		}
		f.Editing = true
	}
	if _, err := s.Careers.SaveResource(c.UserContext(), kit.Actor(c), id, in); err != nil {
		return formError(err, func(status int) error { return s.renderManage(c, status, &f, err) })
	}
	return c.Redirect("/learn/manage?done=resource#resources", fiber.StatusSeeOther)
}

func (s *Pages) PageDeleteResource(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Careers.DeleteResource(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/learn/manage?done=removed#resources", fiber.StatusSeeOther)
}

// ---- /me/mentoring ----

// mentoringState is the caller's mentoring settings as the pages show them, with their
// consent form.
type mentoringState struct{ *careers.MentoringState }

// consentForm is the consent form of the profile and mentoring pages.
type consentForm struct {
	State      *mentoringState
	CSRF, Next string
}

// Form is the state as the consent form shows it, posted with csrf, coming back to next.
func (m *mentoringState) Form(csrf, next string) consentForm {
	return consentForm{State: m, CSRF: csrf, Next: next}
}

// myMentoringState is the caller's mentoring settings for a page (the profile's too).
func (s *Pages) myMentoringState(c *fiber.Ctx) (*mentoringState, error) {
	st, err := s.Careers.MyMentoring(c.UserContext(), kit.Actor(c))
	if err != nil {
		return nil, err
	}
	return &mentoringState{st}, nil
}

type mentoringPage struct {
	*careers.MentoringView
	State    *mentoringState
	Tabs     careerTabs
	Error    string
	Labels   map[string]string
	Badges   map[string]string
	Capacity int
}

func (s *Pages) renderMentoring(c *fiber.Ctx, status int, competency string, formErr error) error {
	v, err := s.Careers.Mentoring(c.UserContext(), kit.Actor(c), competency)
	if err != nil {
		return err
	}
	d := mentoringPage{MentoringView: v, State: &mentoringState{v.Settings}, Tabs: tabsFor(c, "mentoring"),
		Labels: careers.Labels, Badges: careerBadges, Capacity: app.MentorCapacity}
	p := kit.Page{Title: "Mentoring", Nav: "career", Data: nil, Flash: careerFlash[c.Query("done")]}
	if formErr != nil {
		d.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	p.Data = d
	return s.RenderStatus(c, status, "mentoring.html", p)
}

func (s *Pages) PageMentoring(c *fiber.Ctx) error {
	return s.renderMentoring(c, fiber.StatusOK, c.Query("competency"), nil)
}

// readMentoringForm reads the consent form: the opt-in box and the competencies ticked
// under it. The ticks belong to the box: with it unticked the form opts out, whatever is
// ticked below (an opt-out withdraws every offer).
func readMentoringForm(c *fiber.Ctx) careers.MentoringInput {
	optIn := c.FormValue("mentor_opt_in") != ""
	in := careers.MentoringInput{MentorOptIn: &optIn}
	if optIn {
		in.Offers = []string{}
		for _, v := range c.Request().PostArgs().PeekMulti("offers") {
			in.Offers = append(in.Offers, string(v))
		}
	}
	return in
}

// PageSetMentoring saves the consent form of the mentoring page or of the profile (next
// says which); a refused form comes back on the page it was sent from.
func (s *Pages) PageSetMentoring(c *fiber.Ctx) error {
	if _, err := s.Careers.SetMyMentoring(c.UserContext(), kit.Actor(c), readMentoringForm(c)); err != nil {
		return formError(err, func(status int) error {
			if strings.HasPrefix(kit.SafeNext(c.FormValue("next")), "/me/profile") {
				return s.renderMyProfile(c, status, err, nil, nil)
			}
			return s.renderMentoring(c, status, "", err)
		})
	}
	return backTo(c, "mentoring")
}

func (s *Pages) PageAskMentor(c *fiber.Ctx) error {
	mentor, _ := strconv.ParseInt(c.FormValue("mentor_id"), 10, 64)
	in := careers.MentorshipInput{MentorID: mentor, Competency: c.FormValue("competency"), Message: c.FormValue("message")}
	m, err := s.Careers.AskMentor(c.UserContext(), kit.Actor(c), in)
	if err != nil {
		return formError(err, func(status int) error { return s.renderMentoring(c, status, in.Competency, err) })
	}
	return c.Redirect("/me/mentoring?competency="+url.QueryEscape(m.Competency)+"&done=asked#mine", fiber.StatusSeeOther)
}

func (s *Pages) PageMentorship(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := kit.ParamID(c, "id")
		if err != nil {
			return err
		}
		if _, err := s.Careers.AnswerMentorship(c.UserContext(), kit.Actor(c), id, action); err != nil {
			return formError(err, func(status int) error { return s.renderMentoring(c, status, "", err) })
		}
		return c.Redirect("/me/mentoring?done="+action+"#mentees", fiber.StatusSeeOther)
	}
}
