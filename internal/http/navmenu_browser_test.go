package http

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/teamshape/teamshape/internal/browser"
)

// navState reads the main nav as a reader sees it: whether its menu is open and its summary
// shown, how many of its links there are, and how many of those are shown whole on the
// screen and not covered by anything (the element at a link's centre is the link).
const navState = `(() => {
	const menu = document.querySelector('details.navmenu');
	const summary = menu.querySelector('summary');
	const links = [...menu.querySelectorAll('nav.mainnav a')];
	const shown = links.filter(a => {
		if (!a.checkVisibility()) { return false; }
		const r = a.getBoundingClientRect();
		if (r.width === 0 || r.left < 0 || r.right > document.documentElement.clientWidth || r.bottom > innerHeight) { return false; }
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return !!hit && a.contains(hit);
	});
	return JSON.stringify({open: menu.open, summary: summary.checkVisibility(), links: links.length,
		shown: shown.length, focus: document.activeElement === summary});
})()`

type navSeen struct {
	Open, Summary bool
	Links, Shown  int
	Focus         bool
}

// TestNavMenuOnPhone: on a 390 px phone the main nav is a closed menu (its links hidden);
// opening it from the keyboard shows every link of the role's nav on the screen, over the
// page; Escape closes it and gives the focus back; axe-core finds nothing serious either way.
// At 1440 px there is no menu to open: every link is shown.
func TestNavMenuOnPhone(t *testing.T) {
	b := newTab(t, 3*time.Minute)
	if _, err := browser.AxePath(); err != nil {
		t.Skip(err)
	}
	f := newFixture(t)
	base := f.listen(t)
	state := func(when string) navSeen {
		t.Helper()
		js, err := browser.Eval[string](b, navState)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		var s navSeen
		if err := json.Unmarshal([]byte(js), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	axe := func(when string) {
		t.Helper()
		vs, err := b.Axe()
		if err != nil {
			t.Fatalf("%s: axe: %v", when, err)
		}
		for _, v := range vs {
			t.Errorf("%s: axe: %s", when, v)
		}
	}
	for _, tc := range []struct {
		email string
		links int // the role's nav (layout.html)
	}{
		{"admin@demo.test", 10},
		{"leader@demo.test", 5},
		{"pm@demo.test", 4},
		{"hr@demo.test", 2},
	} {
		f.tabAs(t, b, tc.email)
		if err := b.Phone(390); err != nil {
			t.Fatal(err)
		}
		if err := b.Open(base + "/me/security"); err != nil {
			t.Fatal(err)
		}
		if s := state(tc.email + " closed"); s.Open || !s.Summary || s.Links != tc.links || s.Shown != 0 {
			t.Errorf("%s at 390 px: want a closed menu hiding its %d links, got %+v", tc.email, tc.links, s)
		}
		axe(tc.email + " menu closed")
		if over, err := b.Overflow(); err != nil || over > 0 {
			t.Errorf("%s at 390 px: %d px wider than the screen (%v)", tc.email, over, err)
		}

		if err := chromedp.Do(b.Ctx, chromedp.Focus(`details.navmenu > summary`), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if s := state(tc.email + " open"); !s.Open || s.Shown != tc.links {
			t.Errorf("%s at 390 px: Enter on Menu should show all %d links, got %+v", tc.email, tc.links, s)
		}
		axe(tc.email + " menu open")
		if over, err := b.Overflow(); err != nil || over > 0 {
			t.Errorf("%s at 390 px, menu open: %d px wider than the screen (%v)", tc.email, over, err)
		}

		if err := chromedp.Do(b.Ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
			t.Fatal(err)
		}
		if s := state(tc.email + " escaped"); s.Open || s.Shown != 0 || !s.Focus {
			t.Errorf("%s at 390 px: Escape should close the menu and focus Menu, got %+v", tc.email, s)
		}

		if _, err := chromedp.Call(b.Ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		if err := b.Open(base + "/me/security"); err != nil {
			t.Fatal(err)
		}
		if s := state(tc.email + " at 1440 px"); s.Summary || s.Shown != tc.links {
			t.Errorf("%s at 1440 px: want all %d links shown and no menu button, got %+v", tc.email, tc.links, s)
		}
	}
	if console, _, _ := b.Seen(); len(console) > 0 {
		t.Errorf("console errors: %q", console)
	}
}
