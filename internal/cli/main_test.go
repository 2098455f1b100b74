package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestMainEndToEnd runs the commands a person runs (seed-demo, user add) and the whole
// server on :0, then signs in over real HTTP.
func TestMainEndToEnd(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "demo-password-123")
	var out, errb bytes.Buffer
	if code := Run([]string{"migrate"}, nil, &out, &errb); code != 0 {
		t.Fatalf("migrate: %d %s", code, errb.String())
	}
	for i := 0; i < 2; i++ { // idempotent
		out.Reset()
		if code := Run([]string{"seed-demo"}, nil, &out, &errb); code != 0 {
			t.Fatalf("seed-demo: %d %s", code, errb.String())
		}
	}
	if !strings.Contains(out.String(), "demo-password-123") || !strings.Contains(out.String(), "leader@demo.test") {
		t.Fatalf("seed-demo output: %s", out.String())
	}
	if code := Run([]string{"user", "add", "--org", "demo", "--email", "new@demo.test", "--name", "New", "--role", "pm"},
		strings.NewReader("short\n"), &out, &errb); code == 0 {
		t.Fatal("user add accepted a short password")
	}
	if code := Run([]string{"user", "add", "--org", "demo", "--email", "new@demo.test", "--name", "New", "--role", "pm"},
		strings.NewReader("a-long-enough-password\n"), &out, &errb); code != 0 {
		t.Fatalf("user add: %s", errb.String())
	}

	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg.JWTSecret = []byte("an-end-to-end-test-secret-of-32-bytes")
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ln) }()
	base := "http://" + ln.Addr().String()

	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + p)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, err, resp)
		}
		resp.Body.Close()
	}
	for _, who := range []string{"new@demo.test:a-long-enough-password", "hr@demo.test:demo-password-123"} {
		email, pw, _ := strings.Cut(who, ":")
		body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
		resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Data struct {
				Token string `json:"token"`
			} `json:"data"`
		}
		json.NewDecoder(resp.Body).Decode(&res) //nolint:errcheck
		resp.Body.Close()
		if resp.StatusCode != 200 || res.Data.Token == "" {
			t.Fatalf("login %s: %d", email, resp.StatusCode)
		}
		req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+res.Data.Token)
		resp, err = http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("me: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop")
	}
}

func TestConfigRefusesShortSecretOutsideDev(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://x@127.0.0.1/none")
	t.Setenv("TEAMSHAPE_JWT_SECRET", "too-short")
	t.Setenv("TEAMSHAPE_DEV", "")
	var out, errb bytes.Buffer
	if code := Run([]string{"serve"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "TEAMSHAPE_JWT_SECRET") {
		t.Fatalf("code %d, stderr %q", code, errb.String())
	}
	t.Setenv("TEAMSHAPE_DEV", "maybe")
	errb.Reset()
	if code := Run([]string{"serve"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "TEAMSHAPE_DEV") {
		t.Fatalf("code %d, stderr %q", code, errb.String())
	}
}

// startServer serves the database at url on 127.0.0.1:0, as `teamshape serve` does, until
// the test ends, and returns its address.
func startServer(t *testing.T, url string) string {
	t.Helper()
	t.Setenv("DATABASE_URL", url)
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg.JWTSecret = []byte("an-end-to-end-test-secret-of-32-bytes")
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ln) }()
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
	})
	return ln.Addr().String()
}

// signsIn reports whether POST /api/v1/auth/login accepts the e-mail and password.
func signsIn(t *testing.T, addr, email, pw string) bool {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	resp, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case 200:
		return true
	case 401:
		return false
	}
	t.Fatalf("login %s: %d", email, resp.StatusCode)
	return false
}

// allSignIn fails the test unless the demo accounts sign in with pw: the first and the
// last (they all get one password hash; each sign-in costs an argon2id verification).
func allSignIn(t *testing.T, addr, pw string) {
	t.Helper()
	for _, p := range []demo.Person{demo.People[0], demo.People[len(demo.People)-1]} {
		if !signsIn(t, addr, p.Email, pw) {
			t.Fatalf("%s does not sign in with %q", p.Email, pw)
		}
	}
}

var printedPassword = regexp.MustCompile(`\(password: ([^)]+)\)`)

// runSeedDemo runs `teamshape seed-demo args…` and returns its output and the password it
// printed ("" if none).
func runSeedDemo(t *testing.T, args ...string) (out, pw string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := Run(append([]string{"seed-demo"}, args...), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("seed-demo %v: exit %d: %s", args, code, stderr.String())
	}
	if m := printedPassword.FindStringSubmatch(stdout.String()); m != nil {
		pw = m[1]
	}
	return stdout.String(), pw
}

// TestSeedDemoKeepsPasswords: a second seed-demo without a given password must not lock
// anyone out — `make run` twice, or `docker compose up` twice.
func TestSeedDemoKeepsPasswords(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "")
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD_FILE", "")

	out, first := runSeedDemo(t)
	if first == "" || !strings.Contains(out, "kept nowhere") {
		t.Fatalf("first seed-demo printed no password or no warning that it is not kept:\n%s", out)
	}
	// A demo account missing (as one added by a later version would be) is created with
	// the password the others have.
	if _, err := openDB(t, url).Exec(`DELETE FROM users WHERE email = 'pm6@demo.test'`); err != nil {
		t.Fatal(err)
	}
	out, second := runSeedDemo(t)
	if second != "" || !strings.Contains(out, "passwords unchanged") || !strings.Contains(out, "TEAMSHAPE_DEMO_PASSWORD") {
		t.Fatalf("second seed-demo without a kept password:\n%s", out)
	}
	addr := startServer(t, url)
	allSignIn(t, addr, first)

	// A given password resets every account to it.
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "a-chosen-demo-password")
	if out, pw := runSeedDemo(t); pw != "a-chosen-demo-password" || !strings.Contains(out, "set from TEAMSHAPE_DEMO_PASSWORD") {
		t.Fatalf("seed-demo with TEAMSHAPE_DEMO_PASSWORD:\n%s", out)
	}
	allSignIn(t, addr, "a-chosen-demo-password")
	if signsIn(t, addr, "admin@demo.test", first) {
		t.Fatal("the old password still signs in after a reset")
	}

	// A bad given password stops the start, naming the variable.
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "too-short")
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"seed-demo"}, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "TEAMSHAPE_DEMO_PASSWORD:") {
		t.Fatalf("short TEAMSHAPE_DEMO_PASSWORD: exit %d, %s", code, stderr.String())
	}
}

// TestSeedDemoPasswordFile: the password file is created by the first run and read by the
// next, which prints the same password and changes nothing.
func TestSeedDemoPasswordFile(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "")
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD_FILE", "")
	file := filepath.Join(t.TempDir(), "state", "demo-password") // its directory is created too
	kept := func() string {
		t.Helper()
		st, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %v, want 0600", file, st.Mode().Perm())
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(string(b), "\n")
	}

	out, first := runSeedDemo(t, "--password-file", file)
	if first == "" || kept() != first || !strings.Contains(out, "kept in "+file) {
		t.Fatalf("first run: printed %q, file holds %q:\n%s", first, kept(), out)
	}
	addr := startServer(t, url)
	allSignIn(t, addr, first)

	// The variable names the file as well as the flag; the second run reads it.
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD_FILE", file)
	out, second := runSeedDemo(t)
	if second != first || !strings.Contains(out, "passwords unchanged") || strings.Contains(out, "warning") {
		t.Fatalf("second run printed %q, want %q:\n%s", second, first, out)
	}
	allSignIn(t, addr, first)

	// A given password resets the accounts and is kept for the runs after.
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "a-chosen-demo-password")
	if _, pw := runSeedDemo(t); pw != "a-chosen-demo-password" || kept() != pw {
		t.Fatalf("with TEAMSHAPE_DEMO_PASSWORD: printed %q, file holds %q", pw, kept())
	}
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "")
	if _, pw := runSeedDemo(t); pw != "a-chosen-demo-password" {
		t.Fatalf("after a given password the next run printed %q", pw)
	}
	allSignIn(t, addr, "a-chosen-demo-password")

	// A password changed behind the file's back is reported, not silently misprinted.
	if _, err := openDB(t, url).Exec(`UPDATE users SET password_hash = 'x' WHERE email = 'admin@demo.test'`); err != nil {
		t.Fatal(err)
	}
	if out, _ := runSeedDemo(t); !strings.Contains(out, "warning: the password kept in "+file+" does not sign in to admin@demo.test") {
		t.Fatalf("no warning for a kept password that does not sign in:\n%s", out)
	}

	// Deleting the file resets every account to a new random password, kept again.
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	out, fresh := runSeedDemo(t)
	if fresh == "" || fresh == "a-chosen-demo-password" || kept() != fresh || !strings.Contains(out, "new password") {
		t.Fatalf("after deleting the file: printed %q, file holds %q:\n%s", fresh, kept(), out)
	}
	allSignIn(t, addr, fresh)

	// Another, empty database seeded with the same file gets the kept password.
	url2 := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url2)
	if _, pw := runSeedDemo(t); pw != fresh {
		t.Fatalf("a new database seeded with the kept file printed %q, want %q", pw, fresh)
	}
	allSignIn(t, startServer(t, url2), fresh)

	// A file that holds no acceptable password stops seed-demo, naming where it came from.
	if err := os.WriteFile(file, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"seed-demo"}, nil, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "TEAMSHAPE_DEMO_PASSWORD_FILE "+file) || !strings.Contains(stderr.String(), "12 characters") {
		t.Fatalf("short password in the file: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	if code := Run([]string{"seed-demo", "--password-file", file}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "--password-file "+file) {
		t.Fatalf("short password in the flag's file: exit %d, %s", code, stderr.String())
	}
}

// openDB opens the database at url for a direct statement.
func openDB(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestHealthcheck runs `teamshape healthcheck` against a real server, an address nothing
// listens on, and a server that is not ready.
func TestHealthcheck(t *testing.T) {
	addr := startServer(t, pgtest.NewDatabase(t))
	_, port, _ := net.SplitHostPort(addr)
	run := func(listen string) (int, string, string) {
		t.Helper()
		t.Setenv("TEAMSHAPE_ADDR", listen)
		var stdout, stderr bytes.Buffer
		code := Run([]string{"healthcheck"}, nil, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	for _, listen := range []string{addr, "0.0.0.0:" + port, ":" + port} {
		if code, out, errs := run(listen); code != 0 || !strings.Contains(out, "ready: GET http://"+addr+"/readyz: 200") {
			t.Fatalf("healthcheck of a ready server on %s: exit %d, %q %q", listen, code, out, errs)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	free := ln.Addr().String()
	ln.Close()
	if code, _, errs := run(free); code != 1 || !strings.Contains(errs, "not ready") || !strings.Contains(errs, free) {
		t.Fatalf("healthcheck with nothing listening: exit %d, %q", code, errs)
	}

	unready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"error":{"code":"unavailable"}}`) //nolint:errcheck
	}))
	defer unready.Close()
	if code, _, errs := run(unready.Listener.Addr().String()); code != 1 || !strings.Contains(errs, "503") {
		t.Fatalf("healthcheck of an unready server: exit %d, %q", code, errs)
	}

	if code, _, errs := run("8080"); code != 1 || !strings.Contains(errs, "TEAMSHAPE_ADDR") {
		t.Fatalf("healthcheck with a bad TEAMSHAPE_ADDR: exit %d, %q", code, errs)
	}
}

func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080/readyz",
		"0.0.0.0:8080":   "http://127.0.0.1:8080/readyz",
		"[::]:8080":      "http://127.0.0.1:8080/readyz",
		":8080":          "http://127.0.0.1:8080/readyz",
		"[::1]:9000":     "http://[::1]:9000/readyz",
		"localhost:9000": "http://localhost:9000/readyz",
	} {
		if got, err := healthURL(addr); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
	if _, err := healthURL("8080"); err == nil {
		t.Error("healthURL accepted an address without a port")
	}
}

// TestUserAddPerOrganisation: `user add` creates an account for an address another
// organisation has (accounts are per organisation; it must not tell), and refuses a
// second account for the same address in the same organisation.
func TestUserAddPerOrganisation(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "demo-password-123")
	var out, errb bytes.Buffer
	for _, args := range [][]string{{"migrate"}, {"seed-demo"}} {
		if code := Run(args, nil, &out, &errb); code != 0 {
			t.Fatalf("%s: %d %s", args[0], code, errb.String())
		}
	}
	add := func(org string) (int, string) {
		out.Reset()
		errb.Reset()
		code := Run([]string{"user", "add", "--org", org, "--email", "Leader@demo.test", "--name", "Lena Elsewhere", "--role", "admin"},
			strings.NewReader("acme-password-1234\n"), &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, msg := add("acme"); code != 0 || !strings.Contains(msg, "in acme") {
		t.Fatalf("user add in another organisation: %d %s", code, msg)
	}
	if code, msg := add("acme"); code == 0 || !strings.Contains(msg, "already exists") {
		t.Fatalf("user add twice in one organisation: %d %s", code, msg)
	}
	if code, msg := add("demo"); code == 0 || !strings.Contains(msg, "already exists") {
		t.Fatalf("user add of demo's leader in demo: %d %s", code, msg)
	}
}
