package notify_test

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/mail/mailtest"
)

// TestCycleDeadlineReminders: two instances sweep the demo's open Growth cycle (made
// anonymous) at once, first today (the self-assessment date passed two days ago, the
// peers' is in two: those are due), then on the 1:1 date (every deadline is due), while
// SMTP first refuses every message.
// Who still owes something by each deadline gets exactly one notification, and one e-mail
// unless they chose otherwise; nobody else gets one; no reminder names a person; after a
// restart nothing more is added or sent.
func TestCycleDeadlineReminders(t *testing.T) {
	ctx, srv, url, seed, org := refusedDemo(t)
	ids, names := map[string]int64{}, []string{}
	for _, p := range demo.People {
		u, err := seed.FindUserByEmail(ctx, org.ID, p.Email)
		if err != nil {
			t.Fatal(err)
		}
		ids[p.Email], names = u.ID, append(names, u.Name)
	}
	if _, err := seed.ExecContext(ctx, `UPDATE cycles SET anonymous_peers = true WHERE closed_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	// Ravi (asked to rate Jonas, not answered) wants cycle deadlines in the app only.
	ravi, jonas, maya, lena := ids["pm4@demo.test"], ids["pm5@demo.test"], ids["pm@demo.test"], ids["leader@demo.test"]
	if err := seed.SetNotificationPrefs(ctx, ravi, map[string]bool{app.NotifyCycleDue: false}); err != nil {
		t.Fatal(err)
	}

	var clock atomic.Pointer[time.Time]
	set := func(t time.Time) { clock.Store(&t) }
	now := func() time.Time { return *clock.Load() }
	set(time.Now())
	lead := &app.Actor{UserID: lena, OrgID: org.ID, Role: app.RoleLeader}
	board := cycles.New(seed, coaching.New(seed, now), now)
	open, err := seed.FindOpenCyclesOf(ctx, org.ID, maya)
	if err != nil || len(open) != 1 {
		t.Fatalf("Maya's open cycles: %v, %v", open, err)
	}
	c := open[0]
	key := func(stage string, user int64) string {
		return "cycle_due:" + strconv.FormatInt(c.ID, 10) + ":" + stage + ":user:" + strconv.FormatInt(user, 10)
	}
	// want is who owes what by the deadlines on or before by, from the progress board.
	want := func(by app.Date) []string {
		t.Helper()
		v, err := board.Get(ctx, lead, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		due := func(d app.Date) bool { return !d.After(by.Time) }
		unrated, unreviewed := false, false
		for _, m := range v.Progress.Members {
			if !m.SelfDone && due(c.SelfDue) {
				out = append(out, key(app.CycleStageSelf, m.PersonID))
			}
			for _, p := range m.Pending {
				if due(c.PeerDue) && !slices.Contains(out, key(app.CycleStagePeer, p.ReviewerID)) {
					out = append(out, key(app.CycleStagePeer, p.ReviewerID))
				}
			}
			unrated, unreviewed = unrated || !m.LeaderDone, unreviewed || !m.Reviewed
		}
		if unrated && due(c.LeaderDue) {
			out = append(out, key(app.CycleStageLeader, lena))
		}
		if unreviewed && due(c.ReviewDue) {
			out = append(out, key(app.CycleStageReview, lena))
		}
		slices.Sort(out)
		return out
	}
	got := func() []string {
		t.Helper()
		var out []string
		if err := seed.SelectContext(ctx, &out, `SELECT key FROM notifications WHERE kind = 'cycle_due' ORDER BY key`); err != nil {
			t.Fatal(err)
		}
		return out
	}

	insts := []*instance{startInstanceAt(t, url, srv, now), startInstanceAt(t, url, srv, now)}
	sweepAll(t, insts, 3)
	today := want(app.DateOf(now().AddDate(0, 0, 3)))
	if g := got(); len(today) == 0 || !slices.Equal(g, today) {
		t.Fatalf("today: cycle reminders %v, want %v", g, today)
	}
	for _, k := range today {
		if strings.Contains(k, ":leader:") || strings.Contains(k, ":review:") {
			t.Errorf("today: %s, yet the leaders' dates are two weeks off", k)
		}
	}
	if !slices.Contains(today, key(app.CycleStagePeer, ravi)) {
		t.Errorf("today: Ravi is not reminded of his open peer request (due in two days): %v", today)
	}
	if slices.Contains(today, key(app.CycleStageSelf, maya)) {
		t.Error("Maya self-assessed in the cycle, yet she is reminded")
	}

	// The 1:1's date: every deadline is due.
	set(c.ReviewDue.Time.Add(9 * time.Hour))
	sweepAll(t, insts, 3)
	all := want(app.DateOf(now()))
	for _, k := range []string{key(app.CycleStagePeer, ravi), key(app.CycleStagePeer, jonas), key(app.CycleStageReview, lena)} {
		if !slices.Contains(all, k) {
			t.Errorf("%s is not owed by the board: %v", k, all)
		}
	}
	if g := got(); !slices.Equal(g, all) {
		t.Fatalf("on the 1:1's date: cycle reminders %v, want %v", g, all)
	}
	t.Logf("today %d reminders (self and peers), on the 1:1's date %d: %v", len(today), len(all), all)
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

	// One e-mail per reminder, Ravi's excepted; Mailpit holds each queued e-mail once.
	for _, k := range all {
		wantMail := 1
		if strings.HasSuffix(k, ":user:"+strconv.FormatInt(ravi, 10)) {
			wantMail = 0
		}
		if n := count(t, seed, `SELECT count(*) FROM mail_outbox WHERE key = $1`, k); n != wantMail {
			t.Errorf("%s: %d e-mails, want %d", k, n, wantMail)
		}
	}
	mails := count(t, seed, `SELECT count(*) FROM mail_outbox`)
	msgs := srv.Messages(t)
	distinct := map[string]bool{}
	for _, m := range msgs {
		distinct[m.MessageID] = true
	}
	if len(msgs) != mails || len(distinct) != mails {
		t.Fatalf("%d e-mails queued, %d in Mailpit (%d distinct)", mails, len(msgs), len(distinct))
	}
	var jonasMail *mailtest.Summary
	for i, m := range msgs {
		if m.To[0].Address == "pm5@demo.test" && strings.HasPrefix(m.Subject, "Peer ratings due") {
			jonasMail = &msgs[i]
		}
	}
	if jonasMail == nil {
		t.Fatal("no peer-rating deadline e-mail to Jonas")
	}
	if body := srv.Message(t, jonasMail.ID).Text; !strings.Contains(body, c.Quarter+" assessment cycle") || !strings.Contains(body, "http://teamshape.test/me/profile") {
		t.Errorf("Jonas's e-mail:\n%s", body)
	}

	// No reminder names a person: not whom a peer rates, not who else was asked.
	type note struct{ Key, Title, Body string }
	var notes []note
	if err := seed.SelectContext(ctx, &notes, `SELECT key, title, body FROM notifications WHERE kind = 'cycle_due'`); err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		for _, name := range names {
			first, _, _ := strings.Cut(name, " ")
			if strings.Contains(n.Title+n.Body, first) {
				t.Errorf("%s names %s: %q %q", n.Key, name, n.Title, n.Body)
			}
		}
	}

	// A restart: two new instances sweep again.
	notesBefore := count(t, seed, `SELECT count(*) FROM notifications`)
	insts = []*instance{startInstanceAt(t, url, srv, now), startInstanceAt(t, url, srv, now)}
	sweepAll(t, insts, 2)
	time.Sleep(300 * time.Millisecond) // the workers poll every 10 ms: they would have sent anything new
	for _, in := range insts {
		in.stop(t)
	}
	if n := count(t, seed, `SELECT count(*) FROM notifications`); n != notesBefore {
		t.Errorf("after the restart %d notifications, want %d", n, notesBefore)
	}
	if n := len(srv.Messages(t)); n != mails {
		t.Errorf("after the restart Mailpit has %d messages, want %d", n, mails)
	}
}
