package postgres

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

const notificationColumns = `id, org_id, user_id, kind, key, title, body, link, created_at, read_at`

// FindNotifications returns the user's newest notifications.
func (db *DB) FindNotifications(ctx context.Context, userID int64, limit int) ([]app.Notification, error) {
	out := []app.Notification{}
	err := db.SelectContext(ctx, &out, `SELECT `+notificationColumns+` FROM notifications
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, userID, limit)
	return out, mapErr(err)
}

// CountUnreadNotifications counts the user's unread notifications.
func (db *DB) CountUnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID)
	return n, mapErr(err)
}

// MarkNotificationsRead marks the user's notifications (those with the ids, or all) read,
// and announces the change of their unread count when there was one.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64, at time.Time) (int, error) {
	var n int64
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $3
			WHERE user_id = $1 AND read_at IS NULL AND (COALESCE(cardinality($2::bigint[]), 0) = 0 OR id = ANY($2))`,
			userID, pq.Array(ids), at)
		if err != nil {
			return mapErr(err)
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return mapErr(err)
		}
		return notifyUnread(ctx, tx, userID)
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}

// FindNotificationPrefs returns the user's e-mail choices that override the defaults.
func (db *DB) FindNotificationPrefs(ctx context.Context, userID int64) (map[string]bool, error) {
	var rows []struct {
		Kind  string `db:"kind"`
		Email bool   `db:"email"`
	}
	if err := db.SelectContext(ctx, &rows, `SELECT kind, email FROM notification_prefs WHERE user_id = $1`, userID); err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.Kind] = r.Email
	}
	return out, nil
}

// SetNotificationPrefs stores the user's e-mail choice for each kind given, in one transaction.
func (db *DB) SetNotificationPrefs(ctx context.Context, userID int64, email map[string]bool) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		for kind, on := range email {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notification_prefs (user_id, kind, email) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, kind) DO UPDATE SET email = EXCLUDED.email`, userID, kind, on); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// findDue is every source of reminders, one SELECT each (see app.DueQuery):
//   - open peer-rating requests, to the reviewer;
//   - coaching plans of the quarter without a check-in, to the leaders of the person's teams;
//   - SOPs due for review, to the current revision's owner, else the team's leaders;
//   - members whose newest effective rating is older than StaleBefore, to themselves;
//   - a digest to everyone who leads a team.
//
// Only active people of an organisation hear of anything.
const findDue = `
SELECT 'peer_request' AS kind, p.org_id, u.id AS user_id, u.name, u.email, p.id AS ref_id,
       s.name AS subject, r.name AS other, p.created_at AS due
FROM peer_requests p JOIN users u ON u.id = p.reviewer_id JOIN users s ON s.id = p.subject_id
JOIN users r ON r.id = p.requested_by
WHERE p.status = 'open' AND u.active
UNION ALL
SELECT 'checkin_due', cp.org_id, u.id, u.name, u.email, cp.person_id, s.name, '', NULL
FROM coaching_plans cp JOIN users s ON s.id = cp.person_id
JOIN team_members m ON m.user_id = cp.person_id AND m.role = 'member'
JOIN team_members l ON l.team_id = m.team_id AND l.role = 'leader'
JOIN users u ON u.id = l.user_id
WHERE cp.quarter = $1 AND u.active AND s.active
  AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.plan_id = cp.id)
UNION ALL
SELECT 'sop_review_due', so.org_id, u.id, u.name, u.email, so.id, rv.title, '', so.next_review_on::timestamptz
FROM sops so JOIN sop_revisions rv ON rv.sop_id = so.id AND rv.revision = so.revision
JOIN users u ON u.id = rv.owner_id OR (rv.owner_id IS NULL AND u.id IN (
    SELECT l.user_id FROM team_members l WHERE l.team_id = so.team_id AND l.role = 'leader'))
WHERE so.next_review_on <= $2::date AND u.active
UNION ALL
SELECT 'stale_ratings', u.org_id, u.id, u.name, u.email, u.id, '', '', max(e.rated_at)
FROM users u JOIN effective_ratings e ON e.user_id = u.id AND e.level IS NOT NULL
WHERE u.active AND EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = u.id AND m.role = 'member')
GROUP BY u.id
HAVING max(e.rated_at) < $3
UNION ALL
SELECT 'digest', u.org_id, u.id, u.name, u.email, u.id, '', '', NULL
FROM users u
WHERE u.active AND EXISTS (SELECT 1 FROM team_members l WHERE l.user_id = u.id AND l.role = 'leader')
ORDER BY 1, 3, 6`

// FindDue lists what reminders may be owed for.
func (db *DB) FindDue(ctx context.Context, q app.DueQuery) ([]app.Due, error) {
	out := []app.Due{}
	err := db.SelectContext(ctx, &out, findDue, q.CheckInQuarter, q.SOPReviewBy, q.StaleBefore)
	return out, mapErr(err)
}

// FindNotificationKeys returns which of the keys exist.
func (db *DB) FindNotificationKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	var found []string
	if err := db.SelectContext(ctx, &found, `SELECT key FROM notifications WHERE key = ANY($1)`, pq.Array(keys)); err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]bool, len(found))
	for _, k := range found {
		out[k] = true
	}
	return out, nil
}

const addNotification = `
INSERT INTO notifications (org_id, user_id, kind, key, title, body, link)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (key) DO NOTHING`

// AddNotification adds n, and enqueues m with the same key, unless n's key exists: a
// concurrent transaction adding the same key waits for this one, then adds nothing.
func (db *DB) AddNotification(ctx context.Context, n app.Notification, m *app.Mail) (bool, error) {
	var added bool
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, addNotification, n.OrgID, n.UserID, n.Kind, n.Key, n.Title, n.Body, n.Link)
		if err != nil {
			return mapErr(err)
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			return mapErr(err)
		}
		added = true
		if err := notifyUnread(ctx, tx, n.UserID); err != nil {
			return err
		}
		if m != nil {
			_, err = EnqueueMail(ctx, tx, n.Key, *m)
		}
		return err
	})
	return added && err == nil, err
}
