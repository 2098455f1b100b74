package auth

import (
	"bytes"
	"testing"
	"time"
)

// TestSecretBox: a sealed secret opens only with the same key and the same place, and
// not after tampering; sealing twice gives different bytes (a fresh nonce).
func TestSecretBox(t *testing.T) {
	box, err := NewSecretBox([]byte("a-server-secret-of-32-bytes-or-more"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewSecretBox([]byte("another-server-secret-of-32-bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("client-secret")
	sealed := box.Seal(secret, []byte("sso:1"))
	if bytes.Contains(sealed, secret) || bytes.Equal(sealed, box.Seal(secret, []byte("sso:1"))) {
		t.Fatal("sealed bytes show the secret or repeat")
	}
	if got, err := box.Open(sealed, []byte("sso:1")); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q, %v", got, err)
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for name, try := range map[string]func() ([]byte, error){
		"another place": func() ([]byte, error) { return box.Open(sealed, []byte("sso:2")) },
		"another key":   func() ([]byte, error) { return other.Open(sealed, []byte("sso:1")) },
		"tampered":      func() ([]byte, error) { return box.Open(tampered, []byte("sso:1")) },
		"too short":     func() ([]byte, error) { return box.Open(sealed[:5], []byte("sso:1")) },
	} {
		if _, err := try(); err != ErrSealed {
			t.Errorf("%s: %v, want ErrSealed", name, err)
		}
	}
}

// TestChallengeIsNoSession: a second-factor challenge is not a session token, nor a
// session token a challenge; an expired challenge is refused.
func TestChallengeIsNoSession(t *testing.T) {
	tk := NewTokens([]byte("a-server-secret-of-32-bytes-or-more"), time.Hour)
	now := time.Now()
	ch, err := tk.IssueChallenge(7, 3, now, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if uid, org, err := tk.ParseChallenge(ch); err != nil || uid != 7 || org != 3 {
		t.Fatalf("challenge: %d %d %v", uid, org, err)
	}
	if _, err := tk.Parse(ch); err == nil {
		t.Error("a challenge parsed as a session")
	}
	sess, err := tk.Issue(7, 3, "pm", "sid", now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tk.ParseChallenge(sess); err == nil {
		t.Error("a session parsed as a challenge")
	}
	old, _ := tk.IssueChallenge(7, 3, now.Add(-time.Hour), now.Add(-time.Minute))
	if _, _, err := tk.ParseChallenge(old); err == nil {
		t.Error("an expired challenge accepted")
	}
}
