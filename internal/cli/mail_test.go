package cli

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/mail/mailtest"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// lockedBuffer is a log destination the test reads while the server writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// openMain opens a Main on a fresh database with the environment the test set.
func openMain(t *testing.T, log *lockedBuffer) *Main {
	t.Helper()
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	t.Setenv("TEAMSHAPE_JWT_SECRET", "an-end-to-end-test-secret-of-32-bytes")
	cfg, err := config.FromEnv()
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(log, nil)))
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m
}

func waitSent(t *testing.T, m *Main, key string) *app.OutboxMail {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		o, err := m.DB.FindOutboxMailByKey(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status == app.MailSent {
			return o
		}
		if time.Now().After(deadline) {
			t.Fatalf("not sent after 20 s: %+v", o)
		}
		time.Sleep(20 * time.Millisecond) // polling the database
	}
}

// TestServeSendsTheOutbox: `teamshape serve` with TEAMSHAPE_SMTP_URL runs the outbox
// worker, and Close stops it with the rest.
func TestServeSendsTheOutbox(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	t.Setenv("TEAMSHAPE_SMTP_URL", srv.URL("smtp", "", ""))
	t.Setenv("TEAMSHAPE_MAIL_FROM", "Teamshape <teamshape@teamshape.test>")
	t.Setenv("TEAMSHAPE_BASE_URL", "http://127.0.0.1:8080")
	t.Setenv("TEAMSHAPE_DEV", "")
	var log lockedBuffer
	m := openMain(t, &log)
	if m.Mail == nil || !m.Config.MailConfigured() {
		m.Close()
		t.Fatal("no e-mail worker with TEAMSHAPE_SMTP_URL set")
	}
	if _, err := m.DB.EnqueueMail(context.Background(), "hello", app.Mail{To: "pm@example.com", Subject: "Hello", Text: "Hi."}); err != nil {
		m.Close()
		t.Fatal(err)
	}
	waitSent(t, m, "hello")
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	l := srv.Messages(t)
	if len(l) != 1 || l[0].Subject != "Hello" || l[0].From.Address != "teamshape@teamshape.test" {
		t.Fatalf("Mailpit has %+v", l)
	}
	if !strings.Contains(log.String(), "smtp://127.0.0.1:") {
		t.Errorf("the start log does not say where e-mail goes:\n%s", log.String())
	}
}

// TestDevModeLogsMail: dev mode without SMTP writes e-mails to the server log.
func TestDevModeLogsMail(t *testing.T) {
	t.Setenv("TEAMSHAPE_SMTP_URL", "")
	t.Setenv("TEAMSHAPE_DEV", "1")
	var log lockedBuffer
	m := openMain(t, &log)
	defer m.Close()
	if m.Config.MailConfigured() || m.Config.MailMode() != config.MailLog {
		t.Fatalf("mode %s", m.Config.MailMode())
	}
	if _, err := m.DB.EnqueueMail(context.Background(), "reset", app.Mail{To: "pm@example.com", Subject: "Reset your password",
		Text: "http://127.0.0.1:8080/reset?token=abc"}); err != nil {
		t.Fatal(err)
	}
	waitSent(t, m, "reset")
	if out := log.String(); !strings.Contains(out, "Reset your password") || !strings.Contains(out, "token=abc") {
		t.Fatalf("the log lacks the e-mail:\n%s", out)
	}
}

// TestMailOffWithoutSMTP: outside dev mode and without SMTP nothing is sent; the start
// log says so.
func TestMailOffWithoutSMTP(t *testing.T) {
	t.Setenv("TEAMSHAPE_SMTP_URL", "")
	t.Setenv("TEAMSHAPE_DEV", "")
	var log lockedBuffer
	m := openMain(t, &log)
	defer m.Close()
	if m.Mail != nil || m.Config.MailMode() != config.MailOff {
		t.Fatalf("mode %s, worker %v", m.Config.MailMode(), m.Mail)
	}
	if !strings.Contains(log.String(), "e-mail is off") {
		t.Errorf("the start log does not say e-mail is off:\n%s", log.String())
	}
}

func TestServeRefusesBadMailSettings(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://x@127.0.0.1/none")
	t.Setenv("TEAMSHAPE_JWT_SECRET", "an-end-to-end-test-secret-of-32-bytes")
	t.Setenv("TEAMSHAPE_SMTP_URL", "smtp://user:hunter2@mail.example.com:587")
	t.Setenv("TEAMSHAPE_MAIL_FROM", "")
	t.Setenv("TEAMSHAPE_BASE_URL", "")
	var out, errb bytes.Buffer
	if code := Run([]string{"serve"}, nil, &out, &errb); code != 2 ||
		!strings.Contains(errb.String(), "TEAMSHAPE_MAIL_FROM") || !strings.Contains(errb.String(), "TEAMSHAPE_BASE_URL") {
		t.Fatalf("code %d, stderr %q", code, errb.String())
	}
	t.Setenv("TEAMSHAPE_SMTP_URL", "smtp://user:hunter2@mail.example.com:0")
	errb.Reset()
	if code := Run([]string{"serve"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "TEAMSHAPE_SMTP_URL") ||
		strings.Contains(errb.String(), "hunter2") {
		t.Fatalf("code %d, stderr %q", code, errb.String())
	}
}
