package config

import (
	"strings"
	"testing"
	"time"
)

// valid returns settings that pass Validate.
func valid() *Config {
	return &Config{
		DatabaseURL: "postgres://x@127.0.0.1/db", Addr: "127.0.0.1:8080",
		JWTSecret: []byte("a-secret-of-at-least-thirty-two-bytes"), TokenTTL: time.Hour,
		LoginMaxPerEmail: 1, LoginMaxPerAccount: 1, LoginMaxPerIP: 1, DBMaxOpen: 2,
	}
}

func TestValidateNamesTheVariable(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatalf("valid settings: %v", err)
	}
	for name, tc := range map[string]struct {
		change func(*Config)
		want   string
	}{
		"short demo password":               {func(c *Config) { c.DemoPassword = "too-short" }, "TEAMSHAPE_DEMO_PASSWORD: Password must be at least 12"},
		"demo password file is a directory": {func(c *Config) { c.DemoPasswordFile = "/var/lib/teamshape/" }, "TEAMSHAPE_DEMO_PASSWORD_FILE:"},
		"demo password file is dot":         {func(c *Config) { c.DemoPasswordFile = "." }, "TEAMSHAPE_DEMO_PASSWORD_FILE:"},
		"address without a port":            {func(c *Config) { c.Addr = "8080" }, "TEAMSHAPE_ADDR:"},
	} {
		c := valid()
		tc.change(c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, tc.want)
		}
	}
	c := valid()
	c.DemoPassword, c.DemoPasswordFile, c.Addr = "a-long-enough-password", ".data/demo-password", ":8080"
	if err := c.Validate(); err != nil {
		t.Fatalf("good demo settings: %v", err)
	}
}

func TestFromEnvDemoPassword(t *testing.T) {
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD", "a-long-enough-password")
	t.Setenv("TEAMSHAPE_DEMO_PASSWORD_FILE", " /var/lib/teamshape/demo-password ")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.DemoPassword != "a-long-enough-password" || c.DemoPasswordFile != "/var/lib/teamshape/demo-password" {
		t.Fatalf("got %q, %q", c.DemoPassword, c.DemoPasswordFile)
	}
}

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
