package http

import (
	"regexp"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/assets"
)

// TestStaticAssets: pages link every static file by its content-hashed URL; those are
// cached for a year as immutable and sent precompressed as the client accepts, the plain
// names still work with a short cache, and the page's CSP admits them.
func TestStaticAssets(t *testing.T) {
	f := newFixture(t)
	page := f.as(t, "leader@demo.test", "GET", "/teams/"+itoa64(f.ids["team:Growth"]), nil)
	wantStatus(t, page, 200)
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") ||
		!strings.Contains(csp, "style-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	urls := regexp.MustCompile(`(?:src|href|data-echarts)="(/static/[^"]+)"`).FindAllStringSubmatch(string(page.Body), -1)
	if len(urls) != 5 { // css, icon, echarts, charts.js, app.js
		t.Fatalf("static URLs on the dashboard: %q", urls)
	}
	hashed := regexp.MustCompile(`^/static/[a-z/.-]+\.[0-9a-f]{12}\.(js|css|svg)$`)
	for _, m := range urls {
		u := m[1]
		if !hashed.MatchString(u) {
			t.Errorf("%s is not a content-hashed URL", u)
		}
		r := f.do(t, "GET", u, "", nil, "Accept-Encoding", "gzip, deflate, br, zstd")
		wantStatus(t, r, 200)
		if got := r.Header.Get("Cache-Control"); got != assets.CacheImmutable {
			t.Errorf("%s: Cache-Control %q", u, got)
		}
		if r.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: Vary %q", u, r.Header.Get("Vary"))
		}
		if !strings.HasSuffix(u, ".svg") && r.Header.Get("Content-Encoding") != "br" {
			t.Errorf("%s: Content-Encoding %q, want br", u, r.Header.Get("Content-Encoding"))
		}
		if r.Header.Get("Content-Security-Policy") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: security headers missing", u)
		}
	}
	echarts := ""
	for _, m := range urls {
		if strings.Contains(m[1], "/echarts/") {
			echarts = m[1]
		}
	}
	gz := f.do(t, "GET", echarts, "", nil, "Accept-Encoding", "gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("gzip: %q", gz.Header)
	}
	plain := f.do(t, "GET", echarts, "", nil)
	if plain.Header.Get("Content-Encoding") != "" || len(plain.Body) < 2*len(gz.Body) {
		t.Errorf("identity: %q, %d bytes (gzip %d)", plain.Header.Get("Content-Encoding"), len(plain.Body), len(gz.Body))
	}

	// The plain name: the same file, a short cache and an ETag to revalidate.
	old := f.do(t, "GET", "/static/css/app.css", "", nil, "Accept-Encoding", "br")
	wantStatus(t, old, 200)
	if old.Header.Get("Cache-Control") != assets.CacheShort || old.Header.Get("ETag") == "" {
		t.Errorf("plain name: %q", old.Header)
	}
	wantStatus(t, f.do(t, "GET", "/static/css/app.css", "", nil, "Accept-Encoding", "br", "If-None-Match", old.Header.Get("ETag")), 304)
	wantStatus(t, f.do(t, "HEAD", "/static/css/app.css", "", nil), 200)
	wantStatus(t, f.do(t, "GET", "/static/css/missing.css", "", nil), 404)
	wantStatus(t, f.do(t, "GET", "/static/", "", nil), 404)
}
