package people_test

import (
	"context"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/people"
)

// TestAccess: only admins manage people and teams; a team's people show as each viewer
// may see them; another organisation's team does not exist.
func TestAccess(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx := people.New(o.DB), context.Background()
	admin, leader, pm, hr := o.Actors["admin@demo.test"], o.Actors["leader@demo.test"], o.Actors["pm@demo.test"], o.Actors["hr@demo.test"]
	growth := o.Teams["Growth"]
	stranger := o.Outsider(t, "admin@elsewhere.test", app.RoleAdmin)

	for _, a := range []*app.Actor{leader, pm, hr} {
		if _, err := svc.Users(ctx, a); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("%s lists people: %v, want forbidden", a.Email, err)
		}
		if _, _, err := svc.CreateUser(ctx, a, people.NewUser{Email: "x@demo.test", Name: "X", Role: app.RolePM}); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("%s creates a person: %v, want forbidden", a.Email, err)
		}
		if err := svc.SetTeamMember(ctx, a, growth, a.UserID, app.TeamLeader); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("%s makes themself a leader: %v, want forbidden", a.Email, err)
		}
	}
	if _, _, err := svc.Team(ctx, stranger, growth); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("another organisation's admin reads Growth: %v, want not found", err)
	}
	if err := svc.SetTeamMember(ctx, stranger, growth, stranger.UserID, app.TeamLeader); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("another organisation's admin joins Growth: %v, want not found", err)
	}

	// Leaders see everyone with e-mails, members see the team's names, HR partners the
	// leaders and partners only.
	count := func(a *app.Actor) (n, emails int) {
		v, _, err := svc.Team(ctx, a, growth)
		if err != nil {
			t.Fatalf("%s reads Growth: %v", a.Email, err)
		}
		for _, p := range v.People {
			if p.Email != "" {
				emails++
			}
		}
		return len(v.People), emails
	}
	for _, c := range []struct {
		a             *app.Actor
		people, email int
	}{{admin, 8, 8}, {leader, 8, 8}, {pm, 8, 0}, {hr, 2, 0}} {
		if n, e := count(c.a); n != c.people || e != c.email {
			t.Errorf("%s sees %d people, %d e-mails; want %d, %d", c.a.Email, n, e, c.people, c.email)
		}
	}
}

// TestAdminWrites: an admin creates a person with a one-time password, cannot lock
// themself out, and a bad field is named.
func TestAdminWrites(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx, admin := people.New(o.DB), context.Background(), o.Actors["admin@demo.test"]

	u, otp, err := svc.CreateUser(ctx, admin, people.NewUser{Email: " new@demo.test ", Name: " Nia New ", Role: app.RolePM, Title: "pm"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "new@demo.test" || u.Name != "Nia New" || len(otp) < 12 || u.PasswordHash == "" || u.PasswordHash == otp {
		t.Errorf("created %+v with one-time password %q", u, otp)
	}
	for _, c := range []struct {
		in    people.NewUser
		field string
	}{
		{people.NewUser{Email: "not-an-address", Name: "A", Role: app.RolePM}, "email"},
		{people.NewUser{Email: "a@demo.test", Name: "", Role: app.RolePM}, "name"},
		{people.NewUser{Email: "a@demo.test", Name: "A", Role: "boss"}, "role"},
		{people.NewUser{Email: "a@demo.test", Name: "A", Role: app.RolePM, Title: "ceo"}, "title"},
	} {
		if _, _, err := svc.CreateUser(ctx, admin, c.in); app.ErrorField(err) != c.field {
			t.Errorf("create %+v: %v, want an error naming %s", c.in, err, c.field)
		}
	}
	off, pm := false, app.RolePM
	for _, upd := range []app.UserUpdate{{Active: &off}, {Role: &pm}} {
		if _, err := svc.UpdateUser(ctx, admin, admin.UserID, upd); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("admin locks themself out with %+v: %v, want invalid", upd, err)
		}
	}
	if _, err := svc.CreateTeam(ctx, admin, "   ", ""); app.ErrorField(err) != "name" {
		t.Errorf("team without a name: %v", err)
	}
}
