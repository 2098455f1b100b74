package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

func testMail(to string) app.Mail {
	return app.Mail{To: to, Subject: "Your quarterly reminder", Text: "Update your profile.", HTML: "<p>Update your profile.</p>"}
}

func outboxCount(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM mail_outbox`); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEnqueueMailIsIdempotent(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()

	for i, want := range []bool{true, false} {
		queued, err := db.EnqueueMail(ctx, "reminder:2026-Q4:user:42", testMail("pm@example.com"))
		if err != nil || queued != want {
			t.Fatalf("enqueue #%d: %v, %v; want %v", i+1, queued, err, want)
		}
	}
	// The same key from many transactions at once: one row.
	var wg sync.WaitGroup
	var mu sync.Mutex
	queuedN := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.InTx(ctx, func(tx *sqlx.Tx) error {
				q, err := postgres.EnqueueMail(ctx, tx, "digest:2026-Q4:user:7", testMail("lead@example.com"))
				if q {
					mu.Lock()
					queuedN++
					mu.Unlock()
				}
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if queuedN != 1 {
		t.Errorf("%d concurrent enqueues of one key reported queued, want 1", queuedN)
	}
	// No key: every enqueue adds one.
	for range 2 {
		if q, err := db.EnqueueMail(ctx, "", testMail("pm@example.com")); err != nil || !q {
			t.Fatalf("enqueue without a key: %v %v", q, err)
		}
	}
	if n := outboxCount(t, db); n != 4 {
		t.Fatalf("%d rows, want 4", n)
	}

	// Enqueued in a feature's transaction: there if it commits, gone if it rolls back.
	boom := errors.New("the feature's write failed")
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := postgres.EnqueueMail(ctx, tx, "invite:1", testMail("new@example.com")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, err := db.FindOutboxMailByKey(ctx, "invite:1"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("rolled-back enqueue: %v", err)
	}

	m, err := db.FindOutboxMailByKey(ctx, "reminder:2026-Q4:user:42")
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != app.MailPending || m.Attempts != 0 || m.MessageID == "" || m.To != "pm@example.com" ||
		m.HTML != "<p>Update your profile.</p>" || m.SentAt != nil || m.LastAttemptAt != nil || m.NextAttemptAt.IsZero() {
		t.Errorf("enqueued: %+v", m)
	}
	if byID, err := db.FindOutboxMail(ctx, m.ID); err != nil || byID.Key != m.Key {
		t.Errorf("by id: %+v %v", byID, err)
	}

	for name, bad := range map[string]app.Mail{
		"no recipient":       {Subject: "s", Text: "t"},
		"bad recipient":      {To: "not an address", Subject: "s", Text: "t"},
		"two-line subject":   {To: "a@b.example", Subject: "s\nBcc: x@y.example", Text: "t"},
		"no text":            {To: "a@b.example", Subject: "s", HTML: "<p>h</p>"},
		"bracketed id":       {To: "a@b.example", Subject: "s", Text: "t", MessageID: "<x@y>"},
		"not UTF-8":          {To: "a@b.example", Subject: "s", Text: "t\xff"},
		"NUL in HTML":        {To: "a@b.example", Subject: "s", Text: "t", HTML: "a\x00b"},
		"absurdly long text": {To: "a@b.example", Subject: "s", Text: string(make([]byte, app.MaxMailBody+1))},
	} {
		if _, err := db.EnqueueMail(ctx, "", bad); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

// TestDeliverMailRecordsOutcome walks one message through failures, their schedule and
// success, and another to giving up.
func TestDeliverMailRecordsOutcome(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	retry := func(n int) (time.Duration, bool) { return time.Duration(n) * time.Hour, n >= 3 }
	failing := func(context.Context, *app.OutboxMail) error { return errors.New("451 4.3.0 try again later") }
	var sentTo []string
	sending := func(_ context.Context, m *app.OutboxMail) error { sentTo = append(sentTo, m.To); return nil }
	makeDue := func(id int64) {
		t.Helper()
		if _, err := db.Exec(`UPDATE mail_outbox SET next_attempt_at = now() - interval '1 second' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
	}

	if m, err := db.DeliverMail(ctx, sending, retry); m != nil || err != nil {
		t.Fatalf("empty outbox: %+v %v", m, err)
	}
	if _, err := db.EnqueueMail(ctx, "a", testMail("a@example.com")); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 2; attempt++ {
		m, err := db.DeliverMail(ctx, failing, retry)
		if err != nil || m == nil {
			t.Fatalf("attempt %d: %+v %v", attempt, m, err)
		}
		if m.Status != app.MailPending || m.Attempts != attempt || m.LastError != "451 4.3.0 try again later" ||
			m.LastAttemptAt == nil || m.NextAttemptAt.Sub(*m.LastAttemptAt) != time.Duration(attempt)*time.Hour {
			t.Fatalf("after failure %d: %+v", attempt, m)
		}
		// Not due: nobody takes it.
		if m2, err := db.DeliverMail(ctx, sending, retry); m2 != nil || err != nil {
			t.Fatalf("a message waiting for its next attempt was taken: %+v %v", m2, err)
		}
		makeDue(m.ID)
	}
	m, err := db.DeliverMail(ctx, sending, retry)
	if err != nil || m == nil || m.Status != app.MailSent || m.Attempts != 3 || m.SentAt == nil || !m.SentAt.Equal(*m.LastAttemptAt) {
		t.Fatalf("sent: %+v %v", m, err)
	}
	makeDue(m.ID) // a sent message is never taken again, due or not
	if m2, err := db.DeliverMail(ctx, sending, retry); m2 != nil || err != nil || len(sentTo) != 1 {
		t.Fatalf("sent message taken again: %+v %v %v", m2, err, sentTo)
	}

	if _, err := db.EnqueueMail(ctx, "b", testMail("b@example.com")); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 3; attempt++ {
		m, err = db.DeliverMail(ctx, failing, retry)
		if err != nil || m == nil {
			t.Fatalf("attempt %d: %+v %v", attempt, m, err)
		}
		makeDue(m.ID)
	}
	if m.Status != app.MailFailed || m.Attempts != 3 || m.LastError == "" || m.SentAt != nil {
		t.Fatalf("given up: %+v", m)
	}
	if m2, err := db.DeliverMail(ctx, sending, retry); m2 != nil || err != nil {
		t.Fatalf("a failed message was taken again: %+v %v", m2, err)
	}
}

// TestDeliverMailSkipsLockedRows holds one message in a send and checks that a second
// deliverer takes the other message, and a third finds nothing free.
func TestDeliverMailSkipsLockedRows(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	for _, k := range []string{"first", "second"} {
		if _, err := db.EnqueueMail(ctx, k, testMail(k+"@example.com")); err != nil {
			t.Fatal(err)
		}
	}
	retry := func(int) (time.Duration, bool) { return time.Minute, false }
	inSend, release := make(chan string), make(chan struct{})
	done := make(chan *app.OutboxMail)
	go func() {
		m, err := db.DeliverMail(ctx, func(_ context.Context, m *app.OutboxMail) error {
			inSend <- m.Key
			<-release
			return nil
		}, retry)
		if err != nil {
			t.Error(err)
		}
		done <- m
	}()
	held := <-inSend
	if held != "first" {
		t.Errorf("took %q first, want the oldest", held)
	}
	var other string
	m, err := db.DeliverMail(ctx, func(_ context.Context, m *app.OutboxMail) error { other = m.Key; return nil }, retry)
	if err != nil || m == nil || other != "second" {
		t.Fatalf("second deliverer: %+v %v, took %q", m, err, other)
	}
	if m, err := db.DeliverMail(ctx, func(context.Context, *app.OutboxMail) error {
		t.Error("a third deliverer was given a message")
		return nil
	}, retry); m != nil || err != nil {
		t.Fatalf("third deliverer: %+v %v", m, err)
	}
	close(release)
	if m := <-done; m == nil || m.Status != app.MailSent || m.Key != "first" {
		t.Fatalf("first: %+v", m)
	}
}
