// Package cycles runs assessment cycles (issue 18): a leader or admin opens one per team
// and quarter with deadlines for self, peer and leader ratings and the 1:1; each PM sees
// their to-do, the leader a progress board; the 1:1 compares self, peers and leader per
// competency, records what was agreed and starts next quarter's coaching goals from it;
// closing freezes a snapshot of the team's shape. Access, checked here for every method:
//   - a team's leaders and admins open, read, close, compare and agree;
//   - a PM of the team reads the cycle (their own to-do, team counts only under the
//     disclosure rule) and their own compare view: in an anonymous cycle without peer
//     names, and without peer ratings at all until MinPeers peers answered;
//   - anyone else, and everything of another organisation, is ENOTFOUND.
package cycles

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// Store is what cycles needs from storage.
type Store interface {
	app.CycleStore
	insight.Store
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
	FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error)
	FindUserByID(ctx context.Context, orgID, id int64) (*app.User, error)
	FindRatings(ctx context.Context, orgID, subjectID int64) ([]app.Rating, error)
	FindFlaggedLevels(ctx context.Context, orgID int64, subjectIDs []int64) ([]app.SelfOthers, error)
	FindLadder(ctx context.Context, orgID int64) (app.Ladder, error)
	FindPeerRequests(ctx context.Context, orgID int64, f app.PeerRequestFilter) ([]app.PeerRequest, error)
}

// Service answers cycle requests on behalf of an actor.
type Service struct {
	store Store
	// views is what TeamFlags, a read-only view on every uncached team dashboard, reads
	// through: the store unless ReadFrom gave another.
	views Store
	coach *coaching.Service
	now   func() time.Time
}

// New returns a service over the store; coach starts coaching plans from a 1:1; now is
// the clock (time.Now outside tests).
func New(st Store, coach *coaching.Service, now func() time.Time) *Service {
	return &Service{store: st, views: st, coach: coach, now: now}
}

// ReadFrom has TeamFlags read through views (internal/readcache: the structure from memory).
func (s *Service) ReadFrom(views Store) { s.views = views }

// OpenInput opens a cycle (the API contract's body).
type OpenInput struct {
	Quarter        string `json:"quarter"`
	SelfDue        string `json:"self_due"`
	PeerDue        string `json:"peer_due"`
	LeaderDue      string `json:"leader_due"`
	ReviewDue      string `json:"review_due"`
	AnonymousPeers bool   `json:"anonymous_peers"`
}

// validate turns the input into a cycle of the team, naming the first bad field. Dates
// are days of the quarter or up to a quarter after it; the review comes last.
func (in OpenInput) validate(orgID, teamID int64) (*app.Cycle, error) {
	q, err := app.ParseQuarter(strings.TrimSpace(in.Quarter))
	if err != nil {
		return nil, app.Invalid("quarter", "Quarter must look like 2026-Q4.")
	}
	c := &app.Cycle{OrgID: orgID, TeamID: teamID, Quarter: q.String(), AnonymousPeers: in.AnonymousPeers}
	window := q.Next()
	for _, f := range []struct {
		name, in string
		out      *app.Date
	}{{"self_due", in.SelfDue, &c.SelfDue}, {"peer_due", in.PeerDue, &c.PeerDue},
		{"leader_due", in.LeaderDue, &c.LeaderDue}, {"review_due", in.ReviewDue, &c.ReviewDue}} {
		d, err := app.ParseDate(strings.TrimSpace(f.in))
		if err != nil {
			return nil, app.Invalid(f.name, "%s must be a date like %s.", f.name, q.End())
		}
		if !q.Contains(d) && !window.Contains(d) {
			return nil, app.Invalid(f.name, "%s must fall in %s or the quarter after it.", f.name, q)
		}
		*f.out = d
	}
	for _, f := range []struct {
		name string
		d    app.Date
	}{{"self_due", c.SelfDue}, {"peer_due", c.PeerDue}, {"leader_due", c.LeaderDue}} {
		if f.d.After(c.ReviewDue.Time) {
			return nil, app.Invalid(f.name, "%s must be on or before the 1:1 (review_due, %s).", f.name, c.ReviewDue)
		}
	}
	return c, nil
}

// leadTeam returns the actor's access to a team they must lead: ENOTFOUND outside it,
// EFORBIDDEN for its PMs and HR partners.
func (s *Service) leadTeam(ctx context.Context, a *app.Actor, teamID int64) error {
	return leadTeam(ctx, s.store, a, teamID)
}

func leadTeam(ctx context.Context, st Store, a *app.Actor, teamID int64) error {
	ta, err := st.TeamAccess(ctx, a, teamID)
	if err != nil {
		return err
	}
	if !ta.CanLead() {
		return app.Errorf(app.EFORBIDDEN, "Only the team's leaders open and close its cycles.")
	}
	return nil
}

// Open opens a cycle for the team; ECONFLICT when it has one for the quarter or one open.
func (s *Service) Open(ctx context.Context, a *app.Actor, teamID int64, in OpenInput) (*app.Cycle, error) {
	cs, err := s.OpenForTeams(ctx, a, []int64{teamID}, in)
	if e, ok := err.(*app.Error); ok && e.Code == app.ECONFLICT {
		return nil, &app.Error{Code: app.ECONFLICT, Field: "quarter",
			Message: "This team already has a cycle for " + in.Quarter + ", or one still open: close it first."}
	}
	if err != nil {
		return nil, err
	}
	return &cs[0], nil
}

// OpenForTeams opens the same cycle for several teams at once (an admin's, or a leader's
// of the teams they lead), all or none.
func (s *Service) OpenForTeams(ctx context.Context, a *app.Actor, teamIDs []int64, in OpenInput) ([]app.Cycle, error) {
	if len(teamIDs) == 0 {
		return nil, app.Invalid("team_ids", "Choose at least one team.")
	}
	seen := map[int64]bool{}
	for i, id := range teamIDs {
		if seen[id] {
			return nil, app.Invalid(fmt.Sprintf("team_ids[%d]", i), "The team is listed twice.")
		}
		seen[id] = true
		if err := s.leadTeam(ctx, a, id); err != nil {
			return nil, err
		}
	}
	cs := make([]*app.Cycle, len(teamIDs))
	for i, id := range teamIDs {
		c, err := in.validate(a.OrgID, id)
		if err != nil {
			return nil, err
		}
		c.OpenedBy = &a.UserID
		cs[i] = c
	}
	if err := s.store.CreateCycles(ctx, cs); err != nil {
		return nil, err
	}
	out := make([]app.Cycle, len(cs))
	for i, c := range cs {
		out[i] = *c
	}
	return out, nil
}

// TeamCycles is a team's cycles for its leaders and admins, with the other teams the
// actor may open the same cycle for.
type TeamCycles struct {
	Team   *app.Team
	Cycles []app.Cycle
	Others []app.Team
}

// TeamCycles lists the team's cycles for its leaders and admins.
func (s *Service) TeamCycles(ctx context.Context, a *app.Actor, teamID int64) (*TeamCycles, error) {
	if err := s.leadTeam(ctx, a, teamID); err != nil {
		return nil, err
	}
	team, err := s.store.FindTeamByID(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	out := &TeamCycles{Team: team}
	if out.Cycles, err = s.store.FindTeamCycles(ctx, a.OrgID, teamID); err != nil {
		return nil, err
	}
	teams, err := s.store.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		if t.ID != teamID && (a.Role == app.RoleAdmin || t.MyRole == app.TeamLeader) {
			out.Others = append(out.Others, t)
		}
	}
	return out, nil
}

// cycle returns a cycle and what the actor is to its team; ENOTFOUND for anyone outside
// the team (HR partners included: nothing here is theirs).
func (s *Service) cycle(ctx context.Context, a *app.Actor, id int64) (*app.Cycle, app.TeamAccess, error) {
	c, err := s.store.FindCycleByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, app.TeamAccess{}, err
	}
	ta, err := s.store.TeamAccess(ctx, a, c.TeamID)
	if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && !ta.CanLead() && ta.Role != app.TeamMember) {
		return nil, ta, app.ErrNotFound("Cycle")
	}
	return c, ta, err
}

// members returns the team's active PMs (team role member) with the competencies that
// count for each, in name order.
func (s *Service) members(ctx context.Context, c *app.Cycle) ([]Member, *app.Framework, error) {
	return teamMembers(ctx, s.store, c)
}

func teamMembers(ctx context.Context, st Store, c *app.Cycle) ([]Member, *app.Framework, error) {
	var (
		fw     *app.Framework
		people []app.TeamPerson
		loaded errgroup.Group
	)
	loaded.Go(func() (err error) { fw, err = st.FindFramework(ctx, c.OrgID); return err })
	loaded.Go(func() (err error) { people, err = st.FindTeamPeople(ctx, c.TeamID); return err })
	if err := loaded.Wait(); err != nil {
		return nil, nil, err
	}
	var out []Member
	for _, p := range people {
		if p.TeamRole != app.TeamMember || !p.Active {
			continue
		}
		m := Member{ID: p.UserID, Name: p.Name}
		title := ""
		if p.Title != nil {
			title = *p.Title
		}
		for i := range fw.Competencies { // not fw.InScope: a copy of the framework per member
			if c := &fw.Competencies[i]; c.InScopeFor(title) {
				m.Scope = append(m.Scope, c.Key)
			}
		}
		out = append(out, m)
	}
	return out, fw, nil
}

// View is a cycle as its reader may see it: a leader gets the whole board (and the
// snapshot of a closed cycle); a PM their own row, and the team's stage counts only when
// the team has at least shape.MinContributors PMs.
type View struct {
	Cycle    *app.Cycle `json:"cycle"`
	Lead     bool       `json:"-"`
	Progress Progress   `json:"progress"`
	Snapshot *Snapshot  `json:"snapshot,omitempty"`
	Today    app.Date   `json:"-"`
}

// Get returns a cycle with its progress as the actor may see it.
func (s *Service) Get(ctx context.Context, a *app.Actor, id int64) (*View, error) {
	c, ta, err := s.cycle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p, err := s.progress(ctx, c)
	if err != nil {
		return nil, err
	}
	v := &View{Cycle: c, Lead: ta.CanLead(), Progress: p, Today: app.DateOf(s.now())}
	if v.Lead {
		if c.Snapshot != nil {
			v.Snapshot = &Snapshot{}
			if err := json.Unmarshal(c.Snapshot, v.Snapshot); err != nil {
				return nil, err
			}
		}
		return v, nil
	}
	own := []MemberProgress{}
	for _, m := range p.Members {
		if m.PersonID == a.UserID {
			m.Pending = []PendingPeer{} // who is yet to answer is the leader's to see
			own = append(own, m)
		}
	}
	v.Progress.Members = own
	if len(p.Members) < shape.MinContributors {
		v.Progress.Stages = []Stage{}
	}
	return v, nil
}

// progress computes a cycle's board.
func (s *Service) progress(ctx context.Context, c *app.Cycle) (Progress, error) {
	members, _, err := s.members(ctx, c)
	if err != nil {
		return Progress{}, err
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	rated, err := s.store.FindCycleRated(ctx, c, c.End(s.now()), ids)
	if err != nil {
		return Progress{}, err
	}
	reqs, err := s.store.FindCyclePeerRequests(ctx, c, 0)
	if err != nil {
		return Progress{}, err
	}
	agreed, err := s.store.FindCycleAgreements(ctx, c, 0)
	if err != nil {
		return Progress{}, err
	}
	return BuildProgress(c, members, rated, reqs, agreed, app.DateOf(s.now())), nil
}

// Snapshot is the team's shape frozen when a cycle closes (see insight.Snapshot): its
// quarter's trend point from then on.
type Snapshot = insight.Snapshot

// TakeSnapshot freezes the cycle's team as of at: its PMs' effective ratings then, its
// targets and the organisation's thresholds, and the figures the analytic core computes
// from them (the demo seeds closed cycles with it).
func TakeSnapshot(ctx context.Context, st insight.Store, c *app.Cycle, at time.Time) ([]byte, error) {
	t, err := insight.LoadTeam(ctx, st, c.OrgID, c.TeamID, at)
	if err != nil {
		return nil, err
	}
	res := shape.Analyze(t.Input)
	return json.Marshal(Snapshot{Quarter: c.Quarter, TakenAt: at, Input: t.Input,
		Competencies: res.Competencies, TotalScore: res.TotalScore, Counts: res.Counts})
}

// Close closes an open cycle and stores the snapshot of the team's shape as of now.
func (s *Service) Close(ctx context.Context, a *app.Actor, id int64) (*View, error) {
	c, _, err := s.cycle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := s.leadTeam(ctx, a, c.TeamID); err != nil {
		return nil, err
	}
	if !c.Open() {
		return nil, app.Errorf(app.ECONFLICT, "The %s cycle is closed already.", c.Quarter)
	}
	snap, err := TakeSnapshot(ctx, s.store, c, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.store.CloseCycle(ctx, c, a.UserID, snap); err != nil {
		return nil, err
	}
	return s.Get(ctx, a, id)
}
