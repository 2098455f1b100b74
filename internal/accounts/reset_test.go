package accounts

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
	"github.com/teamshape/teamshape/web"
)

// TestResetRequestLimits: one client address gets 429 after ResetPerIP requests in the
// window, whatever the addresses asked for; one e-mail gets links for its first
// ResetPerEmail requests only, and the same answer after.
func TestResetRequestLimits(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db, "correct-horse-battery"); err != nil {
		t.Fatal(err)
	}
	mails, err := mail.ParseTemplates(web.Mail, "mail", "http://teamshape.test")
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, mails, nil, time.Now)
	s.resetFloor = 0
	for i := range ResetPerIP {
		email := "nobody@demo.test"
		if i < ResetPerEmail+2 {
			email = "pm@demo.test"
		}
		if err := s.RequestReset(ctx, ResetRequest{Email: email, IP: "192.0.2.7"}); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	err = s.RequestReset(ctx, ResetRequest{Email: "pm2@demo.test", IP: "192.0.2.7"})
	if e, ok := err.(*app.Error); !ok || e.Code != app.ETOOMANY || e.RetryAfter <= 0 {
		t.Errorf("request %d from one address: %v, want ETOOMANY with a Retry-After", ResetPerIP+1, err)
	}
	if err := s.RequestReset(ctx, ResetRequest{Email: "pm2@demo.test", IP: "192.0.2.8"}); err != nil {
		t.Errorf("another address: %v", err)
	}
	var links int
	if err := db.GetContext(ctx, &links, `SELECT count(*) FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.email = 'pm@demo.test'`); err != nil {
		t.Fatal(err)
	}
	if links != ResetPerEmail {
		t.Errorf("%d links for pm@ after %d requests, want %d", links, ResetPerEmail+2, ResetPerEmail)
	}
	if err := s.RequestReset(ctx, ResetRequest{Email: "not an address", IP: "192.0.2.9"}); app.ErrorField(err) != "email" {
		t.Errorf("a malformed address: %v, want EINVALID on email", err)
	}
}

func TestDevice(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0":                                                                  "Firefox on Linux",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15":                   "Safari on macOS",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0":             "Edge on Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1": "Safari on iPhone",
		"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36":                            "Chrome on Android",
		"curl/8.5.0": "curl",
		"":           "Unknown device",
	} {
		if got := Device(ua); got != want {
			t.Errorf("Device(%q) = %q, want %q", ua, got, want)
		}
	}
}
