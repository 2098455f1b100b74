package http

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/http/kit"
)

// TestViewCache: a repeat view of an unchanged team is served from the cache; a write to
// any of its inputs, by any route, is seen on the next request; each viewer and each
// session gets their own page (access, names and the CSRF token are never shared).
func TestViewCache(t *testing.T) {
	f := newFixture(t)
	vc := f.srv.Views
	team := "/teams/" + itoa64(f.ids["team:Growth"])
	get := func(email, path string) []byte {
		t.Helper()
		res := f.as(t, email, "GET", path, nil)
		wantStatus(t, res, 200)
		return res.Body
	}
	counts := func() (int64, int64) { return vc.Hits.Load(), vc.Misses.Load() }

	// Unchanged: the second request is a hit and answers the same bytes.
	shape1 := get("leader@demo.test", "/api/v1"+team+"/shape")
	h0, m0 := counts()
	shape2 := get("leader@demo.test", "/api/v1"+team+"/shape")
	if h, m := counts(); h != h0+1 || m != m0 || !bytes.Equal(shape1, shape2) {
		t.Fatalf("repeat view: hits %d→%d, misses %d→%d, same body %v", h0, h, m0, m, bytes.Equal(shape1, shape2))
	}

	// Another viewer of the same team misses and sees only what they may: HR no names.
	hr := get("hr@demo.test", "/api/v1"+team+"/shape")
	if bytes.Equal(hr, shape1) || strings.Contains(string(hr), "Omar") || !strings.Contains(string(shape1), "Omar") {
		t.Fatalf("HR's view is the leader's or names people:\n%s", hr)
	}

	// Two sessions of one leader: the same cached content, each with its own CSRF token.
	page1 := get("leader@demo.test", team)
	second := f.newToken(t, "leader@demo.test")
	res := f.do(t, "GET", team, second, nil)
	wantStatus(t, res, 200)
	csrf := regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)
	a, b := csrf.FindSubmatch(page1), csrf.FindSubmatch(res.Body)
	if a == nil || b == nil || bytes.Equal(a[1], b[1]) {
		t.Fatalf("CSRF tokens of two sessions: %q %q", a, b)
	}
	if !bytes.Equal(bytes.ReplaceAll(page1, a[1], nil), bytes.ReplaceAll(res.Body, b[1], nil)) {
		t.Fatal("two sessions of one leader got different dashboards")
	}

	// Writes through different routes: each is seen at once.
	_, m1 := counts()
	wantStatus(t, f.as(t, "admin@demo.test", "PATCH", "/api/v1/users/"+itoa64(f.ids["pm2@demo.test"]),
		map[string]any{"name": "Omar Renamed"}), 200)
	if p := get("leader@demo.test", team); !strings.Contains(string(p), "Omar Renamed") {
		t.Fatal("the page still shows the old name after a rename")
	}
	if _, m := counts(); m != m1+1 {
		t.Fatalf("misses %d→%d after a rename, want one", m1, m)
	}
	wantStatus(t, f.as(t, "leader@demo.test", "PUT", "/api/v1"+team+"/targets",
		map[string]any{"targets": []any{map[string]any{"competency": "analytics", "coverage": 5, "depth": 5, "criticality": 3}}}), 200)
	if s := get("leader@demo.test", "/api/v1"+team+"/shape"); bytes.Equal(s, shape1) || !strings.Contains(string(s), `"target":{"coverage":5,"depth":5,"criticality":3}`) {
		t.Fatal("the shape still shows the old targets")
	}
	// A write made outside the app (SQL) is seen too: the version lives in PostgreSQL.
	before := get("leader@demo.test", "/api/v1"+team+"/heatmap")
	if _, err := f.db.ExecContext(context.Background(),
		`UPDATE competencies SET name = 'Analytics (renamed in SQL)' WHERE org_id = $1 AND key = 'analytics'`, f.org.ID); err != nil {
		t.Fatal(err)
	}
	if after := get("leader@demo.test", "/api/v1"+team+"/heatmap"); bytes.Equal(before, after) ||
		!strings.Contains(string(after), "Analytics (renamed in SQL)") {
		t.Fatal("the heatmap missed a change made in SQL")
	}
}

// TestViewCacheBounds: the cache keeps within its count and its byte budget, dropping the
// least recently used views first; a view larger than the budget is not kept.
func TestViewCacheBounds(t *testing.T) {
	// A view holds its body and the body deflated, counted as an eighth of the body.
	size := func(n int) int64 { return int64(n + n/8) }
	budget := 2*size(10) + size(60) + size(40)/2
	vc := kit.NewViewCache(3, budget)
	put := func(team int64, n int) {
		t.Helper()
		if _, err := vc.Get(kit.ViewKey{TeamID: team}, func() (kit.CachedView, error) {
			return kit.CachedView{Body: strings.Repeat("x", n)}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	has := func(team int64) bool { return vc.Entries.Contains(kit.ViewKey{TeamID: team}) }
	put(1, 40)
	put(2, 40)
	put(3, 10)
	put(4, 10) // the count (3) drops team 1
	if has(1) || !has(2) || !has(4) || vc.Bytes.Load() != size(40)+2*size(10) {
		t.Fatalf("count bound: %v %v %v, %d bytes", has(1), has(2), has(4), vc.Bytes.Load())
	}
	put(5, 60) // over the budget: team 2 goes, then the rest fits
	if has(2) || !has(3) || !has(5) || vc.Bytes.Load() != 2*size(10)+size(60) {
		t.Fatalf("byte bound: %v %v %v, %d bytes", has(2), has(3), has(5), vc.Bytes.Load())
	}
	put(6, int(budget)+1) // alone over the budget: nothing of it stays, and it empties the cache
	if has(6) || vc.Bytes.Load() > budget || vc.Bytes.Load() < 0 {
		t.Fatalf("oversized view kept: %d bytes", vc.Bytes.Load())
	}
}
