package careers

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/career"
	"github.com/teamshape/teamshape/internal/insight"
)

// PersonRef is the little a career answer says about its person.
type PersonRef struct {
	ID    int64   `json:"id"`
	Name  string  `json:"name"`
	Title *string `json:"title"`
}

// Career is a person's career as the API and the pages show it.
type Career struct {
	Person    PersonRef        `json:"person"`
	Roles     []app.CareerRole `json:"roles"`
	Portfolio Portfolio        `json:"portfolio"`
	Shape     string           `json:"shape"` // the profile's shape label from the analytic core
	// WindowLabel words the current role's window ("too early to move", …).
	WindowLabel string           `json:"window_label"`
	User        *app.User        `json:"-"`
	Access      app.PersonAccess `json:"-"`
}

// Career loads a person's roles and adds them up with their profile's shape, for the
// person, their leaders and admins; anyone else gets ENOTFOUND.
func (s *Service) Career(ctx context.Context, a *app.Actor, personID int64) (*Career, error) {
	u, acc, err := s.person(ctx, a, personID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	shapeLabel, err := s.shapeOf(ctx, a.OrgID, u, now)
	if err != nil {
		return nil, err
	}
	roles, err := s.store.FindCareerRoles(ctx, a.OrgID, personID)
	if err != nil {
		return nil, err
	}
	v := &Career{Person: PersonRef{ID: u.ID, Name: u.Name, Title: u.Title}, Roles: roles, Shape: shapeLabel, User: u, Access: acc}
	if v.Roles == nil {
		v.Roles = []app.CareerRole{}
	}
	v.Portfolio = analyze(roles, now, v.Shape)
	v.WindowLabel = app.RoleWindowLabel(v.Portfolio.Window)
	return v, nil
}

// Portfolio is what a career adds up to (career.Analyze), with the current role and the
// gaps between roles in the domain's terms.
type Portfolio struct {
	career.Portfolio
	Current *app.CareerRole `json:"current_role"` // nil when every role has ended
	Gaps    []Gap           `json:"gaps"`
}

// Gap is time between two roles: the months from one role's end to the next one's start.
type Gap struct {
	From   app.Date `json:"from"`
	To     app.Date `json:"to"`
	Months int      `json:"months"`
	After  string   `json:"after"` // the title of the role before the gap
}

// analyze adds the roles up as of today, by the domain's window (app.RoleWindow) and in
// the order of app.CareerSpikes.
func analyze(roles []app.CareerRole, today time.Time, shapeLabel string) Portfolio {
	plain := make([]career.Role, len(roles))
	for i, r := range roles {
		plain[i] = career.Role{Title: r.Title, Start: r.Start.Time, Spikes: r.Spikes}
		if r.End != nil {
			plain[i].End = &r.End.Time
		}
	}
	spikes := make([]string, len(app.CareerSpikes))
	for i, o := range app.CareerSpikes {
		spikes[i] = o.Key
	}
	p := Portfolio{Portfolio: career.Analyze(plain, spikes, app.RoleWindow, today, shapeLabel), Gaps: []Gap{}}
	if p.Portfolio.Current >= 0 {
		p.Current = &roles[p.Portfolio.Current]
	}
	for _, g := range p.Portfolio.Gaps {
		p.Gaps = append(p.Gaps, Gap{From: app.DateOf(g.From), To: app.DateOf(g.To), Months: g.Months, After: g.After})
	}
	return p
}

// shapeOf is the shape of the person's profile alone, from the analytic core: breadth,
// spikes and shape as of asOf, as the profile page shows it.
func (s *Service) shapeOf(ctx context.Context, orgID int64, u *app.User, asOf time.Time) (string, error) {
	fw, err := s.store.FindFramework(ctx, orgID)
	if err != nil {
		return "", err
	}
	settings, err := s.store.FindSettings(ctx, orgID)
	if err != nil {
		return "", err
	}
	profiles, err := s.store.FindProfiles(ctx, []int64{u.ID})
	if err != nil {
		return "", err
	}
	eff, err := s.store.FindEffectiveRatings(ctx, orgID, []int64{u.ID}, asOf)
	if err != nil {
		return "", err
	}
	return insight.PersonShape(fw, u, profiles[u.ID], eff, settings).Shape, nil
}

// MyCareerRoles returns the actor's own roles, oldest first.
func (s *Service) MyCareerRoles(ctx context.Context, a *app.Actor) ([]app.CareerRole, error) {
	roles, err := s.store.FindCareerRoles(ctx, a.OrgID, a.UserID)
	if roles == nil && err == nil {
		roles = []app.CareerRole{}
	}
	return roles, err
}

// SaveMyCareerRole validates a role of the actor's and stores it (id 0: a new role),
// refusing it when it overlaps another of their roles. Someone else's role is ENOTFOUND.
func (s *Service) SaveMyCareerRole(ctx context.Context, a *app.Actor, id int64, in app.CareerRoleInput) (*app.CareerRole, error) {
	r, err := in.Role(a.UserID, s.now())
	if err != nil {
		return nil, err
	}
	r.ID, r.OrgID = id, a.OrgID
	err = s.store.SaveCareerRole(ctx, r, func(others []app.CareerRole) error {
		return app.CheckCareerRole(others, *r)
	})
	return r, err
}

// DeleteMyCareerRole deletes a role of the actor's; someone else's is ENOTFOUND.
func (s *Service) DeleteMyCareerRole(ctx context.Context, a *app.Actor, id int64) error {
	return s.store.DeleteCareerRole(ctx, a.OrgID, a.UserID, id)
}
