// Package config reads Teamshape's settings from the environment once, into typed options.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/mail"
)

// Config is every setting of the process.
type Config struct {
	DatabaseURL string
	Addr        string
	JWTSecret   []byte
	Dev         bool
	// DemoPassword is the password seed-demo gives every demo account (it resets them).
	DemoPassword string
	// DemoPasswordFile is where seed-demo keeps the demo password: read when it exists,
	// else created (0600) with the password seed-demo gave the accounts.
	DemoPasswordFile string
	// CookieSecure marks the session cookie Secure and turns on HSTS (behind TLS).
	CookieSecure bool
	// TrustedProxies are the addresses (IPs or CIDRs) of the reverse proxies in front of
	// the server; only a request from one of them may name the client's address, in the
	// ProxyHeader. Without them the peer's address is the client's (a load balancer's
	// address would then be everyone's, and the per-address sign-in throttle global).
	TrustedProxies []string
	ProxyHeader    string

	// SMTP is TEAMSHAPE_SMTP_URL parsed (mail.ParseSMTPURL documents the URL); nil when
	// unset: e-mail then goes to the log in dev mode and nowhere otherwise (MailMode).
	SMTP *mail.SMTPConfig
	// MailFrom is the From of every e-mail (TEAMSHAPE_MAIL_FROM), required with SMTP.
	MailFrom string
	// BaseURL is where people reach Teamshape (TEAMSHAPE_BASE_URL), without a trailing
	// slash; links in e-mails start with it. Required with SMTP; see LinkBase.
	BaseURL string

	TokenTTL       time.Duration
	RequestTimeout time.Duration
	BodyLimit      int
	DBMaxOpen      int
	// Failed sign-ins within LoginWindow before 429. LoginMaxPerEmail counts one e-mail's
	// failures from one client address: whoever floods an account locks out only
	// themselves, not its owner on another address. LoginMaxPerAccount counts one
	// e-mail's failures from every address together (guessing spread over many
	// addresses); LoginMaxPerIP one address's failures for every e-mail.
	LoginMaxPerEmail   int
	LoginMaxPerAccount int
	LoginMaxPerIP      int
	LoginWindow        time.Duration
	ShutdownGrace      time.Duration
	// ReminderInterval is how often each instance sweeps for due reminders
	// (TEAMSHAPE_REMINDER_INTERVAL, default 5 minutes; 0 turns the sweep off).
	ReminderInterval time.Duration
}

// DefaultLoginMaxPerAccount is LoginMaxPerAccount's default: ten addresses' worth of the
// per-address limit.
const DefaultLoginMaxPerAccount = 100

// DevSecret is the signing key used in dev mode when none is given. Never valid in production.
const DevSecret = "teamshape-dev-only-secret-do-not-use-in-production"

// FromEnv reads the environment. It does not validate; call Validate.
func FromEnv() (*Config, error) {
	c := &Config{
		DatabaseURL:        os.Getenv("DATABASE_URL"),
		Addr:               envOr("TEAMSHAPE_ADDR", "127.0.0.1:8080"),
		JWTSecret:          []byte(os.Getenv("TEAMSHAPE_JWT_SECRET")),
		DemoPassword:       os.Getenv("TEAMSHAPE_DEMO_PASSWORD"),
		DemoPasswordFile:   strings.TrimSpace(os.Getenv("TEAMSHAPE_DEMO_PASSWORD_FILE")),
		TokenTTL:           12 * time.Hour,
		RequestTimeout:     10 * time.Second,
		BodyLimit:          12 << 20,
		DBMaxOpen:          20,
		LoginMaxPerEmail:   10,
		LoginMaxPerAccount: DefaultLoginMaxPerAccount,
		LoginMaxPerIP:      100,
		LoginWindow:        15 * time.Minute,
		ShutdownGrace:      15 * time.Second,
		ReminderInterval:   5 * time.Minute,
		ProxyHeader:        envOr("TEAMSHAPE_PROXY_HEADER", "X-Real-IP"),
	}
	for _, p := range strings.Split(os.Getenv("TEAMSHAPE_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	var errs []error
	if v := strings.TrimSpace(os.Getenv("TEAMSHAPE_SMTP_URL")); v != "" {
		smtp, err := mail.ParseSMTPURL(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("TEAMSHAPE_SMTP_URL: %w", err))
		} else {
			c.SMTP = &smtp
		}
	}
	c.MailFrom = strings.TrimSpace(os.Getenv("TEAMSHAPE_MAIL_FROM"))
	c.BaseURL = strings.TrimRight(strings.TrimSpace(os.Getenv("TEAMSHAPE_BASE_URL")), "/")
	c.Dev = envBool("TEAMSHAPE_DEV", &errs)
	c.CookieSecure = envBool("TEAMSHAPE_COOKIE_SECURE", &errs)
	envDuration("TEAMSHAPE_TOKEN_TTL", &c.TokenTTL, &errs)
	envDuration("TEAMSHAPE_REQUEST_TIMEOUT", &c.RequestTimeout, &errs)
	envDuration("TEAMSHAPE_LOGIN_WINDOW", &c.LoginWindow, &errs)
	envDuration("TEAMSHAPE_REMINDER_INTERVAL", &c.ReminderInterval, &errs)
	envInt("TEAMSHAPE_BODY_LIMIT", &c.BodyLimit, &errs)
	envInt("TEAMSHAPE_DB_MAX_OPEN", &c.DBMaxOpen, &errs)
	envInt("TEAMSHAPE_LOGIN_MAX_PER_EMAIL", &c.LoginMaxPerEmail, &errs)
	envInt("TEAMSHAPE_LOGIN_MAX_PER_ACCOUNT", &c.LoginMaxPerAccount, &errs)
	envInt("TEAMSHAPE_LOGIN_MAX_PER_IP", &c.LoginMaxPerIP, &errs)
	if len(c.JWTSecret) == 0 && c.Dev {
		c.JWTSecret = []byte(DevSecret)
	}
	return c, errors.Join(errs...)
}

// Validate reports every problem with the settings, each naming its variable.
func (c *Config) Validate() error {
	var errs []error
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is required (e.g. postgres://user@127.0.0.1:5432/teamshape?sslmode=disable)"))
	}
	if len(c.JWTSecret) < 32 {
		errs = append(errs, errors.New("TEAMSHAPE_JWT_SECRET must be at least 32 bytes (or set TEAMSHAPE_DEV=1 for local development)"))
	}
	if !c.Dev && string(c.JWTSecret) == DevSecret {
		errs = append(errs, errors.New("TEAMSHAPE_JWT_SECRET must not be the dev secret outside dev mode"))
	}
	if c.Addr == "" {
		errs = append(errs, errors.New("TEAMSHAPE_ADDR must not be empty"))
	} else if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("TEAMSHAPE_ADDR: want host:port such as 127.0.0.1:8080, got %q", c.Addr))
	}
	if c.DemoPassword != "" {
		if err := auth.CheckPasswordPolicy(c.DemoPassword); err != nil {
			errs = append(errs, fmt.Errorf("TEAMSHAPE_DEMO_PASSWORD: %s", app.ErrorMessage(err)))
		}
	}
	if err := CheckPasswordFile(c.DemoPasswordFile); err != nil {
		errs = append(errs, fmt.Errorf("TEAMSHAPE_DEMO_PASSWORD_FILE: %w", err))
	}
	if c.TokenTTL < time.Minute {
		errs = append(errs, errors.New("TEAMSHAPE_TOKEN_TTL must be at least 1m"))
	}
	if c.LoginMaxPerEmail < 1 || c.LoginMaxPerIP < 1 {
		errs = append(errs, errors.New("TEAMSHAPE_LOGIN_MAX_PER_EMAIL and TEAMSHAPE_LOGIN_MAX_PER_IP must be at least 1"))
	}
	if c.LoginMaxPerAccount < c.LoginMaxPerEmail {
		errs = append(errs, fmt.Errorf("TEAMSHAPE_LOGIN_MAX_PER_ACCOUNT (%d) must be at least TEAMSHAPE_LOGIN_MAX_PER_EMAIL (%d): "+
			"below it, one address's failures would lock the account out of every address", c.LoginMaxPerAccount, c.LoginMaxPerEmail))
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("TEAMSHAPE_TRUSTED_PROXIES: %q is not an IP address or CIDR range", p))
			}
		}
	}
	if len(c.TrustedProxies) > 0 && c.ProxyHeader == "" {
		errs = append(errs, errors.New("TEAMSHAPE_PROXY_HEADER must not be empty when TEAMSHAPE_TRUSTED_PROXIES is set"))
	}
	if c.DBMaxOpen < 2 {
		errs = append(errs, errors.New("TEAMSHAPE_DB_MAX_OPEN must be at least 2"))
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseFrom(c.MailFrom); err != nil {
			errs = append(errs, fmt.Errorf("TEAMSHAPE_MAIL_FROM: %w", err))
		}
	} else if c.SMTP != nil {
		errs = append(errs, errors.New("TEAMSHAPE_MAIL_FROM is required with TEAMSHAPE_SMTP_URL (e.g. Teamshape <teamshape@example.com>)"))
	}
	if c.BaseURL != "" {
		if err := checkBaseURL(c.BaseURL); err != nil {
			errs = append(errs, fmt.Errorf("TEAMSHAPE_BASE_URL: %w", err))
		}
	} else if c.SMTP != nil {
		errs = append(errs, errors.New("TEAMSHAPE_BASE_URL is required with TEAMSHAPE_SMTP_URL: links in e-mails start with it (e.g. https://teamshape.example.com)"))
	}
	return errors.Join(errs...)
}

// checkBaseURL accepts an absolute http(s) URL with a host and nothing after the path.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("want an absolute http(s) URL such as https://teamshape.example.com, got %q", s)
	case u.User != nil:
		return errors.New("must not hold a user or password")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fmt.Errorf("must not have a query or fragment, got %q", s)
	}
	return nil
}

// How e-mail leaves the server (MailMode).
const (
	MailSMTP = "smtp" // TEAMSHAPE_SMTP_URL is set: sent
	MailLog  = "log"  // dev mode without it: written to the server log
	MailOff  = "off"  // neither: not sent; what is enqueued waits in the outbox
)

// MailMode says how e-mail leaves the server: MailSMTP, MailLog or MailOff.
func (c *Config) MailMode() string {
	switch {
	case c.SMTP != nil:
		return MailSMTP
	case c.Dev:
		return MailLog
	}
	return MailOff
}

// MailConfigured reports whether e-mail is really sent (TEAMSHAPE_SMTP_URL is set). A
// page offering to e-mail someone says so when it is not.
func (c *Config) MailConfigured() bool { return c.MailMode() == MailSMTP }

// DefaultMailFrom is the From of e-mails written to the log when TEAMSHAPE_MAIL_FROM is
// unset (dev mode).
const DefaultMailFrom = "Teamshape <teamshape@localhost>"

// MailSender is the From address: TEAMSHAPE_MAIL_FROM, else DefaultMailFrom.
func (c *Config) MailSender() string {
	if c.MailFrom != "" {
		return c.MailFrom
	}
	return DefaultMailFrom
}

// LinkBase is the base of links in e-mails: TEAMSHAPE_BASE_URL, else (only possible
// without SMTP) the listen address, an unspecified host as 127.0.0.1.
func (c *Config) LinkBase() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://127.0.0.1:8080"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// CheckPasswordFile reports why p cannot name a password file (empty is fine: none).
func CheckPasswordFile(p string) error {
	if p != "" && (strings.HasSuffix(p, "/") || filepath.Base(p) == "." || filepath.Base(p) == "..") {
		return fmt.Errorf("%q names a directory; want a file such as %s", p, filepath.Join(p, "demo-password"))
	}
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func envBool(k string, errs *[]error) bool {
	v := strings.TrimSpace(os.Getenv(k))
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: want true or false, got %q", k, v))
	}
	return b
}

func envInt(k string, dst *int, errs *[]error) {
	if v := os.Getenv(k); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s: want a whole number, got %q", k, v))
			return
		}
		*dst = n
	}
}

func envDuration(k string, dst *time.Duration, errs *[]error) {
	if v := os.Getenv(k); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s: want a duration such as 15m, got %q", k, v))
			return
		}
		*dst = d
	}
}
