package http

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/mail/mailtest"
)

// mailbox is a real Mailpit that the fixture's outbox is delivered to by a real worker
// over SMTP, polling every 20 ms.
type mailbox struct {
	srv  *mailtest.Server
	seen map[string]bool // Mailpit ids already taken by next
}

// startMailbox starts Mailpit and an outbox worker on the fixture's database; both stop
// when the test ends.
func startMailbox(t *testing.T, f *fixture) *mailbox {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	cfg, err := mail.ParseSMTPURL(srv.URL("smtp", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(cfg, "Teamshape <teamshape@teamshape.test>", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	w := mail.NewWorker(f.db, sender, slog.New(slog.NewTextHandler(io.Discard, nil)),
		mail.WorkerOptions{PollInterval: 20 * time.Millisecond, SendTimeout: 5 * time.Second})
	w.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		w.Stop(ctx) //nolint:errcheck
	})
	return &mailbox{srv: srv, seen: map[string]bool{}}
}

// next waits (at most 10 s) for a message to the address that the test has not taken yet,
// with the subject containing subject, and returns it.
func (m *mailbox) next(t testing.TB, to, subject string) *mailtest.Message {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(30 * time.Millisecond) {
		list := m.srv.Messages(t)
		for i := len(list) - 1; i >= 0; i-- { // oldest first
			s := list[i]
			if m.seen[s.ID] || len(s.To) != 1 || !strings.EqualFold(s.To[0].Address, to) || !strings.Contains(s.Subject, subject) {
				continue
			}
			m.seen[s.ID] = true
			return m.srv.Message(t, s.ID)
		}
	}
	t.Fatalf("no e-mail to %s about %q within 10 s", to, subject)
	return nil
}

// count is how many messages to the address Mailpit holds.
func (m *mailbox) count(t testing.TB, to string) int {
	n := 0
	for _, s := range m.srv.Messages(t) {
		if len(s.To) == 1 && strings.EqualFold(s.To[0].Address, to) {
			n++
		}
	}
	return n
}

var linkPattern = regexp.MustCompile(`https?://\S+`)

// link returns the message's link to path (from the plain text, checked against the
// HTML's) and its token.
func link(t testing.TB, m *mailtest.Message, path string) (string, string) {
	t.Helper()
	for _, l := range linkPattern.FindAllString(m.Text, -1) {
		u, err := url.Parse(l)
		if err != nil || u.Path != path {
			continue
		}
		if !strings.Contains(m.HTML, strings.ReplaceAll(l, "&", "&amp;")) {
			t.Errorf("the HTML part lacks the link %s", l)
		}
		return l, u.Query().Get("token")
	}
	t.Fatalf("no link to %s in:\n%s", path, m.Text)
	return "", ""
}
