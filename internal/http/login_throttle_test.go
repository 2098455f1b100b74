package http

import (
	"io"
	"log/slog"
	"testing"
)

// behindProxy rebuilds the server trusting app.Test's peer (0.0.0.0) as a reverse proxy,
// so that a request names its client's address in X-Real-IP.
func (f *fixture) behindProxy(t *testing.T) {
	t.Helper()
	cfg := *f.cfg
	cfg.TrustedProxies, cfg.ProxyHeader = []string{"0.0.0.0"}, "X-Real-IP"
	srv, err := New(&cfg, f.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f.srv, f.cfg = srv, &cfg
}

// loginFrom signs in from the client address ip (behind the trusted proxy).
func loginFrom(t *testing.T, f *fixture, ip string, body map[string]string) response {
	t.Helper()
	return f.do(t, "POST", "/api/v1/auth/login", "", body, "X-Real-IP", ip)
}

// TestFailedSignInsLockOnlyTheirAddress: a flood of wrong passwords for an account from
// one address locks that address out of the account, not its owner on another address
// (ASVS 5.0 V6.1.1: no malicious account lockout).
func TestFailedSignInsLockOnlyTheirAddress(t *testing.T) {
	f := newFixture(t)
	f.behindProxy(t)
	wrong := map[string]string{"email": "pm@demo.test", "password": "not-the-password"}
	right := map[string]string{"email": "pm@demo.test", "password": testPassword}
	for i := 0; i < f.cfg.LoginMaxPerEmail+5; i++ {
		if res := loginFrom(t, f, "203.0.113.7", wrong); res.Status != 401 && res.Status != 429 {
			t.Fatalf("failure %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	res := loginFrom(t, f, "203.0.113.7", right)
	wantStatus(t, res, 429)
	if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After = %q", ra)
	}
	// The owner, elsewhere, signs in.
	wantStatus(t, loginFrom(t, f, "198.51.100.20", right), 200)
	// The flooding address stays locked out of the account.
	wantStatus(t, loginFrom(t, f, "203.0.113.7", right), 429)

	// Guessing spread over many addresses meets the account-wide limit: then the account
	// waits on every address, and other accounts do not.
	f.cfg.LoginMaxPerAccount = 2*f.cfg.LoginMaxPerEmail + 2
	for _, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		for i := 0; i < f.cfg.LoginMaxPerEmail; i++ {
			if res := loginFrom(t, f, ip, wrong); res.Status != 401 && res.Status != 429 {
				t.Fatalf("failure from %s: %d %s", ip, res.Status, res.Body)
			}
		}
	}
	wantStatus(t, loginFrom(t, f, "198.51.100.20", right), 429)
	wantStatus(t, loginFrom(t, f, "198.51.100.20", map[string]string{"email": "pm2@demo.test", "password": testPassword}), 200)
}
