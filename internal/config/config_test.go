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

func TestMailSettings(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://x@127.0.0.1/db")
	t.Setenv("TEAMSHAPE_JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes")
	for name, tc := range map[string]struct {
		env  map[string]string
		want string // "" = valid
	}{
		"no mail at all":          {nil, ""},
		"smtp with from and base": {map[string]string{"TEAMSHAPE_SMTP_URL": "smtp://u:topsecret@smtp.example.com:587", "TEAMSHAPE_MAIL_FROM": "Teamshape <t@example.com>", "TEAMSHAPE_BASE_URL": "https://ts.example.com/"}, ""},
		"smtp without from":       {map[string]string{"TEAMSHAPE_SMTP_URL": "smtp://mailpit:1025", "TEAMSHAPE_BASE_URL": "http://127.0.0.1:8080"}, "TEAMSHAPE_MAIL_FROM is required"},
		"smtp without base":       {map[string]string{"TEAMSHAPE_SMTP_URL": "smtp://mailpit:1025", "TEAMSHAPE_MAIL_FROM": "t@example.com"}, "TEAMSHAPE_BASE_URL is required"},
		"bad smtp url":            {map[string]string{"TEAMSHAPE_SMTP_URL": "smtp://u:topsecret@h:99999"}, "TEAMSHAPE_SMTP_URL:"},
		"smtp url scheme":         {map[string]string{"TEAMSHAPE_SMTP_URL": "mail.example.com:587"}, "TEAMSHAPE_SMTP_URL:"},
		"bad from":                {map[string]string{"TEAMSHAPE_MAIL_FROM": "Teamshape"}, "TEAMSHAPE_MAIL_FROM:"},
		"base without scheme":     {map[string]string{"TEAMSHAPE_BASE_URL": "ts.example.com"}, "TEAMSHAPE_BASE_URL:"},
		"base with a query":       {map[string]string{"TEAMSHAPE_BASE_URL": "https://ts.example.com/?x=1"}, "TEAMSHAPE_BASE_URL:"},
		"base with credentials":   {map[string]string{"TEAMSHAPE_BASE_URL": "https://a:b@ts.example.com"}, "TEAMSHAPE_BASE_URL:"},
		"base of another kind":    {map[string]string{"TEAMSHAPE_BASE_URL": "javascript:alert(1)"}, "TEAMSHAPE_BASE_URL:"},
	} {
		t.Run(name, func(t *testing.T) {
			for _, k := range []string{"TEAMSHAPE_SMTP_URL", "TEAMSHAPE_MAIL_FROM", "TEAMSHAPE_BASE_URL"} {
				t.Setenv(k, tc.env[k])
			}
			c, err := FromEnv()
			if err == nil {
				err = c.Validate()
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("got %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "topsecret"):
				t.Fatalf("the error shows the SMTP password: %v", err)
			}
		})
	}
}

func TestMailMode(t *testing.T) {
	c := valid()
	c.Addr = "0.0.0.0:9090"
	if c.MailMode() != MailOff || c.MailConfigured() || c.LinkBase() != "http://127.0.0.1:9090" || c.MailSender() != DefaultMailFrom {
		t.Errorf("no SMTP, no dev: %s %v %s %s", c.MailMode(), c.MailConfigured(), c.LinkBase(), c.MailSender())
	}
	c.Dev = true
	if c.MailMode() != MailLog || c.MailConfigured() {
		t.Errorf("dev without SMTP: %s %v", c.MailMode(), c.MailConfigured())
	}
	t.Setenv("TEAMSHAPE_SMTP_URL", "smtps://mail.example.com")
	t.Setenv("TEAMSHAPE_BASE_URL", "https://ts.example.com/")
	t.Setenv("TEAMSHAPE_MAIL_FROM", "t@example.com")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.MailMode() != MailSMTP || !c.MailConfigured() || c.SMTP.Port != 465 || c.LinkBase() != "https://ts.example.com" || c.MailSender() != "t@example.com" {
		t.Errorf("SMTP: %s %+v %s %s", c.MailMode(), c.SMTP, c.LinkBase(), c.MailSender())
	}
}
