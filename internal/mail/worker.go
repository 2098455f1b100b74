package mail

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// Backoff is the retry schedule of a message whose send failed: wait First after the
// first failure, twice as long after each next one, never more than Max, and give up
// (status failed) at the Attempts-th failure.
type Backoff struct {
	First    time.Duration
	Max      time.Duration
	Attempts int
}

// DefaultBackoff waits 30 s, 1, 2, 4, 8, 16, 32 min, then 1 h twice, and gives up at the
// tenth failure, about 3 h after the first: long enough to outlast an SMTP outage or a
// fixed typo in the settings, short enough that a password-reset link is not sent a day
// late.
var DefaultBackoff = Backoff{First: 30 * time.Second, Max: time.Hour, Attempts: 10}

// Next is the policy: the wait after the attempts-th failure, or give up.
func (b Backoff) Next(attempts int) (wait time.Duration, giveUp bool) {
	if attempts >= b.Attempts {
		return 0, true
	}
	wait = b.First
	for i := 1; i < attempts && wait < b.Max; i++ {
		wait *= 2
	}
	return min(wait, b.Max), false
}

// WorkerOptions tune a Worker; zero values take the defaults.
type WorkerOptions struct {
	// Concurrency is how many messages one instance sends at once (default 2). Each
	// holds a pooled connection for the time of its SMTP conversation.
	Concurrency int
	// PollInterval is how often an idle worker asks for due messages (default 1 s).
	PollInterval time.Duration
	// SendTimeout bounds one message's SMTP conversation (default DefaultSMTPTimeout).
	SendTimeout time.Duration
	// Retry is the retry schedule (default DefaultBackoff.Next).
	Retry app.RetryPolicy
}

// Worker delivers the outbox: its goroutines take due messages one at a time
// (MailDelivery.DeliverMail: FOR UPDATE SKIP LOCKED, marked sent in the transaction that
// held the lock), send them and record the outcome. Every instance runs one; they never
// take the same message at once, so there is no leader to elect.
type Worker struct {
	store  app.MailDelivery
	sender Sender
	log    *slog.Logger
	o      WorkerOptions

	stop     chan struct{} // closed by Stop: take no new message
	hard     context.Context
	hardStop context.CancelFunc // ends the sends in flight (Stop's deadline passed)
	wg       sync.WaitGroup
	started  sync.Once
	stopped  sync.Once
}

// NewWorker returns a worker that sends the outbox of store with sender.
func NewWorker(store app.MailDelivery, sender Sender, log *slog.Logger, o WorkerOptions) *Worker {
	if o.Concurrency <= 0 {
		o.Concurrency = 2
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = DefaultSMTPTimeout
	}
	if o.Retry == nil {
		o.Retry = DefaultBackoff.Next
	}
	hard, cancel := context.WithCancel(context.Background())
	return &Worker{store: store, sender: sender, log: log, o: o, stop: make(chan struct{}), hard: hard, hardStop: cancel}
}

// Start starts the worker's goroutines (once).
func (w *Worker) Start() {
	w.started.Do(func() {
		for range w.o.Concurrency {
			w.wg.Add(1)
			go w.loop()
		}
	})
}

// Stop takes no new message and waits for the sends in flight, each of which then
// records its outcome. If ctx ends first, the sends in flight are abandoned: their
// transactions roll back and their messages stay pending (and may have reached the
// server: they will be sent again). Stop returns ctx's error then.
func (w *Worker) Stop(ctx context.Context) error {
	w.stopped.Do(func() { close(w.stop) })
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		w.hardStop()
		return nil
	case <-ctx.Done():
		w.hardStop()
		<-done
		return ctx.Err()
	}
}

func (w *Worker) loop() {
	defer w.wg.Done()
	idle := time.NewTimer(0)
	defer idle.Stop()
	for {
		select {
		case <-w.stop:
			return
		default:
		}
		m, err := w.deliverOne()
		if err == nil && m != nil {
			continue // there may be more due: ask again at once
		}
		if err != nil {
			w.log.Error("mail outbox", "err", err)
		}
		idle.Reset(w.o.PollInterval)
		select {
		case <-w.stop:
			return
		case <-idle.C:
		}
	}
}

// deliverOne sends the next due message, if any, and logs the outcome. Its transaction
// runs in w.hard, which only an expired Stop cancels: a graceful stop lets it commit.
func (w *Worker) deliverOne() (*app.OutboxMail, error) {
	m, err := w.store.DeliverMail(w.hard, w.send, w.o.Retry)
	if err != nil || m == nil {
		return m, err
	}
	switch m.Status {
	case app.MailSent:
		w.log.Info("mail sent", "id", m.ID, "key", m.Key, "attempts", m.Attempts)
	case app.MailPending:
		w.log.Warn("mail not sent; will retry", "id", m.ID, "key", m.Key, "attempts", m.Attempts,
			"next_attempt_at", m.NextAttemptAt, "err", m.LastError)
	case app.MailFailed:
		w.log.Error("mail not sent; giving up", "id", m.ID, "key", m.Key, "attempts", m.Attempts, "err", m.LastError)
	}
	return m, nil
}

// send sends one claimed message within SendTimeout; a panic in the sender is a failed
// attempt, not a dead worker.
func (w *Worker) send(ctx context.Context, m *app.OutboxMail) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic while sending: %v", r)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, w.o.SendTimeout)
	defer cancel()
	return w.sender.Send(ctx, &m.Mail)
}
