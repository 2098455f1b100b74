package config

import (
	"strings"
	"testing"
)

func TestLoginLimits(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://x@127.0.0.1/none")
	t.Setenv("TEAMSHAPE_DEV", "1")
	c, err := FromEnv()
	if err != nil || c.Validate() != nil {
		t.Fatalf("defaults: %v %v", err, c.Validate())
	}
	if c.LoginMaxPerEmail != 10 || c.LoginMaxPerAccount != 100 || c.LoginMaxPerIP != 100 {
		t.Errorf("defaults: %d per e-mail and address, %d per e-mail, %d per address", c.LoginMaxPerEmail, c.LoginMaxPerAccount, c.LoginMaxPerIP)
	}
	// An account-wide limit below the per-address one would let one address lock everyone out.
	t.Setenv("TEAMSHAPE_LOGIN_MAX_PER_ACCOUNT", "5")
	if c, err = FromEnv(); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "TEAMSHAPE_LOGIN_MAX_PER_ACCOUNT") {
		t.Errorf("account-wide limit below the per-address one: %v", err)
	}
	t.Setenv("TEAMSHAPE_LOGIN_MAX_PER_ACCOUNT", "many")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "TEAMSHAPE_LOGIN_MAX_PER_ACCOUNT") {
		t.Errorf("not a number: %v", err)
	}
}
