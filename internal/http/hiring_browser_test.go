package http

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/browser"
)

// TestHiringInBrowser drives the pages in headless Chromium: HR opens a requisition from a
// suggested hire and moves it on (forms with CSRF tokens, redirects); the leader builds a
// what-if with the form and starts a candidate from a hire profile. Skipped without Chromium.
func TestHiringInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	f := newFixture(t)
	l := newLab(t, f)
	base := f.listen(t)

	session := func(email string) *browser.Session {
		b := newTab(t, time.Minute)
		// Sign in through the form, landing on a page of this feature (HR's home, /hr, is
		// another feature's).
		err := chromedp.Do(b.Ctx,
			chromedp.Navigate(base+"/login?next=/requisitions"),
			chromedp.SendKeys(`input[name=email]`, email, chromedp.NodeVisible),
			chromedp.SendKeys(`input[name=password]`, testPassword),
			chromedp.Submit(`input[name=password]`),
			chromedp.WaitVisible(`header.topbar`),
		)
		if err != nil {
			t.Fatalf("sign in as %s: %v", email, err)
		}
		return b
	}
	// waitText waits (at most 10 s, e.g. for a form post and its redirect) until the element's
	// text contains want, and returns the text. A query that lands while the page navigates
	// fails ("Cannot find context with specified id"); it is retried like a missing text.
	waitText := func(b *browser.Session, sel, want string) string {
		var s string
		var err error
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if err = chromedp.Do(b.Ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err == nil {
				s, err = chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(sel)))
			}
			if err == nil && strings.Contains(s, want) {
				break
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}

	// HR: open a requisition for hire 1, then move it to interviewing.
	hr := session("hr@demo.test")
	if err := hr.Open(fmt.Sprintf("%s/teams/%d/hiring", base, l.team)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(hr.Ctx,
		chromedp.SendKeys(`form.open-req textarea[name=notes]`, "Budget approved", chromedp.NodeVisible),
		chromedp.Click(`form.open-req button[type=submit]`, chromedp.NodeVisible),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := waitText(hr, ".flash", "opened for Hiring Lab"); !strings.Contains(got, "opened for Hiring Lab") {
		t.Fatalf("flash after opening: %q", got)
	}
	if err := chromedp.Do(hr.Ctx, chromedp.Click(`form[action$="/status"] button`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if got := waitText(hr, ".flash", "is now interviewing"); !strings.Contains(got, "is now interviewing") {
		t.Fatalf("flash after moving: %q", got)
	}
	var status, notes string
	if err := f.db.QueryRow(`SELECT status, notes FROM requisitions`).Scan(&status, &notes); err != nil || status != "interviewing" || notes != "Budget approved" {
		t.Errorf("stored: %q %q %v", status, notes, err)
	}

	// Leader: Priya at market & domain knowledge 4, Cy leaves → 4.50 to 3.25 (see newLab:
	// market_domain goes from 1.75 to 0.5; Cy's leaving changes no score).
	lead := session("leader@demo.test")
	if err := lead.Open(fmt.Sprintf("%s/teams/%d/what-if", base, l.team)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(lead.Ctx,
		chromedp.SendKeys(`input[name=c0_name]`, "Priya", chromedp.NodeVisible),
		chromedp.SetValue(`select[name=c0_market_domain]`, "4"),
		chromedp.Click(fmt.Sprintf(`input[name=remove][value="%d"]`, l.cy), chromedp.NodeVisible),
		chromedp.Click(`form.whatif-form button[type=submit]`, chromedp.NodeVisible),
		chromedp.WaitVisible(`table[data-csv="what-if-changes.csv"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	want := "Adding Priya and removing Cy Cole moves the gap score from 4.50 to 3.25"
	if got := waitText(lead, "main", want); !strings.Contains(got, want) {
		t.Errorf("what-if result: %.600s", got)
	}
	// Start a second candidate from hire 1: the scenario so far is kept.
	if err := chromedp.Do(lead.Ctx, chromedp.Click(`a[href*="from=1"]`, chromedp.NodeVisible), chromedp.WaitVisible(`input[name=c1_name]`)); err != nil {
		t.Fatal(err)
	}
	second, err := chromedp.Run(lead.Ctx, chromedp.Value(`input[name=c1_name]`))
	if err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(lead.Ctx, chromedp.Value(`input[name=c0_name]`))
	if err != nil {
		t.Fatal(err)
	}
	if first != "Priya" || second != "Hire 1: Data PM" {
		t.Errorf("candidates after starting from hire 1: %q, %q", first, second)
	}
	for _, b := range []*browser.Session{hr, lead} {
		if console, dialogs, _ := b.Seen(); len(console) > 0 || len(dialogs) > 0 {
			t.Errorf("console errors %v, dialogs %v", console, dialogs)
		}
	}
}
