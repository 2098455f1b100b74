package http

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

// TestLayoutCache: a cached dashboard's layout is rendered once per session and page and
// then reused, yet follows everything it shows — each session's own CSRF token, the
// bell's count as soon as a notification is added, the flash — and the gzipped page
// (spliced from deflated parts, nothing compressed per request) is the same page.
func TestLayoutCache(t *testing.T) {
	f := newFixture(t)
	team := "/teams/" + itoa64(f.ids["team:Growth"])
	csrf := regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)
	page := func(tok, path string) []byte {
		t.Helper()
		r := f.do(t, "GET", path, tok, nil)
		wantStatus(t, r, 200)
		gz := f.do(t, "GET", path, tok, nil, "Accept-Encoding", "gzip")
		wantStatus(t, gz, 200)
		if gz.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(decodeBody(t, "gzip", gz.Body), r.Body) {
			t.Fatalf("%s: the gzipped page is not the page", path)
		}
		return r.Body
	}
	one, two := f.newToken(t, "leader@demo.test"), f.newToken(t, "leader@demo.test")
	first := page(one, team)
	kept := f.srv.Layouts.Len()
	if again := page(one, team); !bytes.Equal(again, first) || f.srv.Layouts.Len() != kept {
		t.Fatalf("a repeat view: same page %v, layouts kept %d then %d", bytes.Equal(again, first), kept, f.srv.Layouts.Len())
	}
	other := page(two, team)
	t1, t2 := csrf.FindSubmatch(first), csrf.FindSubmatch(other)
	if t1 == nil || t2 == nil || bytes.Equal(t1[1], t2[1]) {
		t.Fatalf("two sessions' pages carry the CSRF tokens %q and %q", t1, t2)
	}
	if !bytes.Contains(first, []byte(`name="_csrf" value="`+string(t1[1])+`"`)) {
		t.Error("the sign-out form does not carry the page's CSRF token")
	}
	if bytes.Contains(first, []byte("unread")) {
		t.Fatal("the bell counts unread notifications before there are any")
	}

	// A notification: the next view's bell counts it.
	leader := f.ids["leader@demo.test"]
	n := app.Notification{OrgID: f.org.ID, UserID: leader, Kind: "digest", Key: "layout-test", Title: "Digest"}
	if ok, err := f.db.AddNotification(context.Background(), n, nil); err != nil || !ok {
		t.Fatalf("add a notification: %v %v", ok, err)
	}
	if p := page(one, team); !bytes.Contains(p, []byte(`aria-label="Notifications, 1 unread"`)) {
		t.Error("the bell does not count the new notification")
	}
	// The flash is the request's own.
	if p := page(one, team+"?saved=targets"); !bytes.Contains(p, []byte("Targets saved")) {
		t.Error("no flash after saving targets")
	}
	if p := page(one, team); bytes.Contains(p, []byte("Targets saved")) {
		t.Error("the flash stayed")
	}
	// Every page with a cached content has a layout that depends only on the key.
	for _, name := range []string{"team.html", "org.html", "hr.html"} {
		if !f.srv.Layouts.Cacheable(name) {
			t.Errorf("%s: layout not cacheable", name)
		}
	}
}
