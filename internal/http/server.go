// Package http serves Teamshape's JSON API and web pages with Fiber.
package http

import (
	"context"
	"html/template"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	fibercompress "github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/assets"
	"github.com/teamshape/teamshape/internal/audit"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/calibration"
	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/framework"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/invitations"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/mfa"
	"github.com/teamshape/teamshape/internal/notify"
	"github.com/teamshape/teamshape/internal/people"
	"github.com/teamshape/teamshape/internal/profiles"
	"github.com/teamshape/teamshape/internal/sessioncache"
	"github.com/teamshape/teamshape/internal/sops"
	"github.com/teamshape/teamshape/internal/sso"
	"github.com/teamshape/teamshape/internal/transfer"
	"github.com/teamshape/teamshape/internal/trends"
	"github.com/teamshape/teamshape/web"
)

// Server holds the services the handlers call.
type Server struct {
	app    *fiber.App
	cfg    *config.Config
	store  app.Store
	tokens *auth.Tokens
	// accounts signs people in and looks after their passwords and sessions.
	accounts    *accounts.Service
	invitations *invitations.Service
	log         *slog.Logger
	pages       map[string]*template.Template
	views       *viewCache
	// sessions answers the session lookup from memory while the change feed keeps it in
	// sync (Sessions; `serve` starts the feed), from PostgreSQL otherwise.
	sessions   *sessioncache.Cache
	now        func() time.Time
	hiring     *hiring.Service
	careers    *careers.Service
	sops       *sops.Service
	profiles   *profiles.Service
	coaching   *coaching.Service
	transfers  *transfer.Service
	people     *people.Service
	framework  *framework.Service
	audit      *audit.Service
	dashboards *dashboards.Service
	cycles     *cycles.Service
	openAPI    []byte // the description of /api/, built from the routes at start
	// factors is the second factor (TOTP, recovery codes); sso the OpenID Connect sign-in.
	factors *mfa.Service
	sso     *sso.Service
	trends  *trends.Service
	// calibration is the head of product's calibration of leader ratings.
	calibration *calibration.Service
	// notify is the notification centre and the reminder sweep (Notify).
	notify *notify.Service
	static *assets.Set
}

// New builds the server: templates are parsed here, once, so a broken one fails the start.
func New(cfg *config.Config, store app.Store, log *slog.Logger) (*Server, error) {
	s := &Server{
		cfg:    cfg,
		store:  store,
		tokens: auth.NewTokens(cfg.JWTSecret, cfg.TokenTTL),
		log:    log,
		views:  newViewCache(viewCacheSize, viewCacheBytes),
		now:    time.Now,
	}
	s.sessions = sessioncache.New(store, func() time.Time { return s.now() }, log)
	// E-mails are parsed once here, like the pages; their links start at the base URL.
	mails, err := mail.ParseTemplates(web.Mail, "mail", cfg.LinkBase())
	if err != nil {
		return nil, err
	}
	s.invitations = invitations.New(store, mails, func() time.Time { return s.now() })
	s.people = people.New(store)
	s.framework = framework.New(store)
	s.audit = audit.New(store)
	s.dashboards = dashboards.New(store, func() time.Time { return s.now() })
	s.hiring = hiring.New(store, func() time.Time { return s.now() })
	s.careers = careers.New(store, func() time.Time { return s.now() })
	s.sops = sops.New(store, func() time.Time { return s.now() })
	s.profiles = profiles.New(store, func() time.Time { return s.now() })
	s.coaching = coaching.New(store, func() time.Time { return s.now() })
	s.transfers = transfer.New(store, func() time.Time { return s.now() })
	s.cycles = cycles.New(store, s.coaching, func() time.Time { return s.now() })
	box, err := auth.NewSecretBox(cfg.JWTSecret)
	if err != nil {
		return nil, err
	}
	s.factors = mfa.New(store, box, func() time.Time { return s.now() })
	s.accounts = accounts.New(store, mails, s.factors, func() time.Time { return s.now() })
	s.sso = sso.New(store, box, func() time.Time { return s.now() }, log)
	s.trends = trends.New(store, func() time.Time { return s.now() })
	s.calibration = calibration.New(store, func() time.Time { return s.now() })
	if s.notify, err = notify.New(store, func() time.Time { return s.now() }, cfg.LinkBase(), s.cycles); err != nil {
		return nil, err
	}
	static, err := staticAssets()
	if err != nil {
		return nil, err
	}
	pages, err := parsePages(static)
	if err != nil {
		return nil, err
	}
	s.pages, s.static = pages, static
	if s.openAPI, err = serverOpenAPI(); err != nil {
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "teamshape",
		ErrorHandler:          s.handleError,
		BodyLimit:             cfg.BodyLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		Immutable:             true,
		ReadBufferSize:        16 << 10,
		// c.IP() is the peer, or — from a trusted proxy only — the address it names.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg),
		EnableIPValidation:      true,
	})
	s.app.Use(recover.New())
	s.app.Use(requestid.New())
	s.app.Use(s.securityHeaders)
	s.app.Use(noStore)
	s.app.Use(s.withTimeout)
	s.app.Use(storableText)
	s.app.Get("/static/*", s.serveStatic)
	// Pages and JSON are compressed for clients that accept it by Fiber's middleware (brotli
	// at level 0, else gzip at 1: 0.13 ms for a 115 kB page, 13 kB sent), which leaves alone
	// bodies under 200 bytes and bodies already encoded: the cached dashboard views come
	// gzipped from the view cache (viewcache.go, 0.02 ms, 11 kB). Every answer says it varies
	// by Accept-Encoding, compressed or not.
	s.app.Use(func(c *fiber.Ctx) error {
		c.Vary(fiber.HeaderAcceptEncoding)
		return c.Next()
	}, fibercompress.New(fibercompress.Config{Level: fibercompress.LevelBestSpeed}))
	for _, r := range s.Routes() {
		s.app.Add(r.Method, r.Path, s.guard(r), bodyType(r.accepts()), r.Handler)
	}
	s.app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return s, nil
}

// staticAssets is web/static hashed and compressed (internal/assets), once per process: it
// takes about a second of CPU (brotli at its best level), and tests build many servers.
var staticAssets = sync.OnceValues(func() (*assets.Set, error) { return assets.New(web.Static(), "/static/") })

// serveStatic answers /static/* from the hashed, precompressed files; the templates link
// them with {{asset "css/app.css"}}.
func (s *Server) serveStatic(c *fiber.Ctx) error {
	r, ok := s.static.Response(c.Params("*"), c.Get(fiber.HeaderAcceptEncoding), c.Get(fiber.HeaderIfNoneMatch))
	if !ok {
		return fiber.ErrNotFound
	}
	for _, h := range r.Header {
		c.Set(h[0], h[1])
	}
	c.Status(r.Status)
	c.Response().SetBodyRaw(r.Body) // shared and never written to
	return nil
}

// proxyHeader is the header naming the client's address, used only with trusted proxies.
func proxyHeader(cfg *config.Config) string {
	if len(cfg.TrustedProxies) == 0 {
		return ""
	}
	return cfg.ProxyHeader
}

// Sessions is the session cache; `serve` connects it to the change feed.
func (s *Server) Sessions() *sessioncache.Cache { return s.sessions }

// Notify is the notification service, whose reminder sweep Main runs.
func (s *Server) Notify() *notify.Service { return s.notify }

// App exposes the Fiber app (tests use app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Serve serves on the listener until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits for in-flight requests, at most grace.
func (s *Server) Shutdown(grace time.Duration) error { return s.app.ShutdownWithTimeout(grace) }

// withTimeout gives each request a context with a deadline; storage gets c.UserContext().
func (s *Server) withTimeout(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// noStore keeps every answer out of browser and proxy caches: API answers hold tokens and
// people's data, pages too. What is cached on purpose says so itself after this (the
// static files, the OpenAPI description).
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// securityHeaders sets a strict CSP (no inline script), frame-ancestors none, nosniff and
// a referrer policy that keeps Origin/Referer checks working; HSTS behind TLS.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "+
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if s.cfg.CookieSecure || c.Protocol() == "https" {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}
