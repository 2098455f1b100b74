// Package e2e drives the whole server in headless Chromium: sign-in as each role, pages
// drawn, no console errors, no dialogs, and no request leaving 127.0.0.1. Screenshots go
// to artifacts/e2e/ (kept by CI as test artifacts).
package e2e

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/browser"
	"github.com/teamshape/teamshape/internal/cli"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

const password = "e2e-demo-password"

// Injection strings used as people's names: they must render as text, never run.
var injections = []string{`</script><script>alert(1)</script>`, `__f__alert(2)__f__`, `"><img src=x onerror=alert(3)>`}

type server struct {
	base string
	db   *postgres.DB
	org  *app.Organisation
}

func startServer(t *testing.T) *server {
	t.Helper()
	ctx := context.Background()
	cfg := &config.Config{
		DatabaseURL: pgtest.NewDatabase(t), Addr: "127.0.0.1:0", JWTSecret: []byte("e2e-secret-e2e-secret-e2e-secret-e2e"),
		TokenTTL: time.Hour, RequestTimeout: 10 * time.Second, BodyLimit: 4 << 20, DBMaxOpen: 10,
		LoginMaxPerEmail: 50, LoginMaxPerIP: 500, LoginWindow: time.Minute, ShutdownGrace: 5 * time.Second,
	}
	m := cli.NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	org, err := demo.Seed(ctx, m.DB, password)
	if err != nil {
		t.Fatal(err)
	}
	// People whose names are injection strings, in the Growth team.
	teams, err := m.DB.FindTeams(ctx, &app.Actor{OrgID: org.ID, Role: app.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range injections {
		u := &app.User{OrgID: org.ID, Email: "inj" + string(rune('a'+i)) + "@demo.test", Name: name, Role: app.RolePM}
		if err := m.DB.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		for _, tm := range teams {
			if tm.Name == "Growth" {
				if err := m.DB.SetTeamMember(ctx, org.ID, tm.ID, u.ID, app.TeamMember); err != nil {
					t.Fatal(err)
				}
			}
		}
		lvl := 3 + i%3
		if err := m.DB.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: u.ID, RaterID: u.ID, Kind: app.RatingSelf,
			Ratings: []app.RatingInput{{Competency: "analytics", Level: &lvl, Note: name}}}); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go m.Serve(ln) //nolint:errcheck
	t.Cleanup(func() { m.Close() })
	return &server{base: "http://" + ln.Addr().String(), db: m.DB, org: org}
}

func artifacts(t *testing.T) string {
	dir := filepath.Join("..", "..", "artifacts", "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// visit opens each path as the user, screenshots it, and checks what the browser saw.
func visit(t *testing.T, s *server, email string, paths ...string) *browser.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	b, err := browser.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	if err := b.Login(s.base, email, password); err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
	for _, p := range paths {
		if err := b.Open(s.base + p); err != nil {
			t.Errorf("%s as %s: %v", p, email, err)
		}
		name := strings.Split(email, "@")[0] + strings.NewReplacer("/", "_", "?", "_", "=", "-").Replace(p) + ".png"
		if err := b.Screenshot(filepath.Join(artifacts(t), name)); err != nil {
			t.Errorf("screenshot %s: %v", p, err)
		}
	}
	console, dialogs, requests := b.Seen()
	for _, c := range console {
		t.Errorf("%s: console error: %s", email, c)
	}
	for _, d := range dialogs {
		t.Errorf("%s: a dialog opened (injected script ran?): %q", email, d)
	}
	for _, r := range requests {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Hostname() != "127.0.0.1") {
			t.Errorf("%s: request left 127.0.0.1: %s", email, r)
		}
	}
	return b
}

func TestSignInAsEachRole(t *testing.T) {
	s := startServer(t)
	teams, err := s.db.FindTeams(context.Background(), &app.Actor{OrgID: s.org.ID, Role: app.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	var growth string
	for _, tm := range teams {
		if tm.Name == "Growth" {
			growth = "/teams/" + itoa(tm.ID)
		}
	}
	for _, tc := range []struct{ email, lands string }{
		{"admin@demo.test", "/org"},
		{"leader@demo.test", growth}, // the one team they lead
		{"pm@demo.test", "/me/profile"},
		{"hr@demo.test", "/hr"},
	} {
		t.Run(tc.email, func(t *testing.T) {
			b := visit(t, s, tc.email)
			loc, err := b.Location()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(loc, tc.lands) {
				t.Errorf("landed on %s, want %s", loc, tc.lands)
			}
		})
	}
}

func TestLeaderPagesRenderInjectionNamesAsText(t *testing.T) {
	s := startServer(t)
	teams, err := s.db.FindTeams(context.Background(), &app.Actor{OrgID: s.org.ID, Role: app.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	var growth string
	for _, tm := range teams {
		if tm.Name == "Growth" {
			growth = "/teams/" + itoa(tm.ID)
		}
	}
	b := visit(t, s, "leader@demo.test", "/teams", growth)
	canvases, err := browser.Eval[int](b, `document.querySelectorAll('[data-chart][data-chart-ready="1"] canvas').length`)
	if err != nil {
		t.Fatal(err)
	}
	if canvases < 4 { // heatmap, T-shape, radar, trend
		t.Errorf("%d charts drawn on the team page, want at least 4", canvases)
	}
	text, err := b.Text("body")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range injections {
		if !strings.Contains(text, name) {
			t.Errorf("the name %q is not shown as text on %s", name, growth)
		}
	}
}
