package accounts

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestMeSignOutReady: Me is the caller's own account and teams; SignOut ends the session the
// caller came with and no other; Ready answers 503's error when the database does not.
func TestMeSignOutReady(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db, "correct-horse-battery"); err != nil {
		t.Fatal(err)
	}
	s := New(db, nil, nil, time.Now)
	signIn := func() *app.Actor {
		res, err := s.SignIn(ctx, Request{Email: "leader@demo.test", Password: "correct-horse-battery", IP: "192.0.2.9",
			TTL: time.Hour, Limits: Limits{PerEmailIP: 10, PerEmail: 10, PerIP: 10, Window: time.Minute}})
		if err != nil || res.Session == nil {
			t.Fatalf("sign-in: %+v, %v", res, err)
		}
		return &app.Actor{UserID: res.User.ID, OrgID: res.User.OrgID, Role: res.User.Role, SessionID: res.Session.ID}
	}
	a, other := signIn(), signIn()

	me, err := s.Me(ctx, a)
	if err != nil || me.User.ID != a.UserID || me.User.Email != "leader@demo.test" || len(me.Teams) == 0 {
		t.Fatalf("Me: %+v, %v", me, err)
	}

	if err := s.SignOut(ctx, a); err != nil {
		t.Fatal(err)
	}
	live, err := s.Sessions(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, l := range live {
		ids[l.ID] = true
	}
	if ids[a.SessionID] || !ids[other.SessionID] {
		t.Errorf("after signing out one session, the live ones are %v", ids)
	}

	if err := s.Ready(ctx); err != nil {
		t.Errorf("Ready: %v", err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Ready(gone); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Errorf("Ready without a database: %v, want %s", err, app.EUNAVAILABLE)
	}
}
