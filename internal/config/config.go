// Package config reads Teamshape's settings from the environment once, into typed options.
package config

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
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
		ProxyHeader:        envOr("TEAMSHAPE_PROXY_HEADER", "X-Real-IP"),
	}
	for _, p := range strings.Split(os.Getenv("TEAMSHAPE_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	var errs []error
	c.Dev = envBool("TEAMSHAPE_DEV", &errs)
	c.CookieSecure = envBool("TEAMSHAPE_COOKIE_SECURE", &errs)
	envDuration("TEAMSHAPE_TOKEN_TTL", &c.TokenTTL, &errs)
	envDuration("TEAMSHAPE_REQUEST_TIMEOUT", &c.RequestTimeout, &errs)
	envDuration("TEAMSHAPE_LOGIN_WINDOW", &c.LoginWindow, &errs)
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
	return errors.Join(errs...)
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
