package auth

import (
	"testing"
	"time"
)

// TestParseRemembersVerifiedTokens: a token verified once is answered from memory, but its
// times are checked on every use — it expires as it would unremembered — and a token that
// differs in any byte (a forged signature) is verified from scratch and refused.
func TestParseRemembersVerifiedTokens(t *testing.T) {
	tk := NewTokens([]byte("a-secret-of-thirty-two-bytes-ok!"), time.Hour)
	now := time.Now()
	tk.now = func() time.Time { return now }
	tok, err := tk.Issue(7, 3, "pm", "session-1", now, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	first, err := tk.Parse(tok)
	if err != nil || first.SessionID != "session-1" || first.OrgID != 3 {
		t.Fatalf("first parse: %+v %v", first, err)
	}
	again, err := tk.Parse(tok)
	if err != nil || again != first {
		t.Fatalf("second parse: %p %v, want the remembered claims %p", again, err, first)
	}
	forged := tok[:len(tok)-2] + "AA"
	if tok[len(tok)-2:] == "AA" {
		forged = tok[:len(tok)-2] + "BB"
	}
	if _, err := tk.Parse(forged); err != ErrBadToken {
		t.Fatalf("a forged signature: %v", err)
	}
	now = now.Add(time.Minute + 4*time.Second) // within the 5 s leeway
	if _, err := tk.Parse(tok); err != nil {
		t.Fatalf("within the leeway: %v", err)
	}
	now = now.Add(2 * time.Second)
	if _, err := tk.Parse(tok); err != ErrBadToken {
		t.Fatalf("expired, remembered: %v, want ErrBadToken", err)
	}
	// Not yet valid (issued in the future) is refused from memory as well.
	later, _ := tk.Issue(7, 3, "pm", "session-2", now, now.Add(time.Hour))
	if _, err := tk.Parse(later); err != nil {
		t.Fatal(err)
	}
	now = now.Add(-time.Minute)
	if _, err := tk.Parse(later); err != ErrBadToken {
		t.Fatalf("a token from the future, remembered: %v", err)
	}
}
