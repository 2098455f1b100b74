package cycles

import (
	"context"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/app"
)

// ToDo is what a PM has to do in one open cycle of their team.
type ToDo struct {
	Cycle      *app.Cycle `json:"cycle"`
	Scope      int        `json:"scope"`
	SelfRated  int        `json:"self_rated"`
	SelfDone   bool       `json:"self_done"`
	SelfLate   bool       `json:"self_late"`
	ReviewDone bool       `json:"review_done"`
	// ToAnswer are the open peer requests of any cycle the PM is the named reviewer of.
	ToAnswer []app.PeerRequest `json:"to_answer"`
}

// MyToDo returns the actor's to-do in the open cycles of the teams they are a PM of, and
// the peer ratings they owe to any cycle, for the top of their profile.
func (s *Service) MyToDo(ctx context.Context, a *app.Actor) ([]ToDo, error) {
	open, err := s.store.FindOpenCyclesOf(ctx, a.OrgID, a.UserID)
	if err != nil {
		return nil, err
	}
	owed, err := s.store.FindPeerRequests(ctx, a.OrgID, app.PeerRequestFilter{ReviewerID: a.UserID})
	if err != nil {
		return nil, err
	}
	owed = slices.DeleteFunc(owed, func(r app.PeerRequest) bool { return r.CycleID == nil || r.Status != app.RequestOpen })
	today := app.DateOf(s.now())
	out := []ToDo{}
	for i := range open {
		c := &open[i]
		p, err := s.progress(ctx, c)
		if err != nil {
			return nil, err
		}
		t := ToDo{Cycle: c, ToAnswer: []app.PeerRequest{}}
		for _, m := range p.Members {
			if m.PersonID == a.UserID {
				t.Scope, t.SelfRated, t.SelfDone, t.ReviewDone = m.Scope, m.SelfRated, m.SelfDone, m.Reviewed
			}
		}
		t.SelfLate = !t.SelfDone && today.After(c.SelfDue.Time)
		out = append(out, t)
	}
	if len(owed) > 0 {
		if len(out) == 0 {
			out = append(out, ToDo{})
		}
		out[0].ToAnswer = owed
	}
	return out, nil
}

// Flag is a PM's competency where self and others differ by app.FlagDelta or more.
type Flag struct {
	PersonID   int64  `json:"person_id"`
	Name       string `json:"name"`
	Competency string `json:"competency"`
	CompName   string `json:"competency_name"`
	Self       int    `json:"self"`
	Others     int    `json:"others"`
}

// TeamFlags lists every flagged difference of the team's PMs (their latest ratings), for
// its leaders and admins: by PM, largest difference first.
func (s *Service) TeamFlags(ctx context.Context, a *app.Actor, teamID int64) ([]Flag, error) {
	// The access check runs while the members load; nothing is returned unless it passes.
	var (
		members []Member
		fw      *app.Framework
		loaded  errgroup.Group
	)
	loaded.Go(func() (err error) {
		members, fw, err = teamMembers(ctx, s.views, &app.Cycle{OrgID: a.OrgID, TeamID: teamID})
		return err
	})
	if err := leadTeam(ctx, s.views, a, teamID); err != nil {
		loaded.Wait() //nolint:errcheck // the access error is the answer
		return nil, err
	}
	if err := loaded.Wait(); err != nil {
		return nil, err
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	// One read of the team's maintained levels: this runs on every uncached view of the
	// team's dashboard.
	pairs, err := s.views.FindFlaggedLevels(ctx, a.OrgID, ids)
	if err != nil {
		return nil, err
	}
	type pair struct {
		person     int64
		competency string
	}
	flagged := make(map[pair]app.SelfOthers, len(pairs))
	for _, p := range pairs {
		flagged[pair{p.UserID, p.Competency}] = p
	}
	out := []Flag{}
	for _, m := range members {
		var mine []Flag
		for _, k := range m.Scope {
			if p, ok := flagged[pair{m.ID, k}]; ok {
				mine = append(mine, Flag{PersonID: m.ID, Name: m.Name, Competency: k, CompName: fw.ByKey(k).Name,
					Self: p.Self, Others: p.Others})
			}
		}
		slices.SortStableFunc(mine, func(x, y Flag) int { return abs(y.Self-y.Others) - abs(x.Self-x.Others) })
		out = append(out, mine...)
	}
	return out, nil
}
