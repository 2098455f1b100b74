package http

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/browser"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// TestDashboardPagesInBrowser opens the dashboard pages in headless Chromium as each role and
// checks that every chart is drawn, that nothing is printed to the console, and that the
// script-like names in the team never run.
func TestDashboardPagesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	if _, err := browser.Path(); err != nil {
		t.Skip(err)
	}
	f := newFixture(t)
	growth := f.ids["team:Growth"]
	at := time.Now().Add(-time.Hour)
	f.rate(t, f.addPM(t, growth, "x1@evil.test", injectScript), at, map[string]int{"analytics": 4, "market_domain": 4})
	f.rate(t, f.addPM(t, growth, "x2@evil.test", injectFunction), at, map[string]int{"analytics": 3})
	base := f.listen(t)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // 14 pages; a busy machine is slow
	defer cancel()
	b, err := browser.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	team := fmt.Sprintf("/teams/%d", growth)
	for _, tc := range []struct {
		email  string
		path   string
		charts int // charts drawn on the page
	}{
		{"leader@demo.test", team, 4},
		{"leader@demo.test", team + "?view=self", 4},
		{"leader@demo.test", team + "/targets", 0},
		{"pm@demo.test", team, 3},
		{"hr@demo.test", team, 3},
		{"hr@demo.test", "/hr", 0},
		{"admin@demo.test", "/org", 1},
		{"admin@demo.test", team + "?as_of=" + time.Now().AddDate(0, -5, 0).Format(time.DateOnly), 4},
		// The other pages with charts (the ECharts build must hold what each one draws).
		{"pm@demo.test", "/me/profile", 1},
		{"pm@demo.test", "/me/career", 3},
		{"pm@demo.test", "/me/coaching", 2},
		{"leader@demo.test", fmt.Sprintf("/people/%d", f.ids["pm@demo.test"]), 2},
		{"leader@demo.test", fmt.Sprintf("/people/%d/coaching", f.ids["pm@demo.test"]), 2},
		{"leader@demo.test", team + "/hiring", 1},
	} {
		// Sign in by the session cookie the form would set.
		_, err := chromedp.Call(b.Ctx, network.SetCookie, network.SetCookieParams{
			Name: kit.CookieName, Value: f.token(t, tc.email), Domain: "127.0.0.1", Path: "/", HTTPOnly: new(true),
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Open(base + tc.path); err != nil {
			t.Fatalf("%s %s: %v", tc.email, tc.path, err)
		}
		drawn, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-chart-ready="1"] canvas').length`))
		if err != nil {
			t.Fatal(err)
		}
		failed, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-chart-ready="error"]').length`))
		if err != nil {
			t.Fatal(err)
		}
		title, err := chromedp.Run(b.Ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		if drawn != tc.charts || failed != 0 {
			t.Errorf("%s %s (%q): %d charts drawn, %d failed; want %d", tc.email, tc.path, title, drawn, failed, tc.charts)
		}
	}
	console, dialogs, requests := b.Seen()
	if len(console) > 0 {
		t.Errorf("console errors: %q", console)
	}
	if len(dialogs) > 0 {
		t.Errorf("dialogs opened (a script ran): %q", dialogs)
	}
	for _, r := range requests {
		if !strings.HasPrefix(r, base) && !strings.HasPrefix(r, "data:") && !strings.HasPrefix(r, "blob:") {
			t.Errorf("the page requested %s: it must work offline", r)
		}
	}
}

// TestChartsDrawnNearViewport: on a phone-sized screen the dashboard's charts are below the
// first screen, so ECharts is only prefetched after the load event (downloaded, not run);
// a chart is drawn when it is scrolled near the viewport, and the page is no wider than
// the screen (wide tables scroll in place).
func TestChartsDrawnNearViewport(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	if _, err := browser.Path(); err != nil {
		t.Skip(err)
	}
	f := newFixture(t)
	base := f.listen(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := browser.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = chromedp.Call(b.Ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: 412, Height: 823, DeviceScaleFactor: 1.75, Mobile: true, ScreenWidth: 412, ScreenHeight: 823})
	if err != nil {
		t.Fatal(err)
	}
	_, err = chromedp.Call(b.Ctx, network.SetCookie, network.SetCookieParams{
		Name: kit.CookieName, Value: f.token(t, "leader@demo.test"), Domain: "127.0.0.1", Path: "/", HTTPOnly: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	// Not b.Open: it scrolls every chart into view.
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(fmt.Sprintf("%s/teams/%d", base, f.ids["team:Growth"])), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	state := `JSON.stringify([typeof window.echarts, document.querySelectorAll('[data-chart-ready="1"]').length,
		document.documentElement.scrollWidth, innerWidth, !!document.querySelector('link[rel=prefetch][href*="/echarts/"]')])`
	var got string
	for range 30 { // the prefetch waits for the load event and an idle moment
		if got = eval(state); strings.HasSuffix(got, "true]") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != `["undefined",0,412,412,true]` {
		t.Errorf("at load [typeof echarts, charts drawn, page width, screen width, prefetched] = %s; want ECharts prefetched, not run, no chart drawn, and a page as wide as the screen", got)
	}
	// The first chart, and those within 200 px of the screen with it (the heatmap follows
	// the T-shape), are drawn once it is scrolled into view; the rest wait.
	eval(`document.querySelector('[data-chart]').scrollIntoView({block: 'center'}), ''`)
	first := `JSON.stringify([typeof window.echarts, document.querySelector('[data-chart]').dataset.chartReady || '',
		document.querySelectorAll('[data-chart]:not([data-chart-ready])').length > 0])`
	for range 50 {
		if got = eval(first); got == `["object","1",true]` {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != `["object","1",true]` {
		t.Errorf("after scrolling to the first chart [typeof echarts, its state, some charts still waiting] = %s; want ECharts run, that chart drawn, the ones further down not", got)
	}
	if console, _, _ := b.Seen(); len(console) > 0 {
		t.Errorf("console errors: %q", console)
	}
}
