package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

const testPassword = "correct-horse-battery"

// fixture is a server on a fresh database with the demo organisation.
type fixture struct {
	srv    *Server
	db     *postgres.DB
	cfg    *config.Config
	org    *app.Organisation
	ids    map[string]int64  // user ids by e-mail, team ids by "team:Name"
	tokens map[string]string // bearer tokens by e-mail
}

func testConfig() *config.Config {
	return &config.Config{
		Addr: "127.0.0.1:0", JWTSecret: []byte("test-secret-test-secret-test-secret!"), Dev: true,
		TokenTTL: time.Hour, RequestTimeout: 10 * time.Second, BodyLimit: 1 << 20, DBMaxOpen: 10,
		LoginMaxPerEmail: 5, LoginMaxPerIP: 50, LoginWindow: 15 * time.Minute, ShutdownGrace: 5 * time.Second,
	}
}

// newFixture builds the fixture; each option may change the configuration first (the
// base URL of e-mail links, for one).
func newFixture(t testing.TB, options ...func(*config.Config)) *fixture {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	cfg := testConfig()
	for _, o := range options {
		o(cfg)
	}
	srv, err := New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	org, err := demo.Seed(ctx, db, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, db: db, cfg: cfg, org: org, ids: map[string]int64{}, tokens: map[string]string{}}
	users, err := db.FindUsers(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		f.ids[u.Email] = u.ID
	}
	teams, err := db.FindTeams(ctx, &app.Actor{OrgID: org.ID, Role: app.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		f.ids["team:"+tm.Name] = tm.ID
	}
	return f
}

// token returns a bearer token for the demo user (one session per user and fixture).
func (f *fixture) token(t testing.TB, email string) string {
	t.Helper()
	if tok, ok := f.tokens[email]; ok {
		return tok
	}
	f.tokens[email] = f.newToken(t, email)
	return f.tokens[email]
}

// newToken starts a new session for the user with the e-mail — the demo organisation's
// if it has one, else the account a test made elsewhere — without the (deliberately slow)
// password check, and returns its bearer token.
func (f *fixture) newToken(t testing.TB, email string) string {
	t.Helper()
	var u struct {
		ID    int64  `db:"id"`
		OrgID int64  `db:"org_id"`
		Role  string `db:"role"`
	}
	if err := f.db.GetContext(context.Background(), &u,
		`SELECT id, org_id, role FROM users WHERE lower(email) = lower($1) ORDER BY org_id = $2 DESC, id LIMIT 1`, email, f.org.ID); err != nil {
		t.Fatalf("the account of %s: %v", email, err)
	}
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

// response is a finished request.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrorCode returns error.code of an error envelope.
func (r response) ErrorCode() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(r.Body, &e) //nolint:errcheck
	return e.Error.Code
}

// do sends a request; body may be nil, a string (sent as is) or a value (sent as JSON).
func (f *fixture) do(t testing.TB, method, path, token string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := f.srv.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	validateAnswer(t, req, resp.StatusCode, resp.Header, b)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// as sends a request as the demo user with the e-mail.
func (f *fixture) as(t testing.TB, email, method, path string, body any) response {
	t.Helper()
	return f.do(t, method, path, f.token(t, email), body)
}

func wantStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body: %s", r.Status, want, r.Body)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
