package http

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// The code paths shared by the API handlers and the page forms of profiles, ratings
// and peer requests. Each checks access itself, so both callers get the same rules.

// profileView is a person's own profile as the API and the profile page show it.
type profileView struct {
	UserID        int64      `json:"user_id"`
	Name          string     `json:"name"`
	Title         *string    `json:"title"` // set by an admin
	Background    *string    `json:"background"`
	RoleStartedOn *string    `json:"role_started_on"` // YYYY-MM-DD
	Specialisms   []string   `json:"specialisms"`
	Spikes        []string   `json:"spikes"`
	MonthsInRole  *int       `json:"months_in_role"`
	RoleWindow    string     `json:"role_window"` // early, in_window, overstaying or ""
	UpdatedAt     *time.Time `json:"updated_at"`
}

func newProfileView(u *app.User, p *app.Profile, today time.Time) *profileView {
	v := &profileView{UserID: u.ID, Name: u.Name, Title: u.Title, Specialisms: []string{}, Spikes: []string{}}
	if p == nil {
		return v
	}
	v.Background, v.Specialisms, v.Spikes, v.UpdatedAt = p.Background, p.Specialisms, p.Spikes, &p.UpdatedAt
	if p.RoleStartedOn != nil {
		d := p.RoleStartedOn.Format(app.DateLayout)
		months, status := app.RoleWindow(*p.RoleStartedOn, today)
		v.RoleStartedOn, v.MonthsInRole, v.RoleWindow = &d, &months, status
	}
	return v
}

// loadProfile returns the profile of a user of the caller's organisation.
func (s *Server) loadProfile(c *fiber.Ctx, userID int64) (*profileView, error) {
	ctx, a := c.UserContext(), actor(c)
	u, err := s.store.FindUserByID(ctx, a.OrgID, userID)
	if err != nil {
		return nil, err
	}
	profiles, err := s.store.FindProfiles(ctx, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	return newProfileView(u, profiles[u.ID], s.now()), nil
}

// saveMyProfile validates and stores the caller's own profile.
func (s *Server) saveMyProfile(c *fiber.Ctx, in app.ProfileInput) error {
	p, err := in.Profile(actor(c).UserID, s.now())
	if err != nil {
		return err
	}
	return s.store.UpsertProfile(c.UserContext(), p)
}

// ratingBatch checks a batch against the framework, the subject's title and the
// organisation's evidence rule (app.ValidateRatings, the one check for self, leader
// and peer ratings) and returns it ready to store, by the caller, of the kind.
func (s *Server) ratingBatch(ctx context.Context, a *app.Actor, subject *app.User, kind string, in []app.RatingInput) (app.RatingBatch, error) {
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return app.RatingBatch{}, err
	}
	settings, err := s.store.FindSettings(ctx, a.OrgID)
	if err != nil {
		return app.RatingBatch{}, err
	}
	if err := app.ValidateRatings(fw, settings, subject.TitleKey(), in); err != nil {
		return app.RatingBatch{}, err
	}
	return app.RatingBatch{OrgID: a.OrgID, SubjectID: subject.ID, RaterID: a.UserID, Kind: kind, Ratings: in}, nil
}

// rateSelf records the caller's self-assessment, all or nothing.
func (s *Server) rateSelf(c *fiber.Ctx, in []app.RatingInput) error {
	ctx, a := c.UserContext(), actor(c)
	me, err := s.store.FindUserByID(ctx, a.OrgID, a.UserID)
	if err != nil {
		return err
	}
	b, err := s.ratingBatch(ctx, a, me, app.RatingSelf, in)
	if err != nil {
		return err
	}
	return s.store.RecordRatings(ctx, b)
}

// person loads a person of the caller's organisation with what the caller is to them;
// a person of another organisation is ENOTFOUND.
func (s *Server) person(c *fiber.Ctx, id int64) (*app.User, app.PersonAccess, error) {
	ctx, a := c.UserContext(), actor(c)
	acc, err := s.store.PersonAccess(ctx, a, id)
	if err != nil {
		return nil, acc, err
	}
	u, err := s.store.FindUserByID(ctx, a.OrgID, id)
	return u, acc, err
}

// rateAsLeader records the caller's leader ratings of a person they lead (or, for an
// admin, anyone of the organisation but themself), all or nothing.
func (s *Server) rateAsLeader(c *fiber.Ctx, personID int64, in []app.RatingInput) error {
	subject, acc, err := s.person(c, personID)
	if err != nil {
		return err
	}
	if !acc.CanRateAsLeader() {
		return app.ErrForbidden
	}
	b, err := s.ratingBatch(c.UserContext(), actor(c), subject, app.RatingLeader, in)
	if err != nil {
		return err
	}
	return s.store.RecordRatings(c.UserContext(), b)
}

// personRatings is everything known about a person's skills that the caller may see.
type personRatings struct {
	Person       *app.User
	Access       app.PersonAccess
	Profile      *app.Profile // nil if none yet
	Framework    *app.Framework
	Settings     *app.Settings
	Scope        []app.Competency // the competencies that count for the person
	Competencies []app.CompetencyRatings
	History      []app.Rating
	Effective    []app.EffectiveRating
	Flags        int // competencies flagged for discussion
}

// loadPersonRatings loads a person's ratings for the person, their leaders and admins.
func (s *Server) loadPersonRatings(c *fiber.Ctx, personID int64) (*personRatings, error) {
	u, acc, err := s.person(c, personID)
	if err != nil {
		return nil, err
	}
	if !acc.CanSeeRatings() {
		return nil, app.ErrForbidden
	}
	ctx, orgID := c.UserContext(), actor(c).OrgID
	pr := &personRatings{Person: u, Access: acc}
	if pr.Framework, err = s.store.FindFramework(ctx, orgID); err != nil {
		return nil, err
	}
	if pr.Settings, err = s.store.FindSettings(ctx, orgID); err != nil {
		return nil, err
	}
	profiles, err := s.store.FindProfiles(ctx, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	pr.Profile = profiles[u.ID]
	if pr.History, err = s.store.FindRatings(ctx, orgID, u.ID); err != nil {
		return nil, err
	}
	if pr.Effective, err = s.store.FindEffectiveRatings(ctx, orgID, []int64{u.ID}, s.now()); err != nil {
		return nil, err
	}
	ladder, err := s.store.FindLadder(ctx, orgID)
	if err != nil {
		return nil, err
	}
	pr.Scope = pr.Framework.InScope(u.TitleKey())
	pr.Competencies = app.SummarizeRatings(pr.Scope, pr.History, pr.Effective, ladder[u.TitleKey()])
	for _, cr := range pr.Competencies {
		if cr.Flag {
			pr.Flags++
		}
	}
	return pr, nil
}

// Shape analyses the person alone with the analytic core: breadth, spikes and shape.
func (pr *personRatings) Shape() shape.PersonShape {
	member := app.TeamPerson{UserID: pr.Person.ID, Name: pr.Person.Name, Title: pr.Person.Title, TeamRole: app.TeamMember}
	profiles := map[int64]*app.Profile{}
	if pr.Profile != nil {
		profiles[pr.Person.ID] = pr.Profile
	}
	in := insight.BuildInput(pr.Framework, []app.TeamPerson{member}, profiles, pr.Effective, nil, pr.Settings)
	return shape.Analyze(in).People[0]
}

// personRef is the little the API says about the person rated.
func personRef(u *app.User) fiber.Map {
	return fiber.Map{"id": u.ID, "name": u.Name, "title": u.Title}
}

// requestPeerRating asks a named person of the organisation to rate a person: the
// person themself, their leaders and admins may ask.
func (s *Server) requestPeerRating(c *fiber.Ctx, subjectID int64, in PeerRequestInput) (*app.PeerRequest, error) {
	ctx, a := c.UserContext(), actor(c)
	subject, acc, err := s.person(c, subjectID)
	if err != nil {
		return nil, err
	}
	if !acc.CanSeeRatings() {
		return nil, app.ErrForbidden
	}
	in.Message = strings.TrimSpace(in.Message)
	if utf8.RuneCountInString(in.Message) > app.MaxRequestMessage {
		return nil, app.Invalid("message", "The message must be at most %d characters.", app.MaxRequestMessage)
	}
	if in.ReviewerID == subject.ID {
		return nil, app.Invalid("reviewer_id", "Ask someone other than %s.", subject.Name)
	}
	reviewer, err := s.store.FindUserByID(ctx, a.OrgID, in.ReviewerID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Invalid("reviewer_id", "Choose a person of your organisation.")
	} else if err != nil {
		return nil, err
	}
	if !reviewer.Active || reviewer.Role == app.RoleHR {
		return nil, app.Invalid("reviewer_id", "%s cannot give peer ratings (inactive or HR).", reviewer.Name)
	}
	r := &app.PeerRequest{SubjectID: subject.ID, ReviewerID: reviewer.ID, RequestedBy: a.UserID, Message: in.Message}
	if err := s.store.CreatePeerRequest(ctx, a.OrgID, r); err != nil {
		return nil, err
	}
	return r, nil
}

// myPeerRequests returns the requests the caller is to answer and those they made.
func (s *Server) myPeerRequests(c *fiber.Ctx) (toAnswer, made []app.PeerRequest, err error) {
	ctx, a := c.UserContext(), actor(c)
	toAnswer, err = s.store.FindPeerRequests(ctx, a.OrgID, app.PeerRequestFilter{ReviewerID: a.UserID})
	if err != nil {
		return nil, nil, err
	}
	made, err = s.store.FindPeerRequests(ctx, a.OrgID, app.PeerRequestFilter{RequestedBy: a.UserID})
	return toAnswer, made, err
}

// reviewerRequest returns a request the caller is the named reviewer of; anyone
// else gets ENOTFOUND.
func (s *Server) reviewerRequest(c *fiber.Ctx, id int64) (*app.PeerRequest, error) {
	a := actor(c)
	r, err := s.store.FindPeerRequestByID(c.UserContext(), a.OrgID, id)
	if err != nil {
		return nil, err
	}
	if r.ReviewerID != a.UserID {
		return nil, app.ErrNotFound("Request")
	}
	return r, nil
}

// answerPeerRequest stores the reviewer's peer ratings of the request's subject and
// closes the request, all or nothing; only the named reviewer, only once.
func (s *Server) answerPeerRequest(c *fiber.Ctx, id int64, in []app.RatingInput) error {
	ctx, a := c.UserContext(), actor(c)
	r, err := s.reviewerRequest(c, id)
	if err != nil {
		return err
	}
	if r.Status != app.RequestOpen {
		return app.Errorf(app.ECONFLICT, "This request is already %s.", r.Status)
	}
	subject, err := s.store.FindUserByID(ctx, a.OrgID, r.SubjectID)
	if err != nil {
		return err
	}
	b, err := s.ratingBatch(ctx, a, subject, app.RatingPeer, in)
	if err != nil {
		return err
	}
	return s.store.AnswerPeerRequest(ctx, r.ID, b)
}

// declinePeerRequest closes the reviewer's open request without ratings.
func (s *Server) declinePeerRequest(c *fiber.Ctx, id int64) error {
	r, err := s.reviewerRequest(c, id)
	if err != nil {
		return err
	}
	if r.Status != app.RequestOpen {
		return app.Errorf(app.ECONFLICT, "This request is already %s.", r.Status)
	}
	return s.store.DeclinePeerRequest(c.UserContext(), actor(c).OrgID, r.ID, r.ReviewerID)
}
