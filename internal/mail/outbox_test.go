package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/mail/mailtest"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// The outbox end to end: real PostgreSQL, real SMTP (Mailpit), workers with pools of
// their own as separate instances would have.

// fast retries: the schedule's shape with milliseconds for minutes.
var fast = mail.Backoff{First: 20 * time.Millisecond, Max: 160 * time.Millisecond, Attempts: 1000}

// testLog is a logger whose output the test prints if it fails.
func testLog(t *testing.T) *slog.Logger {
	t.Helper()
	var mu sync.Mutex
	var buf bytes.Buffer
	t.Cleanup(func() { // registered first: runs after the workers stopped
		if t.Failed() {
			mu.Lock()
			t.Logf("worker log:\n%s", buf.String())
			mu.Unlock()
		}
	})
	return slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), nil))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// senderFunc makes a Sender of a function (wrapping the real SMTP sender).
type senderFunc func(context.Context, *mail.Message) error

func (f senderFunc) Send(ctx context.Context, m *mail.Message) error { return f(ctx, m) }

// pool opens a pool of its own on the database, as another instance would.
func pool(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// startWorker starts a worker that polls every 10 ms; it is stopped when the test ends.
func startWorker(t *testing.T, db app.MailDelivery, s mail.Sender, log *slog.Logger, retry app.RetryPolicy) *mail.Worker {
	t.Helper()
	if retry == nil {
		retry = fast.Next
	}
	w := mail.NewWorker(db, s, log, mail.WorkerOptions{Concurrency: 2, PollInterval: 10 * time.Millisecond, SendTimeout: 5 * time.Second, Retry: retry})
	w.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := w.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return w
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond) // polling the database, not ordering goroutines
	}
}

func enqueue(t *testing.T, db *postgres.DB, n int) {
	t.Helper()
	for i := range n {
		m := mail.Message{To: fmt.Sprintf("pm%d@example.com", i), Subject: fmt.Sprintf("Reminder %d", i), Text: "Update your profile."}
		if q, err := db.EnqueueMail(context.Background(), fmt.Sprintf("reminder:%d", i), m); err != nil || !q {
			t.Fatalf("enqueue %d: %v %v", i, q, err)
		}
	}
}

type row struct {
	ID        int64  `db:"id"`
	MessageID string `db:"message_id"`
	Status    string `db:"status"`
	Attempts  int    `db:"attempts"`
}

func rows(t *testing.T, db *postgres.DB) []row {
	t.Helper()
	var rs []row
	if err := db.Select(&rs, `SELECT id, message_id, status, attempts FROM mail_outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return rs
}

func countStatus(t *testing.T, db *postgres.DB, status string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM mail_outbox WHERE status = $1`, status); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkDeliveredOnce checks that Mailpit holds exactly one message for each outbox row,
// all sent in one attempt.
func checkDeliveredOnce(t *testing.T, srv *mailtest.Server, db *postgres.DB, n int) {
	t.Helper()
	rs := rows(t, db)
	if len(rs) != n {
		t.Fatalf("%d outbox rows, want %d", len(rs), n)
	}
	want := map[string]bool{}
	for _, r := range rs {
		if r.Status != app.MailSent || r.Attempts != 1 {
			t.Errorf("row %d: %s after %d attempts, want sent after 1", r.ID, r.Status, r.Attempts)
		}
		want[r.MessageID+"@teamshape.test"] = true
	}
	got := map[string]int{}
	for _, m := range srv.Messages(t) {
		got[m.MessageID]++
	}
	for id, k := range got {
		if k != 1 || !want[id] {
			t.Errorf("Mailpit has %q %d times (in the outbox: %v)", id, k, want[id])
		}
	}
	if len(got) != n {
		t.Errorf("Mailpit has %d distinct messages, want %d", len(got), n)
	}
}

// TestOutboxThreeWorkersSendEachMessageOnce drains 50 messages with three workers, each
// with its own pool and two goroutines, racing from the same moment.
func TestOutboxThreeWorkersSendEachMessageOnce(t *testing.T) {
	log := testLog(t)
	srv := mailtest.Start(t, mailtest.Options{})
	url := pgtest.NewDatabase(t)
	enqueue(t, pool(t, url), 50)

	smtp := sender(t, srv, srv.URL("smtp", "", ""))
	var sends [3]atomic.Int32
	for i := range 3 {
		db := pool(t, url)
		startWorker(t, db, senderFunc(func(ctx context.Context, m *mail.Message) error {
			sends[i].Add(1)
			return smtp.Send(ctx, m)
		}), log.With("worker", i), nil)
	}
	check := pool(t, url)
	waitFor(t, 60*time.Second, "50 sent", func() bool { return countStatus(t, check, app.MailSent) == 50 })
	checkDeliveredOnce(t, srv, check, 50)
	if total := sends[0].Load() + sends[1].Load() + sends[2].Load(); total != 50 {
		t.Errorf("%d sends, want 50", total)
	}
	t.Logf("sends per worker: %d %d %d", sends[0].Load(), sends[1].Load(), sends[2].Load())
}

// TestOutboxRetriesWhileSMTPIsDown keeps a message while Mailpit is stopped, with growing
// waits between attempts, and sends it once when Mailpit is back.
func TestOutboxRetriesWhileSMTPIsDown(t *testing.T) {
	log := testLog(t)
	srv := mailtest.Start(t, mailtest.Options{})
	db := pool(t, pgtest.NewDatabase(t))
	srv.Stop()
	enqueue(t, db, 1)
	startWorker(t, db, sender(t, srv, srv.URL("smtp", "", "")), log, nil)

	// Watch the attempts: each wait is the schedule's for its attempt, so they grow.
	seen := map[int]time.Duration{}
	next := map[int]time.Time{}
	waitFor(t, 30*time.Second, "5 failed attempts", func() bool {
		m, err := db.FindOutboxMailByKey(context.Background(), "reminder:0")
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != app.MailPending {
			t.Fatalf("status %s while SMTP is down: %+v", m.Status, m)
		}
		if m.Attempts > 0 {
			if !strings.Contains(m.LastError, "connect") || m.LastAttemptAt == nil {
				t.Fatalf("after a failed attempt: %+v", m)
			}
			seen[m.Attempts] = m.NextAttemptAt.Sub(*m.LastAttemptAt)
			next[m.Attempts] = m.NextAttemptAt
		}
		return m.Attempts >= 5
	})
	var attempts []int
	for n, wait := range seen {
		attempts = append(attempts, n)
		if want, _ := fast.Next(n); wait != want {
			t.Errorf("after attempt %d: next attempt in %v, want %v", n, wait, want)
		}
	}
	sort.Ints(attempts)
	if len(attempts) < 2 {
		t.Fatalf("saw only attempts %v", attempts)
	}
	for i := 1; i < len(attempts); i++ {
		a, b := attempts[i-1], attempts[i]
		if !next[b].After(next[a]) || seen[b] < seen[a] {
			t.Errorf("attempt %d: next at %v in %v; attempt %d: next at %v in %v (want both to grow)", a, next[a], seen[a], b, next[b], seen[b])
		}
	}
	t.Logf("waits seen after each attempt: %v", seen)

	srv.Restart()
	waitFor(t, 30*time.Second, "the message sent", func() bool { return countStatus(t, db, app.MailSent) == 1 })
	if l := srv.Messages(t); len(l) != 1 {
		t.Fatalf("Mailpit has %d messages, want 1", len(l))
	}
	m, _ := db.FindOutboxMailByKey(context.Background(), "reminder:0")
	if m.Attempts < 6 || m.SentAt == nil || m.LastError == "" {
		t.Errorf("sent: %+v (want the failures counted and the last error kept)", m)
	}
}

// TestOutboxRetriesWhenSMTPRefuses has Mailpit answer 451 to every recipient, then
// recover: the message is sent once.
func TestOutboxRetriesWhenSMTPRefuses(t *testing.T) {
	log := testLog(t)
	srv := mailtest.Start(t, mailtest.Options{Chaos: true})
	srv.SetChaos(t, mailtest.Chaos{Recipient: mailtest.Trigger{ErrorCode: 451, Probability: 100}})
	db := pool(t, pgtest.NewDatabase(t))
	enqueue(t, db, 1)
	startWorker(t, db, sender(t, srv, srv.URL("smtp", "", "")), log, nil)
	waitFor(t, 30*time.Second, "3 refused attempts", func() bool {
		m, err := db.FindOutboxMailByKey(context.Background(), "reminder:0")
		if err != nil {
			t.Fatal(err)
		}
		if m.Attempts > 0 && !strings.Contains(m.LastError, "451") {
			t.Fatalf("last error %q, want the 451", m.LastError)
		}
		return m.Attempts >= 3
	})
	srv.SetChaos(t, mailtest.Chaos{})
	waitFor(t, 30*time.Second, "the message sent", func() bool { return countStatus(t, db, app.MailSent) == 1 })
	if l := srv.Messages(t); len(l) != 1 {
		t.Fatalf("Mailpit has %d messages, want 1", len(l))
	}
}

// TestOutboxGivesUp marks a message failed after its last attempt and sends nothing more.
func TestOutboxGivesUp(t *testing.T) {
	log := testLog(t)
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Stop()
	db := pool(t, pgtest.NewDatabase(t))
	enqueue(t, db, 1)
	startWorker(t, db, sender(t, srv, srv.URL("smtp", "", "")), log,
		mail.Backoff{First: 10 * time.Millisecond, Max: 10 * time.Millisecond, Attempts: 3}.Next)
	waitFor(t, 30*time.Second, "the message failed", func() bool { return countStatus(t, db, app.MailFailed) == 1 })
	m, _ := db.FindOutboxMailByKey(context.Background(), "reminder:0")
	if m.Attempts != 3 || m.LastError == "" || m.SentAt != nil {
		t.Errorf("failed: %+v", m)
	}
}

// TestOutboxWorkerRestartDoesNotResend stops a worker half-way through 30 messages and
// finishes with a new one on a new pool: every message arrives once.
func TestOutboxWorkerRestartDoesNotResend(t *testing.T) {
	log := testLog(t)
	srv := mailtest.Start(t, mailtest.Options{})
	url := pgtest.NewDatabase(t)
	check := pool(t, url)
	enqueue(t, check, 30)
	smtp := sender(t, srv, srv.URL("smtp", "", ""))

	// The first worker stops after its tenth send began (graceful: in-flight sends finish).
	var n atomic.Int32
	tenth := make(chan struct{})
	first := mail.NewWorker(pool(t, url), senderFunc(func(ctx context.Context, m *mail.Message) error {
		if n.Add(1) == 10 {
			close(tenth)
		}
		return smtp.Send(ctx, m)
	}), log.With("worker", "first"), mail.WorkerOptions{Concurrency: 2, PollInterval: 10 * time.Millisecond, Retry: fast.Next})
	first.Start()
	t.Cleanup(func() { first.Stop(context.Background()) }) //nolint:errcheck // stopped below; this is for a failure before
	<-tenth
	if err := first.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	sent := countStatus(t, check, app.MailSent)
	if sent < 10 || sent == 30 || int(n.Load()) != sent {
		t.Fatalf("after the first worker: %d sent, %d sends (want every send recorded, some left)", sent, n.Load())
	}
	if l := srv.WaitForMessages(t, sent, 5*time.Second); len(l) != sent {
		t.Fatalf("Mailpit has %d, the outbox says %d sent", len(l), sent)
	}

	startWorker(t, pool(t, url), smtp, log.With("worker", "second"), nil)
	waitFor(t, 60*time.Second, "30 sent", func() bool { return countStatus(t, check, app.MailSent) == 30 })
	checkDeliveredOnce(t, srv, check, 30)
	t.Logf("first worker sent %d, second %d", sent, 30-sent)
}

// TestWorkerStop: a graceful stop lets a send in flight finish and be recorded; a stop
// whose deadline passes abandons it, and the message stays pending, unsent.
func TestWorkerStop(t *testing.T) {
	log := testLog(t)
	srv := mailtest.Start(t, mailtest.Options{})
	smtp := sender(t, srv, srv.URL("smtp", "", ""))
	db := pool(t, pgtest.NewDatabase(t))
	for i, graceful := range []bool{true, false} {
		t.Run(fmt.Sprint("graceful=", graceful), func(t *testing.T) {
			key := fmt.Sprintf("stop:%d", i)
			if _, err := db.EnqueueMail(context.Background(), key, mail.Message{To: "pm@example.com", Subject: key, Text: "t"}); err != nil {
				t.Fatal(err)
			}
			before := len(srv.Messages(t))
			inSend, release := make(chan struct{}), make(chan struct{})
			w := mail.NewWorker(db, senderFunc(func(ctx context.Context, m *mail.Message) error {
				close(inSend)
				select {
				case <-release:
				case <-ctx.Done():
					return ctx.Err()
				}
				return smtp.Send(ctx, m)
			}), log, mail.WorkerOptions{Concurrency: 1, PollInterval: 10 * time.Millisecond, Retry: fast.Next})
			w.Start()
			<-inSend
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan error)
			go func() { stopped <- w.Stop(ctx) }()
			if graceful {
				close(release)
			} else {
				cancel()
			}
			err := <-stopped
			cancel()
			m, _ := db.FindOutboxMailByKey(context.Background(), key)
			delivered := len(srv.Messages(t)) - before
			if graceful {
				if err != nil || m.Status != app.MailSent || delivered != 1 {
					t.Fatalf("graceful stop: %v, %+v, %d delivered", err, m, delivered)
				}
				return
			}
			if err == nil || m.Status != app.MailPending || m.Attempts != 0 || delivered != 0 {
				t.Fatalf("abandoned: %v, %+v, %d delivered", err, m, delivered)
			}
		})
	}
}

// TestOutboxLostCommitSendsAgain shows the window that remains: the SMTP server accepted
// the message, then the deliverer's database connection died before the commit that
// marks it sent. The row is pending again and the message goes out a second time, with
// the same Message-ID (docs/RELIABILITY.md, "E-mail").
func TestOutboxLostCommitSendsAgain(t *testing.T) {
	log := testLog(t)
	srv := mailtest.Start(t, mailtest.Options{})
	url := pgtest.NewDatabase(t)
	admin := pool(t, url)
	enqueue(t, admin, 1)
	smtp := sender(t, srv, srv.URL("smtp", "", ""))
	var once sync.Once
	startWorker(t, pool(t, url), senderFunc(func(ctx context.Context, m *mail.Message) error {
		if err := smtp.Send(ctx, m); err != nil {
			return err
		}
		once.Do(func() { // kill the transaction holding the row, as a crash would (and wait until it is gone)
			if _, err := admin.Exec(`SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'`); err != nil {
				t.Error(err)
			}
		})
		return nil
	}), log, nil)
	waitFor(t, 30*time.Second, "the message marked sent", func() bool { return countStatus(t, admin, app.MailSent) == 1 })
	l := srv.Messages(t)
	ids := make([]string, len(l))
	for i, m := range l {
		ids[i] = m.MessageID
	}
	// Each lost commit sends once more: the kill may end a second worker's transaction that
	// took the row meanwhile (it then went out three times); every copy has one Message-ID.
	sort.Strings(ids)
	if len(l) < 2 || ids[0] != ids[len(ids)-1] {
		t.Fatalf("Mailpit has %v, want the same Message-ID at least twice", ids)
	}
}
