package mail_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/mail/mailtest"
)

const (
	from    = "Teamshape <teamshape@teamshape.test>"
	hostile = `Bob <script>alert("x")</script> & O'Hara`
)

// sender returns an SMTP sender for the URL, trusting the server's test CA.
func sender(t *testing.T, srv *mailtest.Server, rawURL string) *mail.SMTPSender {
	t.Helper()
	cfg, err := mail.ParseSMTPURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RootCAs = srv.RootCAs()
	s, err := mail.NewSMTPSender(cfg, from, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSendThroughMailpit renders an invitation with a hostile name, sends it over SMTP to
// Mailpit, reads it back through Mailpit's API and follows its links to a server that
// checks the token.
func TestSendThroughMailpit(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	const token = "tok/en+1&x=é"
	var followed int
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/invitations/accept" || r.URL.Query().Get("token") != token {
			http.Error(w, "bad link "+r.URL.String(), http.StatusNotFound)
			return
		}
		followed++
		io.WriteString(w, "welcome") //nolint:errcheck
	}))
	defer app.Close()
	tm, err := mail.ParseTemplates(os.DirFS("testdata"), ".", app.URL)
	if err != nil {
		t.Fatal(err)
	}
	m, err := tm.Render("invite", mail.Address("Ana Müller", "ana@example.com"),
		map[string]string{"Name": "Ana", "Inviter": hostile, "Org": "Acme & Co", "Token": token})
	if err != nil {
		t.Fatal(err)
	}
	m.MessageID = "invite-1"
	if err := sender(t, srv, srv.URL("smtp", "", "")).Send(context.Background(), &m); err != nil {
		t.Fatalf("send: %v\n%s", err, srv.Log())
	}

	list := srv.WaitForMessages(t, 1, 5*time.Second)
	if len(list) != 1 {
		t.Fatalf("%d messages, want 1", len(list))
	}
	got := srv.Message(t, list[0].ID)
	if got.Subject != hostile+" invited you to Acme & Co on Teamshape" {
		t.Errorf("subject %q", got.Subject)
	}
	if got.MessageID != "invite-1@teamshape.test" {
		t.Errorf("Message-ID %q: want the outbox's, completed with the From domain", got.MessageID)
	}
	if got.From == nil || got.From.Address != "teamshape@teamshape.test" || got.From.Name != "Teamshape" {
		t.Errorf("from %+v", got.From)
	}
	if len(got.To) != 1 || got.To[0].Address != "ana@example.com" || got.To[0].Name != "Ana Müller" {
		t.Errorf("to %+v", got.To)
	}
	if !strings.Contains(got.Text, hostile+" invited you to join Acme & Co") {
		t.Errorf("text: the name is not as typed:\n%s", got.Text)
	}
	if !strings.Contains(got.HTML, "Bob &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; O&#39;Hara invited you") ||
		strings.Contains(got.HTML, "<script>") {
		t.Errorf("HTML: the name is not escaped:\n%s", got.HTML)
	}
	if raw := srv.Raw(t, list[0].ID); !strings.Contains(raw, "Auto-Submitted: auto-generated") ||
		!strings.Contains(raw, "multipart/alternative") {
		t.Errorf("raw message lacks Auto-Submitted or multipart/alternative:\n%s", raw)
	}

	textLink := regexp.MustCompile(`https?://\S+`).FindString(got.Text)
	m2 := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(got.HTML)
	if textLink == "" || m2 == nil {
		t.Fatalf("no link in text (%q) or HTML (%v)", textLink, m2)
	}
	for _, link := range []string{textLink, html.UnescapeString(m2[1])} {
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "welcome" {
			t.Errorf("following %s: %s %s", link, resp.Status, body)
		}
	}
	if followed != 2 {
		t.Errorf("followed %d links, want 2", followed)
	}
}

// TestSMTPSchemes sends through each scheme to a Mailpit set up as that scheme expects,
// and checks that the strict ones refuse what they must: no STARTTLS, an unknown
// certificate, a password over a clear connection.
func TestSMTPSchemes(t *testing.T) {
	msg := func(id string) *mail.Message {
		return &mail.Message{To: "pm@example.com", Subject: "Scheme " + id, Text: "Hello", MessageID: id}
	}
	t.Run("starttls required, with a password", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{RequireSTARTTLS: true, Auth: true})
		if err := sender(t, srv, srv.URL("smtp+starttls", "alice", "p@ss:w/rd")).Send(context.Background(), msg("a")); err != nil {
			t.Fatalf("%v\n%s", err, srv.Log())
		}
		if l := srv.WaitForMessages(t, 1, 5*time.Second); l[0].Username != "alice" {
			t.Errorf("sent as %q, want alice", l[0].Username)
		}
	})
	t.Run("smtp upgrades when STARTTLS is offered", func(t *testing.T) {
		// The server refuses mail before STARTTLS: delivery proves the upgrade.
		srv := mailtest.Start(t, mailtest.Options{RequireSTARTTLS: true})
		if err := sender(t, srv, srv.URL("smtp", "", "")).Send(context.Background(), msg("b")); err != nil {
			t.Fatalf("%v\n%s", err, srv.Log())
		}
		srv.WaitForMessages(t, 1, 5*time.Second)
	})
	t.Run("smtps, with a password", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{ImplicitTLS: true, Auth: true})
		if err := sender(t, srv, srv.URL("smtps", "bob", "secret")).Send(context.Background(), msg("c")); err != nil {
			t.Fatalf("%v\n%s", err, srv.Log())
		}
		if l := srv.WaitForMessages(t, 1, 5*time.Second); l[0].Username != "bob" {
			t.Errorf("sent as %q, want bob", l[0].Username)
		}
	})
	t.Run("starttls required but not offered", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		err := sender(t, srv, srv.URL("smtp+starttls", "", "")).Send(context.Background(), msg("d"))
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("got %v, want a STARTTLS error", err)
		}
		if n := len(srv.Messages(t)); n != 0 {
			t.Errorf("%d messages delivered", n)
		}
	})
	t.Run("unknown certificate", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		cfg, _ := mail.ParseSMTPURL(srv.URL("smtp+starttls", "", ""))
		s, _ := mail.NewSMTPSender(cfg, from, 5*time.Second) // the system's roots only
		if err := s.Send(context.Background(), msg("e")); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("got %v, want a certificate error", err)
		}
		if n := len(srv.Messages(t)); n != 0 {
			t.Errorf("%d messages delivered", n)
		}
	})
	t.Run("no password in clear", func(t *testing.T) {
		// The server offers PLAIN and LOGIN without TLS; smtp:// with a user must not use them.
		srv := mailtest.Start(t, mailtest.Options{Auth: true, AuthInsecure: true})
		err := sender(t, srv, srv.URL("smtp", "carol", "secret")).Send(context.Background(), msg("f"))
		if err == nil {
			t.Fatal("sent a password over a clear connection")
		}
		t.Logf("refused as it should: %v", err)
		if n := len(srv.Messages(t)); n != 0 {
			t.Errorf("%d messages delivered", n)
		}
	})
	t.Run("server down", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		s := sender(t, srv, srv.URL("smtp", "", ""))
		srv.Stop()
		if err := s.Send(context.Background(), msg("g")); err == nil || !strings.Contains(err.Error(), "connect") {
			t.Fatalf("got %v, want a connection error", err)
		}
	})
}
