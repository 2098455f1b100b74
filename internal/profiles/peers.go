package profiles

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
)

// PeerRequestInput asks a named person for a peer or mentor rating.
type PeerRequestInput struct {
	ReviewerID int64  `json:"reviewer_id"`
	Message    string `json:"message"`
}

// RequestPeerRating asks a named person of the organisation to rate a person: the
// person themself, their leaders and admins may ask.
func (s *Service) RequestPeerRating(ctx context.Context, a *app.Actor, subjectID int64, in PeerRequestInput) (*app.PeerRequest, error) {
	subject, acc, err := s.person(ctx, a, subjectID)
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
	// A request made while the subject's team runs an assessment cycle belongs to it (the
	// newest, if they are a PM of several teams), and so will the ratings that answer it.
	open, err := s.store.FindOpenCyclesOf(ctx, a.OrgID, subject.ID)
	if err != nil {
		return nil, err
	}
	if len(open) > 0 {
		r.CycleID = &open[0].ID
	}
	if err := s.store.CreatePeerRequest(ctx, a.OrgID, r); err != nil {
		return nil, err
	}
	return r, nil
}

// MyPeerRequests returns the requests the actor is to answer and those they made.
func (s *Service) MyPeerRequests(ctx context.Context, a *app.Actor) (toAnswer, made []app.PeerRequest, err error) {
	toAnswer, err = s.store.FindPeerRequests(ctx, a.OrgID, app.PeerRequestFilter{ReviewerID: a.UserID})
	if err != nil {
		return nil, nil, err
	}
	made, err = s.store.FindPeerRequests(ctx, a.OrgID, app.PeerRequestFilter{RequestedBy: a.UserID})
	return toAnswer, made, err
}

// reviewerRequest returns a request the actor is the named reviewer of; anyone else
// gets ENOTFOUND.
func (s *Service) reviewerRequest(ctx context.Context, a *app.Actor, id int64) (*app.PeerRequest, error) {
	r, err := s.store.FindPeerRequestByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	if r.ReviewerID != a.UserID {
		return nil, app.ErrNotFound("Request")
	}
	return r, nil
}

// PeerRequestForm is what the named reviewer of a request sees: the request and the
// competencies that count for its subject — never the subject's other ratings.
type PeerRequestForm struct {
	Request  *app.PeerRequest
	Scope    []app.Competency
	Settings *app.Settings
}

// PeerRequestForm returns a request's form for its named reviewer; anyone else gets
// ENOTFOUND.
func (s *Service) PeerRequestForm(ctx context.Context, a *app.Actor, id int64) (*PeerRequestForm, error) {
	r, err := s.reviewerRequest(ctx, a, id)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	settings, err := s.store.FindSettings(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	title := ""
	if r.SubjectTitle != nil {
		title = *r.SubjectTitle
	}
	return &PeerRequestForm{Request: r, Scope: fw.InScope(title), Settings: settings}, nil
}

// AnswerPeerRequest stores the reviewer's peer ratings of the request's subject and
// closes the request, all or nothing; only the named reviewer, only once.
func (s *Service) AnswerPeerRequest(ctx context.Context, a *app.Actor, id int64, in []app.RatingInput) error {
	r, err := s.reviewerRequest(ctx, a, id)
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
	b.CycleID = r.CycleID
	return s.store.AnswerPeerRequest(ctx, r.ID, b)
}

// DeclinePeerRequest closes the reviewer's open request without ratings.
func (s *Service) DeclinePeerRequest(ctx context.Context, a *app.Actor, id int64) error {
	r, err := s.reviewerRequest(ctx, a, id)
	if err != nil {
		return err
	}
	if r.Status != app.RequestOpen {
		return app.Errorf(app.ECONFLICT, "This request is already %s.", r.Status)
	}
	return s.store.DeclinePeerRequest(ctx, a.OrgID, r.ID, r.ReviewerID)
}
