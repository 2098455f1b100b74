// Package cli is the teamshape command: serve, migrate, seed-demo, user add, version.
// cmd/teamshape only calls Run; tests start a Main on :0.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/demo"
	tshttp "github.com/teamshape/teamshape/internal/http"
	"github.com/teamshape/teamshape/internal/postgres"
)

// Version is set at build time with -ldflags "-X github.com/teamshape/teamshape/internal/cli.Version=…".
var Version = "dev"

const usage = `teamshape — team capability dashboard for product leaders

Usage:
  teamshape serve                 serve the web app and API
  teamshape migrate               apply pending database migrations
  teamshape seed-demo             create or refresh the demo organisation (prints the logins)
  teamshape user add --org SLUG --email E --name N --role R [--title T]   (password on stdin)
  teamshape version

Environment: DATABASE_URL, TEAMSHAPE_ADDR, TEAMSHAPE_JWT_SECRET, TEAMSHAPE_DEV, TEAMSHAPE_DEMO_PASSWORD (see README).
`

// Run runs the command line and returns the process exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if args[0] == "version" {
		fmt.Fprintln(stdout, "teamshape", Version)
		return 0
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cfg, err := config.FromEnv()
	if err == nil && args[0] != "serve" {
		// Only serving signs tokens; the other commands need just the database.
		if len(cfg.JWTSecret) < 32 {
			cfg.JWTSecret = []byte(config.DevSecret)
			cfg.Dev = true
		}
	}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "teamshape: configuration:\n%v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "serve":
		err = serve(ctx, cfg, log)
	case "migrate":
		err = withDB(ctx, cfg, func(db *postgres.DB) error {
			n, err := db.Migrate(ctx)
			if err == nil {
				fmt.Fprintf(stdout, "migrations applied: %d\n", n)
			}
			return err
		})
	case "seed-demo":
		err = withDB(ctx, cfg, func(db *postgres.DB) error { return seedDemo(ctx, db, cfg, stdout) })
	case "user":
		err = withDB(ctx, cfg, func(db *postgres.DB) error { return userCmd(ctx, db, args[1:], stdin, stdout) })
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "teamshape %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func withDB(ctx context.Context, cfg *config.Config, fn func(*postgres.DB) error) error {
	db, err := postgres.Open(ctx, cfg.DatabaseURL, 4)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	m := NewMain(cfg, log)
	if err := m.Open(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		m.Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- m.Serve(ln) }()
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "dev", cfg.Dev, "version", Version)
	select {
	case err := <-errc:
		m.Close()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "grace", cfg.ShutdownGrace.String())
	return m.Close()
}

func seedDemo(ctx context.Context, db *postgres.DB, cfg *config.Config, stdout io.Writer) error {
	pw := cfg.DemoPassword
	if pw == "" {
		pw = auth.RandomPassword()
	}
	if _, err := demo.Seed(ctx, db, pw); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demo organisation %q is ready. Sign in with any of these (password: %s):\n", demo.Slug, pw)
	for _, p := range demo.People {
		fmt.Fprintf(stdout, "  %-24s %s\n", p.Email, p.Role)
	}
	return nil
}

func userCmd(ctx context.Context, db *postgres.DB, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: teamshape user add --org SLUG --email E --name N --role R [--title T] (password on stdin)")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	org := fs.String("org", "", "organisation slug")
	email := fs.String("email", "", "e-mail")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, leader, pm or hr")
	title := fs.String("title", "", "apm, pm, senior_pm, principal_pm or group_pm")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *org == "" || *email == "" || *name == "" || !app.ValidRole(*role) {
		return errors.New("--org, --email, --name and --role (admin, leader, pm, hr) are required")
	}
	if *title != "" && !app.ValidOption(app.Titles, *title) {
		return fmt.Errorf("--title must be one of apm, pm, senior_pm, principal_pm, group_pm")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return errors.New(app.ErrorMessage(err))
	}
	o, err := db.FindOrganisationBySlug(ctx, *org)
	if app.ErrorCode(err) == app.ENOTFOUND {
		o, err = db.CreateOrganisation(ctx, *org, *org)
	}
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &app.User{OrgID: o.ID, Email: *email, Name: *name, Role: *role, PasswordHash: hash}
	if *title != "" {
		u.Title = title
	}
	if err := db.CreateUser(ctx, u); err != nil {
		return errors.New(app.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "created user %d (%s, %s) in %s\n", u.ID, u.Email, u.Role, o.Slug)
	return nil
}

// Main is the running server: one pool, one HTTP server.
type Main struct {
	Config *config.Config
	Log    *slog.Logger
	DB     *postgres.DB
	HTTP   *tshttp.Server
}

// NewMain returns a Main for the config.
func NewMain(cfg *config.Config, log *slog.Logger) *Main { return &Main{Config: cfg, Log: log} }

// Open connects to the database, refuses a schema that is behind, and builds the server.
func (m *Main) Open(ctx context.Context) error {
	db, err := postgres.Open(ctx, m.Config.DatabaseURL, m.Config.DBMaxOpen)
	if err != nil {
		return err
	}
	pending, err := db.SchemaPending(ctx)
	if err != nil {
		db.Close()
		return fmt.Errorf("check schema: %w", err)
	}
	if pending {
		db.Close()
		return errors.New("the database schema is behind: run `teamshape migrate` first")
	}
	srv, err := tshttp.New(m.Config, db, m.Log)
	if err != nil {
		db.Close()
		return err
	}
	m.DB, m.HTTP = db, srv
	return nil
}

// Serve serves HTTP on the listener until Close.
func (m *Main) Serve(ln net.Listener) error { return m.HTTP.Serve(ln) }

// Close drains in-flight requests (up to the grace period) and closes the pool.
func (m *Main) Close() error {
	var err error
	if m.HTTP != nil {
		err = m.HTTP.Shutdown(m.Config.ShutdownGrace)
	}
	if m.DB != nil {
		err = errors.Join(err, m.DB.Close())
	}
	return err
}
