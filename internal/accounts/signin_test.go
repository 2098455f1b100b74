package accounts

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

var limits = Limits{PerEmailIP: 100, PerEmail: 100, PerIP: 100, Window: time.Minute}

// params is the argon2id part of a PHC hash ("m=…,t=…,p=…"): what one verification costs.
func params(hash string) string {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 {
		return "malformed"
	}
	return parts[3]
}

// TestSignInWorkIsConstant: a sign-in computes the same number of argon2id hashes, with
// the same parameters, whether the address is unknown, has one account, or has accounts
// in several organisations (more than Checked included), and whether the password is
// right: its time tells nobody whether, or how many, accounts an address has. Naming an
// organisation costs exactly one, known or not.
func TestSignInWorkIsConstant(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	const pw = "the-right-password"
	hash, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	// one@ has an account in org a; many@ in a, b, c, d and e (more than Checked).
	for i, slug := range []string{"org-a", "org-b", "org-c", "org-d", "org-e"} {
		o, err := db.CreateOrganisation(ctx, slug, strings.ToUpper(slug))
		if err != nil {
			t.Fatal(err)
		}
		emails := []string{"many@x.test"}
		if i == 0 {
			emails = append(emails, "one@x.test")
		}
		for _, e := range emails {
			if err := db.CreateUser(ctx, &app.User{OrgID: o.ID, Email: e, Name: "N", Role: app.RolePM, PasswordHash: hash}); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := New(db, nil, nil, time.Now)
	var calls []string
	s.verify = func(ctx context.Context, pw, hash string) (bool, error) {
		calls = append(calls, params(hash))
		return auth.VerifyPassword(ctx, pw, hash)
	}
	want := params(auth.DummyHash())
	for _, tc := range []struct {
		email, password, org string
		verifications        int
		outcome              string // "401", "200" or "choose"
	}{
		{"nobody@x.test", pw, "", Checked, "401"},
		{"one@x.test", "a-wrong-password", "", Checked, "401"},
		{"one@x.test", pw, "", Checked, "200"},
		{"many@x.test", "a-wrong-password", "", Checked, "401"},
		{"many@x.test", pw, "", Checked, "choose"},
		{"many@x.test", pw, "org-e", 1, "200"}, // beyond Checked: named, it signs in
		{"one@x.test", pw, "org-b", 1, "401"},
		{"one@x.test", pw, "no-such-org", 1, "401"},
		{"nobody@x.test", pw, "org-a", 1, "401"},
	} {
		calls = nil
		res, err := s.SignIn(ctx, Request{Email: tc.email, Password: tc.password, Organisation: tc.org, IP: "192.0.2.1", TTL: time.Hour, Limits: limits})
		outcome := "200"
		switch {
		case err == ErrBadLogin:
			outcome = "401"
		case err != nil:
			t.Fatalf("%+v: %v", tc, err)
		case res.Choices != nil:
			outcome = "choose"
		}
		if outcome != tc.outcome || len(calls) != tc.verifications {
			t.Errorf("%s / %s / %q: %s after %d verifications, want %s after %d", tc.email, tc.password, tc.org, outcome, len(calls), tc.outcome, tc.verifications)
		}
		for _, p := range calls {
			if p != want {
				t.Errorf("%s: verified with %s, want every verification at %s", tc.email, p, want)
			}
		}
	}
}

// TestDummyPasswordOpensNothing: the dummy hash's own password opens no account.
func TestDummyPasswordOpensNothing(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	s := New(db, nil, nil, time.Now)
	_, err := s.SignIn(context.Background(), Request{Email: "nobody@x.test", Password: "teamshape-dummy-password", IP: "192.0.2.1",
		TTL: time.Hour, Limits: limits})
	if err != ErrBadLogin {
		t.Fatalf("the dummy password: %v", err)
	}
}

func TestLimits(t *testing.T) {
	l := Limits{PerEmailIP: 10, PerEmail: 100, PerIP: 50}
	for _, tc := range []struct {
		th     app.LoginThrottle
		locked bool
		retry  int
	}{
		{app.LoginThrottle{EmailIPFailures: 9, EmailFailures: 99, IPFailures: 49}, false, 0},
		{app.LoginThrottle{EmailIPFailures: 10, EmailIPRetry: 30, EmailFailures: 10, EmailRetry: 40}, true, 30},
		{app.LoginThrottle{EmailIPFailures: 2, EmailFailures: 100, EmailRetry: 0}, true, 1},
		{app.LoginThrottle{IPFailures: 50, IPRetry: 70, EmailIPFailures: 10, EmailIPRetry: 20}, true, 70},
	} {
		retry, locked := l.locked(&tc.th)
		if locked != tc.locked || retry != tc.retry {
			t.Errorf("%+v: locked %v retry %d, want %v %d", tc.th, locked, retry, tc.locked, tc.retry)
		}
	}
}

// TestSSOOnlyAndSecondFactor: a right password of an organisation that signs in with SSO
// only is refused saying so; one of an account with a second factor starts no session but
// asks for the code; both after the same number of verifications as any sign-in.
func TestSSOOnlyAndSecondFactor(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	const pw = "the-right-password"
	hash, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, slug := range []string{"sso-only", "with-totp"} {
		o, err := db.CreateOrganisation(ctx, slug, slug)
		if err != nil {
			t.Fatal(err)
		}
		u := &app.User{OrgID: o.ID, Email: slug + "@x.test", Name: "N", Role: app.RolePM, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids[slug] = u.ID
		if slug == "sso-only" {
			err = db.SaveSSOSettings(ctx, &app.SSOSettings{OrgID: o.ID, Issuer: "https://idp.example", ClientID: "c", SecretBox: []byte{1},
				Enabled: true, PasswordSignIn: false, DefaultRole: app.RolePM})
		} else {
			_, err = db.ExecContext(ctx, `INSERT INTO user_totp (user_id, secret_box, confirmed_at) VALUES ($1, '\x01', now())`, u.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	s := New(db, nil, nil, time.Now)
	calls := 0
	s.verify = func(ctx context.Context, pw, hash string) (bool, error) {
		calls++
		return auth.VerifyPassword(ctx, pw, hash)
	}
	req := Request{Password: pw, IP: "192.0.2.1", TTL: time.Hour, Limits: limits}

	req.Email = "sso-only@x.test"
	if _, err := s.SignIn(ctx, req); err != ErrSSOOnly || calls != Checked {
		t.Errorf("SSO-only organisation: %v after %d verifications", err, calls)
	}
	calls, req.Email = 0, "with-totp@x.test"
	res, err := s.SignIn(ctx, req)
	if err != nil || !res.SecondFactor || res.Session != nil || res.User.ID != ids["with-totp"] || calls != Checked {
		t.Errorf("account with a second factor: %+v, %v after %d verifications", res, err, calls)
	}
	req.Password = "a-wrong-password"
	if _, err := s.SignIn(ctx, req); err != ErrBadLogin {
		t.Errorf("a wrong password with a second factor: %v", err)
	}
}
