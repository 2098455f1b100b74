package app

import (
	"context"
	"time"
)

// Notification kinds: the reminders Teamshape sends.
const (
	NotifyPeerRequest  = "peer_request"   // someone asked you to rate a colleague
	NotifyCheckInDue   = "checkin_due"    // a coaching plan of this quarter has no check-in yet
	NotifySOPReviewDue = "sop_review_due" // an SOP you own is due for review
	NotifyStaleRatings = "stale_ratings"  // your ratings are older than two quarters
	NotifyDigest       = "digest"         // a leader's weekly digest
	NotifyCycleDue     = "cycle_due"      // a deadline of an open assessment cycle, and you still owe something
)

// NotificationKind describes a kind and whether it comes by e-mail unless the person
// chooses otherwise.
type NotificationKind struct {
	Key          string `json:"key"`
	Label        string `json:"label"`
	EmailDefault bool   `json:"email_default"`
}

// NotificationKinds are every kind, in the order the settings list them: the one place
// their defaults live.
var NotificationKinds = []NotificationKind{
	{NotifyPeerRequest, "Peer-rating requests", true},
	{NotifyCheckInDue, "Coaching check-ins due", true},
	{NotifySOPReviewDue, "SOP reviews due", true},
	{NotifyStaleRatings, "Ratings older than two quarters", false},
	{NotifyCycleDue, "Assessment cycle deadlines", true},
	{NotifyDigest, "Weekly digest (leaders)", true},
}

// ValidNotificationKind reports whether k is a kind.
func ValidNotificationKind(k string) bool {
	for _, n := range NotificationKinds {
		if n.Key == k {
			return true
		}
	}
	return false
}

// Notification is one entry of a person's notification centre.
type Notification struct {
	ID        int64      `db:"id" json:"id"`
	OrgID     int64      `db:"org_id" json:"-"`
	UserID    int64      `db:"user_id" json:"-"`
	Kind      string     `db:"kind" json:"kind"`
	Key       string     `db:"key" json:"-"`
	Title     string     `db:"title" json:"title"`
	Body      string     `db:"body" json:"body"`
	Link      string     `db:"link" json:"link"`
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	ReadAt    *time.Time `db:"read_at" json:"read_at"`
}

// Due is something a reminder may be owed for, as the store finds it: who should hear of
// it (UserID, Name, Email), about what (RefID, Subject, the team), and when (Due).
type Due struct {
	Kind    string     `db:"kind"`
	OrgID   int64      `db:"org_id"`
	UserID  int64      `db:"user_id"`
	Name    string     `db:"name"`
	Email   string     `db:"email"`
	RefID   int64      `db:"ref_id"`  // the request, person (check-ins, stale ratings, digest) or SOP
	Subject string     `db:"subject"` // a person's name or an SOP's title
	Other   string     `db:"other"`   // who asked (peer requests)
	Due     *time.Time `db:"due"`
	// Cycle deadlines (RefID the cycle, Subject its team, Due the deadline): the stage
	// (CycleStageSelf, …), the cycle's quarter, and how many things of how many the person
	// still owes (peer ratings to give; PMs to rate or meet).
	Stage   string `db:"-"`
	Quarter string `db:"-"`
	Owed    int    `db:"-"`
	Of      int    `db:"-"`
}

// DueQuery are the reminder rules' dates, decided by package notify.
type DueQuery struct {
	// CheckInQuarter: plans of this quarter ("2026-Q4") without a check-in are due; empty:
	// none (it is not yet the quarter's last weeks).
	CheckInQuarter string
	// SOPReviewBy: SOPs whose next review is on or before this date are due.
	SOPReviewBy time.Time
	// StaleBefore: members whose newest effective rating is older than this are due.
	StaleBefore time.Time
	// CycleDueBy: the deadlines of open cycles on or before this day are due (to those who
	// still owe something by them).
	CycleDueBy Date
}

// NotificationStore keeps notifications and reminders.
type NotificationStore interface {
	// FindNotifications returns the user's newest notifications, at most limit.
	FindNotifications(ctx context.Context, userID int64, limit int) ([]Notification, error)
	CountUnreadNotifications(ctx context.Context, userID int64) (int, error)
	// MarkNotificationsRead marks the user's notifications with the ids (all, when ids is
	// empty) read and returns how many changed.
	MarkNotificationsRead(ctx context.Context, userID int64, ids []int64, at time.Time) (int, error)
	// FindNotificationPrefs returns the user's choices that differ from the defaults.
	FindNotificationPrefs(ctx context.Context, userID int64) (map[string]bool, error)
	SetNotificationPrefs(ctx context.Context, userID int64, email map[string]bool) error
	// FindDue lists, across organisations, what reminders may be owed for by the rules of
	// q (package notify sets them); the same item is found again until it is done.
	FindDue(ctx context.Context, q DueQuery) ([]Due, error)
	// FindNotificationKeys returns which of the keys exist already.
	FindNotificationKeys(ctx context.Context, keys []string) (map[string]bool, error)
	// AddNotification adds n unless its key exists; when it added it and m is not nil it
	// enqueues m with the same key in the same transaction. It reports whether it added.
	AddNotification(ctx context.Context, n Notification, m *Mail) (bool, error)
}
