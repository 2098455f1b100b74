package http

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// The e-mails of these tests go through the real outbox worker over SMTP to a real
// Mailpit; the tests read them back through Mailpit's API and follow their links.

// signIn signs in through the API and returns the token (fatal unless 200).
func (f *fixture) signIn(t *testing.T, email, password string) string {
	t.Helper()
	res := f.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	wantStatus(t, res, http.StatusOK)
	var out struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	res.JSON(t, &out)
	return out.Data.Token
}

// errorOf is a failure's code, field and rule.
func errorOf(t *testing.T, r response) (code, field, rule string) {
	var e struct {
		Error struct{ Code, Field, Rule string } `json:"error"`
	}
	r.JSON(t, &e)
	return e.Error.Code, e.Error.Field, e.Error.Rule
}

// countAudit counts the organisation's audit entries with the entity and action.
func (f *fixture) countAudit(t *testing.T, entity, action string) int {
	t.Helper()
	var n int
	if err := f.db.GetContext(context.Background(), &n,
		`SELECT count(*) FROM audit_log WHERE org_id = $1 AND entity = $2 AND action = $3`, f.org.ID, entity, action); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInvitationsEndToEnd: an admin invites, the e-mail arrives with a one-time link, the
// person sets a password through it and is signed in, in the team, with a role; the link
// then is dead. Conflicts, a leader's limits, resend and revoke, and the audit entries.
func TestInvitationsEndToEnd(t *testing.T) {
	f := newFixture(t)
	box := startMailbox(t, f)
	growth, platform := f.ids["team:Growth"], f.ids["team:Platform"]

	// An admin invites a PM into Platform.
	res := f.as(t, "admin@demo.test", "POST", "/api/v1/invitations",
		map[string]any{"email": "kim@new.test", "name": "Kim <b>Lee</b>", "role": "pm", "team_id": platform})
	wantStatus(t, res, http.StatusCreated)
	var inv struct {
		Data struct {
			ID        int64     `json:"id"`
			ExpiresAt time.Time `json:"expires_at"`
			TeamName  string    `json:"team_name"`
		} `json:"data"`
	}
	res.JSON(t, &inv)
	if d := time.Until(inv.Data.ExpiresAt); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour || inv.Data.TeamName != "Platform" {
		t.Errorf("invitation %+v: want Platform, expiring in 7 days", inv.Data)
	}
	m := box.next(t, "kim@new.test", "invited you")
	if !strings.Contains(m.HTML, "Kim &lt;b&gt;Lee&lt;/b&gt;") || !strings.Contains(m.Text, "Kim <b>Lee</b>") {
		t.Errorf("the name is not escaped in HTML and kept in text:\n%s\n%s", m.HTML, m.Text)
	}
	_, token := link(t, m, "/invitations/accept")

	// The same address again, and an address with an account: 409 naming the field.
	for _, email := range []string{"KIM@new.test", "pm@demo.test"} {
		res = f.as(t, "admin@demo.test", "POST", "/api/v1/invitations", map[string]any{"email": email, "name": "X", "role": "pm"})
		if code, field, _ := errorOf(t, res); res.Status != http.StatusConflict || field != "email" {
			t.Errorf("inviting %s: %d %s %s, want 409 on email", email, res.Status, code, field)
		}
	}
	// A leader invites PMs into their own teams only; a PM may not invite.
	for _, tc := range []struct {
		body   map[string]any
		status int
		field  string
	}{
		{map[string]any{"email": "a@new.test", "name": "A", "role": "pm", "team_id": growth}, http.StatusCreated, ""},
		{map[string]any{"email": "b@new.test", "name": "B", "role": "pm", "team_id": platform}, http.StatusUnprocessableEntity, "team_id"},
		{map[string]any{"email": "c@new.test", "name": "C", "role": "leader", "team_id": growth}, http.StatusUnprocessableEntity, "role"},
		{map[string]any{"email": "d@new.test", "name": "D", "role": "pm"}, http.StatusUnprocessableEntity, "team_id"},
		{map[string]any{"email": "not-an-address", "name": "E", "role": "pm", "team_id": growth}, http.StatusUnprocessableEntity, "email"},
	} {
		res = f.as(t, "leader@demo.test", "POST", "/api/v1/invitations", tc.body)
		if _, field, _ := errorOf(t, res); res.Status != tc.status || field != tc.field {
			t.Errorf("leader invites %v: %d field %q, want %d %q (%s)", tc.body, res.Status, field, tc.status, tc.field, res.Body)
		}
	}
	// The leader lists their own invitations (a@ and the demo's), the admin every one.
	for email, want := range map[string]int{"leader@demo.test": 2, "admin@demo.test": 3} {
		var list struct{ Data []struct{ Email string } }
		f.as(t, email, "GET", "/api/v1/invitations", nil).JSON(t, &list)
		if len(list.Data) != want {
			t.Errorf("%s lists %d invitations, want %d: %+v", email, len(list.Data), want, list.Data)
		}
	}
	// The leader may not revoke the admin's invitation (404), the admin may revoke any.
	if res = f.as(t, "leader@demo.test", "DELETE", "/api/v1/invitations/"+itoa64(inv.Data.ID), nil); res.Status != http.StatusNotFound {
		t.Errorf("leader revokes the admin's invitation: %d, want 404", res.Status)
	}

	// The link opens a page greeting the person; a weak password is refused naming the rule.
	page := f.do(t, "GET", "/invitations/accept?token="+token, "", nil)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "Kim &lt;b&gt;Lee&lt;/b&gt;") || !strings.Contains(string(page.Body), "Platform") {
		t.Errorf("accept page: %d\n%s", page.Status, page.Body)
	}
	for pw, rule := range map[string]string{"short-one": "length", "1qaz2wsx3edc": "common"} {
		res = f.do(t, "POST", "/api/v1/auth/accept-invitation", "", map[string]string{"token": token, "password": pw})
		if _, field, r := errorOf(t, res); res.Status != http.StatusUnprocessableEntity || field != "password" || r != rule {
			t.Errorf("accept with %q: %d %s %s, want 422 password %s", pw, res.Status, field, r, rule)
		}
	}
	res = f.do(t, "POST", "/api/v1/auth/accept-invitation", "", map[string]string{"token": token, "password": "kims own passphrase"})
	wantStatus(t, res, http.StatusOK)
	var joined struct {
		Data struct {
			Token string `json:"token"`
			User  struct {
				ID   int64  `json:"id"`
				Role string `json:"role"`
			} `json:"user"`
		} `json:"data"`
	}
	res.JSON(t, &joined)
	var me struct {
		Data struct {
			Teams []struct{ Name string } `json:"teams"`
		} `json:"data"`
	}
	f.do(t, "GET", "/api/v1/me", joined.Data.Token, nil).JSON(t, &me)
	if joined.Data.User.Role != "pm" || len(me.Data.Teams) != 1 || me.Data.Teams[0].Name != "Platform" {
		t.Errorf("joined as %+v in %+v, want a PM of Platform", joined.Data.User, me.Data.Teams)
	}
	f.signIn(t, "kim@new.test", "kims own passphrase")

	// The link works once: the API says 404, the page says what to do.
	res = f.do(t, "POST", "/api/v1/auth/accept-invitation", "", map[string]string{"token": token, "password": "another passphrase"})
	wantStatus(t, res, http.StatusNotFound)
	page = f.do(t, "GET", "/invitations/accept?token="+token, "", nil)
	if page.Status != http.StatusNotFound || !strings.Contains(string(page.Body), "Ask the person who invited you") || strings.Contains(string(page.Body), `name="password"`) {
		t.Errorf("a used link's page: %d\n%s", page.Status, page.Body)
	}

	// Resend gives a new link and kills the old; revoke kills the link.
	res = f.as(t, "admin@demo.test", "POST", "/api/v1/invitations", map[string]any{"email": "sam@new.test", "name": "Sam", "role": "hr"})
	wantStatus(t, res, http.StatusCreated)
	res.JSON(t, &inv)
	_, first := link(t, box.next(t, "sam@new.test", "invited you"), "/invitations/accept")
	wantStatus(t, f.as(t, "admin@demo.test", "POST", "/api/v1/invitations/"+itoa64(inv.Data.ID)+"/resend", nil), http.StatusOK)
	_, second := link(t, box.next(t, "sam@new.test", "invited you"), "/invitations/accept")
	if first == second {
		t.Fatal("resend sent the same token")
	}
	wantStatus(t, f.do(t, "GET", "/invitations/accept?token="+first, "", nil), http.StatusNotFound)
	wantStatus(t, f.do(t, "GET", "/invitations/accept?token="+second, "", nil), http.StatusOK)
	wantStatus(t, f.as(t, "admin@demo.test", "DELETE", "/api/v1/invitations/"+itoa64(inv.Data.ID), nil), http.StatusNoContent)
	wantStatus(t, f.do(t, "GET", "/invitations/accept?token="+second, "", nil), http.StatusNotFound)
	wantStatus(t, f.as(t, "admin@demo.test", "DELETE", "/api/v1/invitations/"+itoa64(inv.Data.ID), nil), http.StatusNotFound)

	// An expired link is dead too; a forged one never lived.
	res = f.as(t, "admin@demo.test", "POST", "/api/v1/invitations", map[string]any{"email": "old@new.test", "name": "Old", "role": "pm"})
	wantStatus(t, res, http.StatusCreated)
	res.JSON(t, &inv)
	_, old := link(t, box.next(t, "old@new.test", "invited you"), "/invitations/accept")
	if _, err := f.db.ExecContext(context.Background(), `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, inv.Data.ID); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{old, "forged-" + old[7:]} {
		res = f.do(t, "POST", "/api/v1/auth/accept-invitation", "", map[string]string{"token": tok, "password": "a fine passphrase"})
		wantStatus(t, res, http.StatusNotFound)
	}

	// No token is stored in clear; each write left its audit entry.
	var clear int
	if err := f.db.GetContext(context.Background(), &clear, `SELECT count(*) FROM invitations WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'`, old[:20]); err != nil {
		t.Fatal(err)
	}
	if clear != 0 {
		t.Error("a token is stored in clear")
	}
	for action, want := range map[string]int{"invite": 5, "accept": 1, "resend": 1, "revoke": 1} {
		if n := f.countAudit(t, "invitation", action); n != want {
			t.Errorf("%d audit entries invitation/%s, want %d", n, action, want)
		}
	}
}

// TestPasswordChangeAndSessions: the change needs the current password, applies the rules,
// ends every other session (not this one), e-mails the owner; the sessions list marks the
// current one and ends another, never someone else's.
func TestPasswordChangeAndSessions(t *testing.T) {
	f := newFixture(t)
	box := startMailbox(t, f)
	laptop := f.signIn(t, "pm@demo.test", testPassword)
	phone := f.signIn(t, "pm@demo.test", testPassword)

	var list struct {
		Data []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
			Device  string `json:"device"`
		} `json:"data"`
	}
	f.do(t, "GET", "/api/v1/me/sessions", laptop, nil).JSON(t, &list)
	if len(list.Data) != 2 || list.Data[0].Current == list.Data[1].Current {
		t.Fatalf("sessions %+v: want two, one current", list.Data)
	}

	for _, tc := range []struct {
		current, next, field, rule string
	}{
		{"wrong-password-here", "a brand new passphrase", "current_password", ""},
		{testPassword, "short", "new_password", "length"},
		{testPassword, "qazwsxedcrfv", "new_password", "common"},
	} {
		res := f.do(t, "POST", "/api/v1/me/password", laptop, map[string]string{"current_password": tc.current, "new_password": tc.next})
		if _, field, rule := errorOf(t, res); res.Status != http.StatusUnprocessableEntity || field != tc.field || rule != tc.rule {
			t.Errorf("change %q → %q: %d %s %s, want 422 %s %s", tc.current, tc.next, res.Status, field, rule, tc.field, tc.rule)
		}
	}
	res := f.do(t, "POST", "/api/v1/me/password", laptop, map[string]string{"current_password": testPassword, "new_password": "a brand new passphrase"})
	wantStatus(t, res, http.StatusNoContent)
	wantStatus(t, f.do(t, "GET", "/api/v1/me", laptop, nil), http.StatusOK)
	wantStatus(t, f.do(t, "GET", "/api/v1/me", phone, nil), http.StatusUnauthorized)
	m := box.next(t, "pm@demo.test", "password changed")
	if !strings.Contains(m.Text, "Every other session") || !strings.Contains(m.Text, "Demo Co") {
		t.Errorf("the e-mail:\n%s", m.Text)
	}
	f.signIn(t, "pm@demo.test", "a brand new passphrase")
	if n := f.countAudit(t, "password", "update"); n < 1 {
		t.Error("no audit entry for the change")
	}

	// End a session by id: mine goes, another person's is 404.
	f.do(t, "GET", "/api/v1/me/sessions", laptop, nil).JSON(t, &list)
	var other string
	for _, s := range list.Data {
		if !s.Current {
			other = s.ID
		}
	}
	wantStatus(t, f.as(t, "pm2@demo.test", "DELETE", "/api/v1/me/sessions/"+other, nil), http.StatusNotFound)
	wantStatus(t, f.as(t, "pm2@demo.test", "DELETE", "/api/v1/me/sessions/not-a-uuid", nil), http.StatusNotFound)
	wantStatus(t, f.do(t, "DELETE", "/api/v1/me/sessions/"+other, laptop, nil), http.StatusNoContent)
	f.do(t, "GET", "/api/v1/me/sessions", laptop, nil).JSON(t, &list)
	if len(list.Data) != 1 || !list.Data[0].Current {
		t.Errorf("after ending the other: %+v", list.Data)
	}
	if n := f.countAudit(t, "session", "end"); n != 1 {
		t.Errorf("%d audit entries session/end, want 1", n)
	}
}

// TestPasswordResetByEmail: the request answers 202 in the same time whether or not the
// address has an account; the link arrives only for an account, works once, within 30
// minutes, ends every session; a flood of requests for one address sends no more e-mail.
func TestPasswordResetByEmail(t *testing.T) {
	f := newFixture(t)
	box := startMailbox(t, f)
	session := f.signIn(t, "pm2@demo.test", testPassword)

	var took [2]time.Duration
	for i, email := range []string{"pm2@demo.test", "nobody@demo.test"} {
		start := time.Now()
		res := f.do(t, "POST", "/api/v1/auth/password-reset", "", map[string]string{"email": email})
		took[i] = time.Since(start)
		wantStatus(t, res, http.StatusAccepted)
		if !strings.Contains(string(res.Body), kit.MsgResetSent) {
			t.Errorf("%s: %s", email, res.Body)
		}
	}
	t.Logf("reset request: %v with an account, %v without", took[0], took[1])
	for i, d := range took {
		if d < accounts.ResetFloor {
			t.Errorf("request %d took %v, less than the floor %v", i, d, accounts.ResetFloor)
		}
	}
	if diff := (took[0] - took[1]).Abs(); diff > 100*time.Millisecond {
		t.Errorf("the answers took %v and %v: they tell the addresses apart", took[0], took[1])
	}
	_, token := link(t, box.next(t, "pm2@demo.test", "Reset your Teamshape password"), "/password-reset/confirm")

	page := f.do(t, "GET", "/password-reset/confirm?token="+token, "", nil)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "pm2@demo.test") {
		t.Errorf("reset page: %d", page.Status)
	}
	res := f.do(t, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "new_password": "tooshort"})
	if _, field, rule := errorOf(t, res); res.Status != http.StatusUnprocessableEntity || field != "new_password" || rule != "length" {
		t.Errorf("a short password: %d %s %s", res.Status, field, rule)
	}
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "new_password": "omars fresh passphrase"}), http.StatusNoContent)
	wantStatus(t, f.do(t, "GET", "/api/v1/me", session, nil), http.StatusUnauthorized)
	box.next(t, "pm2@demo.test", "password changed")
	f.signIn(t, "pm2@demo.test", "omars fresh passphrase")
	// Single-use: the API and the page say so.
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "new_password": "yet another passphrase"}), http.StatusNotFound)
	page = f.do(t, "GET", "/password-reset/confirm?token="+token, "", nil)
	if page.Status != http.StatusNotFound || !strings.Contains(string(page.Body), "Ask for a new one") {
		t.Errorf("a used link's page: %d\n%s", page.Status, page.Body)
	}
	// Thirty minutes: an older link is dead.
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/password-reset", "", map[string]string{"email": "pm2@demo.test"}), http.StatusAccepted)
	_, late := link(t, box.next(t, "pm2@demo.test", "Reset your Teamshape password"), "/password-reset/confirm")
	if _, err := f.db.ExecContext(context.Background(), `UPDATE password_resets SET created_at = created_at - interval '31 minutes', expires_at = expires_at - interval '31 minutes'`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": late, "new_password": "yet another passphrase"}), http.StatusNotFound)
	// Two requests so far for pm2; a third sends, a fourth and fifth send nothing more,
	// and answer the same.
	for range 3 {
		wantStatus(t, f.do(t, "POST", "/api/v1/auth/password-reset", "", map[string]string{"email": "pm2@demo.test"}), http.StatusAccepted)
	}
	box.next(t, "pm2@demo.test", "Reset your Teamshape password")
	time.Sleep(300 * time.Millisecond) // the worker polls every 20 ms: anything more would be here
	if n := box.count(t, "pm2@demo.test"); n != accounts.ResetPerEmail+1 {
		t.Errorf("%d e-mails to pm2, want %d resets and one change notice", n, accounts.ResetPerEmail+1)
	}
	if n := box.count(t, "nobody@demo.test"); n != 0 {
		t.Errorf("%d e-mails to an address without an account", n)
	}
	if n := f.countAudit(t, "password", "reset"); n != 1 {
		t.Errorf("%d audit entries password/reset, want 1", n)
	}
}

// TestAccountFormsRefuseForgery: the Security page's forms need the session's form token
// (CSRF) like every signed-in form; the public forms reached from e-mails and the
// sign-in page (accept, reset, confirm) refuse posts from another site, as sign-in does.
func TestAccountFormsRefuseForgery(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"email": {"pm@demo.test"}, "password": {testPassword}}
	res := f.do(t, "POST", "/login", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, http.StatusSeeOther)
	cookie := strings.SplitN(res.Header.Get("Set-Cookie"), ";", 2)[0]
	claims, err := f.srv.Tokens.Parse(cookie[len(kit.CookieName)+1:])
	if err != nil {
		t.Fatal(err)
	}
	csrf := f.srv.Tokens.CSRFToken(claims.SessionID)
	page := f.do(t, "GET", "/me/security", "", nil, "Cookie", cookie)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), `name="_csrf" value="`+csrf+`"`) || !strings.Contains(string(page.Body), "this session") {
		t.Fatalf("security page: %d", page.Status)
	}
	change := url.Values{"current_password": {testPassword}, "new_password": {"a brand new passphrase"}, "new_password_confirm": {"a brand new passphrase"}}
	for _, path := range []string{"/me/security/password", "/me/security/sessions/end-others"} {
		wantStatus(t, f.do(t, "POST", path, "", change.Encode(), "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"), http.StatusForbidden)
	}
	// A confirmation that differs is refused naming it; with the token and the same twice, done.
	change.Set("_csrf", csrf)
	change.Set("new_password_confirm", "a brand new passphrasE")
	res = f.do(t, "POST", "/me/security/password", "", change.Encode(), "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "The two passwords differ") {
		t.Errorf("a differing confirmation: %d", res.Status)
	}
	change.Set("new_password_confirm", "a brand new passphrase")
	res = f.do(t, "POST", "/me/security/password", "", change.Encode(), "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/me/security?done=password" {
		t.Errorf("the change: %d to %q", res.Status, res.Header.Get("Location"))
	}
	for _, path := range []string{"/invitations/accept", "/password-reset", "/password-reset/confirm"} {
		res := f.do(t, "POST", path, "", "email=pm%40demo.test&token=x&password=y", "Content-Type", "application/x-www-form-urlencoded",
			"Origin", "https://evil.example")
		wantStatus(t, res, http.StatusForbidden)
	}
	// The sign-in page links the reset.
	if login := f.do(t, "GET", "/login", "", nil); !strings.Contains(string(login.Body), `<a href="/password-reset">Forgot your password?</a>`) {
		t.Error("no 'Forgot your password?' on the sign-in page")
	}
}
