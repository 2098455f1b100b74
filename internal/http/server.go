// Package http serves Teamshape's JSON API and web pages with Fiber.
package http

import (
	"context"
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
	"github.com/teamshape/teamshape/internal/http/api"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/http/ui"
	"github.com/teamshape/teamshape/internal/invitations"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/mfa"
	"github.com/teamshape/teamshape/internal/notify"
	"github.com/teamshape/teamshape/internal/people"
	"github.com/teamshape/teamshape/internal/profiles"
	"github.com/teamshape/teamshape/internal/readcache"
	"github.com/teamshape/teamshape/internal/sessioncache"
	"github.com/teamshape/teamshape/internal/sops"
	"github.com/teamshape/teamshape/internal/sso"
	"github.com/teamshape/teamshape/internal/transfer"
	"github.com/teamshape/teamshape/internal/trends"
	"github.com/teamshape/teamshape/web"
)

// Server is the Fiber app with the route table: the API's handlers and the pages share the
// services (kit.Deps).
type Server struct {
	*kit.Deps
	app     *fiber.App
	api     *api.Handlers
	ui      *ui.Pages
	openAPI []byte // the description of /api/, built from the routes at start
}

// New builds the server: templates are parsed here, once, so a broken one fails the start.
func New(cfg *config.Config, store app.Store, log *slog.Logger) (*Server, error) {
	s := &Server{Deps: &kit.Deps{
		Cfg:    cfg,
		Tokens: auth.NewTokens(cfg.JWTSecret, cfg.TokenTTL),
		Log:    log,
		Views:  kit.NewViewCache(kit.ViewCacheSize, kit.ViewCacheBytes),
		Now:    time.Now,
	}}
	s.SessionCache = sessioncache.New(store, func() time.Time { return s.Now() }, log)
	// E-mails are parsed once here, like the pages; their links start at the base URL.
	mails, err := mail.ParseTemplates(web.Mail, "mail", cfg.LinkBase())
	if err != nil {
		return nil, err
	}
	s.Invitations = invitations.New(store, mails, func() time.Time { return s.Now() })
	s.People = people.New(store)
	s.Framework = framework.New(store)
	s.Audit = audit.New(store)
	s.Dashboards = dashboards.New(store, s.People, func() time.Time { return s.Now() })
	// The dashboards' views read the structure from memory while the session cache is in
	// sync (internal/readcache); writes read the store.
	views := readcache.New(store, s.SessionCache.Structure)
	s.Dashboards.ReadFrom(views, people.New(views))
	s.Hiring = hiring.New(store, func() time.Time { return s.Now() })
	s.Careers = careers.New(store, func() time.Time { return s.Now() })
	s.Sops = sops.New(store, func() time.Time { return s.Now() })
	s.Profiles = profiles.New(store, func() time.Time { return s.Now() })
	s.Coaching = coaching.New(store, func() time.Time { return s.Now() })
	s.Transfers = transfer.New(store, s.Invitations, func() time.Time { return s.Now() })
	s.Cycles = cycles.New(store, s.Coaching, func() time.Time { return s.Now() })
	s.Cycles.ReadFrom(views)
	box, err := auth.NewSecretBox(cfg.JWTSecret)
	if err != nil {
		return nil, err
	}
	s.Factors = mfa.New(store, box, func() time.Time { return s.Now() })
	s.Accounts = accounts.New(store, mails, s.Factors, func() time.Time { return s.Now() })
	s.SSO = sso.New(store, box, func() time.Time { return s.Now() }, log)
	s.Trends = trends.New(store, func() time.Time { return s.Now() })
	s.Calibration = calibration.New(store, func() time.Time { return s.Now() })
	if s.Notifications, err = notify.New(store, func() time.Time { return s.Now() }, cfg.LinkBase(), s.Cycles); err != nil {
		return nil, err
	}
	s.Notifications.CountFrom(s.SessionCache) // the bell on every page, from memory while in sync
	static, err := staticAssets()
	if err != nil {
		return nil, err
	}
	pages, err := ui.ParsePages(static)
	if err != nil {
		return nil, err
	}
	s.Templates, s.Static = pages, static
	s.api, s.ui = &api.Handlers{Deps: s.Deps}, &ui.Pages{Deps: s.Deps}
	s.Layouts = kit.NewLayoutCache(pages)
	if s.openAPI, err = serverOpenAPI(); err != nil {
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "teamshape",
		ErrorHandler:          s.HandleError,
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
	s.app.Use(kit.StorableText)
	s.app.Get("/static/*", s.serveStatic)
	// Pages and JSON are compressed for clients that accept it by Fiber's middleware (brotli
	// at level 0, else gzip at 1: 0.13 ms for a 115 kB page, 13 kB sent), which leaves alone
	// bodies under 200 bytes and bodies already encoded: the cached dashboard views come
	// gzipped from the view cache (kit/viewcache.go, 0.02 ms, 11 kB). Every answer says it varies
	// by Accept-Encoding, compressed or not.
	s.app.Use(func(c *fiber.Ctx) error {
		c.Vary(fiber.HeaderAcceptEncoding)
		return c.Next()
	}, fibercompress.New(fibercompress.Config{Level: fibercompress.LevelBestSpeed}))
	for _, r := range s.Routes() {
		s.app.Add(r.Method, r.Path, s.guard(r), kit.BodyType(r.accepts()), r.Handler)
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
	r, ok := s.Static.Response(c.Params("*"), c.Get(fiber.HeaderAcceptEncoding), c.Get(fiber.HeaderIfNoneMatch))
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
func (s *Server) Sessions() *sessioncache.Cache { return s.SessionCache }

// Notify is the notification service, whose reminder sweep Main runs.
func (s *Server) Notify() *notify.Service { return s.Notifications }

// App exposes the Fiber app (tests use app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Serve serves on the listener until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits for in-flight requests, at most grace.
func (s *Server) Shutdown(grace time.Duration) error { return s.app.ShutdownWithTimeout(grace) }

// withTimeout gives each request a context with a deadline; storage gets c.UserContext().
func (s *Server) withTimeout(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.Cfg.RequestTimeout)
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
	if s.Cfg.CookieSecure || c.Protocol() == "https" {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}
