package notify

import (
	"fmt"
	"strconv"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// The reminder rules' dates.
const (
	// CheckInWindow: a plan without a check-in is due in the quarter's last three weeks.
	CheckInWindow = 21 * 24 * time.Hour
	// SOPReviewNotice: an SOP's review is due a week before its date (and after).
	SOPReviewNotice = 7 * 24 * time.Hour
	// StaleMonths: ratings older than two quarters.
	StaleMonths = 6
	// CycleNoticeDays: a cycle's deadline is due three days before its date (and after,
	// while the cycle is open and the person still owes something).
	CycleNoticeDays = 3
)

// Rules are the store's question for the time now: which check-ins, SOP reviews, ratings
// and cycle deadlines are due.
func Rules(now time.Time) app.DueQuery {
	now = now.UTC()
	q := app.DueQuery{SOPReviewBy: now.Add(SOPReviewNotice), StaleBefore: now.AddDate(0, -StaleMonths, 0),
		CycleDueBy: app.DateOf(now.AddDate(0, 0, CycleNoticeDays))}
	if qt := app.QuarterOf(now); now.After(qt.Next().Start().Add(-CheckInWindow)) {
		q.CheckInQuarter = qt.String()
	}
	return q
}

// Reminder is a notification with the lines of its e-mail.
type Reminder struct {
	app.Notification
	Name, Email string
	Lines       []string
}

// Remind turns a due item into its reminder as of now: the key names the occasion, so a
// reminder is made once per request, per plan and quarter, per SOP and review date, per
// quarter of stale ratings, per leader and ISO week. Digests are built by the service
// (they need the teams' figures); Remind only names them.
func Remind(d app.Due, now time.Time) Reminder {
	now = now.UTC()
	r := Reminder{Name: d.Name, Email: d.Email, Notification: app.Notification{OrgID: d.OrgID, UserID: d.UserID, Kind: d.Kind}}
	user := ":user:" + strconv.FormatInt(d.UserID, 10)
	ref := strconv.FormatInt(d.RefID, 10)
	switch d.Kind {
	case app.NotifyPeerRequest:
		r.Key = "peer_request:" + ref
		r.Title = d.Other + " asked you to rate " + d.Subject
		r.Body = "Your view of " + d.Subject + "'s skills helps calibrate their profile."
		r.Link = "/peer-requests/" + ref
	case app.NotifyCheckInDue:
		q := app.QuarterOf(now).String()
		r.Key = "checkin_due:" + q + ":person:" + ref + user // one plan per person and quarter
		r.Title = "Coaching check-in due with " + d.Subject
		r.Body = d.Subject + "'s coaching plan for " + q + " has no check-in yet, and the quarter ends soon."
		r.Link = "/people/" + ref + "/coaching"
	case app.NotifySOPReviewDue:
		date := ""
		if d.Due != nil {
			date = d.Due.UTC().Format(time.DateOnly)
		}
		r.Key = "sop_review_due:" + ref + ":" + date + user
		r.Title = "SOP review due: " + d.Subject
		r.Body = "The SOP \"" + d.Subject + "\" is due for review on " + date + "."
		r.Link = "/sops/" + ref
	case app.NotifyStaleRatings:
		r.Key = "stale_ratings:" + app.QuarterOf(now).String() + user
		r.Title = "Your skill ratings are more than two quarters old"
		r.Body = "Update your self-assessment so your team's shape stays true."
		r.Link = "/me/profile"
	case app.NotifyCycleDue:
		r = cycleReminder(r, d, user, now)
	case app.NotifyDigest:
		y, w := now.ISOWeek()
		r.Key = fmt.Sprintf("digest:%d-W%02d%s", y, w, user)
		r.Title = fmt.Sprintf("Your weekly Teamshape digest, week %d", w)
		r.Link = "/teams"
	}
	r.Lines = []string{r.Body}
	return r
}

// cycleReminder is a cycle deadline's reminder, once per person, cycle and stage. It names
// the team, the quarter and the date, and counts what is owed; it names no person, so a
// peer's reminder says nothing of whom they rate or who else was asked.
func cycleReminder(r Reminder, d app.Due, user string, now time.Time) Reminder {
	today := app.DateOf(now).Time
	ref := strconv.FormatInt(d.RefID, 10)
	date := ""
	if d.Due != nil {
		date = d.Due.UTC().Format(time.DateOnly)
	}
	cycle := d.Subject + "'s " + d.Quarter + " assessment cycle"
	r.Key = "cycle_due:" + ref + ":" + d.Stage + user
	r.Link = "/cycles/" + ref
	switch d.Stage {
	case app.CycleStageSelf:
		r.Title = "Your self-assessment is due " + date
		if d.Due != nil && d.Due.Before(today) {
			r.Title = "Your self-assessment was due " + date
		}
		r.Body = fmt.Sprintf("Rate yourself in %s for %s by %s.", plural(d.Owed, "more competency", "more competencies"), cycle, date)
		r.Link = "/me/profile"
	case app.CycleStagePeer:
		r.Title = "Peer ratings due " + date
		r.Body = fmt.Sprintf("Answer %s of %s by %s.", plural(d.Owed, "peer-rating request", "peer-rating requests"), cycle, date)
		r.Link = "/me/profile"
	case app.CycleStageLeader:
		r.Title = "Leader ratings due " + date + ": " + d.Subject
		r.Body = fmt.Sprintf("%d of %s still need your ratings in %s.", d.Owed, plural(d.Of, "PM", "PMs"), cycle)
	case app.CycleStageReview:
		r.Title = "1:1s due " + date + ": " + d.Subject
		r.Body = fmt.Sprintf("%d of %s have no agreed levels from their 1:1 yet in %s.", d.Owed, plural(d.Of, "PM", "PMs"), cycle)
	}
	return r
}

// plural is "1 thing" or "n things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
