package http

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/assets"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/http/kit"
)

func login(t *testing.T, f *fixture, email, password string) response {
	t.Helper()
	return f.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
}

func TestLoginLogoutAndMe(t *testing.T) {
	f := newFixture(t)
	res := login(t, f, "Leader@Demo.test", testPassword)
	wantStatus(t, res, 200)
	var out struct {
		Data struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expires_at"`
			User      struct {
				Email string `json:"email"`
				Role  string `json:"role"`
			} `json:"user"`
		} `json:"data"`
	}
	res.JSON(t, &out)
	if out.Data.Token == "" || out.Data.User.Role != "leader" || out.Data.ExpiresAt.Before(time.Now()) {
		t.Fatalf("login answer: %+v", out.Data)
	}
	if strings.Contains(string(res.Body), "password_hash") || strings.Contains(string(res.Body), "argon2") {
		t.Fatal("login answer leaks the password hash")
	}
	me := f.do(t, "GET", "/api/v1/me", out.Data.Token, nil)
	wantStatus(t, me, 200)
	if !strings.Contains(string(me.Body), `"name":"Growth"`) {
		t.Fatalf("me lacks the leader's team: %s", me.Body)
	}
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/logout", out.Data.Token, nil), 200)
	wantStatus(t, f.do(t, "GET", "/api/v1/me", out.Data.Token, nil), 401)
}

func TestLoginFailuresAreGenericAndThrottled(t *testing.T) {
	f := newFixture(t)
	wrong := login(t, f, "pm@demo.test", "not-the-password")
	unknown := login(t, f, "nobody@demo.test", "not-the-password")
	wantStatus(t, wrong, 401)
	wantStatus(t, unknown, 401)
	if string(wrong.Body) != string(unknown.Body) {
		t.Fatalf("failures differ: %s vs %s", wrong.Body, unknown.Body)
	}
	for i := 1; i < f.cfg.LoginMaxPerEmail; i++ {
		wantStatus(t, login(t, f, "pm@demo.test", "not-the-password"), 401)
	}
	// The account is now locked for the window, even with the right password.
	res := login(t, f, "pm@demo.test", testPassword)
	wantStatus(t, res, 429)
	if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After = %q", ra)
	}
	// Other accounts are not affected, and successes are not throttled.
	for i := 0; i < f.cfg.LoginMaxPerEmail+1; i++ {
		wantStatus(t, login(t, f, "pm2@demo.test", testPassword), 200)
	}
	// Per address: many accounts failing from one address lock the address.
	f.cfg.LoginMaxPerIP = 8
	for i := 0; i < 8; i++ {
		login(t, f, "stranger"+string(rune('a'+i))+"@x.test", "nope-nope-nope")
	}
	wantStatus(t, login(t, f, "leader@demo.test", testPassword), 429)
}

func TestLoginBadInput(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"email":`, 400},
		{`not json`, 400},
		{`{"email":"a@b.c","password":"x","extra":1}`, 400},
		{`{"email":42,"password":"x"}`, 422},
		{`{"email":"","password":""}`, 422},
		{``, 400},
		{`{"email":"a@b.c","password":"x"} {}`, 400},
	} {
		res := f.do(t, "POST", "/api/v1/auth/login", "", tc.body)
		if res.Status != tc.status || res.ErrorCode() == "" {
			t.Errorf("%q: status %d (%s), want %d with an error envelope", tc.body, res.Status, res.Body, tc.status)
		}
	}
	// An oversized body is refused from its Content-Length, before it is read: send only
	// the headers over a raw connection (app.Test refuses such a body on the client side).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.srv.Serve(ln)                //nolint:errcheck
	defer f.srv.Shutdown(time.Second) //nolint:errcheck
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", 2<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || !strings.Contains(string(b), `"too_large"`) {
		t.Fatalf("oversized body: %d %s", resp.StatusCode, b)
	}
	// Fiber answers this one before any middleware runs: the error handler sets no-store.
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("oversized body: Cache-Control %q, want no-store", cc)
	}
}

func TestBadTokens(t *testing.T) {
	f := newFixture(t)
	good := f.token(t, "leader@demo.test")
	claims, err := f.srv.Tokens.Parse(good)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := claims.UserID()
	sign := func(secret string, mutate func(*auth.Claims), method jwt.SigningMethod) string {
		c := *claims
		mutate(&c)
		var key any = []byte(secret)
		if method == jwt.SigningMethodNone {
			key = jwt.UnsafeAllowNoneSignatureType
		}
		s, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	secret := string(f.cfg.JWTSecret)
	same := func(*auth.Claims) {}
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"role":"leader"`, `"role":"admin"`, 1))) + "." + parts[2]
	cases := map[string]string{
		"forged":         sign("another-secret-another-secret-1234", same, jwt.SigningMethodHS256),
		"alg none":       sign("", same, jwt.SigningMethodNone),
		"expired":        sign(secret, func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour)) }, jwt.SigningMethodHS256),
		"no expiry":      sign(secret, func(c *auth.Claims) { c.ExpiresAt = nil }, jwt.SigningMethodHS256),
		"wrong issuer":   sign(secret, func(c *auth.Claims) { c.Issuer = "someone-else" }, jwt.SigningMethodHS256),
		"wrong audience": sign(secret, func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other"} }, jwt.SigningMethodHS256),
		"HS512":          sign(secret, same, jwt.SigningMethodHS512),
		"tampered":       tampered,
		"garbage":        "not.a.token",
		"unknown sid":    sign(secret, func(c *auth.Claims) { c.SessionID = "00000000-0000-4000-8000-000000000000" }, jwt.SigningMethodHS256),
		"other user":     sign(secret, func(c *auth.Claims) { c.Subject = "999999" }, jwt.SigningMethodHS256),
	}
	for name, tok := range cases {
		if res := f.do(t, "GET", "/api/v1/me", tok, nil); res.Status != 401 {
			t.Errorf("%s: status %d, want 401", name, res.Status)
		}
	}
	if res := f.do(t, "GET", "/api/v1/me", "", nil, "Authorization", "Basic YTpi"); res.Status != 401 {
		t.Errorf("basic auth: status %d", res.Status)
	}
	_ = uid
	wantStatus(t, f.do(t, "GET", "/api/v1/me", good, nil), 200)
}

func TestDeactivationRevokesAtOnce(t *testing.T) {
	f := newFixture(t)
	pmTok := f.token(t, "pm2@demo.test")
	wantStatus(t, f.do(t, "GET", "/api/v1/me", pmTok, nil), 200)
	id := f.ids["pm2@demo.test"]
	res := f.as(t, "admin@demo.test", "PATCH", "/api/v1/users/"+itoa64(id), map[string]any{"active": false})
	wantStatus(t, res, 200)
	wantStatus(t, f.do(t, "GET", "/api/v1/me", pmTok, nil), 401)
	wantStatus(t, login(t, f, "pm2@demo.test", testPassword), 401)
	// A role change applies to live sessions too.
	leaderTok := f.token(t, "other-leader@demo.test")
	wantStatus(t, f.as(t, "admin@demo.test", "PATCH", "/api/v1/users/"+itoa64(f.ids["other-leader@demo.test"]), map[string]any{"role": "admin"}), 200)
	wantStatus(t, f.do(t, "GET", "/api/v1/users", leaderTok, nil), 200)
}

func TestCreateUserOneTimePassword(t *testing.T) {
	f := newFixture(t)
	res := f.as(t, "admin@demo.test", "POST", "/api/v1/users", map[string]string{"email": "new@demo.test", "name": "<b>New</b> Person", "role": "pm", "title": "apm"})
	wantStatus(t, res, 201)
	var out struct {
		Data struct {
			OTP string `json:"one_time_password"`
		} `json:"data"`
	}
	res.JSON(t, &out)
	if len(out.Data.OTP) < 12 {
		t.Fatalf("one-time password %q", out.Data.OTP)
	}
	wantStatus(t, login(t, f, "new@demo.test", out.Data.OTP), 200)
	for _, bad := range []map[string]string{
		{"email": "new@demo.test", "name": "Dup", "role": "pm"},
		{"email": "not-an-email", "name": "X", "role": "pm"},
		{"email": "x@demo.test", "name": "", "role": "pm"},
		{"email": "x@demo.test", "name": "X", "role": "boss"},
		{"email": "x@demo.test", "name": "X", "role": "pm", "title": "ceo"},
	} {
		res := f.as(t, "admin@demo.test", "POST", "/api/v1/users", bad)
		if res.Status != 409 && res.Status != 422 {
			t.Errorf("%v: status %d", bad, res.Status)
		}
	}
	users, _ := f.db.FindUsers(context.Background(), f.org.ID)
	if len(users) != 12 {
		t.Fatalf("users = %d, want 12 (11 demo + 1)", len(users))
	}
}

func TestCookieFormsNeedCSRF(t *testing.T) {
	f := newFixture(t)
	// Sign in through the form: a cookie comes back.
	form := url.Values{"email": {"leader@demo.test"}, "password": {testPassword}, "next": {"/teams"}}
	res := f.do(t, "POST", "/login", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/teams" {
		t.Fatalf("redirect to %q", res.Header.Get("Location"))
	}
	ck := res.Header.Get("Set-Cookie")
	if !strings.Contains(ck, "HttpOnly") || !strings.Contains(strings.ToLower(ck), "samesite=lax") {
		t.Fatalf("cookie flags: %s", ck)
	}
	cookie := strings.SplitN(ck, ";", 2)[0]
	page := f.do(t, "GET", "/teams", "", nil, "Cookie", cookie)
	wantStatus(t, page, 200)
	// Sign out without the form token: refused; from another site: refused; with it: done.
	wantStatus(t, f.do(t, "POST", "/logout", "", "", "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"), 403)
	tok := cookie[len(kit.CookieName)+1:]
	claims, err := f.srv.Tokens.Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	csrf := f.srv.Tokens.CSRFToken(claims.SessionID)
	wantStatus(t, f.do(t, "POST", "/logout", "", "_csrf="+csrf, "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"), 403)
	wantStatus(t, f.do(t, "POST", "/logout", "", "_csrf="+csrf, "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"), http.StatusSeeOther)
	wantStatus(t, f.do(t, "GET", "/api/v1/me", "", nil, "Cookie", cookie), 401)
	// A cross-site sign-in post is refused.
	wantStatus(t, f.do(t, "POST", "/login", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"), 403)
}

func TestSecurityHeadersAndErrors(t *testing.T) {
	f := newFixture(t)
	res := f.do(t, "GET", "/login", "", nil)
	wantStatus(t, res, 200)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Error("CSP allows inline script")
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("nosniff missing")
	}
	nf := f.do(t, "GET", "/api/v1/nothing-here", f.token(t, "pm@demo.test"), nil)
	wantStatus(t, nf, 404)
	if nf.ErrorCode() != app.ENOTFOUND {
		t.Errorf("404 envelope: %s", nf.Body)
	}
	wantStatus(t, f.do(t, "GET", "/healthz", "", nil), 200)
	wantStatus(t, f.do(t, "GET", "/readyz", "", nil), 200)
}

func TestTeamVisibility(t *testing.T) {
	f := newFixture(t)
	growth := "/api/v1/teams/" + itoa64(f.ids["team:Growth"])
	platform := "/api/v1/teams/" + itoa64(f.ids["team:Platform"])
	wantStatus(t, f.as(t, "leader@demo.test", "GET", growth, nil), 200)
	wantStatus(t, f.as(t, "leader@demo.test", "GET", platform, nil), 404)
	wantStatus(t, f.as(t, "other-pm@demo.test", "GET", growth, nil), 404)
	hr := f.as(t, "hr@demo.test", "GET", growth, nil)
	wantStatus(t, hr, 200)
	if strings.Contains(string(hr.Body), "pm@demo.test") || strings.Contains(string(hr.Body), "Maya Chen") {
		t.Fatalf("HR sees individual members: %s", hr.Body)
	}
	// Admin manages membership; a user of another organisation cannot be added.
	admin := f.token(t, "admin@demo.test")
	wantStatus(t, f.do(t, "POST", platform+"/members", admin, map[string]any{"user_id": f.ids["pm@demo.test"], "role": "member"}), 201)
	wantStatus(t, f.do(t, "POST", platform+"/members", admin, map[string]any{"user_id": f.ids["pm@demo.test"], "role": "owner"}), 422)
	wantStatus(t, f.do(t, "POST", platform+"/members", admin, map[string]any{"user_id": 999999, "role": "member"}), 422)
	wantStatus(t, f.as(t, "pm@demo.test", "GET", platform, nil), 200)
	wantStatus(t, f.do(t, "DELETE", platform+"/members/"+itoa64(f.ids["pm@demo.test"]), admin, nil), 200)
	wantStatus(t, f.as(t, "pm@demo.test", "GET", platform, nil), 404)
	res := f.do(t, "POST", "/api/v1/teams", admin, map[string]any{"name": "Growth"})
	wantStatus(t, res, 409)
}

// TestResponsesAreNotStored: every API answer (the sign-in token, data, errors) and every
// page carries Cache-Control: no-store, so no browser or proxy cache keeps a token or a
// person's data. The static files and the (public) OpenAPI description are cached on
// purpose.
func TestResponsesAreNotStored(t *testing.T) {
	f := newFixture(t)
	pm := f.token(t, "pm@demo.test")
	for _, tc := range []struct {
		name string
		res  response
	}{
		{"the sign-in token", login(t, f, "pm@demo.test", testPassword)},
		{"a failed sign-in", login(t, f, "pm@demo.test", "not-the-password")},
		{"API data", f.do(t, "GET", "/api/v1/me/profile", pm, nil)},
		{"API 401", f.do(t, "GET", "/api/v1/me", "", nil)},
		{"API 404", f.do(t, "GET", "/api/v1/nothing-here", pm, nil)},
		{"API 422", f.do(t, "PUT", "/api/v1/me/profile", pm, `{"background": "astronaut"}`)},
		{"API 400", f.do(t, "PUT", "/api/v1/me/profile", pm, `{`)},
		{"a page", f.do(t, "GET", "/me/profile", pm, nil)},
		{"the sign-in page", f.do(t, "GET", "/login", "", nil)},
		{"a page's 404", f.do(t, "GET", "/nothing-here", pm, nil)},
		{"a redirect to sign in", f.do(t, "GET", "/me/profile", "", nil)},
		{"healthz", f.do(t, "GET", "/healthz", "", nil)},
	} {
		if got := tc.res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s (%d): Cache-Control %q, want no-store", tc.name, tc.res.Status, got)
		}
	}
	// Static files stay cacheable (their hashed URLs for a year: TestStaticAssets), and so
	// does the public API description.
	for path, want := range map[string]string{"/static/css/app.css": assets.CacheShort, "/api/openapi.json": "public, max-age=300"} {
		res := f.do(t, "GET", path, "", nil)
		if res.Status != 200 || res.Header.Get("Cache-Control") != want {
			t.Errorf("%s: %d, Cache-Control %q, want it cached (%s)", path, res.Status, res.Header.Get("Cache-Control"), want)
		}
	}
}
