package http

import (
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/config"
)

// TestAccountsInBrowser drives the pages in headless Chromium, with the e-mails going
// through the real outbox to a real Mailpit: an admin invites a PM; the PM follows the
// e-mail's link, chooses a password (the strength hint answers as they type) and lands on
// their page; they sign out, forget the password, ask for a reset from the sign-in page,
// follow that e-mail's link, set a new one and sign in with it.
func TestAccountsInBrowser(t *testing.T) {
	b := newTab(t, 2*time.Minute)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	f := newFixture(t, func(c *config.Config) { c.BaseURL = base }) // the e-mails' links come here
	box := startMailbox(t, f)
	go f.srv.Serve(ln)                                //nolint:errcheck
	t.Cleanup(func() { f.srv.Shutdown(time.Second) }) //nolint:errcheck

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.Ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// at waits (10 s at most) until the tab is on the path with want in its text (a form
	// posted to its own page has answered), and returns the page's text.
	at := func(path, want string) string {
		t.Helper()
		var loc, text string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if loc, err = b.Location(); err == nil {
				if u, _ := url.Parse(loc); u != nil && u.Path == path {
					if text, err = b.Text("body"); err == nil && strings.Contains(text, want) {
						return text
					}
				}
			}
		}
		t.Fatalf("at %s, want %s with %q; the page:\n%s", loc, path, want, text)
		return ""
	}

	// The admin invites Nia into Growth from the Invitations page.
	if err := b.Login(base, "admin@demo.test", testPassword); err != nil {
		t.Fatal(err)
	}
	do("open invitations", chromedp.Navigate(base+"/invitations"), chromedp.WaitVisible(`#invite input[name=name]`))
	do("fill the invitation",
		chromedp.SendKeys(`#invite input[name=name]`, "Nia Okoro"),
		chromedp.SendKeys(`#invite input[name=email]`, "nia@new.test"),
		chromedp.SetValue(`#invite select[name=team_id]`, itoa64(f.ids["team:Growth"])),
		chromedp.Click(`#invite button[type=submit]`),
	)
	if text := at("/invitations", "Invitation sent."); !strings.Contains(text, "nia@new.test") {
		t.Fatalf("after inviting:\n%s", text)
	}
	do("sign out", chromedp.Click(`header .who button[type=submit]`))
	at("/login", "Forgot your password?")

	// Nia follows the link, sees the hint while typing, and joins.
	invite, _ := link(t, box.next(t, "nia@new.test", "invited you"), "/invitations/accept")
	do("open the invitation", chromedp.Navigate(invite), chromedp.WaitVisible(`input[name=password]`))
	at("/invitations/accept", "Nia Okoro")
	do("type a short password", chromedp.SendKeys(`input[name=password]`, "niasown"))
	if hint, _ := b.Text(`[data-hint-for=password]`); !strings.Contains(hint, "5 more characters") {
		t.Errorf("hint after 7 characters: %q", hint)
	}
	do("finish the password",
		chromedp.SendKeys(`input[name=password]`, " garden of words"),
		chromedp.SendKeys(`input[name=password_confirm]`, "niasown garden of words"),
	)
	if hint, _ := b.Text(`[data-hint-for=password]`); hint != "Strong." {
		t.Errorf("hint after 23 characters in four words: %q", hint)
	}
	do("join", chromedp.Click(`form button[type=submit]`))
	at("/me/profile", "Nia Okoro")
	do("sign out", chromedp.Click(`header .who button[type=submit]`))
	at("/login", "Forgot your password?")

	// She forgets the password and resets it from the sign-in page.
	do("forgot", chromedp.Click(`a[href="/password-reset"]`))
	at("/password-reset", "Send the link")
	do("ask for the link", chromedp.WaitVisible(`input[name=email]`), chromedp.SendKeys(`input[name=email]`, "nia@new.test"),
		chromedp.Click(`form button[type=submit]`))
	at("/password-reset", "a link to reset its password is on its way")
	reset, _ := link(t, box.next(t, "nia@new.test", "Reset your Teamshape password"), "/password-reset/confirm")
	do("open the reset link", chromedp.Navigate(reset), chromedp.WaitVisible(`input[name=new_password]`),
		chromedp.SendKeys(`input[name=new_password]`, "a second garden of words"),
		chromedp.SendKeys(`input[name=new_password_confirm]`, "a second garden of words"),
		chromedp.Click(`form button[type=submit]`))
	at("/login", "sign in with the new password")
	box.next(t, "nia@new.test", "password changed")

	// The old password opens nothing; the new one signs her in.
	do("old password", chromedp.SendKeys(`input[name=email]`, "nia@new.test"),
		chromedp.SendKeys(`input[name=password]`, "niasown garden of words"), chromedp.Submit(`input[name=password]`))
	at("/login", "E-mail or password is incorrect")
	if err := b.Login(base, "nia@new.test", "a second garden of words"); err != nil {
		t.Fatal(err)
	}
	at("/me/profile", "Nia Okoro")
	console, dialogs, _ := b.Seen()
	if len(console) > 0 || len(dialogs) > 0 {
		t.Errorf("console %v, dialogs %v", console, dialogs)
	}
}
