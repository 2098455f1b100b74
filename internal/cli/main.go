// Package cli is the teamshape command: serve, migrate, seed-demo, user add, healthcheck,
// version.
// cmd/teamshape only calls Run; tests start a Main on :0.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/demo"
	tshttp "github.com/teamshape/teamshape/internal/http"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/notify"
	"github.com/teamshape/teamshape/internal/postgres"
)

// Version is set at build time with -ldflags "-X github.com/teamshape/teamshape/internal/cli.Version=…".
var Version = "dev"

const usage = `teamshape — team capability dashboard for product leaders

Usage:
  teamshape serve                 serve the web app and API
  teamshape migrate               apply pending database migrations
  teamshape seed-demo [--password-file PATH]
                                  create or complete the demo organisation and print the
                                  logins; existing demo accounts keep their password unless
                                  TEAMSHAPE_DEMO_PASSWORD is set; PATH (default
                                  $TEAMSHAPE_DEMO_PASSWORD_FILE) keeps the password (0600)
  teamshape user add --org SLUG --email E --name N --role R [--title T]   (password on stdin)
  teamshape healthcheck           GET /readyz of the server on TEAMSHAPE_ADDR: exit 0 if ready, else 1
  teamshape version

Environment: DATABASE_URL, TEAMSHAPE_ADDR, TEAMSHAPE_JWT_SECRET, TEAMSHAPE_DEV,
TEAMSHAPE_DEMO_PASSWORD, TEAMSHAPE_DEMO_PASSWORD_FILE, TEAMSHAPE_SMTP_URL,
TEAMSHAPE_MAIL_FROM, TEAMSHAPE_BASE_URL (see README).
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
	if args[0] == "healthcheck" {
		// Needs only TEAMSHAPE_ADDR, and answers 0 or 1 only (a container health check
		// reserves 2).
		return healthcheck(args[1:], stdout, stderr)
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
		err = seedDemo(ctx, cfg, args[1:], stdout, stderr)
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

// defaultMemoryLimit is the soft memory limit of `serve` when GOMEMLIMIT is not set (Go's
// runtime reads GOMEMLIMIT itself; "off" turns the limit off). Without one the heap may grow
// to twice what is live before a collection, and memory freed — the 19 MiB of each
// argon2id sign-in above all — stays with the process: after a burst of sign-ins the
// server kept 150–170 MiB while serving dashboards that need under 100. Near the limit the
// collector runs sooner and the scavenger returns freed pages to the system. It is soft: a
// heap that needs more gets it (the collector's CPU is capped at about half).
const defaultMemoryLimit = 96 << 20

// limitMemory sets defaultMemoryLimit unless GOMEMLIMIT says otherwise, and returns the limit.
func limitMemory() int64 {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	return debug.SetMemoryLimit(-1) // -1 reads it
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	log.Info("memory", "soft_limit_mib", limitMemory()>>20)
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

// seedDemo seeds the demo organisation and prints the logins with the working password.
// The password is TEAMSHAPE_DEMO_PASSWORD if given (every demo account is reset to it),
// else the one kept in the password file, else a fresh random one for accounts it creates.
// Existing accounts keep their password unless one is given, or a password file is named
// but holds none yet (then they get the fresh one, and the file keeps it).
func seedDemo(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed-demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("password-file", cfg.DemoPasswordFile,
		"keep the demo password in this file (read if it exists, else created 0600); default $TEAMSHAPE_DEMO_PASSWORD_FILE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (usage: teamshape seed-demo [--password-file PATH])", fs.Arg(0))
	}
	source := "TEAMSHAPE_DEMO_PASSWORD_FILE"
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "password-file" {
			source = "--password-file"
		}
	})
	if err := config.CheckPasswordFile(*file); err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	given, kept, haveKept := cfg.DemoPassword, "", false
	if *file != "" {
		var err error
		if kept, haveKept, err = readPasswordFile(*file); err != nil {
			return fmt.Errorf("%s %s: %w", source, *file, err)
		}
	}
	return withDB(ctx, cfg, func(db *postgres.DB) error {
		admin, err := demo.Admin(ctx, db)
		if err != nil {
			return err
		}
		seeded := admin != nil
		var o demo.Options
		switch {
		case given != "":
			o = demo.Options{Password: given, Reset: true}
		case haveKept:
			o = demo.Options{Password: kept}
		case !seeded || *file != "":
			o = demo.Options{Password: auth.RandomPassword(), Reset: seeded}
		default:
			// Seeded before, and the password is kept nowhere: leave it as it is.
		}
		var tmp string
		if *file != "" && o.Password != kept {
			// Written next to the file before seeding (an unwritable place fails now, not
			// after the accounts changed) and renamed over it once seeding succeeded.
			if tmp, err = writeTemp(*file, o.Password); err != nil {
				return fmt.Errorf("%s %s: %w", source, *file, err)
			}
			defer os.Remove(tmp) //nolint:errcheck // gone after the rename
		}
		if _, err := demo.SeedWith(ctx, db, o); err != nil {
			return err
		}
		var keepErr error
		if tmp != "" {
			if keepErr = os.Rename(tmp, *file); keepErr != nil {
				keepErr = fmt.Errorf("%s %s: the password could not be kept: %w", source, *file, keepErr)
			}
		}

		state := "demo accounts created"
		switch {
		case o.Reset && given != "":
			state = "every demo account's password set from TEAMSHAPE_DEMO_PASSWORD"
		case o.Reset:
			state = "every demo account has a new password: none was kept in " + *file + " yet"
		case seeded:
			state = "passwords unchanged"
		}
		if o.Password == "" {
			fmt.Fprintf(stdout, "Demo organisation %q is ready (%s). Sign in with any of these:\n", demo.Slug, state)
		} else {
			fmt.Fprintf(stdout, "Demo organisation %q is ready (%s). Sign in with any of these (password: %s):\n", demo.Slug, state, o.Password)
		}
		for _, p := range demo.People {
			fmt.Fprintf(stdout, "  %-24s %s\n", p.Email, p.Role)
		}
		switch {
		case o.Password == "":
			fmt.Fprintln(stdout, "The password is not shown: it was printed when the demo accounts were created and is kept nowhere.\n"+
				"Set TEAMSHAPE_DEMO_PASSWORD (12+ characters) to reset every demo account to one of your choice,\n"+
				"and TEAMSHAPE_DEMO_PASSWORD_FILE (or --password-file) to keep it for later runs.")
		case *file != "" && keepErr == nil:
			fmt.Fprintf(stdout, "The password is kept in %s: later runs print it and leave the passwords as they are.\n"+
				"Set TEAMSHAPE_DEMO_PASSWORD to choose another; delete the file for a new random one.\n", *file)
		case *file == "" && given == "":
			fmt.Fprintln(stdout, "The password is kept nowhere: note it now (later runs leave it unchanged and cannot show it),\n"+
				"or set TEAMSHAPE_DEMO_PASSWORD_FILE (or --password-file) to keep it.")
		}
		if seeded && !o.Reset && o.Password != "" {
			ok, err := auth.VerifyPassword(ctx, o.Password, admin.PasswordHash)
			if err != nil {
				return err
			}
			if !ok {
				fmt.Fprintf(stdout, "warning: the password kept in %s does not sign in to %s: it was changed since.\n"+
					"Set TEAMSHAPE_DEMO_PASSWORD to reset every demo account, or delete the file for a new random password.\n",
					*file, admin.Email)
			}
		}
		return keepErr
	})
}

// readPasswordFile returns the password kept in path (its first line), or ok false if
// there is no such file.
func readPasswordFile(path string) (pw string, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, iofs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	pw, _, _ = strings.Cut(string(b), "\n")
	pw = strings.TrimSuffix(pw, "\r")
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return "", false, fmt.Errorf("%s Write one of 12+ characters in it, or delete it for a new random one", app.ErrorMessage(err))
	}
	return pw, true, nil
}

// writeTemp writes pw to a new file (0600) next to path, creating the directory (0700)
// if needed, and returns the new file's name.
func writeTemp(path, pw string) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*") // 0600
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(pw + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name()) //nolint:errcheck
		return "", err
	}
	return f.Name(), nil
}

// healthcheck GETs /readyz of the server on TEAMSHAPE_ADDR (an unspecified host is asked
// on 127.0.0.1) and returns 0 on 200, else 1, saying why.
func healthcheck(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "teamshape healthcheck: unexpected argument %q (it takes none; the address is TEAMSHAPE_ADDR)\n", args[0])
		return 1
	}
	cfg, err := config.FromEnv()
	if err != nil {
		fmt.Fprintf(stderr, "teamshape healthcheck: configuration:\n%v\n", err)
		return 1
	}
	u, err := healthURL(cfg.Addr)
	if err != nil {
		fmt.Fprintf(stderr, "teamshape healthcheck: %v\n", err)
		return 1
	}
	client := &http.Client{
		Timeout:   healthTimeout,
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
	}
	resp, err := client.Get(u)
	if err != nil {
		fmt.Fprintf(stderr, "teamshape healthcheck: not ready: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "teamshape healthcheck: not ready: GET %s: %s %s\n", u, resp.Status, strings.TrimSpace(string(body)))
		return 1
	}
	fmt.Fprintf(stdout, "ready: GET %s: %s\n", u, resp.Status)
	return 0
}

// healthTimeout bounds the whole health request.
const healthTimeout = 3 * time.Second

// healthURL is the /readyz URL of the server listening on addr: an empty or unspecified
// host (0.0.0.0, [::]) is asked on 127.0.0.1.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("TEAMSHAPE_ADDR: want host:port such as 127.0.0.1:8080, got %q", addr)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
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

// Main is the running server: one pool, one HTTP server, the e-mail outbox worker.
type Main struct {
	Config *config.Config
	Log    *slog.Logger
	DB     *postgres.DB
	HTTP   *tshttp.Server
	// Mail delivers the outbox (nil when e-mail is off: no SMTP and not dev mode).
	Mail *mail.Worker
	// Changes keeps the server's session cache in sync (migrations/00018).
	Changes *postgres.ChangeFeed
	// Reminders sweeps for due reminders every Config.ReminderInterval (nil when 0).
	Reminders *notify.Sweeper
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
	sender, err := m.mailSender()
	if err != nil {
		db.Close()
		return err
	}
	changes, err := db.ListenChanges(m.Config.DatabaseURL, srv.Sessions(), m.Log)
	if err != nil {
		db.Close()
		return fmt.Errorf("listen for changes: %w", err)
	}
	srv.Sessions().Start(changes)
	m.DB, m.HTTP, m.Changes = db, srv, changes
	if sender != nil {
		// Every instance runs one: they share the outbox without electing anyone
		// (docs/RELIABILITY.md, "E-mail").
		m.Mail = mail.NewWorker(db, sender, m.Log, mail.WorkerOptions{})
		m.Mail.Start()
	}
	if m.Config.ReminderInterval > 0 {
		// Every instance sweeps too: a reminder's key makes it once (package notify).
		m.Reminders = notify.StartSweeper(srv.Notify(), m.Log, m.Config.ReminderInterval)
	}
	return nil
}

// mailSender is how e-mail leaves: SMTP, the log (dev mode without SMTP), or nothing.
func (m *Main) mailSender() (mail.Sender, error) {
	switch m.Config.MailMode() {
	case config.MailSMTP:
		s, err := mail.NewSMTPSender(*m.Config.SMTP, m.Config.MailSender(), 0)
		if err != nil {
			return nil, fmt.Errorf("TEAMSHAPE_SMTP_URL: %w", err)
		}
		m.Log.Info("e-mail", "smtp", m.Config.SMTP.String(), "tls", m.Config.SMTP.TLS.String(), "from", m.Config.MailSender(), "links", m.Config.LinkBase())
		return s, nil
	case config.MailLog:
		m.Log.Info("e-mail goes to this log (dev mode without TEAMSHAPE_SMTP_URL)", "links", m.Config.LinkBase())
		return &mail.LogSender{Log: m.Log, From: m.Config.MailSender()}, nil
	}
	m.Log.Warn("e-mail is off: TEAMSHAPE_SMTP_URL is not set; what is enqueued waits in the outbox")
	return nil, nil
}

// Serve serves HTTP on the listener until Close.
func (m *Main) Serve(ln net.Listener) error { return m.HTTP.Serve(ln) }

// Close drains in-flight requests (up to the grace period), lets the e-mails being sent
// finish (up to the grace period again) and closes the pool.
func (m *Main) Close() error {
	var err error
	if m.HTTP != nil {
		err = m.HTTP.Shutdown(m.Config.ShutdownGrace)
	}
	if m.Reminders != nil {
		m.Reminders.Stop()
	}
	if m.Mail != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownGrace)
		if serr := m.Mail.Stop(ctx); serr != nil {
			err = errors.Join(err, fmt.Errorf("e-mail worker: %w", serr))
		}
		cancel()
	}
	if m.Changes != nil {
		m.HTTP.Sessions().Stop()
		err = errors.Join(err, m.Changes.Close())
	}
	if m.DB != nil {
		err = errors.Join(err, m.DB.Close())
	}
	return err
}
