package careers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/career"
)

// MentorshipInput is a PM's request to a suggested mentor.
type MentorshipInput struct {
	MentorID   int64  `json:"mentor_id"`
	Competency string `json:"competency"`
	Message    string `json:"message"`
}

// mentorPool returns the people of the organisation as matching sees them for a
// competency, by id: whether they opted in and offer the competency, active mentees,
// background, specialisms and spikes. No rating: suggestions follow consent and offers.
func (s *Service) mentorPool(ctx context.Context, orgID int64, competency string) (map[int64]career.Person, []int64, error) {
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

// Mentors suggests mentors and peers in a competency for a person the actor may see
// (ENOTFOUND for anyone else); a competency that is not an active one of the framework is
// EINVALID. Suggestions follow consent and offers, never a rating.
func (s *Service) Mentors(ctx context.Context, a *app.Actor, personID int64, competency string) (*career.Matches, error) {
	m, _, err := s.matchMentors(ctx, a, personID, competency)
	return m, err
}

// matchMentors is Mentors with the competency matched.
func (s *Service) matchMentors(ctx context.Context, a *app.Actor, personID int64, competency string) (*career.Matches, *app.Competency, error) {
	if _, _, err := s.person(ctx, a, personID); err != nil {
		return nil, nil, err
	}
	comp, err := s.activeCompetency(ctx, a.OrgID, competency)
	if err != nil {
		return nil, nil, err
	}
	pool, ids, err := s.mentorPool(ctx, a.OrgID, comp.Key)
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

// AskMentor records the actor's request to a mentor suggested to them, once the mentor
// passes the same test as the suggestions (career.MentorRefusal); EINVALID names the field
// at fault otherwise, ECONFLICT when the same request is open already.
func (s *Service) AskMentor(ctx context.Context, a *app.Actor, in MentorshipInput) (*app.Mentorship, error) {
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
	MentorshipAccept  = "accept"
	MentorshipDecline = "decline"
	MentorshipEnd     = "end"
)

// AnswerMentorship applies an action to a mentorship of the actor's: anyone else's (or an
// unknown action) is ENOTFOUND, the mentee answering a request is EFORBIDDEN, and a
// mentorship past the action is ECONFLICT.
func (s *Service) AnswerMentorship(ctx context.Context, a *app.Actor, id int64, action string) (*app.Mentorship, error) {
	m, err := s.store.FindMentorshipByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	if m.MentorID != a.UserID && m.MenteeID != a.UserID {
		return nil, app.ErrNotFound("Mentorship")
	}
	to := map[string]string{MentorshipAccept: app.MentorshipAccepted, MentorshipDecline: app.MentorshipDeclined,
		MentorshipEnd: app.MentorshipEnded}[action]
	switch {
	case to == "":
		return nil, app.ErrNotFound("Action")
	case action != MentorshipEnd && m.MentorID != a.UserID:
		return nil, app.Errorf(app.EFORBIDDEN, "Only %s, the mentor asked, can answer this request.", m.MentorName)
	case action != MentorshipEnd && m.Status != app.MentorshipPending, action == MentorshipEnd && !m.Open():
		return nil, app.Errorf(app.ECONFLICT, "This mentorship is %s already.", strings.ToLower(app.OptionLabel(app.MentorshipStatuses, m.Status)))
	}
	if err := s.store.SetMentorshipStatus(ctx, a.OrgID, id, m.Status, to, app.MentorCapacity); err != nil {
		return nil, err
	}
	return s.store.FindMentorshipByID(ctx, a.OrgID, id)
}

// MyMentorships returns the actor's mentorships as mentee and as mentor.
func (s *Service) MyMentorships(ctx context.Context, a *app.Actor) (asMentee, asMentor []app.Mentorship, err error) {
	asMentee, err = s.store.FindMentorships(ctx, a.OrgID, app.MentorshipFilter{PersonID: a.UserID, AsMentee: true})
	if err != nil {
		return nil, nil, err
	}
	asMentor, err = s.store.FindMentorships(ctx, a.OrgID, app.MentorshipFilter{PersonID: a.UserID, AsMentor: true})
	return asMentee, asMentor, err
}

// ---- consent ----

// MentoringState is the actor's own mentoring settings.
type MentoringState struct {
	OptIn bool `json:"mentor_opt_in"`
	// OptOut is !OptIn, kept for the clients of the opt-out this replaced.
	OptOut   bool     `json:"mentor_opt_out"`
	Offers   []string `json:"offers"`  // competency keys, framework order (active competencies)
	Mentees  int      `json:"mentees"` // active
	Capacity int      `json:"capacity"`
	// MinRating is the least rating at which one may offer a competency (the form says it).
	MinRating int `json:"-"`
	// Choices are the competencies the form offers: the framework's active ones.
	Choices []OfferChoice `json:"-"`
}

// OfferChoice is a competency on the mentoring form: whether the actor offers it, and
// whether they may (they are rated career.MinMentorLevel or more in it: their own rating).
type OfferChoice struct {
	Key, Name string
	Offered   bool
	Eligible  bool
}

// MentoringInput is the actor's consent: opt in (or out) and, while opting in, the
// competencies they offer to mentor in (absent: unchanged; [] none). MentorOptOut is the
// opt-out this replaced: true opts out, false opts in.
type MentoringInput struct {
	MentorOptIn  *bool    `json:"mentor_opt_in"`
	MentorOptOut *bool    `json:"mentor_opt_out"`
	Offers       []string `json:"offers"`
}

// myEffectiveLevels returns the actor's effective rating by competency key.
func (s *Service) myEffectiveLevels(ctx context.Context, a *app.Actor) (map[string]int, error) {
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

// MyMentoring returns the actor's mentoring settings.
func (s *Service) MyMentoring(ctx context.Context, a *app.Actor) (*MentoringState, error) {
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
	st := &MentoringState{OptIn: mc.OptedIn, OptOut: !mc.OptedIn, Offers: []string{}, Mentees: n[a.UserID], Capacity: app.MentorCapacity,
		MinRating: career.MinMentorLevel}
	for _, ar := range fw.ActiveAreas() {
		for _, comp := range ar.Competencies {
			l, rated := levels[comp.Key]
			ch := OfferChoice{Key: comp.Key, Name: comp.Name, Offered: slices.Contains(mc.Offers, comp.Key),
				Eligible: rated && l >= career.MinMentorLevel}
			if ch.Offered {
				st.Offers = append(st.Offers, comp.Key)
			}
			st.Choices = append(st.Choices, ch)
		}
	}
	return st, nil
}

// SetMyMentoring records the actor's consent and returns their settings. Each offered
// competency must be an active one of the framework in which the actor is rated
// career.MinMentorLevel or more; offers come only with an opt-in. Nothing is written unless
// all of it is valid.
func (s *Service) SetMyMentoring(ctx context.Context, a *app.Actor, in MentoringInput) (*MentoringState, error) {
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
	return s.MyMentoring(ctx, a)
}

// ---- the mentoring page ----

// MentoringView is what the actor's mentoring page shows: suggestions in a competency
// (none without one), their requests and mentees, and their own settings.
type MentoringView struct {
	Areas      []app.Area
	Competency *app.Competency // the competency sought: nil without one, or for one not of the framework
	Matches    *career.Matches
	Asked      map[int64]string // mentor id → status of the actor's open request in the competency
	Goals      []CompetencyLink // of the actor's plan for the quarter
	AsMentee   []app.Mentorship
	AsMentor   []app.Mentorship
	Settings   *MentoringState
}

// Mentoring returns the actor's mentoring view of a competency; without one, of their
// first goal this quarter. A competency that is not an active one of the framework shows
// no suggestions.
func (s *Service) Mentoring(ctx context.Context, a *app.Actor, competency string) (*MentoringView, error) {
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	v := &MentoringView{Areas: fw.ActiveAreas(), Asked: map[int64]string{}}
	if v.Settings, err = s.MyMentoring(ctx, a); err != nil {
		return nil, err
	}
	if v.AsMentee, v.AsMentor, err = s.MyMentorships(ctx, a); err != nil {
		return nil, err
	}
	if v.Goals, err = s.currentGoals(ctx, a); err != nil {
		return nil, err
	}
	if competency == "" && len(v.Goals) > 0 {
		competency = v.Goals[0].Key
	}
	if competency != "" {
		m, comp, err := s.matchMentors(ctx, a, a.UserID, competency)
		if err != nil && app.ErrorCode(err) != app.EINVALID {
			return nil, err
		}
		v.Matches, v.Competency = m, comp
	}
	if v.Competency != nil {
		for _, m := range v.AsMentee {
			if m.Competency == v.Competency.Key && m.Open() {
				v.Asked[m.MentorID] = m.Status
			}
		}
	}
	return v, nil
}

// currentGoals are the goals of the actor's plan for the quarter.
func (s *Service) currentGoals(ctx context.Context, a *app.Actor) ([]CompetencyLink, error) {
	plans, err := s.store.FindCoachingPlans(ctx, app.CoachingPlanFilter{OrgID: a.OrgID, PersonIDs: []int64{a.UserID},
		Quarter: s.coaching.Quarter().String()})
	if err != nil {
		return nil, err
	}
	var out []CompetencyLink
	for _, p := range plans {
		for _, g := range p.Goals {
			out = append(out, CompetencyLink{Key: g.Competency, Name: g.CompetencyName})
		}
	}
	return out, nil
}
