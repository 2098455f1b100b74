package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/config"
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
