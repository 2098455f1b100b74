package ui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/profiles"
)

// Messages shown after a form succeeded, by the "done" query key of the redirect
// (never user text, so nothing can be injected through the URL).
var doneMessages = map[string]string{
	"profile":   "Your profile is saved.",
	"self":      "Your self-assessment is saved.",
	"leader":    "Your ratings are saved.",
	"unchanged": "Nothing changed, so nothing was saved.",
	"requested": "Request sent. It shows on their profile page under \u201cRequests for you\u201d.",
	"answered":  "Thank you: your ratings are saved.",
	"declined":  "Request declined.",
}

// ratingRow is one competency on a profile or person page: the person's ratings, the
// background hint, the gap to the title's expectation and the rating form's values.
type ratingRow struct {
	app.CompetencyRatings
	Hint      string // chart.HintStrength, chart.HintGrowth or ""
	SelfLevel *int   // the latest self-rating's level (nil: none or not assessed)
	EffLevel  *int   // the effective level (nil: not assessed)
	Gap       *int   // expected − effective, when both exist (positive: below expectation)
	FormLevel string // the form's level: "" (not assessed) or "0".."5"
	FormNote  string
}

// ratingRows builds the rows of a person. The form's level is the rater's own latest of
// the kind and its evidence starts empty (the latest evidence is in the history; an empty
// evidence with the same level changes nothing), or both are the values just submitted
// (after an error).
func ratingRows(pr *profiles.PersonRatings, raterID int64, kind string, submitted []app.RatingInput) []ratingRow {
	hint := pr.BackgroundHint()
	rows := make([]ratingRow, len(pr.Competencies))
	for i, cr := range pr.Competencies {
		r := ratingRow{CompetencyRatings: cr}
		switch {
		case slices.Contains(hint.Strengths, cr.Competency):
			r.Hint = chart.HintStrength
		case slices.Contains(hint.GrowthAreas, cr.Competency):
			r.Hint = chart.HintGrowth
		}
		if cr.Self != nil {
			r.SelfLevel = cr.Self.Level
		}
		if cr.Effective != nil {
			l := cr.Effective.Level
			r.EffLevel = &l
			if cr.Expected != nil {
				g := *cr.Expected - l
				r.Gap = &g
			}
		}
		if prev := latestBy(pr.History, raterID, kind, cr.Competency); prev != nil {
			r.FormLevel = levelString(prev.Level)
		}
		for _, in := range submitted {
			if in.Competency == cr.Competency {
				r.FormLevel, r.FormNote = levelString(in.Level), in.Note
			}
		}
		rows[i] = r
	}
	return rows
}

// latestBy returns the rater's latest rating of the kind in the competency, or nil.
func latestBy(history []app.Rating, raterID int64, kind, key string) *app.Rating {
	var last *app.Rating
	for i := range history {
		if r := &history[i]; r.RaterID == raterID && r.Kind == kind && r.Competency == key {
			last = r
		}
	}
	return last
}

func levelString(l *int) string {
	if l == nil {
		return ""
	}
	return strconv.Itoa(*l)
}

// formRatings reads a rating form (level_<key>, note_<key> per competency in scope; the
// quick form of one row sends one competency). With history, it keeps only what differs
// from the rater's latest rating of the kind, so saving an unchanged form adds nothing to
// the history; an empty evidence field with the same level is unchanged too (the quick
// form's evidence starts empty).
func formRatings(c *fiber.Ctx, scope []app.Competency, history []app.Rating, raterID int64, kind string) (all, changed []app.RatingInput) {
	for _, comp := range scope {
		args := c.Request().PostArgs()
		if !args.Has("level_" + comp.Key) {
			continue
		}
		in := app.RatingInput{Competency: comp.Key, Note: strings.TrimSpace(c.FormValue("note_" + comp.Key))}
		if v := strings.TrimSpace(c.FormValue("level_" + comp.Key)); v != "" {
			l, err := strconv.Atoi(v)
			if err != nil {
				l = -1 // reported as out of range by the validation
			}
			in.Level = &l
		}
		all = append(all, in)
		prev := latestBy(history, raterID, kind, comp.Key)
		same := prev == nil && in.Level == nil && in.Note == ""
		if prev != nil {
			same = levelString(prev.Level) == levelString(in.Level) && (prev.Note == in.Note || in.Note == "")
		}
		if !same {
			changed = append(changed, in)
		}
	}
	return all, changed
}

// profileChart draws the effective levels against the title's expectation, with the
// background's hints as a dashed overlay.
func profileChart(rows []ratingRow) (chart.Option, error) {
	var d chart.ProfileData
	for _, r := range rows {
		d.Competencies = append(d.Competencies, r.Name)
		d.Levels = append(d.Levels, r.EffLevel)
		exp := 0
		if r.Expected != nil {
			exp = *r.Expected
		}
		d.Expected = append(d.Expected, exp)
		d.Hint = append(d.Hint, r.Hint)
	}
	return chart.Profile(d)
}

// historyChart draws how one competency's self, leader and peer ratings moved, one
// point per day (the day's last rating of each kind).
func historyChart(history []app.Rating, key string) (chart.Option, []app.Rating, error) {
	var rows []app.Rating
	var dates []string
	for _, r := range history {
		if r.Competency != key {
			continue
		}
		rows = append(rows, r)
		if d := r.CreatedAt.Format(app.DateLayout); !slices.Contains(dates, d) {
			dates = append(dates, d)
		}
	}
	if len(rows) == 0 {
		return nil, nil, nil
	}
	kinds := []struct{ kind, name string }{{app.RatingSelf, "Self"}, {app.RatingLeader, "Leader"}, {app.RatingPeer, "Peers"}}
	var h chart.HistoryData
	h.Dates = dates
	for _, k := range kinds {
		values := make([]*int, len(dates))
		any := false
		for _, r := range rows {
			if r.Kind == k.kind && r.Level != nil {
				l := *r.Level
				values[slices.Index(dates, r.CreatedAt.Format(app.DateLayout))] = &l
				any = true
			}
		}
		if any {
			h.Series = append(h.Series, chart.NamedSeries{Name: k.name, Values: values})
		}
	}
	if len(h.Series) == 0 {
		return nil, rows, nil
	}
	opt, err := chart.History(h)
	return opt, rows, err
}

// ---- /me/profile ----

type tagOption struct {
	Key, Group string
	Checked    bool
}

type myProfileData struct {
	// ToDo is the PM's part of their teams' open assessment cycles.
	ToDo         []cycles.ToDo
	Profile      *profiles.ProfileView
	Background   string // the form's background key
	StartedOn    string // the form's start date
	User         *app.User
	WindowLabel  string
	Shape        profiles.PersonShape
	Spikes       []string // names of the competencies that are spikes
	Chart        chart.Option
	Rows         []ratingRow
	Flags        int
	Tags         []tagOption
	OtherTags    string
	ToAnswer     []app.PeerRequest
	OpenRequests int // requests still waiting for the caller's answer
	Made         []app.PeerRequest
	Reviewers    []app.User
	Backgrounds  []app.Option
	CareerSpike  []app.Option
	Scale        []app.ScaleLevel
	Evidence     bool // the organisation requires evidence
	Mentoring    *mentoringState
	Rated        string // the competency the quick form just saved (its row confirms it)
}

// renderMyProfile renders the caller's profile page; after a failed form, with the
// error and the values just submitted.
func (s *Pages) renderMyProfile(c *fiber.Ctx, status int, formErr error, profileIn *app.ProfileInput, submitted []app.RatingInput) error {
	a := kit.Actor(c)
	pg, err := s.Profiles.MyProfilePage(c.UserContext(), a)
	if err != nil {
		return err
	}
	pr := pg.Ratings
	todo, err := s.Cycles.MyToDo(c.UserContext(), a)
	if err != nil {
		return err
	}
	d := myProfileData{ToDo: todo, User: pr.Person, Profile: pg.View, Shape: pg.Shape,
		Backgrounds: app.Backgrounds, CareerSpike: app.CareerSpikes, Scale: app.Scale,
		Evidence: pr.Settings.RequireEvidence, Flags: pr.Flags,
		ToAnswer: pg.ToAnswer, Made: pg.Made, Reviewers: pg.Reviewers}
	if profileIn != nil {
		d.Profile.Background, d.Profile.RoleStartedOn = profileIn.Background, profileIn.RoleStartedOn
		d.Profile.Specialisms, d.Profile.Spikes = profileIn.Specialisms, profileIn.Spikes
	}
	d.WindowLabel = app.RoleWindowLabel(d.Profile.RoleWindow)
	if d.Profile.Background != nil {
		d.Background = *d.Profile.Background
	}
	if d.Profile.RoleStartedOn != nil {
		d.StartedOn = *d.Profile.RoleStartedOn
	}
	for _, k := range d.Shape.Spikes {
		if comp := pr.Framework.ByKey(k); comp != nil {
			d.Spikes = append(d.Spikes, comp.Name)
		}
	}
	d.Rows = ratingRows(pr, a.UserID, app.RatingSelf, submitted)
	if d.Chart, err = profileChart(d.Rows); err != nil {
		return err
	}
	var other []string
	for _, t := range app.SpecialismTags {
		d.Tags = append(d.Tags, tagOption{Key: t.Key, Group: t.Label, Checked: slices.Contains(d.Profile.Specialisms, t.Key)})
	}
	for _, t := range d.Profile.Specialisms {
		if !app.ValidOption(app.SpecialismTags, t) {
			other = append(other, t)
		}
	}
	d.OtherTags = strings.Join(other, ", ")
	for _, r := range d.ToAnswer {
		if r.Status == app.RequestOpen {
			d.OpenRequests++
		}
	}
	if d.Mentoring, err = s.myMentoringState(c); err != nil {
		return err
	}
	d.Rated = c.Query("rated")
	p := kit.Page{Title: "My profile", Nav: "profile", Charts: true, Data: d, Flash: doneMessages[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.RenderStatus(c, status, "profile.html", p)
}

func (s *Pages) PageMyProfile(c *fiber.Ctx) error {
	return s.renderMyProfile(c, fiber.StatusOK, nil, nil, nil)
}

// formError re-renders a page after a form's input was refused; other errors go to
// the error handler.
func formError(err error, rerender func(status int) error) error {
	switch app.ErrorCode(err) {
	case app.EINVALID, app.EBADREQUEST, app.ECONFLICT:
		return rerender(kit.StatusOf[app.ErrorCode(err)])
	}
	return err
}

func (s *Pages) PageMyProfilePost(c *fiber.Ctx) error {
	in := app.ProfileInput{Specialisms: []string{}, Spikes: []string{}}
	bg, started := c.FormValue("background"), c.FormValue("role_started_on")
	in.Background, in.RoleStartedOn = &bg, &started
	for _, v := range c.Request().PostArgs().PeekMulti("specialisms") {
		in.Specialisms = append(in.Specialisms, string(v))
	}
	other := strings.FieldsFunc(c.FormValue("other_specialisms"), func(r rune) bool { return r == ',' || r == ' ' })
	in.Specialisms = append(in.Specialisms, other...)
	for _, v := range c.Request().PostArgs().PeekMulti("spikes") {
		in.Spikes = append(in.Spikes, string(v))
	}
	if err := s.Profiles.SaveMyProfile(c.UserContext(), kit.Actor(c), in); err != nil {
		return formError(err, func(status int) error { return s.renderMyProfile(c, status, err, &in, nil) })
	}
	return c.Redirect("/me/profile?done=profile#about", fiber.StatusSeeOther)
}

func (s *Pages) PageMyRatingsPost(c *fiber.Ctx) error {
	a := kit.Actor(c)
	pr, err := s.Profiles.PersonRatings(c.UserContext(), a, a.UserID)
	if err != nil {
		return err
	}
	all, changed := formRatings(c, pr.Scope, pr.History, a.UserID, app.RatingSelf)
	back := ratedBack("/me/profile?", all, "#self")
	if len(changed) == 0 {
		return c.Redirect(back("unchanged"), fiber.StatusSeeOther)
	}
	if err := s.Profiles.RateSelf(c.UserContext(), a, changed); err != nil {
		return formError(err, func(status int) error { return s.renderMyProfile(c, status, err, nil, all) })
	}
	return c.Redirect(back("self"), fiber.StatusSeeOther)
}

// ---- /people/:id ----

type personPageData struct {
	Person      *app.User
	Profile     *profiles.ProfileView
	WindowLabel string
	Access      app.PersonAccess
	Shape       profiles.PersonShape
	Rows        []ratingRow
	Flags       int
	Chart       chart.Option
	Competency  string // the competency whose history is shown
	History     chart.Option
	HistoryRows []app.Rating
	Requests    []app.PeerRequest
	Reviewers   []app.User
	Scale       []app.ScaleLevel
	Evidence    bool
	Rated       string // the competency the quick form just saved
}

func (s *Pages) renderPerson(c *fiber.Ctx, status int, id int64, formErr error, submitted []app.RatingInput) error {
	a := kit.Actor(c)
	pg, err := s.Profiles.Person(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	pr := pg.Ratings
	d := personPageData{Person: pr.Person, Profile: pg.View, Access: pr.Access, Shape: pg.Shape, Flags: pr.Flags,
		Scale: app.Scale, Evidence: pr.Settings.RequireEvidence, Requests: pg.Requests, Reviewers: pg.Reviewers}
	d.WindowLabel = app.RoleWindowLabel(d.Profile.RoleWindow)
	d.Rows = ratingRows(pr, a.UserID, app.RatingLeader, submitted)
	if d.Chart, err = profileChart(d.Rows); err != nil {
		return err
	}
	d.Competency = c.Query("c")
	if pr.Framework.ByKey(d.Competency) == nil && len(pr.Scope) > 0 {
		d.Competency = pr.Scope[0].Key
	}
	if d.History, d.HistoryRows, err = historyChart(pr.History, d.Competency); err != nil {
		return err
	}
	slices.Reverse(d.HistoryRows) // newest first in the table
	d.Rated = c.Query("rated")
	p := kit.Page{Title: pr.Person.Name, Nav: "teams", Charts: true, Data: d, Flash: doneMessages[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.RenderStatus(c, status, "person.html", p)
}

func (s *Pages) PagePerson(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	return s.renderPerson(c, fiber.StatusOK, id, nil, nil)
}

func (s *Pages) PagePersonRatingsPost(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	pr, err := s.Profiles.PersonRatings(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	all, changed := formRatings(c, pr.Scope, pr.History, kit.Actor(c).UserID, app.RatingLeader)
	back := ratedBack("/people/"+strconv.FormatInt(id, 10)+"?", all, "#rate")
	if len(changed) == 0 {
		return c.Redirect(back("unchanged"), fiber.StatusSeeOther)
	}
	if err := s.Profiles.RateAsLeader(c.UserContext(), kit.Actor(c), id, changed); err != nil {
		return formError(err, func(status int) error { return s.renderPerson(c, status, id, err, all) })
	}
	return c.Redirect(back("leader"), fiber.StatusSeeOther)
}

// ratedBack is where a rating form returns to with its outcome (a doneMessages key): the
// quick form of one competency returns to that competency's row (rated=<key>, where the
// confirmation is shown), the whole form to its section (anchor).
func ratedBack(page string, posted []app.RatingInput, anchor string) func(done string) string {
	return func(done string) string {
		if len(posted) == 1 {
			k := url.QueryEscape(posted[0].Competency)
			return page + "done=" + done + "&rated=" + k + "&c=" + k + "#rate-" + k
		}
		return page + "done=" + done + anchor
	}
}

// PagePeerRequestPost asks for a peer rating from the person page or the own profile.
func (s *Pages) PagePeerRequestPost(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	reviewer, _ := strconv.ParseInt(c.FormValue("reviewer_id"), 10, 64)
	_, err = s.Profiles.RequestPeerRating(c.UserContext(), kit.Actor(c), id,
		profiles.PeerRequestInput{ReviewerID: reviewer, Message: c.FormValue("message")})
	self := id == kit.Actor(c).UserID
	if err != nil {
		return formError(err, func(status int) error {
			if self {
				return s.renderMyProfile(c, status, err, nil, nil)
			}
			return s.renderPerson(c, status, id, err, nil)
		})
	}
	if self {
		return c.Redirect("/me/profile?done=requested#requests", fiber.StatusSeeOther)
	}
	return c.Redirect("/people/"+strconv.FormatInt(id, 10)+"?done=requested#requests", fiber.StatusSeeOther)
}

// ---- /peer-requests/:id ----

type peerRequestData struct {
	Request  *app.PeerRequest
	Rows     []ratingRow
	Scale    []app.ScaleLevel
	Evidence bool
}

func (s *Pages) renderPeerRequest(c *fiber.Ctx, status int, id int64, formErr error, submitted []app.RatingInput) error {
	f, err := s.Profiles.PeerRequestForm(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	r := f.Request
	d := peerRequestData{Request: r, Scale: app.Scale, Evidence: f.Settings.RequireEvidence}
	// The reviewer sees the competencies only: never the subject's other ratings.
	for _, comp := range f.Scope {
		row := ratingRow{CompetencyRatings: app.CompetencyRatings{Competency: comp.Key, Name: comp.Name,
			AreaName: comp.AreaName, Definition: comp.Definition}}
		for _, in := range submitted {
			if in.Competency == comp.Key {
				row.FormLevel, row.FormNote = levelString(in.Level), in.Note
			}
		}
		d.Rows = append(d.Rows, row)
	}
	p := kit.Page{Title: "Rate " + r.SubjectName, Nav: "profile", Data: d}
	if formErr != nil {
		p.Error = app.ErrorMessage(formErr)
	}
	return s.RenderStatus(c, status, "peer_request.html", p)
}

func (s *Pages) PagePeerRequest(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	return s.renderPeerRequest(c, fiber.StatusOK, id, nil, nil)
}

func (s *Pages) PagePeerAnswerPost(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	f, err := s.Profiles.PeerRequestForm(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	all, changed := formRatings(c, f.Scope, nil, kit.Actor(c).UserID, app.RatingPeer)
	if err := s.Profiles.AnswerPeerRequest(c.UserContext(), kit.Actor(c), id, changed); err != nil {
		return formError(err, func(status int) error { return s.renderPeerRequest(c, status, id, err, all) })
	}
	return c.Redirect("/me/profile?done=answered#requests", fiber.StatusSeeOther)
}

func (s *Pages) PagePeerDeclinePost(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Profiles.DeclinePeerRequest(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/me/profile?done=declined#requests", fiber.StatusSeeOther)
}
