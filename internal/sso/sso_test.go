package sso

import (
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

func TestValidIssuer(t *testing.T) {
	for _, tc := range []struct {
		issuer string
		ok     bool
	}{
		{"https://login.example.com", true},
		{"https://login.example.com/realms/acme", true},
		{"http://127.0.0.1:5556", true},
		{"http://localhost:8080/dex", true},
		{"http://[::1]:9000", true},
		{"http://login.example.com", false}, // plain http beyond this machine
		{"ftp://127.0.0.1", false},
		{"https://login.example.com?tenant=a", false},
		{"https://login.example.com#x", false},
		{"https://user:pw@login.example.com", false},
		{"login.example.com", false},
		{"", false},
	} {
		err := validIssuer(tc.issuer)
		if (err == nil) != tc.ok || (err != nil && app.ErrorField(err) != "issuer") {
			t.Errorf("%q: %v, want ok=%v", tc.issuer, err, tc.ok)
		}
	}
}
