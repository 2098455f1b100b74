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
		LoginMaxPerEmail: 1, LoginMaxPerIP: 1, DBMaxOpen: 2,
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
