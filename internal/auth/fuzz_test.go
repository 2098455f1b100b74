package auth

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseToken: a bearer token or session cookie is attacker-controlled. Parse never
// panics, and accepts nothing but what this key signed: the only token it signed here
// is for user 7, session s-1, so any accepted input must carry exactly those claims.
func FuzzParseToken(f *testing.F) {
	tk := NewTokens([]byte("fuzz-secret-of-at-least-thirty-two-bytes"), time.Hour)
	now := time.Now()
	good, err := tk.Issue(7, 3, "pm", "s-1", now, now.Add(time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	parts := strings.Split(good, ".")
	for _, s := range []string{
		good, good + "x", parts[0] + "." + parts[1] + ".", parts[0] + ".." + parts[2],
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".",             // alg none
		"eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9." + parts[1] + "." + parts[2], // alg swapped
		"", ".", "..", "a.b.c", strings.Repeat("A", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := tk.Parse(s)
		if err != nil {
			if c != nil {
				t.Fatalf("Parse(%q) returned claims with an error", s)
			}
			return
		}
		if uid, _ := c.UserID(); uid != 7 || c.SessionID != "s-1" || c.OrgID != 3 || c.Role != "pm" {
			t.Fatalf("Parse(%q) accepted claims it never signed: %+v", s, c)
		}
	})
}

// FuzzCheckCSRF: only the session's own token passes.
func FuzzCheckCSRF(f *testing.F) {
	tk := NewTokens([]byte("fuzz-secret-of-at-least-thirty-two-bytes"), time.Hour)
	want := tk.CSRFToken("s-1")
	for _, s := range []string{want, want[:len(want)-1], "", strings.ToUpper(want)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tk.CheckCSRF("s-1", s) != (s == want) {
			t.Fatalf("CheckCSRF(%q) = %v", s, !(s == want))
		}
	})
}
