package notify_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/internal/mail/mailtest"
	"github.com/teamshape/teamshape/internal/notify"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

const from = "Teamshape <teamshape@teamshape.test>"

// instance is one server's share of the work: its own pool, notification service (with
// the cycle deadlines as a source) and outbox worker, as cli.Main builds them.
type instance struct {
	db     *postgres.DB
	svc    *notify.Service
	worker *mail.Worker
}

func startInstance(t *testing.T, url string, srv *mailtest.Server) *instance {
	t.Helper()
	return startInstanceAt(t, url, srv, time.Now)
}

// startInstanceAt is startInstance with the clock now.
func startInstanceAt(t *testing.T, url string, srv *mailtest.Server, now func() time.Time) *instance {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := notify.New(db, now, "http://teamshape.test", cycles.New(db, coaching.New(db, now), now))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := mail.ParseSMTPURL(srv.URL("smtp", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(cfg, from, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	w := mail.NewWorker(db, sender, slog.New(slog.NewTextHandler(io.Discard, nil)), mail.WorkerOptions{
		Concurrency: 2, PollInterval: 10 * time.Millisecond,
		Retry: mail.Backoff{First: 20 * time.Millisecond, Max: 50 * time.Millisecond, Attempts: 100}.Next})
	w.Start()
	return &instance{db: db, svc: svc, worker: w}
}

func (i *instance) stop(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := i.worker.Stop(ctx); err != nil {
		t.Error(err)
	}
	i.db.Close()
}

// sweepAll runs n sweeps on every instance at once.
func sweepAll(t *testing.T, insts []*instance, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for _, in := range insts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if _, err := in.svc.Sweep(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func count(t *testing.T, db *postgres.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.GetContext(context.Background(), &n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond) // polling the database
	}
}

// TestRemindersExactlyOnce: three instances sweep the demo organisation five times each, at
// once, while SMTP first refuses every message; then SMTP recovers. Every reminder is one
// notification and, where the person wants it by e-mail, exactly one e-mail in Mailpit.
// Two new instances after a "restart" sweep again: nothing more is added or sent.
func TestRemindersExactlyOnce(t *testing.T) {
	ctx, srv, url, seed, org := refusedDemo(t)
	id := func(email string) int64 {
		u, err := seed.FindUserByEmail(ctx, org.ID, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	pm, pm2, leader := id("pm@demo.test"), id("pm2@demo.test"), id("leader@demo.test")
	toPM2 := &app.PeerRequest{SubjectID: pm, ReviewerID: pm2, RequestedBy: pm}
	toPM := &app.PeerRequest{SubjectID: pm2, ReviewerID: pm, RequestedBy: leader}
	toLeader := &app.PeerRequest{SubjectID: pm, ReviewerID: leader, RequestedBy: pm} // in the leader's digest
	for _, r := range []*app.PeerRequest{toPM2, toPM, toLeader} {
		if err := seed.CreatePeerRequest(ctx, org.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	// pm wants peer requests in the app only.
	if err := seed.SetNotificationPrefs(ctx, pm, map[string]bool{app.NotifyPeerRequest: false}); err != nil {
		t.Fatal(err)
	}

	insts := []*instance{startInstance(t, url, srv), startInstance(t, url, srv), startInstance(t, url, srv)}
	sweepAll(t, insts, 5)
	waitFor(t, "refused attempts", func() bool {
		return count(t, seed, `SELECT count(*) FROM mail_outbox WHERE attempts >= 2 AND last_error LIKE '%451%'`) > 0
	})
	srv.SetChaos(t, mailtest.Chaos{})
	waitFor(t, "the outbox sent", func() bool {
		return count(t, seed, `SELECT count(*) FROM mail_outbox WHERE status <> 'sent'`) == 0
	})
	for _, in := range insts {
		in.stop(t)
	}

	notes := count(t, seed, `SELECT count(*) FROM notifications`)
	mails := count(t, seed, `SELECT count(*) FROM mail_outbox`)
	msgs := srv.Messages(t)
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[m.MessageID] = true
	}
	if mails == 0 || len(msgs) != mails || len(ids) != mails {
		t.Fatalf("%d e-mails in the outbox, %d in Mailpit (%d distinct)", mails, len(msgs), len(ids))
	}
	t.Logf("%d notifications, %d e-mails, %d attempts in all (SMTP refused the first ones)", notes, mails,
		count(t, seed, `SELECT sum(attempts) FROM mail_outbox`))
	// Every e-mail is a notification's, under its key.
	if n := count(t, seed, `SELECT count(*) FROM mail_outbox o JOIN notifications n ON n.key = o.key`); n != mails {
		t.Errorf("%d of %d e-mails have a notification of the same key", n, mails)
	}
	// The peer requests: pm2's by e-mail, pm's in the app only.
	for _, tc := range []struct {
		req   *app.PeerRequest
		email int
	}{{toPM2, 1}, {toPM, 0}} {
		key := "peer_request:" + strconv.FormatInt(tc.req.ID, 10)
		if n := count(t, seed, `SELECT count(*) FROM notifications WHERE key = $1`, key); n != 1 {
			t.Errorf("%s: %d notifications, want 1", key, n)
		}
		if n := count(t, seed, `SELECT count(*) FROM mail_outbox WHERE key = $1`, key); n != tc.email {
			t.Errorf("%s: %d e-mails, want %d", key, n, tc.email)
		}
	}
	var digest, request *mailtest.Summary
	for i, m := range msgs {
		switch {
		case m.To[0].Address == "leader@demo.test" && strings.Contains(m.Subject, "weekly Teamshape digest"):
			digest = &msgs[i]
		case m.To[0].Address == "pm2@demo.test" && strings.Contains(m.Subject, "asked you to rate"):
			request = &msgs[i]
		}
	}
	if digest == nil || request == nil {
		t.Fatalf("no digest for the leader or no request for pm2 in %+v", msgs)
	}
	if body := srv.Message(t, digest.ID).Text; !strings.Contains(body, "Growth:") || !strings.Contains(body, "Waiting on you: ") {
		t.Errorf("digest text:\n%s", body)
	}
	if body := srv.Message(t, request.ID).Text; !strings.Contains(body, "http://teamshape.test/peer-requests/"+strconv.FormatInt(toPM2.ID, 10)) {
		t.Errorf("request text:\n%s", body)
	}

	// A restart: two new instances sweep again and run their workers a while.
	insts = []*instance{startInstance(t, url, srv), startInstance(t, url, srv)}
	sweepAll(t, insts, 3)
	time.Sleep(300 * time.Millisecond) // the workers poll every 10 ms: they would have sent anything new
	for _, in := range insts {
		in.stop(t)
	}
	if n := count(t, seed, `SELECT count(*) FROM notifications`); n != notes {
		t.Errorf("after the restart %d notifications, want %d", n, notes)
	}
	if n := count(t, seed, `SELECT count(*) FROM mail_outbox`); n != mails {
		t.Errorf("after the restart %d e-mails queued, want %d", n, mails)
	}
	if n := len(srv.Messages(t)); n != mails {
		t.Errorf("after the restart Mailpit has %d messages, want %d", n, mails)
	}
}

// refusedDemo is the set-up of the exactly-once tests: Mailpit refusing every message
// (451) until the test lets it recover, and a fresh database with the demo organisation
// (its URL, for the instances) through a pool closed when the test ends.
func refusedDemo(t *testing.T) (context.Context, *mailtest.Server, string, *postgres.DB, *app.Organisation) {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{Chaos: true})
	srv.SetChaos(t, mailtest.Chaos{Recipient: mailtest.Trigger{ErrorCode: 451, Probability: 100}})
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	seed, err := postgres.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { seed.Close() })
	org, err := demo.Seed(ctx, seed, "correct-horse-battery")
	if err != nil {
		t.Fatal(err)
	}
	return ctx, srv, url, seed, org
}
