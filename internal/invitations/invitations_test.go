package invitations

import (
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/mail"
	"github.com/teamshape/teamshape/web"
)

// TestAcceptOnce: five people racing with one link make one account; the others are told
// the link no longer works, and nothing of theirs is written.
func TestAcceptOnce(t *testing.T) {
	d := demotest.Seed(t)
	mails, err := mail.ParseTemplates(web.Mail, "mail", "http://teamshape.test")
	if err != nil {
		t.Fatal(err)
	}
	s := New(d.DB, mails, time.Now)
	ctx := context.Background()
	admin := d.Actors["admin@demo.test"]
	inv, err := s.Invite(ctx, admin, Input{Email: "race@new.test", Name: "Race", Role: app.RolePM, TeamID: ptr(d.Teams["Growth"])})
	if err != nil {
		t.Fatal(err)
	}
	// The token went out only in the e-mail; take it from the outbox, as its reader would.
	var text string
	if err := d.DB.GetContext(ctx, &text, `SELECT text_body FROM mail_outbox WHERE to_addr LIKE '%race@new.test%'`); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`token=([A-Za-z0-9_-]{43})`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no token in:\n%s", text)
	}
	token := m[1]
	if got, err := s.Open(ctx, token); err != nil || got.ID != inv.ID {
		t.Fatalf("Open: %v, %v", got, err)
	}
	var wg sync.WaitGroup
	results := make([]error, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, results[i] = s.Accept(ctx, AcceptInput{Token: token, Password: "a racing passphrase", TTL: time.Hour})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case err != ErrLink:
			t.Errorf("a losing accept: %v, want ErrLink", err)
		}
	}
	var accounts int
	if err := d.DB.GetContext(ctx, &accounts, `SELECT count(*) FROM users WHERE email = 'race@new.test'`); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || accounts != 1 {
		t.Errorf("%d accepts went through, %d accounts; want 1 and 1", ok, accounts)
	}
	if _, err := s.Open(ctx, token); err != ErrLink {
		t.Errorf("the used link opens: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
