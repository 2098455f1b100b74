package mail

import (
	"net/mail"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// hostile is a name someone could type: HTML, an entity, quotes and a line break.
const hostile = "Bob <script>alert(\"x\")</script> & O'Hara\nBcc: victim@example.com"

func testTemplates(t *testing.T) *Templates {
	t.Helper()
	tm, err := ParseTemplates(os.DirFS("testdata"), ".", "https://teamshape.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestRenderEscapesHTMLOnly(t *testing.T) {
	tm := testTemplates(t)
	if got := strings.Join(tm.Names(), ","); got != "invite,textonly" {
		t.Fatalf("names %q (partials are not e-mails)", got)
	}
	m, err := tm.Render("invite", Address(hostile, "new@example.com"), map[string]string{
		"Name": "Ana", "Inviter": hostile, "Org": "Acme & Co", "Token": "a b&c=d/é",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") || !strings.HasPrefix(m.Subject, `Bob <script>alert("x")</script> & O'Hara Bcc: victim@example.com invited you to Acme & Co on Teamshape`) {
		t.Errorf("subject %q: want the name as typed, on one line", m.Subject)
	}
	link := "https://teamshape.example.com/invitations/accept?token=a+b%26c%3Dd%2F%C3%A9"
	for _, want := range []string{"Hello Ana,", hostile + " invited you to join Acme & Co", link, "— " + hostile + ", via Teamshape"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text lacks %q (user strings stay as typed):\n%s", want, m.Text)
		}
	}
	for _, want := range []string{
		"Bob &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; O&#39;Hara", // escaped where it stands
		"<strong>Acme &amp; Co</strong>",
		`<a href="https://teamshape.example.com/invitations/accept?token=a&#43;b%26c%3Dd%2F%C3%A9">`,
		"<!DOCTYPE html>", "<title>Bob &lt;script&gt;", // the document around the body
	} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
		}
	}
	if strings.Contains(m.HTML, "<script>") {
		t.Errorf("HTML holds a live <script>:\n%s", m.HTML)
	}
	if a, err := mail.ParseAddress(m.To); err != nil || a.Name != hostile || a.Address != "new@example.com" {
		t.Errorf("to %q reads back as %+v, %v", m.To, a, err)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("rendered message: %v", err)
	}

	m, err = tm.Render("textonly", "pm@example.com", map[string]string{"Name": "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	if m.HTML != "" || m.Text != "Hello Ana, time to update your profile: https://teamshape.example.com/me\n" {
		t.Errorf("text-only e-mail: %+v", m)
	}
}

func TestRenderErrors(t *testing.T) {
	tm := testTemplates(t)
	if _, err := tm.Render("nope", "pm@example.com", nil); err == nil {
		t.Error("an unknown template rendered")
	}
	if _, err := tm.Render("invite", "pm@example.com", map[string]string{"Name": "Ana"}); err == nil {
		t.Error("a missing key rendered (want missingkey=error)")
	}
	if _, err := tm.Render("textonly", "not an address", map[string]string{"Name": "Ana"}); err == nil {
		t.Error("a bad recipient rendered")
	}
	for name, src := range map[string]string{
		"no subject": `{{define "text"}}x{{end}}`,
		"no text":    `{{define "subject"}}x{{end}}`,
		"bad syntax": `{{define "subject"}}{{.X{{end}}`,
	} {
		if _, err := ParseTemplates(fstest.MapFS{"m/a.tmpl": {Data: []byte(src)}}, "m", "http://x"); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := ParseTemplates(os.DirFS("testdata"), ".", "127.0.0.1:8080"); err == nil {
		t.Error("a base URL without a scheme was taken")
	}
	for _, p := range []string{"relative", "//evil.example.com/x"} {
		if _, err := tm.URL(p); err == nil {
			t.Errorf("url %q: no error", p)
		}
	}
	if _, err := tm.URL("/x", "odd"); err == nil {
		t.Error("url with an odd number of query arguments: no error")
	}
}
