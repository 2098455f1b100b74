package http

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCompareInBrowser drives the 1:1 in headless Chromium: the leader opens Omar's
// compare view from the progress board, agrees a level with a decision (a form with its
// CSRF token and a redirect), and starts next quarter's coaching goals from it. Skipped
// without Chromium.
func TestCompareInBrowser(t *testing.T) {
	b := newTab(t, 90*time.Second)
	f := newFixture(t)
	open := itoa64(f.growthCycles(t)[0].ID)
	base := f.listen(t)
	omar := itoa64(f.ids["pm2@demo.test"])
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.Ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(b.Ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	step("sign in", chromedp.Navigate(base+"/login?next=/cycles/"+open),
		chromedp.SendKeys(`input[name=email]`, "leader@demo.test", chromedp.NodeVisible),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`table.cycle-board`))
	board := text(`table.cycle-board`)
	step("agree", chromedp.Click(`a[href="/people/`+omar+`/compare?cycle=`+open+`"]`),
		chromedp.WaitVisible(`table.compare`),
		chromedp.SetValue(`select[name=level_specification]`, "1"),
		chromedp.SendKeys(`input[name=decision_specification]`, "Write the next two specs with Maya"),
		chromedp.Click(`form[action$="/agreements"] button`),
		chromedp.WaitVisible(`.flash`))
	flash := text(`.flash`)
	agreed, err := chromedp.Run(b.Ctx, chromedp.Value(`input[name=decision_specification]`))
	if err != nil {
		t.Fatal(err)
	}
	step("start coaching", chromedp.Click(`form[action$="/coaching-plan"] button`),
		chromedp.WaitVisible(`.coaching-summary`))
	plan := text(`main`)
	if !strings.Contains(board, "Omar Haddad") || !strings.Contains(flash, "What you agreed is saved") ||
		agreed != "Write the next two specs with Maya" {
		t.Errorf("board %q\nafter agreeing: %q, decision %q", board, flash, agreed)
	}
	if console, dialogs, _ := b.Seen(); len(console) > 0 || len(dialogs) > 0 {
		t.Errorf("console errors %q, dialogs %q (CSP or a script failed)", console, dialogs)
	}
	if !strings.Contains(plan, "Specification") && !strings.Contains(plan, "specification") {
		t.Errorf("the new plan does not show the agreed gap: %.500s", plan)
	}
}
