package dashboards_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/people"
)

// TestAccess: who gets which view of the demo's teams (Growth: six PMs; Platform: one).
func TestAccess(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx, now := dashboards.New(o.DB, people.New(o.DB), time.Now), context.Background(), time.Now()
	growth, platform := o.Teams["Growth"], o.Teams["Platform"]
	who := func(email string) *app.Actor { return o.Actors[email] }

	for _, c := range []struct {
		email    string
		team     int64
		err      string // from Team
		withheld bool   // the figures withheld as a whole
		heatmap  string // error code of Heatmap, "" when shown
	}{
		{"leader@demo.test", growth, "", false, ""},
		{"admin@demo.test", platform, "", false, ""},
		{"pm@demo.test", growth, "", false, app.EFORBIDDEN},
		{"hr@demo.test", growth, "", false, app.EFORBIDDEN},
		{"hr@demo.test", platform, "", true, app.EFORBIDDEN},
		{"other-leader@demo.test", growth, app.ENOTFOUND, false, ""},
		{"pm@demo.test", platform, app.ENOTFOUND, false, ""},
	} {
		tm, err := svc.Team(ctx, who(c.email), c.team, now, true)
		if app.ErrorCode(err) != c.err {
			t.Errorf("%s opens team %d: %v, want %q", c.email, c.team, err, c.err)
			continue
		}
		if err != nil {
			continue
		}
		// A withheld team shows no trend either: each point would be a figure of too few; a
		// shown one ends with the open quarter.
		if f := tm.Figures(); f.Withheld != c.withheld || (len(f.Trend) > 0 && f.Trend[len(f.Trend)-1].Open) == c.withheld {
			t.Errorf("%s's figures of team %d: withheld %v (want %v), %d trend points", c.email, c.team, f.Withheld, c.withheld, len(f.Trend))
		}
		if _, err := svc.Heatmap(ctx, who(c.email), tm, "self"); app.ErrorCode(err) != c.heatmap {
			t.Errorf("%s's heatmap of team %d: %v, want %q", c.email, c.team, err, c.heatmap)
		}
	}

	if _, err := svc.Org(ctx, who("leader@demo.test"), now); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("a leader opens the organisation view: %v", err)
	}
	org, err := svc.Org(ctx, who("admin@demo.test"), now)
	if err != nil || len(org.ByScore) != 2 || org.ByScore[0].TotalScore < org.ByScore[1].TotalScore {
		t.Fatalf("organisation view: %+v, %v", org, err)
	}
	for email, want := range map[string]int{"hr@demo.test": 2, "leader@demo.test": 0, "admin@demo.test": 2} {
		r, err := svc.Partner(ctx, who(email), now)
		if err != nil || len(r.Teams) != want {
			t.Errorf("%s's partner view: %d teams, %v; want %d", email, len(r.Teams), err, want)
		}
	}
}

// TestSetTargets: only the team's leaders and admins set targets; one bad target is named
// and nothing changes; the list is required; an empty one clears every target.
func TestSetTargets(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx := dashboards.New(o.DB, people.New(o.DB), time.Now), context.Background()
	growth, leader := o.Teams["Growth"], o.Actors["leader@demo.test"]
	form, err := svc.Targets(ctx, leader, growth)
	if err != nil || len(form.Rows) < 2 || form.MemberCount != 6 {
		t.Fatalf("targets form: %+v, %v", form, err)
	}
	a, b := form.Rows[0].Key, form.Rows[1].Key
	good := []app.TeamTarget{{Competency: a, Coverage: 2, Depth: 4, Criticality: 3}}
	if _, err := svc.SetTargets(ctx, o.Actors["pm@demo.test"], growth, &good); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("a PM sets targets: %v", err)
	}
	if _, err := svc.SetTargets(ctx, o.Actors["other-leader@demo.test"], growth, &good); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("another team's leader sets targets: %v", err)
	}
	stored, err := svc.SetTargets(ctx, leader, growth, &good)
	if err != nil || stored[a].Depth != 4 || len(stored) != 1 {
		t.Fatalf("set %v: %v, %v", good, stored, err)
	}
	bad := []app.TeamTarget{{Competency: b, Coverage: 1, Depth: 2, Criticality: 1}, {Competency: a, Coverage: 1, Depth: 9, Criticality: 1}}
	if _, err := svc.SetTargets(ctx, leader, growth, &bad); app.ErrorField(err) != "targets[1].depth" {
		t.Errorf("depth 9: %v, want an error naming targets[1].depth", err)
	}
	if _, err := svc.SetTargets(ctx, leader, growth, nil); app.ErrorField(err) != "targets" {
		t.Errorf("no list: %v, want an error naming targets", err)
	}
	form, err = svc.Targets(ctx, leader, growth)
	if err != nil || form.Rows[0].Target == nil || form.Rows[0].Target.Depth != 4 || form.Rows[1].Target != nil {
		t.Errorf("after a refused write the targets changed: %+v, %v", form.Rows[:2], err)
	}
	if stored, err := svc.SetTargets(ctx, leader, growth, &[]app.TeamTarget{}); err != nil || len(stored) != 0 {
		t.Errorf("clear the targets: %v, %v", stored, err)
	}
}

// TestTeamPage: the team page's one call gives the team with the people the viewer may see
// and its figures, or the access error; the targets form carries its team too.
func TestTeamPage(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx, now := dashboards.New(o.DB, people.New(o.DB), time.Now), context.Background(), time.Now()
	growth := o.Teams["Growth"]
	members := func(v *people.TeamView) (n int) {
		for _, p := range v.People {
			if p.TeamRole == app.TeamMember {
				n++
			}
		}
		return n
	}
	v, tm, err := svc.TeamPage(ctx, o.Actors["leader@demo.test"], growth, now)
	if err != nil || v.ID != growth || members(v) != 6 || tm.Members() != 6 || !tm.Access.CanSeeIndividuals() {
		t.Fatalf("the leader's team page: %+v, %+v, %v", v, tm, err)
	}
	// HR may see the team's figures but not its members: the view keeps leaders and partners.
	v, tm, err = svc.TeamPage(ctx, o.Actors["hr@demo.test"], growth, now)
	if err != nil || members(v) != 0 || len(v.People) == 0 || tm.Access.CanSeeIndividuals() {
		t.Fatalf("HR's team page: %+v, %+v, %v", v, tm, err)
	}
	for _, p := range v.People {
		if p.Email != "" {
			t.Errorf("HR sees %s's e-mail", p.Name)
		}
	}
	if _, _, err := svc.TeamPage(ctx, o.Actors["other-leader@demo.test"], growth, now); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("another team's leader opens the team page: %v", err)
	}
	form, err := svc.Targets(ctx, o.Actors["leader@demo.test"], growth)
	if err != nil || form.Team == nil || form.Team.ID != growth || form.Team.Name == "" {
		t.Fatalf("targets form's team: %+v, %v", form, err)
	}
}
