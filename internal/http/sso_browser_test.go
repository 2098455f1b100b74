package http

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/browser"
	"github.com/teamshape/teamshape/internal/http/ui"
	"github.com/teamshape/teamshape/internal/sso/ssotest"
)

const providerPassword = "provider-password-1"

// ssoSignIn starts a sign-in with single sign-on from the organisation's sign-in page in
// the browser, signs in at the provider's own page, and returns where the browser ends up
// on Teamshape and that page's text.
func ssoSignIn(t *testing.T, b *browser.Session, base, username string) (loc, text string) {
	t.Helper()
	clearCookies(t, b)
	err := chromedp.Do(b.Ctx,
		chromedp.Navigate(base+"/login?organisation=demo"),
		chromedp.WaitVisible("#sso"),
		chromedp.Click("#sso"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", username),
		chromedp.SendKeys("#password", providerPassword),
		chromedp.Submit("#password"),
	)
	if err != nil {
		t.Fatalf("%s at the provider: %v", username, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, err = b.Location()
		if err == nil && strings.HasPrefix(loc, base) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still at %s after 10s", username, loc)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := chromedp.Do(b.Ctx, chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	text, err = b.Text("main")
	if err != nil {
		t.Fatal(err)
	}
	return loc, text
}

// TestSSOSignInInBrowser runs the whole OpenID Connect redirect flow in headless
// Chromium against a real provider (ssotest: zitadel/oidc's example server, its own
// keys and JWKS): a good sign-in, a replayed state, a token for another audience, a
// broken signature, a missing nonce, an unverified e-mail and an unknown person, then
// SSO-only organisations and accounts created on first sign-in.
func TestSSOSignInInBrowser(t *testing.T) {
	b := newTab(t, 3*time.Minute)
	f := newFixture(t)
	base := f.listen(t)
	op := ssotest.Start(t, base+"/sso/callback",
		ssotest.User{Username: "leader", Password: providerPassword, Email: "Leader@demo.test", EmailVerified: true, First: "Lee", Last: "Der"},
		ssotest.User{Username: "unverified", Password: providerPassword, Email: "pm@demo.test", EmailVerified: false},
		ssotest.User{Username: "stranger", Password: providerPassword, Email: "stranger@elsewhere.test", EmailVerified: true, First: "Stan", Last: "Ger"},
		ssotest.User{Username: "invited", Password: providerPassword, Email: "Ivy@New.test", EmailVerified: true, First: "Ivy", Last: "Provider"},
		ssotest.User{Username: "expired", Password: providerPassword, Email: "expired@new.test", EmailVerified: true, First: "Ex", Last: "Pired"},
		ssotest.User{Username: "revoked", Password: providerPassword, Email: "revoked@new.test", EmailVerified: true, First: "Re", Last: "Voked"},
	)
	settings := map[string]any{"issuer": op.Issuer, "client_id": op.ClientID, "client_secret": op.ClientSecret,
		"enabled": true, "password_sign_in": true}
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", "/api/v1/org/sso", settings), 200)
	got := f.as(t, "admin@demo.test", "GET", "/api/v1/org/sso", nil)
	wantStatus(t, got, 200)
	if strings.Contains(string(got.Body), op.ClientSecret) || !strings.Contains(string(got.Body), `"has_secret":true`) {
		t.Fatalf("the settings give the secret away or do not say one is kept: %s", got.Body)
	}

	// A good sign-in: the verified e-mail (in another case) opens leader@demo.test.
	// A leader of one team lands on its dashboard (pageHome), of several on /teams.
	loc, text := ssoSignIn(t, b, base, "leader")
	if !regexp.MustCompile(`/teams(/[0-9]+)?$`).MatchString(loc) || !strings.Contains(text, "Growth") {
		t.Fatalf("good sign-in ended at %s: %.300s", loc, text)
	}
	entries, err := f.db.FindAudit(t.Context(), app.AuditFilter{OrgID: f.org.ID, Action: app.AuditSignIn, ActorID: f.ids["leader@demo.test"]})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Summary, "single sign-on") {
		t.Errorf("audit of the sign-in: %+v, %v", entries, err)
	}

	// A replayed state: the callback the browser was sent to, again, even with the state
	// cookie put back, finds the sign-in used and starts no session.
	var callback string
	_, _, requests := b.Seen()
	for _, r := range requests {
		if strings.HasPrefix(r, base+"/sso/callback?") {
			callback = r
		}
	}
	cb, err := url.Parse(callback)
	if err != nil || cb.Query().Get("state") == "" {
		t.Fatalf("no callback seen: %q", callback)
	}
	clearCookies(t, b)
	if _, err := chromedp.Call(b.Ctx, network.SetCookie, network.SetCookieParams{Name: ui.SsoStateCookie, Value: cb.Query().Get("state"),
		Domain: "127.0.0.1", Path: "/sso/", HTTPOnly: new(true)}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(callback), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if text, _ := b.Text("#sso-refused"); !strings.Contains(text, "already used") {
		t.Errorf("replayed callback: %q", text)
	}
	if err := b.Open(base + "/teams"); err != nil {
		t.Fatal(err)
	}
	if loc, _ := b.Location(); !strings.Contains(loc, "/login") {
		t.Errorf("after the replayed callback /teams is at %s, want the sign-in page (no session)", loc)
	}

	for _, tc := range []struct {
		name, user string
		mis        ssotest.Misbehaviour
		want       string
	}{
		{"wrong audience", "leader", ssotest.OtherAudience, "issued for another application"},
		{"bad signature", "leader", ssotest.BadSignature, "signature that does not verify"},
		{"missing nonce", "leader", ssotest.DropNonce, "does not carry this sign-in's nonce"},
		{"unverified e-mail", "unverified", ssotest.Behave, "has not verified your e-mail address"},
		{"unknown person", "stranger", ssotest.Behave, "no account with your e-mail address"},
	} {
		op.Misbehave(tc.mis)
		loc, text := ssoSignIn(t, b, base, tc.user)
		if !strings.Contains(loc, "/sso/callback") || !strings.Contains(text, tc.want) {
			t.Errorf("%s: at %s: %.300s; want the refusal %q", tc.name, loc, text, tc.want)
		}
		if err := b.Open(base + "/teams"); err != nil {
			t.Fatal(err)
		}
		if loc, _ := b.Location(); !strings.Contains(loc, "/login") {
			t.Errorf("%s: signed in all the same (/teams at %s)", tc.name, loc)
		}
	}
	op.Misbehave(ssotest.Behave)
	if _, err := f.db.FindUserByEmail(t.Context(), f.org.ID, "stranger@elsewhere.test"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the refused stranger has an account: %v", err)
	}

	// An open invitation of the verified e-mail is accepted: the account has the
	// invitation's role, name and team, the invitation is used, the audit says so, and the
	// person lands on their page. An expired or a revoked invitation does not count.
	invite := func(email string) int64 {
		t.Helper()
		res := f.as(t, "admin@demo.test", "POST", "/api/v1/invitations",
			map[string]any{"email": email, "name": "Invited " + email, "role": "pm", "team_id": f.ids["team:Platform"]})
		wantStatus(t, res, 201)
		var inv struct{ Data struct{ ID int64 } }
		res.JSON(t, &inv)
		return inv.Data.ID
	}
	ivy := invite("ivy@new.test")
	if _, err := f.db.ExecContext(t.Context(), `UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`,
		invite("expired@new.test")); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.as(t, "admin@demo.test", "DELETE", "/api/v1/invitations/"+itoa64(invite("revoked@new.test")), nil), 204)
	accepts := f.countAudit(t, "invitation", app.AuditAccept)
	for _, user := range []string{"expired", "revoked"} {
		loc, text := ssoSignIn(t, b, base, user)
		if !strings.Contains(loc, "/sso/callback") || !strings.Contains(text, "no account with your e-mail address") {
			t.Errorf("%s invitation: at %s: %.300s; want the refusal", user, loc, text)
		}
		if _, err := f.db.FindUserByEmail(t.Context(), f.org.ID, user+"@new.test"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("the %s invitation made an account: %v", user, err)
		}
	}
	loc, _ = ssoSignIn(t, b, base, "invited")
	if !strings.HasSuffix(loc, "/me/profile") {
		t.Errorf("the invited person's first sign-in ended at %s, want a PM's profile", loc)
	}
	if u, err := f.db.FindUserByEmail(t.Context(), f.org.ID, "ivy@new.test"); err != nil || u.Role != app.RolePM || u.Name != "Invited ivy@new.test" {
		t.Errorf("account from the invitation: %+v, %v", u, err)
	} else if n := f.count(t, `SELECT count(*) FROM team_members WHERE team_id = $1 AND user_id = $2 AND role = 'member'`,
		f.ids["team:Platform"], u.ID); n != 1 {
		t.Errorf("the invited person is not a member of Platform")
	}
	if n := f.count(t, `SELECT count(*) FROM invitations WHERE id = $1 AND accepted_at IS NOT NULL AND user_id IS NOT NULL`, ivy); n != 1 {
		t.Errorf("the invitation is not marked used")
	}
	if got := f.countAudit(t, "invitation", app.AuditAccept) - accepts; got != 1 {
		t.Errorf("%d acceptance audit entries, want 1", got)
	}

	// SSO only, with accounts created on first sign-in: the password no longer signs in,
	// and the stranger becomes a PM.
	settings["client_secret"], settings["password_sign_in"], settings["auto_create"] = "", false, true
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", "/api/v1/org/sso", settings), 200)
	r := f.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "leader@demo.test", "password": testPassword})
	if r.Status != 403 || !strings.Contains(string(r.Body), "single sign-on") {
		t.Errorf("password sign-in to an SSO-only organisation: %d %s", r.Status, r.Body)
	}
	r = f.do(t, "POST", "/login", "", "email=leader%40demo.test&password="+testPassword, "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != 403 || !strings.Contains(string(r.Body), "signs in with single sign-on") || r.Header.Get("Set-Cookie") != "" {
		t.Errorf("the sign-in form to an SSO-only organisation: %d %.300s", r.Status, r.Body)
	}
	if r := f.do(t, "GET", "/login?organisation=demo", "", nil); !strings.Contains(string(r.Body), "single sign-on only") ||
		strings.Contains(string(r.Body), `name="password"`) {
		t.Errorf("the SSO-only organisation's sign-in page offers a password: %.300s", r.Body)
	}
	loc, _ = ssoSignIn(t, b, base, "stranger")
	if !strings.HasSuffix(loc, "/me/profile") {
		t.Errorf("the stranger's first sign-in ended at %s, want a PM's profile", loc)
	}
	u, err := f.db.FindUserByEmail(t.Context(), f.org.ID, "stranger@elsewhere.test")
	if err != nil || u.Role != app.RolePM || u.Name != "Stan Ger" {
		t.Errorf("account created by SSO: %+v, %v", u, err)
	}
	if console, dialogs, _ := b.Seen(); len(console) > 0 || len(dialogs) > 0 {
		t.Errorf("console %q, dialogs %q", console, dialogs)
	}
}

// clearCookies signs the browser out of everything.
func clearCookies(t *testing.T, b *browser.Session) {
	t.Helper()
	if _, err := chromedp.Call(b.Ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}
