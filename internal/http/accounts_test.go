package http

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/transfer"
)

// fileHash is a preview's hash of its file (which names the address).
var fileHash = regexp.MustCompile(`"hash":"[0-9a-f]{64}"`)

// otherOrg is a second organisation beside demo: an admin, a leader and the leader's team.
type otherOrg struct {
	org             *app.Organisation
	admin, leader   string // bearer tokens
	adminID, teamID int64
}

const otherPassword = "another-org-password"

// newOtherOrg creates the organisation with the slug, its people named <role>@<slug>.test.
func newOtherOrg(t *testing.T, f *fixture, slug string) *otherOrg {
	t.Helper()
	ctx := context.Background()
	org, err := f.db.CreateOrganisation(ctx, slug, strings.ToUpper(slug[:1])+slug[1:]+" Inc")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(otherPassword)
	if err != nil {
		t.Fatal(err)
	}
	o := &otherOrg{org: org}
	admin := &app.User{OrgID: org.ID, Email: "admin@" + slug + ".test", Name: "Admin", Role: app.RoleAdmin, PasswordHash: hash}
	leader := &app.User{OrgID: org.ID, Email: "leader@" + slug + ".test", Name: "Leader", Role: app.RoleLeader, PasswordHash: hash}
	for _, u := range []*app.User{admin, leader} {
		if err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	team, err := f.db.CreateTeam(ctx, org.ID, "Core", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetTeamMember(ctx, org.ID, team.ID, leader.ID, app.TeamLeader); err != nil {
		t.Fatal(err)
	}
	o.admin, o.leader, o.adminID, o.teamID = f.userToken(t, admin), f.userToken(t, leader), admin.ID, team.ID
	return o
}

// userToken starts a session for the user without the password check.
func (f *fixture) userToken(t *testing.T, u *app.User) string {
	t.Helper()
	s, err := f.db.CreateSession(context.Background(), u.ID, time.Hour, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := f.srv.Tokens.Issue(u.ID, u.OrgID, u.Role, s.ID, time.Now(), s.ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestAccountExistenceDoesNotCrossOrganisations: whether an address has an account in
// another organisation changes nothing an organisation sees: an admin creating it, an
// import naming it.
func TestAccountExistenceDoesNotCrossOrganisations(t *testing.T) {
	f := newFixture(t)
	acme := newOtherOrg(t, f, "acme")
	// Acme's admin creates accounts for an address demo has and a fresh one alike: 201.
	for _, email := range []string{"pm@demo.test", "fresh@demo.test"} {
		res := f.do(t, "POST", "/api/v1/users", acme.admin, map[string]string{"email": email, "name": "Someone", "role": "pm"})
		wantStatus(t, res, 201)
	}
	// In their own organisation, the admin may know: 409.
	res := f.do(t, "POST", "/api/v1/users", acme.admin, map[string]string{"email": "PM@demo.test", "name": "Again", "role": "pm"})
	wantStatus(t, res, 409)
	// Demo's own account is untouched and still demo's.
	if n := f.count(t, `SELECT count(*) FROM users WHERE lower(email) = 'pm@demo.test' AND org_id = $1`, f.org.ID); n != 1 {
		t.Fatalf("demo accounts of pm@demo.test: %d", n)
	}

	// An admin's import into Acme plans an address demo has exactly as one nobody has.
	team := itoa64(acme.teamID)
	preview := func(email string) string {
		t.Helper()
		file := []byte("email,name,title,delivery\n" + email + ",Some One,pm,3\n")
		res := f.do(t, "POST", "/api/v1/imports/preview?team_id="+team, acme.admin, file, "Content-Type", "text/csv")
		wantStatus(t, res, 200)
		return fileHash.ReplaceAllString(strings.ReplaceAll(string(res.Body), email, "EMAIL"), "")
	}
	known, unknown := preview("leader@demo.test"), preview("nobody-anywhere@demo.test")
	if known != unknown || strings.Contains(known, "organisation") {
		t.Fatalf("an address of another organisation is planned differently:\n%s\n%s", known, unknown)
	}
	file := []byte("email,name,title,delivery\nleader@demo.test,Lena Elsewhere,pm,3\n")
	res = f.do(t, "POST", "/api/v1/imports?team_id="+team+"&hash="+transfer.Hash(file), acme.admin, file, "Content-Type", "text/csv")
	wantStatus(t, res, 201)
	if n := f.count(t, `SELECT count(*) FROM users WHERE lower(email) = 'leader@demo.test'`); n != 2 {
		t.Fatalf("accounts of leader@demo.test after Acme's import: %d, want 2", n)
	}
	// Demo's leader is still Lena Leader, in demo, with her password.
	if n := f.count(t, `SELECT count(*) FROM users WHERE email = 'leader@demo.test' AND org_id = $1 AND name = 'Lena Leader'`, f.org.ID); n != 1 {
		t.Fatal("the import touched demo's leader")
	}
}

// TestSignInWithSeveralOrganisations: an address with accounts in several organisations
// signs in to the one its password opens; when it opens several, the answer lists those
// (and only those) to choose from; naming the organisation signs in to it. Whoever does
// not know a password learns nothing: every failure is the same 401.
func TestSignInWithSeveralOrganisations(t *testing.T) {
	f := newFixture(t)
	acme, beta := newOtherOrg(t, f, "acme"), newOtherOrg(t, f, "beta")
	ctx := context.Background()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	account := func(org *otherOrg, email, name string) *app.User {
		t.Helper()
		u := &app.User{OrgID: org.org.ID, Email: email, Name: name, Role: app.RoleLeader, PasswordHash: hash}
		if err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	// pm@demo.test also works at Acme, with the one-time password Acme's admin got.
	res := f.do(t, "POST", "/api/v1/users", acme.admin, map[string]string{"email": "pm@demo.test", "name": "Maya at Acme", "role": "pm"})
	wantStatus(t, res, 201)
	var created struct {
		Data struct {
			OTP string `json:"one_time_password"`
		} `json:"data"`
	}
	res.JSON(t, &created)
	// pm2@demo.test also works at Beta, then at Acme, both with demo's password.
	omarAtBeta := account(beta, "pm2@demo.test", "Omar at Beta")
	account(acme, "pm2@demo.test", "Omar at Acme")

	type answer struct {
		Data struct {
			Token string `json:"token"`
			User  struct {
				OrgID int64  `json:"org_id"`
				Name  string `json:"name"`
			} `json:"user"`
		} `json:"data"`
		Error struct {
			Code, Field   string
			Organisations []struct{ Slug, Name string }
		} `json:"error"`
	}
	signIn := func(body map[string]string, status int) answer {
		t.Helper()
		res := f.do(t, "POST", "/api/v1/auth/login", "", body)
		wantStatus(t, res, status)
		var a answer
		res.JSON(t, &a)
		return a
	}
	slugs := func(a answer) string {
		var s []string
		for _, o := range a.Error.Organisations {
			s = append(s, o.Slug)
		}
		return strings.Join(s, ",")
	}
	// Each of Maya's passwords opens one account: signed in there.
	a := signIn(map[string]string{"email": "pm@demo.test", "password": created.Data.OTP}, 200)
	if a.Data.User.OrgID != acme.org.ID || a.Data.Token == "" {
		t.Fatalf("Acme's password: %+v", a.Data)
	}
	me := f.do(t, "GET", "/api/v1/me", a.Data.Token, nil)
	if !strings.Contains(string(me.Body), `"name":"Maya at Acme"`) {
		t.Fatalf("me: %s", me.Body)
	}
	if a = signIn(map[string]string{"email": "pm@demo.test", "password": testPassword}, 200); a.Data.User.OrgID != f.org.ID {
		t.Fatalf("demo's password: %+v", a.Data)
	}
	// Omar's opens demo's and Beta's (his oldest two): choose, between those. His third,
	// at Acme, is reached by naming it (accounts.Checked: a sign-in verifies two).
	a = signIn(map[string]string{"email": "PM2@demo.test", "password": testPassword}, 422)
	if a.Error.Field != "organisation" || slugs(a) != "beta,demo" || a.Data.Token != "" {
		t.Fatalf("several accounts: %+v", a.Error)
	}
	for slug, want := range map[string]int64{"Beta": beta.org.ID, "demo": f.org.ID, "acme": acme.org.ID} {
		a = signIn(map[string]string{"email": "pm2@demo.test", "password": testPassword, "organisation": slug}, 200)
		if a.Data.User.OrgID != want {
			t.Fatalf("naming %s: %+v", slug, a.Data)
		}
	}
	// Failures all read alike: a wrong password, an unknown address, an organisation where
	// the password opens nothing, one that does not exist, one where the address has no account.
	wrong := f.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "pm@demo.test", "password": "not-the-password"})
	wantStatus(t, wrong, 401)
	for _, body := range []map[string]string{
		{"email": "nobody@demo.test", "password": testPassword},
		{"email": "pm2@demo.test", "password": "not-the-password"},
		{"email": "pm@demo.test", "password": created.Data.OTP, "organisation": "demo"},
		{"email": "pm@demo.test", "password": testPassword, "organisation": "nowhere"},
		{"email": "hr@demo.test", "password": testPassword, "organisation": "beta"},
	} {
		res := f.do(t, "POST", "/api/v1/auth/login", "", body)
		if res.Status != 401 || string(res.Body) != string(wrong.Body) {
			t.Errorf("%v: %d %s, want %s", body, res.Status, res.Body, wrong.Body)
		}
	}
	wantField(t, f.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "pm@demo.test", "password": testPassword, "organisation": "no such/slug"}), 422, "organisation")

	// The page: the form comes back with the choice, then signs in to the one chosen.
	form := url.Values{"email": {"pm2@demo.test"}, "password": {testPassword}, "next": {"/teams"}}
	res = f.do(t, "POST", "/login", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, 200)
	page := string(res.Body)
	if !strings.Contains(page, `<option value="beta">Beta Inc</option>`) || !strings.Contains(page, `<option value="demo">Demo Co</option>`) ||
		strings.Contains(page, "Acme") || strings.Contains(page, testPassword) || res.Header.Get("Set-Cookie") != "" {
		t.Fatalf("choice page:\n%s", page)
	}
	form.Set("organisation", "beta")
	res = f.do(t, "POST", "/login", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, 303)
	if res.Header.Get("Location") != "/teams" || !strings.Contains(res.Header.Get("Set-Cookie"), kit.CookieName+"=") {
		t.Fatalf("after choosing: %v", res.Header)
	}

	// A deactivated account is no choice, and takes no place: with Beta's deactivated,
	// Omar's password opens demo's and Acme's.
	if _, err := f.db.UpdateUser(ctx, beta.org.ID, omarAtBeta.ID, app.UserUpdate{Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	if a = signIn(map[string]string{"email": "pm2@demo.test", "password": testPassword}, 422); slugs(a) != "acme,demo" {
		t.Fatalf("with Beta's account deactivated: %+v", a.Error)
	}
}
