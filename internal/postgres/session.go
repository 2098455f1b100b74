package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// CreateSession starts a session for the user.
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration, ip, userAgent string) (*app.Session, error) {
	return createSession(ctx, db.DB, userID, ttl, ip, userAgent)
}

// createSession starts a session through q (a transaction, when the session is part of a
// larger write: accepting an invitation).
func createSession(ctx context.Context, q sqlx.QueryerContext, userID int64, ttl time.Duration, ip, userAgent string) (*app.Session, error) {
	s := app.Session{ID: uuid.NewString(), UserID: userID}
	err := sqlx.GetContext(ctx, q, &s,
		`INSERT INTO sessions (id, user_id, expires_at, ip, user_agent)
		 VALUES ($1, $2, now() + $3 * interval '1 second', $4, $5)
		 RETURNING id, user_id, created_at, expires_at, revoked_at`,
		s.ID, userID, int64(ttl.Seconds()), ip, truncate(userAgent, 300))
	if err != nil {
		return nil, mapErr(err)
	}
	return &s, nil
}

// The role is read from the user, not the token, so a role change applies at once. The
// session's last_seen_at (the Security page shows it) is moved on at most once a minute,
// so most requests write nothing.
const findActiveSession = `
WITH seen AS (
  UPDATE sessions SET last_seen_at = now()
  WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND last_seen_at < now() - interval '1 minute')
SELECT u.id AS user_id, u.org_id, u.role, u.name, u.email, s.id AS session_id, s.expires_at,
       COALESCE(v.version, 0) AS data_version,
       (u.role = 'admin' AND o.require_admin_totp AND NOT EXISTS (
           SELECT FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)) AS must_enrol_totp
FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id
LEFT JOIN org_data_versions v ON v.org_id = u.org_id
WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`

type activeSession struct {
	UserID      int64     `db:"user_id"`
	OrgID       int64     `db:"org_id"`
	Role        string    `db:"role"`
	Name        string    `db:"name"`
	Email       string    `db:"email"`
	SessionID   string    `db:"session_id"`
	ExpiresAt   time.Time `db:"expires_at"`
	DataVersion int64     `db:"data_version"`
	MustEnrol   bool      `db:"must_enrol_totp"`
}

// FindActiveSession returns the session's user if the session is live and the user active;
// ENOTFOUND otherwise.
func (db *DB) FindActiveSession(ctx context.Context, sessionID string, userID int64) (*app.Actor, error) {
	var s activeSession
	if err := db.GetContext(ctx, &s, findActiveSession, sessionID, userID); err != nil {
		return nil, notFound(err, "Session")
	}
	return &app.Actor{UserID: s.UserID, OrgID: s.OrgID, Role: s.Role, Name: s.Name, Email: s.Email, SessionID: s.SessionID,
		SessionExpires: s.ExpiresAt, DataVersion: s.DataVersion, MustEnrolTOTP: s.MustEnrol}, nil
}

// TouchSessions moves each session's last_seen_at on to its time, never back, in one
// statement (the session cache's batch of the uses it answered from memory).
func (db *DB) TouchSessions(ctx context.Context, seen map[string]time.Time) error {
	if len(seen) == 0 {
		return nil
	}
	ids, times := make([]string, 0, len(seen)), make([]string, 0, len(seen))
	for id, at := range seen {
		ids, times = append(ids, id), append(times, at.UTC().Format(time.RFC3339Nano))
	}
	_, err := db.ExecContext(ctx, `
		UPDATE sessions s SET last_seen_at = v.at
		FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at)
		WHERE s.id = v.id AND s.revoked_at IS NULL AND s.last_seen_at < v.at`, pq.Array(ids), pq.Array(times))
	return mapErr(err)
}

// RevokeSession ends one session.
func (db *DB) RevokeSession(ctx context.Context, sessionID string) error {
	_, err := db.ExecContext(ctx, `UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, sessionID)
	return mapErr(err)
}

// RevokeUserSessions ends every session of the user.
func (db *DB) RevokeUserSessions(ctx context.Context, userID int64) error {
	_, err := db.ExecContext(ctx, `UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, userID)
	return mapErr(err)
}

// findLoginThrottle counts the failures in the window ($3 seconds) that share the e-mail
// or the address, each by what it shares (the indexes on (lower(email), at) and (ip, at)).
const findLoginThrottle = `
WITH recent AS (
  SELECT lower(email) = lower($1) AS same_email, ip = $2 AS same_ip, at FROM login_failures
  WHERE (lower(email) = lower($1) OR ip = $2) AND at > now() - $3 * interval '1 second')
SELECT
  count(*) FILTER (WHERE same_email AND same_ip) AS email_ip_failures,
  count(*) FILTER (WHERE same_email) AS email_failures,
  count(*) FILTER (WHERE same_ip) AS ip_failures,
  COALESCE(ceil(extract(epoch FROM min(at) FILTER (WHERE same_email AND same_ip) + $3 * interval '1 second' - now()))::int, 0) AS email_ip_retry,
  COALESCE(ceil(extract(epoch FROM min(at) FILTER (WHERE same_email) + $3 * interval '1 second' - now()))::int, 0) AS email_retry,
  COALESCE(ceil(extract(epoch FROM min(at) FILTER (WHERE same_ip) + $3 * interval '1 second' - now()))::int, 0) AS ip_retry
FROM recent`

// FindLoginThrottle counts recent failed sign-ins for the e-mail from the address, for the
// e-mail from anywhere, and from the address for any e-mail.
func (db *DB) FindLoginThrottle(ctx context.Context, email, ip string, window time.Duration) (*app.LoginThrottle, error) {
	var t app.LoginThrottle
	if err := db.GetContext(ctx, &t, findLoginThrottle, email, ip, int64(window.Seconds())); err != nil {
		return nil, mapErr(err)
	}
	return &t, nil
}

// RecordLoginFailure notes a failed sign-in, and prunes failures older than a day.
func (db *DB) RecordLoginFailure(ctx context.Context, email, ip string) error {
	_, err := db.ExecContext(ctx, `
		WITH pruned AS (DELETE FROM login_failures WHERE at < now() - interval '1 day')
		INSERT INTO login_failures (email, ip) VALUES ($1, $2)`, truncate(email, 254), ip)
	return mapErr(err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
