package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

// The outbox (migrations/00016_mail_outbox.sql). How delivery stays once-only, and where
// it cannot: docs/RELIABILITY.md, "E-mail".

const mailColumns = `id, COALESCE(key, '') AS key, message_id, to_addr, subject, text_body, html_body,
	status, attempts, next_attempt_at, last_attempt_at, last_error, created_at, sent_at`

const enqueueMailSQL = `
	INSERT INTO mail_outbox (key, message_id, to_addr, subject, text_body, html_body)
	VALUES ($1, $2, $3, $4, $5, $6)
	ON CONFLICT (key) DO NOTHING`

// EnqueueMail adds m to the outbox through q: a feature passes its transaction so that the
// message is queued if and only if its write commits. With a non-empty key that is in the
// outbox already (sent or not) it adds nothing and reports false; a concurrent
// transaction enqueueing the same key waits for this one and then adds nothing. The
// message is due at once; a worker sends it within its poll interval.
func EnqueueMail(ctx context.Context, q sqlx.ExtContext, key string, m app.Mail) (queued bool, err error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	if m.MessageID == "" {
		// The left part only: the sender adds "@" and the domain of its From address.
		m.MessageID = uuid.NewString()
	}
	var k *string
	if key != "" {
		k = &key
	}
	res, err := q.ExecContext(ctx, enqueueMailSQL, k, m.MessageID, m.To, m.Subject, m.Text, m.HTML)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, mapErr(err)
	}
	return n == 1, nil
}

// EnqueueMail adds m to the outbox on its own (see the function EnqueueMail to enqueue
// within a transaction).
func (db *DB) EnqueueMail(ctx context.Context, key string, m app.Mail) (bool, error) {
	return EnqueueMail(ctx, db.DB, key, m)
}

// FindOutboxMail returns the message with the id, else ENOTFOUND.
func (db *DB) FindOutboxMail(ctx context.Context, id int64) (*app.OutboxMail, error) {
	var m app.OutboxMail
	if err := db.GetContext(ctx, &m, `SELECT `+mailColumns+` FROM mail_outbox WHERE id = $1`, id); err != nil {
		return nil, mapErr(err)
	}
	return &m, nil
}

// FindOutboxMailByKey returns the message with the key, else ENOTFOUND.
func (db *DB) FindOutboxMailByKey(ctx context.Context, key string) (*app.OutboxMail, error) {
	var m app.OutboxMail
	if err := db.GetContext(ctx, &m, `SELECT `+mailColumns+` FROM mail_outbox WHERE key = $1`, key); err != nil {
		return nil, mapErr(err)
	}
	return &m, nil
}

// claimMailSQL takes the pending message due first that no other transaction holds: SKIP
// LOCKED passes over rows other workers are sending, so each row has one sender at a
// time. now() is this transaction's start, a moment ago, and lets the partial index
// bound the scan.
const claimMailSQL = `
	SELECT ` + mailColumns + ` FROM mail_outbox
	WHERE status = 'pending' AND next_attempt_at <= now()
	ORDER BY next_attempt_at, id
	LIMIT 1
	FOR UPDATE SKIP LOCKED`

// After the attempt, clock_timestamp(): the send may have taken a while since now().
const markMailSentSQL = `
	UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, last_attempt_at = c.t, sent_at = c.t
	FROM (SELECT clock_timestamp() AS t) c
	WHERE id = $1
	RETURNING ` + mailColumns

const markMailFailedSQL = `
	UPDATE mail_outbox SET attempts = attempts + 1, last_attempt_at = c.t, last_error = $2,
	       status = CASE WHEN $4 THEN 'failed' ELSE 'pending' END,
	       next_attempt_at = CASE WHEN $4 THEN next_attempt_at ELSE c.t + $3::bigint * interval '1 microsecond' END
	FROM (SELECT clock_timestamp() AS t) c
	WHERE id = $1
	RETURNING ` + mailColumns

// maxMailError bounds last_error (an SMTP server's answer can be long).
const maxMailError = 2000

// DeliverMail takes the next due message (claimMailSQL), calls send with it while its row
// stays locked, and records the outcome in the same transaction: sent, or failed with
// the next attempt retry gives (status failed when retry gives up). It returns the
// message as recorded, or nil when nothing is due.
//
// Once-only delivery rests on the lock and the order of the steps: no other worker can
// take the row while send runs, and the row becomes "sent" in the commit right after
// send returns. If this process dies, or loses the database, between the SMTP server's
// acceptance and that commit, the transaction rolls back, the row is pending again and
// another attempt sends the message a second time (with the same Message-ID). That
// window (one commit's round trip, or a database outage during a send) is the whole of
// the at-least-once that remains; nothing else resends a sent message.
//
// The transaction lives in ctx: if ctx ends during send, database/sql rolls it back and
// the message will be sent again. The worker therefore gives it a context that a
// graceful stop does not cancel.
func (db *DB) DeliverMail(ctx context.Context, send func(context.Context, *app.OutboxMail) error, retry app.RetryPolicy) (*app.OutboxMail, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, mapErr(err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var m app.OutboxMail
	if err := tx.GetContext(ctx, &m, claimMailSQL); errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, mapErr(err)
	}
	sendErr := send(ctx, &m)
	var out app.OutboxMail
	if sendErr == nil {
		err = tx.GetContext(ctx, &out, markMailSentSQL, m.ID)
	} else {
		wait, giveUp := retry(m.Attempts + 1)
		err = tx.GetContext(ctx, &out, markMailFailedSQL, m.ID, mailError(sendErr), wait.Microseconds(), giveUp)
	}
	if err == nil {
		err = tx.Commit()
	}
	switch {
	case err != nil && sendErr == nil:
		return &m, fmt.Errorf("mail %d was accepted by the SMTP server but not marked sent (it will be sent again): %w", m.ID, mapErr(err))
	case err != nil:
		return &m, fmt.Errorf("mail %d failed (%v) and the failure was not recorded: %w", m.ID, sendErr, mapErr(err))
	}
	return &out, nil
}

// mailError is an error's text as last_error keeps it: valid UTF-8 without NUL, bounded.
func mailError(err error) string {
	s := strings.ToValidUTF8(strings.ReplaceAll(err.Error(), "\x00", ""), "?")
	if len(s) > maxMailError {
		s = strings.ToValidUTF8(s[:maxMailError], "") + "…"
	}
	return s
}
