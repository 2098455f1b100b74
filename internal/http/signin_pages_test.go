package http

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/sso/ssotest"
)

// TestAdminSignInPage: the admin's sign-in settings form saves against a real provider,
// the secret never comes back in a page (not even a refused form's), bad input keeps the
// other fields and names the problem, and each save is audited without the secret.
func TestAdminSignInPage(t *testing.T) {
	f := newFixture(t)
	op := ssotest.Start(t, "http://127.0.0.1:1/sso/callback")
	const admin = "admin@demo.test"
	form := url.Values{"issuer": {op.Issuer}, "client_id": {op.ClientID}, "client_secret": {op.ClientSecret},
		"enabled": {"on"}, "password_sign_in": {"on"}, "default_role": {"pm"}}

	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("default_role", "admin")
	r := f.form(t, admin, "/admin/sign-in/sso", bad)
	body := string(r.Body)
	if r.Status != 422 || !strings.Contains(body, "Default role is pm, leader or hr") || !strings.Contains(body, op.Issuer) ||
		strings.Contains(body, op.ClientSecret) {
		t.Errorf("refused form: %d %.400s", r.Status, body)
	}

	r = f.form(t, admin, "/admin/sign-in/sso", form)
	if r.Status != 303 || r.Header.Get("Location") != "/admin/sign-in?done=sso" {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	r = f.as(t, admin, "GET", "/admin/sign-in?done=sso", nil)
	body = string(r.Body)
	if wantStatus(t, r, 200); strings.Contains(body, op.ClientSecret) || !strings.Contains(body, "kept — leave empty to keep it") ||
		!strings.Contains(body, "Single sign-on settings saved") {
		t.Errorf("settings page: %.600s", body)
	}
	// Saved again without a secret: the kept one stays.
	form.Set("client_secret", "")
	form.Del("password_sign_in")
	if r := f.form(t, admin, "/admin/sign-in/sso", form); r.Status != 303 {
		t.Fatalf("save keeping the secret: %d %s", r.Status, r.Body)
	}
	st, err := f.db.FindSSOSettings(context.Background(), f.org.ID)
	if err != nil || !st.HasSecret || st.PasswordSignIn || strings.Contains(string(st.SecretBox), op.ClientSecret) {
		t.Errorf("stored settings: %+v, %v", st, err)
	}
	entries, err := f.db.FindAudit(context.Background(), app.AuditFilter{OrgID: f.org.ID, Entity: "sso_settings"})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
	for _, e := range entries {
		if strings.Contains(string(e.After), op.ClientSecret) || strings.Contains(string(e.Before), op.ClientSecret) {
			t.Errorf("the audit log holds the secret: %s", e.After)
		}
	}

	if r := f.form(t, admin, "/admin/sign-in/second-factor", url.Values{"require_admin_totp": {"on"}}); r.Status != 303 {
		t.Fatalf("second-factor rule: %d %s", r.Status, r.Body)
	}
	if on, err := f.db.FindRequireAdminTOTP(context.Background(), f.org.ID); err != nil || !on {
		t.Errorf("rule saved: %v %v", on, err)
	}
}
