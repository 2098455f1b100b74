// Package notify is the notification centre and the reminders: the bell's list and count,
// marking read, each person's choice of which kinds also come by e-mail, and the sweep that
// every instance runs to turn what is due (peer-rating requests, coaching check-ins, SOP
// reviews, stale ratings, assessment cycle deadlines, the leaders' weekly digest) into
// notifications and e-mails.
//
// Exactly once: a reminder's key names its occasion; the store adds the notification and
// enqueues its e-mail, with the same key, in one transaction that does nothing when the key
// exists (migration 00026). Any number of instances may sweep at once, and again after a
// restart; the outbox worker (package mail) sends each e-mail once and retries it while
// SMTP fails. There is no leader to elect.
package notify

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/shape"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Store is what the service needs.
type Store interface {
	app.NotificationStore
	insight.Store
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
}

// DueFinder finds what reminders may be owed for by the rules of a DueQuery: the store
// (one query over every simple source), and services whose rule needs more than SQL (the
// cycle deadlines: package cycles reads its progress board).
type DueFinder interface {
	FindDue(ctx context.Context, q app.DueQuery) ([]app.Due, error)
}

// Service is the notification centre and the reminder sweep.
type Service struct {
	store   Store
	sources []DueFinder
	now     func() time.Time
	mails   *mail.Templates
	// counts answers Unread: the store, or a cache in front of it (CountFrom).
	counts Counter
}

// Counter counts a person's unread notifications (the store does; so does
// sessioncache.Cache, from memory while it is in sync with PostgreSQL).
type Counter interface {
	CountUnreadNotifications(ctx context.Context, userID int64) (int, error)
}

// CountFrom makes Unread, the bell on every page, ask c instead of the store.
func (s *Service) CountFrom(c Counter) { s.counts = c }

// New returns the service; links in e-mails start with baseURL (TEAMSHAPE_BASE_URL). The
// sweep asks the store and every source of sources what is due.
func New(store Store, now func() time.Time, baseURL string, sources ...DueFinder) (*Service, error) {
	t, err := mail.ParseTemplates(templateFS, "templates", baseURL)
	if err != nil {
		return nil, err
	}
	return &Service{store: store, sources: sources, now: now, mails: t, counts: store}, nil
}

// ListLimit is how many notifications the centre shows.
const ListLimit = 50

// Centre is a person's notifications, newest first, with the unread count.
type Centre struct {
	Unread        int                `json:"unread"`
	Notifications []app.Notification `json:"notifications"`
}

// List returns the actor's notification centre.
func (s *Service) List(ctx context.Context, a *app.Actor) (*Centre, error) {
	n, err := s.store.CountUnreadNotifications(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	l, err := s.store.FindNotifications(ctx, a.UserID, ListLimit)
	if err != nil {
		return nil, err
	}
	return &Centre{Unread: n, Notifications: l}, nil
}

// Unread is the actor's unread count (the bell).
func (s *Service) Unread(ctx context.Context, a *app.Actor) (int, error) {
	return s.counts.CountUnreadNotifications(ctx, a.UserID)
}

// ReadInput says which notifications to mark read: the ids, or all of them.
type ReadInput struct {
	IDs []int64 `json:"ids"`
	All bool    `json:"all"`
}

// MaxReadIDs bounds one request's ids.
const MaxReadIDs = 500

// MarkRead marks the actor's notifications read (others' ids change nothing) and returns
// how many changed.
func (s *Service) MarkRead(ctx context.Context, a *app.Actor, in ReadInput) (int, error) {
	switch {
	case in.All && len(in.IDs) > 0:
		return 0, app.Invalid("ids", "Give ids or all, not both.")
	case !in.All && len(in.IDs) == 0:
		return 0, app.Invalid("ids", "Give the ids of the notifications to mark read, or all: true.")
	case len(in.IDs) > MaxReadIDs:
		return 0, app.Invalid("ids", "At most %d ids at once.", MaxReadIDs)
	}
	for i, id := range in.IDs {
		if id <= 0 {
			return 0, app.Invalid(fmt.Sprintf("ids[%d]", i), "An id is a positive number.")
		}
	}
	return s.store.MarkNotificationsRead(ctx, a.UserID, in.IDs, s.now())
}

// Pref is one kind with the actor's choice.
type Pref struct {
	app.NotificationKind
	Email bool `json:"email"`
}

// Prefs returns the actor's e-mail choice for every kind.
func (s *Service) Prefs(ctx context.Context, a *app.Actor) ([]Pref, error) {
	set, err := s.store.FindNotificationPrefs(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	return prefsOf(set), nil
}

func prefsOf(set map[string]bool) []Pref {
	out := make([]Pref, len(app.NotificationKinds))
	for i, k := range app.NotificationKinds {
		on, ok := set[k.Key]
		if !ok {
			on = k.EmailDefault
		}
		out[i] = Pref{NotificationKind: k, Email: on}
	}
	return out
}

// SetPrefs stores the actor's e-mail choices (kind → e-mail or not); kinds left out keep
// theirs. An unknown kind is EINVALID naming it, and nothing is stored.
func (s *Service) SetPrefs(ctx context.Context, a *app.Actor, email map[string]bool) ([]Pref, error) {
	for k := range email {
		if !app.ValidNotificationKind(k) {
			return nil, app.Invalid("email."+k, "Unknown notification kind %q.", k)
		}
	}
	if err := s.store.SetNotificationPrefs(ctx, a.UserID, email); err != nil {
		return nil, err
	}
	return s.Prefs(ctx, a)
}

// Sweep adds the reminders due now that are not there yet, each with its e-mail when the
// person wants that kind by e-mail, and returns how many it added. Safe to run on every
// instance at once.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	q := Rules(now)
	dues, err := s.store.FindDue(ctx, q)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, src := range s.sources {
		// A source that fails is reported; what it did find, and the others, still go out.
		more, err := src.FindDue(ctx, q)
		if err != nil {
			errs = append(errs, err)
		}
		dues = append(dues, more...)
	}
	byUser := map[int64][]Reminder{}
	var reminders []Reminder
	var keys []string
	for _, d := range dues {
		r := Remind(d, now)
		if d.Kind != app.NotifyDigest {
			byUser[d.UserID] = append(byUser[d.UserID], r)
		}
		reminders, keys = append(reminders, r), append(keys, r.Key)
	}
	// Most of what is due was notified in an earlier sweep: skip it before building
	// digests and e-mails (AddNotification would add nothing anyway).
	exists, err := s.store.FindNotificationKeys(ctx, keys)
	if err != nil {
		return 0, err
	}
	prefs := map[int64]map[string]bool{}
	added := 0
	for _, r := range reminders {
		if exists[r.Key] || ctx.Err() != nil {
			continue
		}
		// One reminder that cannot be made (a digest's team failing to load, an address the
		// mailer refuses) must not hold back the others: it is reported and tried again
		// next sweep.
		ok, err := s.add(ctx, r, byUser[r.UserID], prefs, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("reminder %s: %w", r.Key, err))
		} else if ok {
			added++
		}
	}
	return added, errors.Join(append(errs, ctx.Err())...)
}

// add makes one reminder: the digest's content, the e-mail if the person wants this kind
// by e-mail (prefs caches their choices), then the notification and e-mail together.
func (s *Service) add(ctx context.Context, r Reminder, waiting []Reminder, prefs map[int64]map[string]bool, now time.Time) (bool, error) {
	var err error
	if r.Kind == app.NotifyDigest {
		if r, err = s.digest(ctx, r, waiting, now); err != nil {
			return false, err
		}
	}
	if prefs[r.UserID] == nil {
		if prefs[r.UserID], err = s.store.FindNotificationPrefs(ctx, r.UserID); err != nil {
			return false, err
		}
	}
	var m *app.Mail
	if wantsEmail(prefs[r.UserID], r.Kind) {
		msg, err := s.mails.Render("notification", mail.Address(r.Name, r.Email), r)
		if err != nil {
			return false, err
		}
		m = &msg
	}
	return s.store.AddNotification(ctx, r.Notification, m)
}

func wantsEmail(set map[string]bool, kind string) bool {
	for _, p := range prefsOf(set) {
		if p.Key == kind {
			return p.Email
		}
	}
	return false
}

// DigestWeek is how far back a digest compares the teams' shape.
const DigestWeek = 7 * 24 * time.Hour

// digest fills a leader's weekly digest: per team they lead, the gaps and gap score now
// against a week ago; then what waits on them (this sweep's reminders to them).
func (s *Service) digest(ctx context.Context, r Reminder, waiting []Reminder, now time.Time) (Reminder, error) {
	teams, err := s.store.FindTeams(ctx, &app.Actor{UserID: r.UserID, OrgID: r.OrgID, Role: app.RoleLeader})
	if err != nil {
		return r, err
	}
	r.Lines = nil
	for _, t := range teams {
		if t.MyRole != app.TeamLeader {
			continue
		}
		then, err := insight.LoadTeam(ctx, s.store, r.OrgID, t.ID, now.Add(-DigestWeek))
		if err != nil {
			return r, err
		}
		cur, err := insight.LoadTeam(ctx, s.store, r.OrgID, t.ID, now)
		if err != nil {
			return r, err
		}
		a, b := shapeOf(then), shapeOf(cur)
		r.Lines = append(r.Lines, fmt.Sprintf("%s: %d gaps and %d risks, gap score %.2f (a week ago: %d gaps, %d risks, %.2f).",
			t.Name, b.gaps, b.risks, b.score, a.gaps, a.risks, a.score))
	}
	if len(waiting) == 0 {
		r.Lines = append(r.Lines, "Nothing is waiting on you.")
	}
	for _, w := range waiting {
		r.Lines = append(r.Lines, "Waiting on you: "+w.Title+".")
	}
	r.Body = fmt.Sprintf("%d things waiting on you.", len(waiting))
	return r, nil
}

type figures struct {
	gaps, risks int
	score       float64
}

// shapeOf is a team's gap and risk counts and total score (the digest goes to the team's
// leader, who may see every figure).
func shapeOf(t *insight.Team) figures {
	res := shape.Analyze(t.Input)
	return figures{res.Counts[shape.StatusGap], res.Counts[shape.StatusRisk], res.TotalScore}
}

// Sweeper runs Sweep every interval until stopped: every instance runs one.
type Sweeper struct {
	svc      *Service
	log      *slog.Logger
	interval time.Duration
	stop     chan struct{}
	done     sync.WaitGroup
	once     sync.Once
}

// StartSweeper starts sweeping at once, then every interval.
func StartSweeper(svc *Service, log *slog.Logger, interval time.Duration) *Sweeper {
	w := &Sweeper{svc: svc, log: log, interval: interval, stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			ctx, cancel := context.WithTimeout(context.Background(), max(interval, time.Minute))
			n, err := svc.Sweep(ctx)
			cancel()
			if err != nil {
				log.Error("reminders", "err", err)
			} else if n > 0 {
				log.Info("reminders added", "count", n)
			}
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// Stop ends the sweeps, waiting for the one under way.
func (w *Sweeper) Stop() {
	w.once.Do(func() { close(w.stop) })
	w.done.Wait()
}
