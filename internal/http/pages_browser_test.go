package http

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/browser"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// pageVisit is one page to check as one demo user.
type pageVisit struct{ email, path string }

// everyPage lists every page of the route table (GET, outside /api/) that each demo role may
// open, with the path parameters filled in with objects of the demo organisation that
// role may see: the Growth team, its PM pm@demo.test, an SOP of Growth and its first
// revision, and a peer request the user is asked to answer (made here).
func everyPage(t *testing.T, f *fixture) []pageVisit {
	t.Helper()
	growth := f.ids["team:Growth"]
	pm := f.ids["pm@demo.test"]
	var sop int64
	if err := f.db.Get(&sop, `SELECT id FROM sops WHERE team_id = $1 ORDER BY id LIMIT 1`, growth); err != nil {
		t.Fatalf("an SOP of Growth: %v", err)
	}
	// pm2 asks each other role (that rates) for a peer rating, so every one has a request to answer.
	requests := map[string]int64{}
	for _, email := range []string{"admin@demo.test", "leader@demo.test", "pm@demo.test"} {
		r := f.as(t, "pm2@demo.test", "POST", fmt.Sprintf("/api/v1/people/%d/peer-requests", f.ids["pm2@demo.test"]),
			map[string]any{"reviewer_id": f.ids[email], "message": "Look at the pricing launch"})
		wantStatus(t, r, http.StatusCreated)
		var out struct {
			Data struct {
				ID int64 `json:"id"`
			} `json:"data"`
		}
		r.JSON(t, &out)
		requests[email] = out.Data.ID
	}
	fill := func(email, path string) string {
		r := strings.NewReplacer(
			"/teams/:id", fmt.Sprintf("/teams/%d", growth),
			"/people/:id", fmt.Sprintf("/people/%d", pm),
			"/sops/:id", fmt.Sprintf("/sops/%d", sop),
			"/revisions/:rev", "/revisions/1",
			"/peer-requests/:id", fmt.Sprintf("/peer-requests/%d", requests[email]),
		)
		return r.Replace(path)
	}
	var visits []pageVisit
	for _, email := range []string{"admin@demo.test", "leader@demo.test", "pm@demo.test", "hr@demo.test"} {
		role := f.role(t, email)
		for _, rt := range f.srv.Routes() {
			if rt.Method != get || strings.HasPrefix(rt.Path, "/api/") || rt.Roles == nil || rt.Path == "/" ||
				!slices.Contains(rt.Roles, role) {
				continue
			}
			if strings.HasPrefix(rt.Path, "/peer-requests/") && requests[email] == 0 {
				continue
			}
			visits = append(visits, pageVisit{email, fill(email, rt.Path)})
		}
	}
	return visits
}

// role reads the demo user's role.
func (f *fixture) role(t *testing.T, email string) string {
	t.Helper()
	var role string
	if err := f.db.Get(&role, `SELECT role FROM users WHERE id = $1`, f.ids[email]); err != nil {
		t.Fatal(err)
	}
	return role
}

// wideElements names the outermost elements wider than the screen that do not scroll
// inside a box of their own (what makes a page scroll sideways).
const wideElements = `(() => {
	const cw = document.documentElement.clientWidth;
	const scrolls = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
		if (getComputedStyle(p).overflowX !== 'visible') { return true; } } return false; };
	return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > cw + 1 && !scrolls(e))
		.slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '') +
			' ' + Math.round(e.getBoundingClientRect().right)).join(', ');
})()`

// TestEveryPageInBrowser opens every page for every role that may open it in headless
// Chromium, at 1440 px and on a 390 px phone: axe-core (WCAG 2.2 A and AA rules) finds no
// serious or critical violation, the page does not scroll sideways on the phone, and
// nothing is printed to the console. A page a role's service refuses for the chosen object
// (403/404) is reported, not checked; a server error fails.
func TestEveryPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	if _, err := browser.Path(); err != nil {
		t.Skip(err)
	}
	if _, err := browser.AxePath(); err != nil {
		if os.Getenv("TEAMSHAPE_AXE") != "" { // make test: it must be there
			t.Fatal(err)
		}
		t.Skip(err) // a plain go test without make axe
	}
	f := newFixture(t)
	visits := everyPage(t, f)
	base := f.listen(t)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute) // about 130 page loads; a busy machine takes long
	defer cancel()
	b, err := browser.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	check := func(who, path string, phone bool) {
		t.Helper()
		if err := b.Open(base + path); err != nil {
			t.Errorf("%s %s: %v", who, path, err)
			return
		}
		if phone {
			if over, err := b.Overflow(); err != nil || over > 0 {
				wide, _ := browser.Eval[string](b, wideElements)
				t.Errorf("%s %s at 390 px: the page is %d px wider than the screen (%v): %s", who, path, over, err, wide)
			}
			return
		}
		vs, err := b.Axe()
		if err != nil {
			t.Errorf("%s %s: axe: %v", who, path, err)
			return
		}
		for _, v := range vs {
			t.Errorf("%s %s: axe: %s", who, path, v)
		}
	}
	checked := 0
	for _, phone := range []bool{false, true} {
		if phone {
			if err := b.Phone(390); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := chromedp.Call(b.Ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		check("no session", "/login", phone)
		for _, v := range visits {
			r := f.as(t, v.email, "GET", v.path, nil)
			if r.Status >= 500 {
				t.Errorf("%s %s: status %d", v.email, v.path, r.Status)
				continue
			}
			if r.Status != http.StatusOK {
				if !phone {
					t.Logf("%s %s: status %d, not checked", v.email, v.path, r.Status)
				}
				continue
			}
			_, err := chromedp.Call(b.Ctx, network.SetCookie, network.SetCookieParams{
				Name: kit.CookieName, Value: f.token(t, v.email), Domain: "127.0.0.1", Path: "/", HTTPOnly: new(true)})
			if err != nil {
				t.Fatal(err)
			}
			check(v.email, v.path, phone)
			checked++
		}
	}
	if _, err := chromedp.Call(b.Ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if checked < 2*60 {
		t.Errorf("%d page loads checked; want every page of every role at both widths (at least 120)", checked)
	}
	if console, _, _ := b.Seen(); len(console) > 0 {
		t.Errorf("console errors: %q", console)
	}
}
