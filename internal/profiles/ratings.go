package profiles

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// ratingBatch checks a batch against the framework, the subject's title and the
// organisation's evidence rule (app.ValidateRatings, the one check for self, leader
// and peer ratings) and returns it ready to store, by the actor, of the kind.
func (s *Service) ratingBatch(ctx context.Context, a *app.Actor, subject *app.User, kind string, in []app.RatingInput) (app.RatingBatch, error) {
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

// RateSelf records the actor's self-assessment, all or nothing.
func (s *Service) RateSelf(ctx context.Context, a *app.Actor, in []app.RatingInput) error {
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

// RateAsLeader records the actor's leader ratings of a person they lead (or, for an
// admin, anyone of the organisation but themself), all or nothing.
func (s *Service) RateAsLeader(ctx context.Context, a *app.Actor, personID int64, in []app.RatingInput) error {
	subject, acc, err := s.person(ctx, a, personID)
	if err != nil {
		return err
	}
	if !acc.CanRateAsLeader() {
		return app.ErrForbidden
	}
	b, err := s.ratingBatch(ctx, a, subject, app.RatingLeader, in)
	if err != nil {
		return err
	}
	return s.store.RecordRatings(ctx, b)
}

// PersonRatings is everything known about a person's skills that the actor may see.
type PersonRatings struct {
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

// PersonRatings loads a person's ratings for the person, their leaders and admins;
// anyone else of the organisation is EFORBIDDEN, anyone of another ENOTFOUND.
func (s *Service) PersonRatings(ctx context.Context, a *app.Actor, personID int64) (*PersonRatings, error) {
	u, acc, err := s.person(ctx, a, personID)
	if err != nil {
		return nil, err
	}
	if !acc.CanSeeRatings() {
		return nil, app.ErrForbidden
	}
	orgID := a.OrgID
	pr := &PersonRatings{Person: u, Access: acc}
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
	if acc.Self && !acc.Admin {
		// Peer ratings of an anonymous cycle reach the PM only through its compare view
		// (internal/cycles), without names and under the disclosure rule; the effective
		// ratings the PM sees are computed without them too, so that none gives them away.
		if shown := app.WithoutAnonymousPeers(pr.History); len(shown) < len(pr.History) {
			pr.History, pr.Effective = shown, app.EffectiveRatings(u.ID, shown, s.now())
		}
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
func (pr *PersonRatings) Shape() shape.PersonShape {
	return insight.PersonShape(pr.Framework, pr.Person, pr.Profile, pr.Effective, pr.Settings)
}

// PersonPage is what a profile page shows besides its presentation: the person's
// ratings, profile and shape, the peer requests around them and who may be asked.
type PersonPage struct {
	Ratings   *PersonRatings
	View      *ProfileView
	Shape     PersonShape
	Requests  []app.PeerRequest // about the person (a person's page)
	ToAnswer  []app.PeerRequest // for the actor to answer (the own profile)
	Made      []app.PeerRequest // made by the actor (the own profile)
	Reviewers []app.User        // who may be asked for a peer rating of the person
}

// Person returns the page of a person the actor may see the ratings of, with the peer
// requests about them.
func (s *Service) Person(ctx context.Context, a *app.Actor, personID int64) (*PersonPage, error) {
	pr, err := s.PersonRatings(ctx, a, personID)
	if err != nil {
		return nil, err
	}
	p := &PersonPage{Ratings: pr, View: NewProfileView(pr.Person, pr.Profile, s.now()), Shape: pr.Shape()}
	if p.Requests, err = s.store.FindPeerRequests(ctx, a.OrgID, app.PeerRequestFilter{SubjectID: personID}); err != nil {
		return nil, err
	}
	if pr.Access.Self && !pr.Access.Admin {
		p.Requests = app.WithoutAnonymousRequests(p.Requests, a.UserID)
	}
	if p.Reviewers, err = s.reviewers(ctx, a, personID); err != nil {
		return nil, err
	}
	return p, nil
}

// MyProfilePage returns the actor's own profile page, with the peer requests they are
// to answer and those they made.
func (s *Service) MyProfilePage(ctx context.Context, a *app.Actor) (*PersonPage, error) {
	pr, err := s.PersonRatings(ctx, a, a.UserID)
	if err != nil {
		return nil, err
	}
	p := &PersonPage{Ratings: pr, View: NewProfileView(pr.Person, pr.Profile, s.now()), Shape: pr.Shape()}
	if p.ToAnswer, p.Made, err = s.MyPeerRequests(ctx, a); err != nil {
		return nil, err
	}
	if p.Reviewers, err = s.reviewers(ctx, a, a.UserID); err != nil {
		return nil, err
	}
	return p, nil
}

// PersonShape is a person's breadth, spikes and shape from the analytic core.
type PersonShape = shape.PersonShape

// BackgroundHint is what the person's background suggests: the competencies likely to
// be strengths and those likely to be growth areas.
func (pr *PersonRatings) BackgroundHint() shape.Hint {
	return shape.BackgroundHint(pr.Profile.BackgroundKey())
}
