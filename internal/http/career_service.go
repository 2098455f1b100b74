package http

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/career"
	"github.com/teamshape/teamshape/internal/coaching"
)

// The code paths shared by the career API handlers and pages: the portfolio, hit-lists and
// mentoring. Each checks access itself, so both callers get the same rules:
//   - a career portfolio is read by the person, their leaders and admins; written by the person;
//   - hit-lists fitted to a person are read by the same people (the fit reveals a level);
//   - resources are curated by leaders and admins (the route table);
//   - mentorships are the mentee's and the mentor's alone; HR has no route to any of it.

// careerPerson returns a person whose career the caller may see: themself, a member of a
// team they lead, anyone of the organisation for an admin. Anyone else is ENOTFOUND.
func (s *Server) careerPerson(c *fiber.Ctx, personID int64) (*app.User, app.PersonAccess, error) {
	u, acc, err := s.person(c, personID)
	if err != nil {
		return nil, acc, err
	}
	if !acc.CanSeeRatings() {
		return nil, acc, app.ErrNotFound("Person")
	}
	return u, acc, nil
}

// careerView is a person's career as the API and the pages show it.
type careerView struct {
	Person    fiber.Map        `json:"person"`
	Roles     []app.CareerRole `json:"roles"`
	Portfolio career.Portfolio `json:"portfolio"`
	Shape     string           `json:"shape"` // the profile's shape label from the analytic core
	// WindowLabel words the current role's window ("too early to move", …).
	WindowLabel string           `json:"window_label"`
	User        *app.User        `json:"-"`
	Access      app.PersonAccess `json:"-"`
}

// loadCareer loads a person's roles and adds them up with their profile's shape.
func (s *Server) loadCareer(c *fiber.Ctx, personID int64) (*careerView, error) {
	u, acc, err := s.careerPerson(c, personID)
	if err != nil {
		return nil, err
	}
	pr, err := s.loadPersonRatings(c, personID)
	if err != nil {
		return nil, err
	}
	roles, err := s.store.FindCareerRoles(c.UserContext(), actor(c).OrgID, personID)
	if err != nil {
		return nil, err
	}
	v := &careerView{Person: personRef(u), Roles: roles, Shape: pr.Shape().Shape, User: u, Access: acc}
	if v.Roles == nil {
		v.Roles = []app.CareerRole{}
	}
	v.Portfolio = career.Analyze(roles, s.now(), v.Shape)
	v.WindowLabel = app.RoleWindowLabel(v.Portfolio.Window)
	return v, nil
}

// saveMyCareerRole validates a role of the caller's and stores it (id 0: a new role),
// refusing it when it overlaps another of their roles.
func (s *Server) saveMyCareerRole(c *fiber.Ctx, id int64, in app.CareerRoleInput) (*app.CareerRole, error) {
	a := actor(c)
	r, err := in.Role(a.UserID, s.now())
	if err != nil {
		return nil, err
	}
	r.ID, r.OrgID = id, a.OrgID
	err = s.store.SaveCareerRole(c.UserContext(), r, func(others []app.CareerRole) error {
		return app.CheckCareerRole(others, *r)
	})
	return r, err
}

// ---- hit-lists ----

// resourceInput validates a curator's resource against the organisation's framework.
func (s *Server) resourceInput(c *fiber.Ctx, in app.ResourceInput) (*app.LearningResource, error) {
	a := actor(c)
	fw, err := s.store.FindFramework(c.UserContext(), a.OrgID)
	if err != nil {
		return nil, err
	}
	return in.Resource(a.OrgID, fw)
}

// createResource stores a new resource of the caller's organisation.
func (s *Server) createResource(c *fiber.Ctx, in app.ResourceInput) (*app.LearningResource, error) {
	r, err := s.resourceInput(c, in)
	if err != nil {
		return nil, err
	}
	r.CreatedBy = &actor(c).UserID
	return r, s.store.CreateResource(c.UserContext(), r)
}

// updateResource replaces a resource of the caller's organisation.
func (s *Server) updateResource(c *fiber.Ctx, id int64, in app.ResourceInput) (*app.LearningResource, error) {
	if _, err := s.store.FindResourceByID(c.UserContext(), actor(c).OrgID, id); err != nil {
		return nil, err
	}
	r, err := s.resourceInput(c, in)
	if err != nil {
		return nil, err
	}
	r.ID = id
	return r, s.store.UpdateResource(c.UserContext(), r)
}

// hitList is the top resources of a competency for a person.
type hitList struct {
	PersonID       int64         `json:"person_id"`
	Competency     string        `json:"competency"`
	CompetencyName string        `json:"competency_name"`
	Market         string        `json:"market"`     // the person's, from their specialism tags ("" any)
	Background     string        `json:"background"` // the person's
	Items          []career.Pick `json:"items"`
}

// learnerProfile returns what a hit-list needs from a person's profile: their market (from
// their specialism tags) and their background.
func (s *Server) learnerProfile(ctx context.Context, personID int64) (market, background string, err error) {
	profiles, err := s.store.FindProfiles(ctx, []int64{personID})
	if err != nil {
		return "", "", err
	}
	if p := profiles[personID]; p != nil {
		market, background = career.MarketOf(p.Specialisms), p.BackgroundKey()
	}
	return market, background, nil
}

// recommend returns the top resources of a competency for a person the caller may see.
func (s *Server) recommend(c *fiber.Ctx, personID int64, competency string) (*hitList, error) {
	if _, _, err := s.careerPerson(c, personID); err != nil {
		return nil, err
	}
	ctx, orgID := c.UserContext(), actor(c).OrgID
	fw, err := s.store.FindFramework(ctx, orgID)
	if err != nil {
		return nil, err
	}
	comp := fw.ByKey(competency)
	if comp == nil || comp.Archived {
		return nil, app.Invalid("competency", "Unknown competency %q.", competency)
	}
	market, bg, err := s.learnerProfile(ctx, personID)
	if err != nil {
		return nil, err
	}
	eff, err := s.store.FindEffectiveRatings(ctx, orgID, []int64{personID}, s.now())
	if err != nil {
		return nil, err
	}
	resources, err := s.store.FindResources(ctx, orgID, comp.Key)
	if err != nil {
		return nil, err
	}
	h := &hitList{PersonID: personID, Competency: comp.Key, CompetencyName: comp.Name, Market: market, Background: bg}
	l := career.Learner{Market: market, Background: bg}
	for _, r := range eff {
		if r.Competency == comp.Key {
			l.Level = &r.Level
		}
	}
	h.Items = career.HitList(resources, comp.Key, l, career.HitListSize)
	return h, nil
}

// planHitLists returns the top resources for each goal of a plan, fitted to the plan's PM
// at each goal's level now. The caller has read the plan, so may see its levels.
func (s *Server) planHitLists(ctx context.Context, orgID int64, p *app.CoachingPlan) (map[string][]career.Pick, error) {
	resources, err := s.store.FindResources(ctx, orgID, "")
	if err != nil {
		return nil, err
	}
	market, bg, err := s.learnerProfile(ctx, p.PersonID)
	if err != nil {
		return nil, err
	}
	out := map[string][]career.Pick{}
	for _, g := range p.Goals {
		out[g.Competency] = career.HitList(resources, g.Competency, career.Learner{Level: g.LevelNow, Market: market, Background: bg}, career.HitListSize)
	}
	return out, nil
}

// resourceVerbs start the description of the education action a resource becomes.
var resourceVerbs = map[string]string{
	"article": "Read", "book": "Read", "course": "Take", "talk": "Watch", "internal": "Work through",
}

// addResourceToPlan adds a resource as an education action, owned by the PM, to the goal in
// its competency of the PM's plan for the current quarter (coaching.AddAction checks who may).
func (s *Server) addResourceToPlan(c *fiber.Ctx, resourceID, personID int64) (*app.CoachingAction, *app.CoachingPlan, error) {
	ctx, a, svc := c.UserContext(), actor(c), s.coaching()
	r, err := s.store.FindResourceByID(ctx, a.OrgID, resourceID)
	if err != nil {
		return nil, nil, err
	}
	plans, _, err := svc.Plans(ctx, a, personID)
	if err != nil {
		return nil, nil, err
	}
	var plan *app.CoachingPlan
	for i := range plans {
		if plans[i].Quarter == svc.Quarter().String() {
			plan = &plans[i]
		}
	}
	if plan == nil {
		return nil, nil, app.Invalid("plan", "There is no coaching plan for %s yet: a leader starts it, then resources can be added.", svc.Quarter())
	}
	desc := fmt.Sprintf("%s \u201c%s\u201d (%s).", resourceVerbs[r.Kind], r.Title, strings.ToLower(app.OptionLabel(app.ResourceKinds, r.Kind)))
	ac, err := svc.AddAction(ctx, a, plan.ID, r.Competency, coaching.ActionInput{Kind: app.ActionEducation,
		Description: desc, OwnerID: personID, ResourceURL: r.URL, Status: app.ActionTodo})
	if app.ErrorField(err) == "competency" {
		return nil, nil, app.Invalid("competency", "The plan for %s has no goal in %s: add the resource to a goal's competency.", plan.Quarter, r.CompetencyName)
	}
	return ac, plan, err
}

// ---- mentoring ----

// MentorshipInput is a PM's request to a suggested mentor.
type MentorshipInput struct {
	MentorID   int64  `json:"mentor_id"`
	Competency string `json:"competency"`
	Message    string `json:"message"`
}

// mentorPool returns the people of the organisation as matching sees them for a
// competency, by id: whether they opted in and offer the competency, active mentees,
// background, specialisms and spikes. No rating: suggestions follow consent and offers.
func (s *Server) mentorPool(ctx context.Context, orgID int64, competency string) (map[int64]career.Person, []int64, error) {
	users, err := s.store.FindUsers(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	profiles, err := s.store.FindProfiles(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	consents, err := s.store.FindMentorConsents(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	mentees, err := s.store.CountMentees(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	pool := make(map[int64]career.Person, len(users))
	for _, u := range users {
		mc := consents[u.ID]
		p := career.Person{ID: u.ID, Name: u.Name, Title: u.Title, Role: u.Role, Active: u.Active,
			OptIn: mc.OptedIn, Offers: mc.OptedIn && slices.Contains(mc.Offers, competency), Mentees: mentees[u.ID]}
		if pf := profiles[u.ID]; pf != nil {
			p.Background, p.Tags, p.Spikes = pf.BackgroundKey(), pf.Specialisms, pf.Spikes
		}
		pool[u.ID] = p
	}
	return pool, ids, nil
}

// activeCompetency returns a competency of the framework that is not archived.
func (s *Server) activeCompetency(ctx context.Context, orgID int64, key string) (*app.Competency, error) {
	fw, err := s.store.FindFramework(ctx, orgID)
	if err != nil {
		return nil, err
	}
	comp := fw.ByKey(strings.TrimSpace(key))
	if comp == nil || comp.Archived {
		return nil, app.Invalid("competency", "Choose a competency of the framework.")
	}
	return comp, nil
}

// matchMentors suggests mentors and peers in a competency for a person the caller may see.
func (s *Server) matchMentors(c *fiber.Ctx, personID int64, competency string) (*career.Matches, *app.Competency, error) {
	if _, _, err := s.careerPerson(c, personID); err != nil {
		return nil, nil, err
	}
	ctx, orgID := c.UserContext(), actor(c).OrgID
	comp, err := s.activeCompetency(ctx, orgID, competency)
	if err != nil {
		return nil, nil, err
	}
	pool, ids, err := s.mentorPool(ctx, orgID, comp.Key)
	if err != nil {
		return nil, nil, err
	}
	people := make([]career.Person, len(ids))
	for i, id := range ids {
		people[i] = pool[id]
	}
	m := career.Match(pool[personID], people, app.MentorCapacity, comp.Name)
	return &m, comp, nil
}

// mentorRefusal words why a person cannot be asked to mentor in a competency.
func mentorRefusal(why, name, competency string) string {
	switch why {
	case career.NotSelf:
		return "You cannot be your own mentor."
	case career.NotOffered:
		return name + " is not a suggested mentor in " + competency + "."
	case career.NotCapacity:
		return fmt.Sprintf("%s already mentors %d people, the most anyone takes; ask someone else or try later.", name, app.MentorCapacity)
	}
	return name + " cannot take mentees here."
}

// askMentor records the caller's request to a mentor suggested to them, once the mentor
// passes the same test as the suggestions (career.MentorRefusal).
func (s *Server) askMentor(c *fiber.Ctx, in MentorshipInput) (*app.Mentorship, error) {
	ctx, a := c.UserContext(), actor(c)
	comp, err := s.activeCompetency(ctx, a.OrgID, in.Competency)
	if err != nil {
		return nil, err
	}
	in.Message = strings.TrimSpace(in.Message)
	if utf8.RuneCountInString(in.Message) > app.MaxMentorshipNote {
		return nil, app.Invalid("message", "Keep the message under %d characters.", app.MaxMentorshipNote)
	}
	pool, _, err := s.mentorPool(ctx, a.OrgID, comp.Key)
	if err != nil {
		return nil, err
	}
	mentor, ok := pool[in.MentorID]
	if !ok {
		return nil, app.Invalid("mentor_id", "Choose a suggested mentor of your organisation.")
	}
	if why := career.MentorRefusal(a.UserID, mentor, app.MentorCapacity); why != "" {
		return nil, app.Invalid("mentor_id", "%s", mentorRefusal(why, mentor.Name, comp.Name))
	}
	m := &app.Mentorship{OrgID: a.OrgID, MenteeID: a.UserID, MentorID: mentor.ID, Competency: comp.Key, Message: in.Message}
	if err := s.store.CreateMentorship(ctx, m); err != nil {
		return nil, err
	}
	return s.store.FindMentorshipByID(ctx, a.OrgID, m.ID)
}

// Mentorship actions: the mentor accepts or declines a pending request; either person ends
// it (a pending request is withdrawn, an active mentorship frees the mentor's place).
const (
	mentorshipAccept  = "accept"
	mentorshipDecline = "decline"
	mentorshipEnd     = "end"
)

// answerMentorship applies an action to a mentorship of the caller's; anyone else's is
// ENOTFOUND.
func (s *Server) answerMentorship(c *fiber.Ctx, id int64, action string) (*app.Mentorship, error) {
	ctx, a := c.UserContext(), actor(c)
	m, err := s.store.FindMentorshipByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	if m.MentorID != a.UserID && m.MenteeID != a.UserID {
		return nil, app.ErrNotFound("Mentorship")
	}
	to := map[string]string{mentorshipAccept: app.MentorshipAccepted, mentorshipDecline: app.MentorshipDeclined,
		mentorshipEnd: app.MentorshipEnded}[action]
	switch {
	case to == "":
		return nil, app.ErrNotFound("Action")
	case action != mentorshipEnd && m.MentorID != a.UserID:
		return nil, app.Errorf(app.EFORBIDDEN, "Only %s, the mentor asked, can answer this request.", m.MentorName)
	case action != mentorshipEnd && m.Status != app.MentorshipPending, action == mentorshipEnd && !m.Open():
		return nil, app.Errorf(app.ECONFLICT, "This mentorship is %s already.", strings.ToLower(app.OptionLabel(app.MentorshipStatuses, m.Status)))
	}
	if err := s.store.SetMentorshipStatus(ctx, a.OrgID, id, m.Status, to, app.MentorCapacity); err != nil {
		return nil, err
	}
	return s.store.FindMentorshipByID(ctx, a.OrgID, id)
}

// myMentorships returns the caller's mentorships as mentee and as mentor.
func (s *Server) myMentorships(c *fiber.Ctx) (asMentee, asMentor []app.Mentorship, err error) {
	ctx, a := c.UserContext(), actor(c)
	asMentee, err = s.store.FindMentorships(ctx, a.OrgID, app.MentorshipFilter{PersonID: a.UserID, AsMentee: true})
	if err != nil {
		return nil, nil, err
	}
	asMentor, err = s.store.FindMentorships(ctx, a.OrgID, app.MentorshipFilter{PersonID: a.UserID, AsMentor: true})
	return asMentee, asMentor, err
}

// mentoringState is the caller's own mentoring settings.
type mentoringState struct {
	OptIn bool `json:"mentor_opt_in"`
	// OptOut is !OptIn, kept for the clients of the opt-out this replaced.
	OptOut   bool     `json:"mentor_opt_out"`
	Offers   []string `json:"offers"`  // competency keys, framework order (active competencies)
	Mentees  int      `json:"mentees"` // active
	Capacity int      `json:"capacity"`
	// MinRating is the least rating at which one may offer a competency (the form says it).
	MinRating int `json:"-"`
	// Choices are the competencies the form offers: the framework's active ones.
	Choices []offerChoice `json:"-"`
}

// offerChoice is a competency on the mentoring form: whether the caller offers it, and
// whether they may (they are rated career.MinMentorLevel or more in it: their own rating).
type offerChoice struct {
	Key, Name string
	Offered   bool
	Eligible  bool
}

// consentForm is the consent form of the profile and mentoring pages.
type consentForm struct {
	State      *mentoringState
	CSRF, Next string
}

// Form is the state as the consent form shows it, posted with csrf, coming back to next.
func (m *mentoringState) Form(csrf, next string) consentForm {
	return consentForm{State: m, CSRF: csrf, Next: next}
}

// MentoringInput is the caller's consent: opt in (or out) and, while opting in, the
// competencies they offer to mentor in (absent: unchanged; [] none). MentorOptOut is the
// opt-out this replaced: true opts out, false opts in.
type MentoringInput struct {
	MentorOptIn  *bool    `json:"mentor_opt_in"`
	MentorOptOut *bool    `json:"mentor_opt_out"`
	Offers       []string `json:"offers"`
}

// myEffectiveLevels returns the caller's effective rating by competency key.
func (s *Server) myEffectiveLevels(ctx context.Context, a *app.Actor) (map[string]int, error) {
	eff, err := s.store.FindEffectiveRatings(ctx, a.OrgID, []int64{a.UserID}, s.now())
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(eff))
	for _, r := range eff {
		if r.UserID == a.UserID {
			out[r.Competency] = r.Level
		}
	}
	return out, nil
}

func (s *Server) myMentoringState(c *fiber.Ctx) (*mentoringState, error) {
	ctx, a := c.UserContext(), actor(c)
	consents, err := s.store.FindMentorConsents(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	n, err := s.store.CountMentees(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	levels, err := s.myEffectiveLevels(ctx, a)
	if err != nil {
		return nil, err
	}
	mc := consents[a.UserID]
	st := &mentoringState{OptIn: mc.OptedIn, OptOut: !mc.OptedIn, Offers: []string{}, Mentees: n[a.UserID], Capacity: app.MentorCapacity,
		MinRating: career.MinMentorLevel}
	for _, ar := range activeAreas(fw) {
		for _, comp := range ar.Competencies {
			l, rated := levels[comp.Key]
			ch := offerChoice{Key: comp.Key, Name: comp.Name, Offered: slices.Contains(mc.Offers, comp.Key),
				Eligible: rated && l >= career.MinMentorLevel}
			if ch.Offered {
				st.Offers = append(st.Offers, comp.Key)
			}
			st.Choices = append(st.Choices, ch)
		}
	}
	return st, nil
}

// setMyMentoring records the caller's consent. Each offered competency must be an active
// one of the framework in which the caller is rated career.MinMentorLevel or more; offers
// come only with an opt-in. Nothing is written unless all of it is valid.
func (s *Server) setMyMentoring(c *fiber.Ctx, in MentoringInput) (*mentoringState, error) {
	ctx, a := c.UserContext(), actor(c)
	var optIn bool
	switch {
	case in.MentorOptIn == nil && in.MentorOptOut == nil:
		return nil, app.Invalid("mentor_opt_in", "Send mentor_opt_in: true to be suggested, false not to be.")
	case in.MentorOptIn != nil && in.MentorOptOut != nil && *in.MentorOptIn == *in.MentorOptOut:
		return nil, app.Invalid("mentor_opt_out", "mentor_opt_out contradicts mentor_opt_in; send mentor_opt_in alone.")
	case in.MentorOptIn != nil:
		optIn = *in.MentorOptIn
	default:
		optIn = !*in.MentorOptOut
	}
	var offers []string
	if len(in.Offers) > 0 && !optIn {
		return nil, app.Invalid("offers", "Opt in to offer mentoring: opting out withdraws every offer.")
	}
	if in.Offers != nil && optIn {
		fw, err := s.store.FindFramework(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		levels, err := s.myEffectiveLevels(ctx, a)
		if err != nil {
			return nil, err
		}
		offers = []string{}
		for i, key := range in.Offers {
			field := fmt.Sprintf("offers[%d]", i)
			comp := fw.ByKey(strings.TrimSpace(key))
			if comp == nil || comp.Archived {
				return nil, app.Invalid(field, "Offer competencies of the framework.")
			}
			if l, ok := levels[comp.Key]; !ok || l < career.MinMentorLevel {
				return nil, app.Invalid(field, "You can offer mentoring where you are rated %d or more; you are not in %s.",
					career.MinMentorLevel, comp.Name)
			}
			if !slices.Contains(offers, comp.Key) {
				offers = append(offers, comp.Key)
			}
		}
	}
	if err := s.store.SetMentorConsent(ctx, a.UserID, optIn, offers); err != nil {
		return nil, err
	}
	return s.myMentoringState(c)
}
