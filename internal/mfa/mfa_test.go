package mfa

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// newService returns the service on a fresh database with one admin, and a clock the
// test moves.
func newService(t *testing.T) (*Service, *postgres.DB, *app.Actor, *time.Time) {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, err := db.CreateOrganisation(ctx, "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	u := &app.User{OrgID: org.ID, Email: "ada@acme.test", Name: "Ada", Role: app.RoleAdmin, PasswordHash: auth.DummyHash()}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	box, err := auth.NewSecretBox([]byte("test-secret-test-secret-test-secret!"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 12, 0, 10, 0, time.UTC)
	s := New(db, box, func() time.Time { return now })
	return s, db, &app.Actor{UserID: u.ID, OrgID: org.ID, Role: app.RoleAdmin, Email: u.Email}, &now
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTOTPLifecycle: set up, confirm with the app's code, codes accepted once and within
// one step of drift, recovery codes single use, turning off, and the audit entries.
func TestTOTPLifecycle(t *testing.T) {
	s, db, a, now := newService(t)
	ctx := context.Background()

	setup, err := s.Begin(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(setup.QR, "data:image/png;base64,") || !strings.Contains(setup.URL, "secret="+setup.Secret) ||
		!strings.Contains(setup.URL, "issuer=Teamshape") {
		t.Fatalf("setup: %+v", setup)
	}
	// Kept sealed: the stored bytes do not hold the secret.
	row, err := db.FindTOTP(ctx, a.UserID)
	if err != nil || strings.Contains(string(row.SecretBox), setup.Secret) || row.ConfirmedAt != nil {
		t.Fatalf("stored factor: %+v, %v", row, err)
	}
	// Not on yet: no code signs in.
	if ok, _, _ := s.Check(ctx, a.UserID, code(t, setup.Secret, *now)); ok {
		t.Fatal("an unconfirmed factor accepted a code")
	}
	if _, err := s.Confirm(ctx, a, "000000"); app.ErrorField(err) != "code" && code(t, setup.Secret, *now) != "000000" {
		t.Fatalf("a wrong confirmation code: %v", err)
	}
	recovery, err := s.Confirm(ctx, a, code(t, setup.Secret, *now))
	if err != nil || len(recovery) != RecoveryCodes {
		t.Fatalf("confirm: %v, %d codes", err, len(recovery))
	}
	if _, err := s.Begin(ctx, a); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second set-up while on: %v, want ECONFLICT", err)
	}

	// The confirming code is spent; the next step's code works once; after it, no code of
	// an earlier step does.
	for _, tc := range []struct {
		name string
		at   time.Duration // code time relative to the clock, the clock advanced by move first
		move time.Duration
		ok   bool
	}{
		{"the confirming code again", 0, 0, false},
		{"the next step's code (drift)", 30 * time.Second, 0, true},
		{"that code again", 30 * time.Second, 0, false},
		{"an earlier step's code, though within the drift", -30 * time.Second, 30 * time.Second, false},
		{"the current code, a minute on", 0, 30 * time.Second, true},
		{"six digits that are not the code", -1, 30 * time.Second, false},
	} {
		*now = now.Add(tc.move)
		c := "123456"
		if tc.at != -1 {
			c = code(t, setup.Secret, now.Add(tc.at))
		}
		if c == "123456" && tc.ok {
			t.Fatal("unlucky code")
		}
		ok, how, err := s.Check(ctx, a.UserID, c)
		if err != nil || ok != tc.ok || (ok && how != "authenticator app") {
			t.Errorf("%s: ok %v (%s), %v; want %v", tc.name, ok, how, err, tc.ok)
		}
	}

	// A recovery code works once, typed in any case and with or without its hyphen.
	rc := strings.ToUpper(strings.ReplaceAll(recovery[3], "-", " "))
	if ok, how, err := s.Check(ctx, a.UserID, rc); !ok || how != "recovery code" || err != nil {
		t.Errorf("recovery code: %v %s %v", ok, how, err)
	}
	if ok, _, _ := s.Check(ctx, a.UserID, recovery[3]); ok {
		t.Error("a recovery code worked twice")
	}
	if n, _ := db.CountRecoveryCodes(ctx, a.UserID); n != RecoveryCodes-1 {
		t.Errorf("%d recovery codes left, want %d", n, RecoveryCodes-1)
	}

	// New recovery codes need a good code; the old ones stop working.
	if _, err := s.NewRecoveryCodes(ctx, a, "nonsense"); app.ErrorField(err) != "code" {
		t.Errorf("new recovery codes with a bad code: %v", err)
	}
	fresh, err := s.NewRecoveryCodes(ctx, a, recovery[5])
	if err != nil || len(fresh) != RecoveryCodes {
		t.Fatalf("new recovery codes: %d, %v", len(fresh), err)
	}
	if ok, _, _ := s.Check(ctx, a.UserID, recovery[6]); ok {
		t.Error("an old recovery code works after new ones were made")
	}
	recovery = fresh

	// Turning off needs a good code.
	if err := s.Disable(ctx, a, "nonsense"); app.ErrorField(err) != "code" {
		t.Errorf("turning off with a bad code: %v", err)
	}
	if err := s.Disable(ctx, a, recovery[0]); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := s.Check(ctx, a.UserID, recovery[1]); ok {
		t.Error("a recovery code outlived the factor")
	}
	st, err := s.Status(ctx, a)
	if err != nil || st.On || st.Setup != nil {
		t.Errorf("status after turning off: %+v, %v", st, err)
	}
	entries, err := db.FindAudit(ctx, app.AuditFilter{OrgID: a.OrgID, Entity: "second_factor"})
	if err != nil || len(entries) != 3 || entries[0].Action != app.AuditDelete || entries[1].Action != app.AuditUpdate ||
		entries[2].Action != app.AuditCreate {
		t.Errorf("audit: %+v, %v", entries, err)
	}
}

// TestRequireForAdmins: the rule is the organisation's, set by admins only, audited; an
// admin's session says they must enrol until their factor is on.
func TestRequireForAdmins(t *testing.T) {
	s, db, a, now := newService(t)
	ctx := context.Background()
	if err := s.SetRequireForAdmins(ctx, &app.Actor{UserID: a.UserID, OrgID: a.OrgID, Role: app.RoleLeader}, true); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("a leader set the rule: %v", err)
	}
	if err := s.SetRequireForAdmins(ctx, a, true); err != nil {
		t.Fatal(err)
	}
	sess, err := db.CreateSession(ctx, a.UserID, time.Hour, "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.FindActiveSession(ctx, sess.ID, a.UserID)
	if err != nil || !got.MustEnrolTOTP {
		t.Fatalf("admin without a factor under the rule: %+v, %v", got, err)
	}
	setup, err := s.Begin(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Confirm(ctx, a, code(t, setup.Secret, *now)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindActiveSession(ctx, sess.ID, a.UserID); got.MustEnrolTOTP {
		t.Error("still must enrol with the factor on")
	}
	entries, err := db.FindAudit(ctx, app.AuditFilter{OrgID: a.OrgID, Entity: "org_security"})
	if err != nil || len(entries) != 1 || !strings.Contains(string(entries[0].After), `"require_admin_totp": true`) {
		t.Errorf("audit: %+v, %v", entries, err)
	}
}
