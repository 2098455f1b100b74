package auth

import (
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

func TestCheckNewPassword(t *testing.T) {
	if n := CommonPasswords(); n < 3000 {
		t.Fatalf("%d common passwords, want at least 3,000", n)
	}
	for _, tc := range []struct {
		pw, rule string
	}{
		{"short-pass", RuleLength},                     // 10 characters
		{"ÄÖÜäöüßÄÖÜä", RuleLength},                    // 11 characters, 22 bytes: characters count
		{"1qaz2wsx3edc", RuleCommon},                   // 12 characters, on the list
		{"LeaveMeAlone", RuleCommon},                   // on the list, whatever the case
		{"correct-horse-battery", ""},                  // long, not on the list
		{"abcdefghijkl-but-not-common", ""},            // no composition rule
		{string(make([]byte, 1025)) + "x", RuleLength}, // too long
	} {
		err := CheckNewPassword("new_password", tc.pw)
		if tc.rule == "" {
			if err != nil {
				t.Errorf("%.20q: %v, want accepted", tc.pw, err)
			}
			continue
		}
		e, ok := err.(*app.Error)
		if !ok || e.Code != app.EINVALID || e.Field != "new_password" || e.Rule != tc.rule {
			t.Errorf("%.20q: %#v, want EINVALID on new_password, rule %s", tc.pw, err, tc.rule)
		}
	}
}

func TestNewToken(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || len(a) != 43 || len(ha) != 32 || string(ha) == string(hb) {
		t.Fatalf("tokens %q %q", a, b)
	}
	if string(HashToken(a)) != string(ha) {
		t.Fatal("HashToken does not give the stored hash")
	}
}
