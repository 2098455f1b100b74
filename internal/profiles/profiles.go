// Package profiles runs people's skill profiles as a service: the own profile, self,
// leader and peer ratings, a person's ratings and shape, and peer requests. Each method
// checks access itself, so the API and the pages get the same rules:
//   - a profile is written by its person; self-ratings are the person's own;
//   - a person's ratings are read by the person, their leaders and admins, who may also
//     ask someone for a peer rating of them;
//   - leader ratings are given by a leader of the person or an admin, never of oneself;
//   - a peer request is answered or declined by its named reviewer only, once;
//   - a person of another organisation, or a request of another reviewer, is ENOTFOUND.
//
// Every rating batch, of any kind, is checked by app.ValidateRatings here, once.
package profiles

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// Store is what profiles needs from storage: people and what the actor is to them,
// profiles, the framework, ladder and settings, ratings, and peer requests.
type Store interface {
	FindUserByID(ctx context.Context, orgID, id int64) (*app.User, error)
	FindUsers(ctx context.Context, orgID int64) ([]app.User, error)
	PersonAccess(ctx context.Context, a *app.Actor, personID int64) (app.PersonAccess, error)
	FindProfiles(ctx context.Context, userIDs []int64) (map[int64]*app.Profile, error)
	UpsertProfile(ctx context.Context, p *app.Profile) error
	FindFramework(ctx context.Context, orgID int64) (*app.Framework, error)
	FindLadder(ctx context.Context, orgID int64) (app.Ladder, error)
	FindSettings(ctx context.Context, orgID int64) (*app.Settings, error)
	FindRatings(ctx context.Context, orgID, subjectID int64) ([]app.Rating, error)
	FindEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOf time.Time) ([]app.EffectiveRating, error)
	RecordRatings(ctx context.Context, b app.RatingBatch) error
	CreatePeerRequest(ctx context.Context, orgID int64, r *app.PeerRequest) error
	FindPeerRequestByID(ctx context.Context, orgID, id int64) (*app.PeerRequest, error)
	FindPeerRequests(ctx context.Context, orgID int64, f app.PeerRequestFilter) ([]app.PeerRequest, error)
	AnswerPeerRequest(ctx context.Context, id int64, b app.RatingBatch) error
	DeclinePeerRequest(ctx context.Context, orgID, id, reviewerID int64) error
	FindOpenCyclesOf(ctx context.Context, orgID, personID int64) ([]app.Cycle, error)
}

// Service answers profile, rating and peer-request requests on behalf of an actor.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a service over the store; now is the clock (time.Now outside tests).
func New(st Store, now func() time.Time) *Service {
	return &Service{store: st, now: now}
}

// ProfileView is a person's own profile as the API and the profile page show it.
type ProfileView struct {
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

// NewProfileView is the view of a user's profile (p nil: none yet) as of today.
func NewProfileView(u *app.User, p *app.Profile, today time.Time) *ProfileView {
	v := &ProfileView{UserID: u.ID, Name: u.Name, Title: u.Title, Specialisms: []string{}, Spikes: []string{}}
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

// MyProfile returns the actor's own profile.
func (s *Service) MyProfile(ctx context.Context, a *app.Actor) (*ProfileView, error) {
	u, err := s.store.FindUserByID(ctx, a.OrgID, a.UserID)
	if err != nil {
		return nil, err
	}
	profiles, err := s.store.FindProfiles(ctx, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	return NewProfileView(u, profiles[u.ID], s.now()), nil
}

// SaveMyProfile validates and stores the actor's own profile.
func (s *Service) SaveMyProfile(ctx context.Context, a *app.Actor, in app.ProfileInput) error {
	p, err := in.Profile(a.UserID, s.now())
	if err != nil {
		return err
	}
	return s.store.UpsertProfile(ctx, p)
}

// person loads a person of the actor's organisation with what the actor is to them;
// a person of another organisation is ENOTFOUND.
func (s *Service) person(ctx context.Context, a *app.Actor, id int64) (*app.User, app.PersonAccess, error) {
	acc, err := s.store.PersonAccess(ctx, a, id)
	if err != nil {
		return nil, acc, err
	}
	u, err := s.store.FindUserByID(ctx, a.OrgID, id)
	return u, acc, err
}

// reviewers are the people who may be asked for a peer rating of the subject: the
// active people of the organisation but HR and the subject.
func (s *Service) reviewers(ctx context.Context, a *app.Actor, subjectID int64) ([]app.User, error) {
	users, err := s.store.FindUsers(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	out := users[:0]
	for _, u := range users {
		if u.Active && u.Role != app.RoleHR && u.ID != subjectID {
			out = append(out, u)
		}
	}
	return out, nil
}
