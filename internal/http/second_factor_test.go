package http

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/browser"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// totpCode is the authenticator app's code for the secret at the time.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// notCode is six digits that are not the secret's code now or a step either side.
func notCode(t *testing.T, secret string) string {
	for _, c := range []string{"000000", "111111", "222222"} {
		bad := false
		for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
			bad = bad || totpCode(t, secret, time.Now().Add(d)) == c
		}
		if !bad {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

// TestSecondFactorAPI: a user turns the factor on through the API; signing in then needs
// the code after the password; the challenge is no session; wrong codes are refused and
// throttled like passwords; the secret is given only by the set-up.
func TestSecondFactorAPI(t *testing.T) {
	f := newFixture(t)
	const who = "leader@demo.test"
	r := f.as(t, who, "POST", "/api/v1/me/totp", nil)
	wantStatus(t, r, 201)
	var setup struct {
		Data struct {
			Secret string `json:"secret"`
			QR     string `json:"qr_png"`
		} `json:"data"`
	}
	r.JSON(t, &setup)
	secret := setup.Data.Secret
	if secret == "" || !strings.HasPrefix(setup.Data.QR, "data:image/png;base64,") {
		t.Fatalf("set-up: %s", r.Body)
	}
	wantStatus(t, f.as(t, who, "POST", "/api/v1/me/totp/confirm", map[string]string{"code": notCode(t, secret)}), 422)
	r = f.as(t, who, "POST", "/api/v1/me/totp/confirm", map[string]string{"code": totpCode(t, secret, time.Now())})
	wantStatus(t, r, 200)
	var confirmed struct {
		Data struct {
			Codes []string `json:"recovery_codes"`
		} `json:"data"`
	}
	r.JSON(t, &confirmed)
	if len(confirmed.Data.Codes) != 10 {
		t.Fatalf("recovery codes: %s", r.Body)
	}
	r = f.as(t, who, "GET", "/api/v1/me/totp", nil)
	if wantStatus(t, r, 200); strings.Contains(string(r.Body), secret) || !strings.Contains(string(r.Body), `"on":true`) {
		t.Errorf("status: %s", r.Body)
	}

	login := func() string {
		r := f.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": who, "password": testPassword})
		wantStatus(t, r, 200)
		var res struct{ Data kit.LoginResult }
		r.JSON(t, &res)
		if res.Data.Token != "" || !res.Data.SecondFactor || res.Data.Challenge == "" {
			t.Fatalf("password of an account with a second factor: %s", r.Body)
		}
		return res.Data.Challenge
	}
	challenge := login()
	wantStatus(t, f.do(t, "GET", "/api/v1/me", challenge, nil), 401)
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/login/second-factor", "",
		map[string]string{"challenge": challenge + "x", "code": totpCode(t, secret, time.Now())}), 401)

	// The confirming code is spent; the next step's is good, once.
	next := totpCode(t, secret, time.Now().Add(30*time.Second))
	r = f.do(t, "POST", "/api/v1/auth/login/second-factor", "", map[string]string{"challenge": challenge, "code": next})
	wantStatus(t, r, 200)
	var res struct{ Data kit.LoginResult }
	r.JSON(t, &res)
	wantStatus(t, f.do(t, "GET", "/api/v1/me", res.Data.Token, nil), 200)
	r = f.do(t, "POST", "/api/v1/auth/login/second-factor", "", map[string]string{"challenge": login(), "code": next})
	if wantStatus(t, r, 422); r.ErrorCode() != app.EINVALID || !strings.Contains(string(r.Body), `"field":"code"`) {
		t.Errorf("a reused code: %s", r.Body)
	}

	// A recovery code instead; then wrong codes until the throttle (5 per e-mail and
	// address in the test configuration, the reused code counted) answers 429 even to a
	// right one.
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/login/second-factor", "",
		map[string]string{"challenge": login(), "code": confirmed.Data.Codes[0]}), 200)
	wantStatus(t, f.as(t, who, "POST", "/api/v1/me/totp/recovery-codes", map[string]string{"code": notCode(t, secret)}), 422)
	r = f.as(t, who, "POST", "/api/v1/me/totp/recovery-codes", map[string]string{"code": confirmed.Data.Codes[2]})
	var fresh struct {
		Data struct {
			Codes []string `json:"recovery_codes"`
		} `json:"data"`
	}
	wantStatus(t, r, 200)
	if r.JSON(t, &fresh); len(fresh.Data.Codes) != 10 || fresh.Data.Codes[0] == confirmed.Data.Codes[0] {
		t.Errorf("new recovery codes: %s", r.Body)
	}
	challenge = login()
	for range 4 {
		wantStatus(t, f.do(t, "POST", "/api/v1/auth/login/second-factor", "", map[string]string{"challenge": challenge, "code": notCode(t, secret)}), 422)
	}
	r = f.do(t, "POST", "/api/v1/auth/login/second-factor", "", map[string]string{"challenge": challenge, "code": confirmed.Data.Codes[1]})
	if wantStatus(t, r, 429); r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	entries, err := f.db.FindAudit(context.Background(), app.AuditFilter{OrgID: f.org.ID, Action: app.AuditSignIn})
	if err != nil || len(entries) != 2 || !strings.Contains(entries[0].Summary, "recovery code") {
		t.Errorf("sign-in audit: %+v, %v", entries, err)
	}
}

// TestAdminsMustEnrol: with the rule on, an admin without a factor reaches only the
// Security page, its factor routes, /api/v1/me and sign-out; other roles are untouched.
func TestAdminsMustEnrol(t *testing.T) {
	f := newFixture(t)
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", "/api/v1/org/security", map[string]any{}), 422)
	wantStatus(t, f.as(t, "leader@demo.test", "PUT", "/api/v1/org/security", map[string]bool{"require_admin_totp": true}), 403)
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", "/api/v1/org/security", map[string]bool{"require_admin_totp": true}), 200)

	r := f.as(t, "admin@demo.test", "GET", "/api/v1/users", nil)
	if wantStatus(t, r, 403); !strings.Contains(string(r.Body), "second factor") {
		t.Errorf("admin without a factor: %s", r.Body)
	}
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/api/v1/me", nil), 200)
	cookie := kit.CookieName + "=" + f.token(t, "admin@demo.test")
	r = f.do(t, "GET", "/teams", "", nil, "Cookie", cookie)
	if r.Status != 303 || r.Header.Get("Location") != "/me/security" {
		t.Errorf("the admin's /teams: %d to %q, want 303 to /me/security", r.Status, r.Header.Get("Location"))
	}
	r = f.do(t, "GET", "/me/security", "", nil, "Cookie", cookie)
	if wantStatus(t, r, 200); !strings.Contains(string(r.Body), "requires admins to use a second factor") {
		t.Errorf("security page: %.500s", r.Body)
	}
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/api/v1/teams", nil), 200)

	// Turned on, the admin is free again.
	r = f.as(t, "admin@demo.test", "POST", "/api/v1/me/totp", nil)
	var setup struct{ Data struct{ Secret string } }
	r.JSON(t, &setup)
	wantStatus(t, f.as(t, "admin@demo.test", "POST", "/api/v1/me/totp/confirm", map[string]string{"code": totpCode(t, setup.Data.Secret, time.Now())}), 200)
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/api/v1/users", nil), 200)
}

// TestSSOSettingsBadInput: each refused setting names its field; nothing is saved.
func TestSSOSettingsBadInput(t *testing.T) {
	f := newFixture(t)
	base := map[string]any{"issuer": "https://127.0.0.1:1", "client_id": "teamshape", "client_secret": "s3cret", "enabled": true, "password_sign_in": true}
	for _, tc := range []struct {
		change map[string]any
		field  string
	}{
		{map[string]any{"issuer": "http://login.example.com"}, "issuer"},
		{map[string]any{"issuer": "ftp://127.0.0.1"}, "issuer"},
		{map[string]any{"issuer": "https://login.example.com?x=1"}, "issuer"},
		{map[string]any{"client_id": " "}, "client_id"},
		{map[string]any{"client_secret": ""}, "client_secret"},
		{map[string]any{"default_role": "admin"}, "default_role"},
		{map[string]any{"enabled": false, "password_sign_in": false}, "password_sign_in"},
		{map[string]any{}, "issuer"}, // nothing answers discovery there
	} {
		in := map[string]any{}
		for k, v := range base {
			in[k] = v
		}
		for k, v := range tc.change {
			in[k] = v
		}
		r := f.as(t, "admin@demo.test", "PUT", "/api/v1/org/sso", in)
		if r.Status != 422 || !strings.Contains(string(r.Body), `"field":"`+tc.field+`"`) {
			t.Errorf("%v: %d %s, want 422 naming %s", tc.change, r.Status, r.Body, tc.field)
		}
	}
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", "/api/v1/org/sso", `{"issuer": "https://x", "surprise": 1}`), 400)
	r := f.as(t, "admin@demo.test", "GET", "/api/v1/org/sso", nil)
	if wantStatus(t, r, 200); !strings.Contains(string(r.Body), `"has_secret":false`) || !strings.Contains(string(r.Body), `"issuer":""`) {
		t.Errorf("after refusals: %s", r.Body)
	}
}

// TestSecondFactorInBrowser: a PM turns the factor on from the Security page (QR code
// drawn locally, recovery codes shown once), then signs in with the password and a code,
// and with a recovery code, all through the pages.
func TestSecondFactorInBrowser(t *testing.T) {
	b := newTab(t, 2*time.Minute)
	f := newFixture(t)
	base := f.listen(t)
	const who = "pm@demo.test"
	if err := b.Login(base, who, testPassword); err != nil {
		t.Fatal(err)
	}
	if err := b.Open(base + "/me/security"); err != nil {
		t.Fatal(err)
	}
	if err := b.SetAndSubmit(nil, `form[action="/me/security/totp"] button`); err != nil {
		t.Fatal(err)
	}
	secret, err := b.Text("#totp-secret")
	if err != nil {
		t.Fatal(err)
	}
	qr, err := browser.Eval[int](b, `document.getElementById('totp-qr').naturalWidth`)
	if err != nil || qr != 240 {
		t.Errorf("QR code drawn %d px wide, %v", qr, err)
	}
	if err := b.SetAndSubmit(map[string]string{`input[name=code]`: totpCode(t, secret, time.Now())}, `form[action="/me/security/totp/confirm"] button`); err != nil {
		t.Fatal(err)
	}
	codes, err := browser.Eval[[]string](b, `[...document.querySelectorAll('#recovery code')].map(e => e.textContent)`)
	if err != nil || len(codes) != 10 {
		t.Fatalf("recovery codes on the page: %q, %v", codes, err)
	}

	signIn := func(code string) (loc, text string) {
		t.Helper()
		clearCookies(t, b)
		err := chromedp.Do(b.Ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
			chromedp.SendKeys(`input[name=email]`, who), chromedp.SendKeys(`input[name=password]`, testPassword),
			chromedp.Submit(`input[name=password]`), chromedp.WaitVisible(`input[name=code]`),
			chromedp.SendKeys(`input[name=code]`, code), chromedp.Submit(`input[name=code]`),
			chromedp.Sleep(300*time.Millisecond), chromedp.WaitReady("body"))
		if err != nil {
			t.Fatal(err)
		}
		loc, _ = b.Location()
		text, _ = b.Text("main")
		return loc, text
	}
	if loc, text := signIn(notCode(t, secret)); !strings.Contains(text, "That code is not right") {
		t.Errorf("a wrong code: at %s: %.300s", loc, text)
	}
	if loc, _ := signIn(totpCode(t, secret, time.Now().Add(30*time.Second))); !strings.HasSuffix(loc, "/me/profile") {
		t.Errorf("password and code: at %s, want the PM's profile", loc)
	}
	if loc, _ := signIn(codes[9]); !strings.HasSuffix(loc, "/me/profile") {
		t.Errorf("password and recovery code: at %s", loc)
	}
	if loc, text := signIn(codes[9]); strings.HasSuffix(loc, "/me/profile") || !strings.Contains(text, "That code is not right") {
		t.Errorf("a recovery code used twice: at %s: %.300s", loc, text)
	}
	if console, dialogs, _ := b.Seen(); len(console) > 0 || len(dialogs) > 0 {
		t.Errorf("console %q, dialogs %q", console, dialogs)
	}
}
