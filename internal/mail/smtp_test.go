package mail

import (
	"strings"
	"testing"
)

func TestParseSMTPURL(t *testing.T) {
	for in, want := range map[string]SMTPConfig{
		"smtp://mailpit:1025":                     {Host: "mailpit", Port: 1025, TLS: STARTTLSIfOffered},
		"smtp://user:pass@smtp.example.com:587":   {Host: "smtp.example.com", Port: 587, TLS: STARTTLSIfOffered, Username: "user", Password: "pass"},
		"smtp://smtp.example.com":                 {Host: "smtp.example.com", Port: 587, TLS: STARTTLSIfOffered},
		"smtp://smtp.example.com/":                {Host: "smtp.example.com", Port: 587, TLS: STARTTLSIfOffered},
		"SMTP+STARTTLS://u%40x.com:p%3Aw%2F@h":    {Host: "h", Port: 587, TLS: STARTTLSRequired, Username: "u@x.com", Password: "p:w/"},
		"smtps://apikey:s3cret@smtp.example.com":  {Host: "smtp.example.com", Port: 465, TLS: ImplicitTLS, Username: "apikey", Password: "s3cret"},
		"smtps://[::1]:2465":                      {Host: "::1", Port: 2465, TLS: ImplicitTLS},
		" smtp://127.0.0.1:25 ":                   {Host: "127.0.0.1", Port: 25, TLS: STARTTLSIfOffered},
		"smtp+starttls://relay.internal.example:": {}, // error below
	} {
		got, err := ParseSMTPURL(in)
		if want.Host == "" {
			if err == nil {
				t.Errorf("%q: no error", in)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: got %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, wantErr := range map[string]string{
		"http://smtp.example.com":  `scheme "http"`,
		"smtp.example.com:587":     `scheme "smtp.example.com"`,
		"smtp://":                  "no host",
		"smtp:relay":               "no host",
		"smtp://h:0":               "port",
		"smtp://h:99999":           "port",
		"smtp://h:abc":             "", // url.Parse refuses it
		"smtp://h/path":            "path",
		"smtp://h?tls=off":         "no query",
		"smtp://h#x":               "no query",
		"smtp://user@h":            "needs a password",
		"smtp://:topsecret@h":      "needs a password",
		"smtp://u:top secret%zz@h": "not a URL",
		"smtps://u:topsecret@h:1/x?insecure=1#frag": "path",
	} {
		_, err := ParseSMTPURL(in)
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: got %v, want an error containing %q", in, err, wantErr)
			continue
		}
		if strings.Contains(err.Error(), "topsecret") {
			t.Errorf("%q: the error shows the password: %v", in, err)
		}
	}
}

func TestSMTPConfigStringHidesThePassword(t *testing.T) {
	c, err := ParseSMTPURL("smtps://apikey:s3cret@smtp.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "smtps://apikey:xxxxx@smtp.example.com:465" {
		t.Errorf("got %q", got)
	}
}

func TestNewSMTPSenderChecksFrom(t *testing.T) {
	cfg := SMTPConfig{Host: "h", Port: 25}
	for _, from := range []string{"", "teamshape", "Teamshape <teamshape@>", "a@b\nBcc: x@y"} {
		if _, err := NewSMTPSender(cfg, from, 0); err == nil {
			t.Errorf("from %q: no error", from)
		}
	}
	s, err := NewSMTPSender(cfg, `"Teamshape, Acme" <teamshape@acme.example>`, 0)
	if err != nil || s.domain != "acme.example" {
		t.Fatalf("got %v, %v", s, err)
	}
}
