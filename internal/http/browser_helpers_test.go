package http

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/browser"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// The set-up every browser test shares: skip where there is no browser, a tab that is closed
// when the test ends, and a session cookie instead of the sign-in form.

// newTab skips the test under -short or where there is no Chromium, and otherwise opens a
// headless Chromium tab that may run for d at most (a busy machine is slow) and is closed
// when the test ends. Call it first: a skipped test then builds no fixture.
func newTab(t *testing.T, d time.Duration) *browser.Session {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	if _, err := browser.Path(); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	b, err := browser.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// tabAs signs the tab in as the fixture's user with the session cookie the sign-in form would
// set (the form itself is tested by the tests that use it).
func (f *fixture) tabAs(t *testing.T, b *browser.Session, email string) {
	t.Helper()
	_, err := chromedp.Call(b.Ctx, network.SetCookie, network.SetCookieParams{
		Name: kit.CookieName, Value: f.token(t, email), Domain: "127.0.0.1", Path: "/", HTTPOnly: new(true)})
	if err != nil {
		t.Fatalf("session cookie for %s: %v", email, err)
	}
}
