package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
	"github.com/teamshape/teamshape/migrations"
)

// TestScaleOut runs two instances on one database, as behind a load balancer: they
// migrate an empty database at the same moment without harm, and every piece of state —
// sessions, sign-out, the failed sign-in throttle — is shared through PostgreSQL, so a
// client may land on either.
func TestScaleOut(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewEmptyDatabase(t)

	// Two pools migrate at once: the advisory lock makes one wait for the other.
	var pools [2]*postgres.DB
	for i := range pools {
		db, err := postgres.Open(ctx, url, 4)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		pools[i] = db
	}
	var wg sync.WaitGroup
	applied, errs := [2]int{}, [2]error{}
	for i, db := range pools {
		wg.Add(1)
		go func() { defer wg.Done(); applied[i], errs[i] = db.Migrate(ctx) }()
	}
	wg.Wait()
	files, _ := fs.Glob(migrations.FS, "*.sql")
	if errs[0] != nil || errs[1] != nil || applied[0]+applied[1] != len(files) {
		t.Fatalf("concurrent migrate: applied %v of %d, errors %v", applied, len(files), errs)
	}
	var dup int
	if err := pools[0].GetContext(ctx, &dup, `SELECT count(*) - count(DISTINCT version_id) FROM goose_db_version`); err != nil || dup != 0 {
		t.Fatalf("goose_db_version has %d duplicate versions (err %v)", dup, err)
	}
	for _, db := range pools {
		if pending, err := db.SchemaPending(ctx); err != nil || pending {
			t.Fatalf("schema pending after migrate: %v %v", pending, err)
		}
	}
	if _, err := demo.Seed(ctx, pools[0], "demo-password-123"); err != nil {
		t.Fatal(err)
	}

	t.Setenv("DATABASE_URL", url)
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg.JWTSecret = []byte("one-secret-shared-by-every-instance-32b")
	cfg.LoginMaxPerEmail = 4
	a, b := startInstance(t, cfg), startInstance(t, cfg)

	// A token issued by one works on the other; signing out on one ends it on both.
	tok := login(t, a, "leader@demo.test", "demo-password-123", 200)
	for _, base := range []string{a, b} {
		if st := call(t, "GET", base+"/api/v1/me", tok); st != 200 {
			t.Fatalf("GET /api/v1/me on %s with a token from %s: %d", base, a, st)
		}
	}
	if st := call(t, "POST", b+"/api/v1/auth/logout", tok); st != 200 {
		t.Fatalf("logout on the second instance: %d", st)
	}
	if st := call(t, "GET", b+"/api/v1/me", tok); st != 401 {
		t.Fatalf("GET /api/v1/me on %s right after signing out there: %d, want 401", b, st)
	}
	// The other instance hears of it through PostgreSQL (TestChangesReachEveryInstance
	// measures how soon: within 100 ms; a second here leaves room for a slow request).
	within(t, time.Second, "sign-out on the first instance", func() bool { return call(t, "GET", a+"/api/v1/me", tok) == 401 })

	// Failed sign-ins count across instances: two on each reach the limit of four, and
	// then even the right password is refused on either.
	for _, base := range []string{a, b, a, b} {
		login(t, base, "pm@demo.test", "a-wrong-password-here", 401)
	}
	for _, base := range []string{a, b} {
		login(t, base, "pm@demo.test", "demo-password-123", 429)
	}
	login(t, b, "pm2@demo.test", "demo-password-123", 200) // another account is not affected
}

// startInstance runs a Main on a free port until the test ends and returns its base URL.
func startInstance(t *testing.T, cfg *config.Config) string {
	t.Helper()
	_, base := startMain(t, cfg)
	return base
}

func login(t *testing.T, base, email, pw string, want int) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&res) //nolint:errcheck
	if resp.StatusCode != want {
		t.Fatalf("login %s on %s: %d, want %d", email, base, resp.StatusCode, want)
	}
	return res.Data.Token
}

func call(t *testing.T, method, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(""))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestBehindProxy: behind a load balancer every request comes from its address. Only a
// trusted proxy may name the client (X-Real-IP), so the per-address sign-in throttle
// counts each client, not everyone at once; from anyone else the header is ignored.
func TestBehindProxy(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(context.Background(), url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Seed(context.Background(), db, "demo-password-123"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL", url)
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg.JWTSecret = []byte("one-secret-shared-by-every-instance-32b")
	cfg.LoginMaxPerIP = 3
	for _, c := range []struct {
		name           string
		trusted        []string
		client, second string // the addresses the requests name
		want           int    // the second client's answer after the first is throttled
	}{
		{"trusted proxy", []string{"127.0.0.1"}, "203.0.113.1", "198.51.100.1", 401},
		// the header is ignored: one address for all
		{"untrusted peer", []string{"10.9.9.9"}, "203.0.113.2", "198.51.100.2", 429},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := *cfg
			cfg.TrustedProxies = c.trusted
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			base := startInstance(t, &cfg)
			try := func(client, email string) int {
				body, _ := json.Marshal(map[string]string{"email": email, "password": "a-wrong-password-here"})
				req, _ := http.NewRequest("POST", base+"/api/v1/auth/login", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Real-IP", client)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			for i, email := range []string{"pm@demo.test", "pm2@demo.test", "pm3@demo.test"} {
				if st := try(c.client, email); st != 401 {
					t.Fatalf("failure %d: %d", i+1, st)
				}
			}
			if st := try(c.client, "pm4@demo.test"); st != 429 {
				t.Fatalf("fourth failure from the same client: %d, want 429", st)
			}
			if st := try(c.second, "pm5@demo.test"); st != c.want {
				t.Fatalf("another client: %d, want %d", st, c.want)
			}
		})
	}
}
