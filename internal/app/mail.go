package app

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Mail is one e-mail to one person: plain text plus, optionally, simple HTML. Package mail
// renders it from templates (mail.Message is this type) and sends it; package postgres
// keeps it in the outbox until it is sent.
type Mail struct {
	// To is one address, bare (pm@example.com) or with a name (Maya Lee <pm@example.com>;
	// mail.Address formats one safely from a name people typed).
	To      string `db:"to_addr"`
	Subject string `db:"subject"`
	// Text is the plain-text body; every e-mail has one.
	Text string `db:"text_body"`
	// HTML is the HTML body (optional), rendered by html/template so user text is escaped.
	HTML string `db:"html_body"`
	// MessageID is the Message-ID header without its angle brackets. The outbox gives
	// every message one when it is enqueued and sends it unchanged on every attempt, so a
	// message delivered twice (docs/RELIABILITY.md, "E-mail") carries the same Message-ID
	// both times. Without "@" it is the left part, and the sender adds "@" and the domain
	// of its From address. Empty: the sender makes a fresh one.
	MessageID string `db:"message_id"`
}

// Limits of an e-mail's parts, far above what Teamshape writes: they stop a runaway
// template, not people.
const (
	MaxMailSubject = 400
	MaxMailBody    = 1 << 20
)

// Validate reports the first part of the e-mail that cannot be sent, as EINVALID naming it.
func (m *Mail) Validate() error {
	if strings.TrimSpace(m.To) == "" {
		return Invalid("to", "An e-mail needs a recipient.")
	}
	if a, err := mail.ParseAddress(m.To); err != nil || a.Address == "" {
		return Invalid("to", "%q is not an e-mail address.", m.To)
	}
	switch {
	case strings.TrimSpace(m.Subject) == "":
		return Invalid("subject", "An e-mail needs a subject.")
	case strings.ContainsAny(m.Subject, "\r\n"):
		return Invalid("subject", "A subject is one line.")
	case len(m.Subject) > MaxMailSubject:
		return Invalid("subject", "A subject has at most %d bytes.", MaxMailSubject)
	case strings.TrimSpace(m.Text) == "":
		return Invalid("text", "An e-mail needs a plain-text body.")
	case len(m.Text) > MaxMailBody || len(m.HTML) > MaxMailBody:
		return Invalid("text", "A body has at most %d bytes.", MaxMailBody)
	case strings.ContainsAny(m.MessageID, "<> \t\r\n"):
		return Invalid("message_id", "A Message-ID is given without angle brackets or spaces.")
	}
	for _, s := range []string{m.To, m.Subject, m.Text, m.HTML} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return Invalid("text", "An e-mail holds a character that cannot be sent.")
		}
	}
	return nil
}

// Outbox states. A message is pending until it is sent or its attempts run out.
const (
	MailPending = "pending" // waiting for its next attempt (next_attempt_at)
	MailSent    = "sent"    // the SMTP server accepted it (sent_at)
	MailFailed  = "failed"  // every attempt failed; last_error says why; never retried
)

// OutboxMail is a message in the outbox with its delivery state.
type OutboxMail struct {
	ID int64 `db:"id"`
	// Key makes enqueueing idempotent: a second message with a key already in the outbox
	// is not added. Empty: no key (every enqueue adds a message).
	Key string `db:"key"`
	Mail
	Status        string     `db:"status"`
	Attempts      int        `db:"attempts"`
	NextAttemptAt time.Time  `db:"next_attempt_at"`
	LastAttemptAt *time.Time `db:"last_attempt_at"`
	LastError     string     `db:"last_error"`
	CreatedAt     time.Time  `db:"created_at"`
	SentAt        *time.Time `db:"sent_at"`
}

// MailStore keeps the outbox: features enqueue e-mail, the worker of package mail sends it.
type MailStore interface {
	// EnqueueMail adds a message to the outbox, due at once, unless one with the same
	// non-empty key is there already (then it reports false and changes nothing). To
	// enqueue in the transaction of a feature's own write, use postgres.EnqueueMail with
	// the transaction.
	EnqueueMail(ctx context.Context, key string, m Mail) (queued bool, err error)
	FindOutboxMail(ctx context.Context, id int64) (*OutboxMail, error)
	// FindOutboxMailByKey is ENOTFOUND when no message has the key.
	FindOutboxMailByKey(ctx context.Context, key string) (*OutboxMail, error)
}

// MailDelivery is what the outbox worker needs from storage.
type MailDelivery interface {
	// DeliverMail takes the next due pending message that no other worker holds, calls
	// send with it while holding its row lock, and records the outcome in the same
	// transaction: sent, or the failure with its next attempt (retry says after how long,
	// or that the attempts have run out). It returns the message as recorded, or nil when
	// nothing is due.
	DeliverMail(ctx context.Context, send func(context.Context, *OutboxMail) error, retry RetryPolicy) (*OutboxMail, error)
}

// RetryPolicy says, after a message's attempts-th failed attempt, how long to wait before
// the next one, or that there is none (give up).
type RetryPolicy func(attempts int) (wait time.Duration, giveUp bool)
