package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/browser"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// TestInsightToActionInBrowser drives the ways from the dashboard to a rating in headless
// Chromium: the same team tabs on every team page of a role; names link to the person for
// a leader and nowhere for HR or a PM; a click on a heatmap cell opens that person's
// rating of that competency; the leader rates it there and a PM rates one competency on
// their profile, both confirmed in place without the page moving; and the same quick form
// works without JavaScript, coming back to its row.
func TestInsightToActionInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	if _, err := browser.Path(); err != nil {
		t.Skip(err)
	}
	f := newFixture(t)
	base := f.listen(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b, err := browser.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	as := func(email string) {
		t.Helper()
		_, err := chromedp.Call(b.Ctx, network.SetCookie, network.SetCookieParams{
			Name: kit.CookieName, Value: f.token(t, email), Domain: "127.0.0.1", Path: "/", HTTPOnly: new(true)})
		if err != nil {
			t.Fatal(err)
		}
	}
	open := func(path string) {
		t.Helper()
		if err := b.Open(base + path); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := browser.Eval[string](b, js)
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	team := fmt.Sprintf("/teams/%d", f.ids["team:Growth"])

	// One team navigation: the same tabs in the same order on every team page of a role.
	for _, tc := range []struct {
		email string
		pages []string
		tabs  string
	}{
		{"leader@demo.test", []string{team, team + "/sops", team + "/coaching", team + "/hiring", team + "/what-if", team + "/targets", team + "/import", team + "/audit"},
			"Dashboard|Operating model|Coaching|Hiring gaps|What-if|Requisitions|Targets|Import & export|Audit log"},
		{"hr@demo.test", []string{team, team + "/sops", team + "/hiring"}, "Dashboard|Operating model|Hiring gaps|Requisitions"},
		{"pm@demo.test", []string{team, team + "/sops"}, "Dashboard|Operating model"},
	} {
		as(tc.email)
		for _, p := range tc.pages {
			open(p)
			got := eval(`[...document.querySelectorAll('nav.teamnav a')].map(a => a.textContent.trim()).join('|')`)
			current := eval(`(document.querySelector('nav.teamnav a[aria-current=page]') || {}).pathname || ''`)
			if got != tc.tabs || current != strings.SplitN(p, "?", 2)[0] {
				t.Errorf("%s %s: tabs %q (current %q); want %q with the page current", tc.email, p, got, current, tc.tabs)
			}
		}
		// Names lead to the person only for viewers who may see individuals.
		open(team)
		links := eval(`String(document.querySelectorAll('main a[href^="/people/"]').length)`)
		if want := tc.email == "leader@demo.test"; (links != "0") != want {
			t.Errorf("%s: %s links to people on the dashboard; want some: %v", tc.email, links, want)
		}
	}

	// A heatmap cell opens that person's rating of that competency.
	as("leader@demo.test")
	open(team + "?view=effective")
	cell := eval(`(() => {
		const el = document.querySelector('[data-chart-cell-href]');
		el.scrollIntoView({block: 'center'});
		const chart = echarts.getInstanceByDom(el);
		const v = chart.getOption().series[0].data[0].value;
		const [x, y] = chart.convertToPixel({seriesIndex: 0}, [v[0], v[1]]);
		const r = el.getBoundingClientRect();
		return JSON.stringify({x: r.left + x, y: r.top + y, row: JSON.parse(el.dataset.chartRows)[v[1]], col: JSON.parse(el.dataset.chartCols)[v[0]]});
	})()`)
	var at struct {
		X, Y float64
		Row  int64
		Col  string
	}
	if err := json.Unmarshal([]byte(cell), &at); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.Ctx, chromedp.MouseClickXY(at.X, at.Y)); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("/people/%d?c=%s#history", at.Row, at.Col)
	loc := waitLocation(t, b, want)
	if !strings.HasSuffix(loc, want) {
		t.Fatalf("the heatmap cell opened %s; want %s", loc, want)
	}
	if err := chromedp.Do(b.Ctx, chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}

	// The leader rates it there: confirmed in the form, no navigation.
	before := f.countRatings(t, at.Row)
	quick := "form#rate-" + at.Col
	err = chromedp.Do(b.Ctx,
		chromedp.WaitVisible(quick),
		chromedp.SetValue(quick+" select", "5"),
		chromedp.SendKeys(quick+" input[type=text]", "Led the pricing experiment end to end"),
		chromedp.Click(quick+" button[type=submit]"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := waitText(t, b, quick+" .quick-status", "Saved."); got != "Saved." {
		t.Errorf("leader's quick rating: status %q", got)
	}
	var level int
	var note string
	if err := f.db.QueryRow(`SELECT level, note FROM ratings r JOIN competencies c ON c.id = r.competency_id
		WHERE subject_id = $1 AND kind = 'leader' AND c.key = $2 ORDER BY r.id DESC LIMIT 1`, at.Row, at.Col).Scan(&level, &note); err != nil ||
		level != 5 || note != "Led the pricing experiment end to end" || f.countRatings(t, at.Row) != before+1 {
		t.Errorf("stored: level %d, note %q, %d new ratings, %v", level, note, f.countRatings(t, at.Row)-before, err)
	}
	if loc, _ := b.Location(); !strings.HasSuffix(loc, want) {
		t.Errorf("after saving, the page is %s; want it unchanged (%s)", loc, want)
	}

	// A PM rates one competency on their profile where it is shown; the page does not move.
	as("pm@demo.test")
	pm := f.ids["pm@demo.test"]
	open("/me/profile")
	row := "form#rate-analytics"
	err = chromedp.Do(b.Ctx, chromedp.ScrollIntoView(row))
	if err != nil {
		t.Fatal(err)
	}
	scrollBefore := eval(`String(Math.round(scrollY))`)
	if ph := eval(`document.querySelector('` + row + ` input[type=text]').value + '|' + document.querySelector('` + row + ` input[type=text]').placeholder`); !strings.HasPrefix(ph, "|Evidence") {
		t.Errorf("the evidence field starts as %q; want empty with a placeholder", ph)
	}
	before = f.countRatings(t, pm)
	err = chromedp.Do(b.Ctx,
		chromedp.SetValue(row+" select", "1"),
		chromedp.SendKeys(row+" input[type=text]", "Only read the dashboards this quarter"),
		chromedp.Click(row+" button[type=submit]"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := waitText(t, b, row+" .quick-status", "Saved."); got != "Saved." {
		t.Errorf("PM's quick rating: status %q", got)
	}
	if got := eval(`document.querySelector('` + row + `').closest('tr').querySelector('[data-self-level]').textContent.trim()`); got != "1" {
		t.Errorf("the row's self-rating shows %q after saving 1", got)
	}
	if s := eval(`String(Math.round(scrollY))`); s != scrollBefore {
		t.Errorf("the page moved from %s to %s", scrollBefore, s)
	}
	if f.countRatings(t, pm) != before+1 {
		t.Errorf("%d ratings stored, want 1", f.countRatings(t, pm)-before)
	}

	// Without JavaScript the quick form is a plain form that comes back to its row.
	if _, err := chromedp.Call(b.Ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(base+"/me/profile"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	row = "form#rate-delivery"
	err = chromedp.Do(b.Ctx,
		chromedp.SetValue(row+" select", "2"),
		chromedp.SendKeys(row+" input[type=text]", "Paired with the tech lead twice"),
		chromedp.Click(row+" button[type=submit]"),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc = waitLocation(t, b, "#rate-delivery")
	u, _ := url.Parse(loc)
	if u.Path != "/me/profile" || u.Query().Get("rated") != "delivery" || u.Fragment != "rate-delivery" {
		t.Errorf("without JavaScript the form returned to %s; want /me/profile?…rated=delivery#rate-delivery", loc)
	}
	if got := waitText(t, b, row+" .quick-status", "Saved."); got != "Saved." {
		t.Errorf("without JavaScript: the row says %q", got)
	}
	if _, err := chromedp.Call(b.Ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	if console, _, _ := b.Seen(); len(console) > 0 {
		t.Errorf("console errors: %q", console)
	}
}

// waitLocation waits (at most 10 s) until the tab's URL ends with suffix, and returns it.
func waitLocation(t *testing.T, b *browser.Session, suffix string) string {
	t.Helper()
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if l, err := b.Location(); err == nil {
			if loc = l; strings.HasSuffix(loc, suffix) {
				break
			}
		}
	}
	return loc
}

// waitText waits (at most 10 s) until the element's text is want, and returns its text.
func waitText(t *testing.T, b *browser.Session, sel, want string) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if s, err := browser.Eval[string](b, `(document.querySelector(`+strconv.Quote(sel)+`) || {}).textContent || ''`); err == nil {
			if got = strings.TrimSpace(s); got == want {
				break
			}
		}
	}
	return got
}
