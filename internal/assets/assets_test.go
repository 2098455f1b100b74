package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	brrr "github.com/molecule-man/go-brrr"

	"github.com/teamshape/teamshape/internal/compress"
	"github.com/teamshape/teamshape/web"
)

var css = strings.Repeat("body { color: #0f172a; }\n", 100)

func testSet(t *testing.T) *Set {
	t.Helper()
	s, err := New(fstest.MapFS{
		"css/app.css":           {Data: []byte(css)},
		"js/tiny.js":            {Data: []byte("x()")},
		"favicon.png":           {Data: bytes.Repeat([]byte{0}, 1000)},
		"vendor/lib/LICENSE":    {Data: []byte(strings.Repeat("licence text ", 100))},
		"vendor/lib/lib.min.js": {Data: []byte(strings.Repeat("var a=1;", 200))},
	}, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func header(r Response, name string) string {
	for _, h := range r.Header {
		if h[0] == name {
			return h[1]
		}
	}
	return ""
}

func TestURL(t *testing.T) {
	s := testSet(t)
	for name, want := range map[string]string{
		"css/app.css":           `^/static/css/app\.[0-9a-f]{12}\.css$`,
		"vendor/lib/LICENSE":    `^/static/vendor/lib/LICENSE\.[0-9a-f]{12}$`,
		"vendor/lib/lib.min.js": `^/static/vendor/lib/lib\.min\.[0-9a-f]{12}\.js$`,
	} {
		u, err := s.URL(name)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(want).MatchString(u) {
			t.Errorf("URL(%q) = %q, want %s", name, u, want)
		}
	}
	if _, err := s.URL("css/missing.css"); err == nil {
		t.Error("an unknown file has no URL")
	}
	// The hash is the content's: another content, another URL.
	other, err := New(fstest.MapFS{"css/app.css": {Data: []byte(css + "a{}")}}, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	u1, _ := s.URL("css/app.css")
	u2, _ := other.URL("css/app.css")
	if u1 == u2 {
		t.Error("changed content, same URL")
	}
}

func TestResponse(t *testing.T) {
	s := testSet(t)
	u, _ := s.URL("css/app.css")
	hashed := strings.TrimPrefix(u, "/static/")

	for _, tc := range []struct {
		path, accept string
		enc, cache   string
	}{
		{hashed, "gzip, deflate, br, zstd", "br", CacheImmutable},
		{hashed, "gzip", "gzip", CacheImmutable},
		{hashed, "br;q=0, gzip", "gzip", CacheImmutable},
		{hashed, "", "", CacheImmutable},
		{"css/app.css", "br", "br", CacheShort},                  // the plain name
		{"css/app.0123456789ab.css", "gzip", "gzip", CacheShort}, // an older version's hash
	} {
		r, ok := s.Response(tc.path, tc.accept, "")
		if !ok || r.Status != 200 {
			t.Fatalf("%s: %v %d", tc.path, ok, r.Status)
		}
		if got := header(r, "Content-Encoding"); got != tc.enc {
			t.Errorf("%s %q: encoding %q, want %q", tc.path, tc.accept, got, tc.enc)
		}
		if got := header(r, "Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		if header(r, "Vary") != "Accept-Encoding" || header(r, "Content-Type") != "text/css; charset=utf-8" {
			t.Errorf("%s: headers %q", tc.path, r.Header)
		}
		if got := decode(t, tc.enc, r.Body); got != css {
			t.Errorf("%s %q: body differs", tc.path, tc.accept)
		}
		// Revalidation by ETag (per variant).
		nm, _ := s.Response(tc.path, tc.accept, `W/"x", `+header(r, "ETag"))
		if nm.Status != 304 || nm.Body != nil {
			t.Errorf("%s: If-None-Match %s gave %d", tc.path, header(r, "ETag"), nm.Status)
		}
	}

	// Tiny and binary files are sent as they are.
	for _, p := range []string{"js/tiny.js", "favicon.png"} {
		r, ok := s.Response(p, "br, gzip", "")
		if !ok || header(r, "Content-Encoding") != "" {
			t.Errorf("%s: %v, encoding %q", p, ok, header(r, "Content-Encoding"))
		}
	}
	for _, p := range []string{"css/nope.css", "css", "", "../css/app.css", "css/app.css/x"} {
		if _, ok := s.Response(p, "", ""); ok {
			t.Errorf("%q: found", p)
		}
	}
}

func decode(t *testing.T, enc string, b []byte) string {
	t.Helper()
	switch enc {
	case "br":
		out, err := brrr.Decompress(b)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	case "gzip":
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	return string(b)
}

// TestWebStatic builds the app's own set, as the server does at start, and logs what each
// file weighs (go test -v ./internal/assets -run WebStatic).
func TestWebStatic(t *testing.T) {
	s, err := New(web.Static(), "/static/")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"css/app.css", "js/app.js", "js/charts.js", "vendor/echarts/echarts.custom.min.js", "favicon.svg"} {
		if _, err := s.URL(name); err != nil {
			t.Error(err)
		}
	}
	for _, f := range s.Files() {
		raw, gz, br := f.Sizes()
		t.Logf("%-40s %8d raw %8d gzip %8d br", f.Name, raw, gz, br)
		if strings.HasSuffix(f.Name, ".br") || strings.HasSuffix(f.Name, ".gz") {
			t.Errorf("%s is served as a file", f.Name)
		}
		// Variants written at build time (scripts/build-echarts.sh) are used as they are:
		// they decode to their file (else they would be made again at start).
		for _, v := range []struct {
			ext  string
			have []byte
		}{{".br", f.brotli}, {".gz", f.gzip}} {
			if found, err := fs.ReadFile(web.Static(), f.Name+v.ext); err == nil && !bytes.Equal(found, v.have) {
				t.Errorf("%s%s does not decode to %s: run scripts/build-echarts.sh", f.Name, v.ext, f.Name)
			}
		}
	}
	f := s.byName["vendor/echarts/echarts.custom.min.js"]
	if f == nil || f.brotli == nil || len(f.brotli) >= len(f.gzip) {
		t.Errorf("the ECharts bundle has no brotli variant, or a larger one than gzip")
	}
}

// TestVariantsBeside: x.br and x.gz beside x are x's variants when they decode to it, are
// made again when they do not, and are never files of their own.
func TestVariantsBeside(t *testing.T) {
	js := []byte(strings.Repeat("var a=1;", 200))
	br, _ := compress.Encode(compress.Brotli, js, 5)
	s, err := New(fstest.MapFS{
		"a.js":    {Data: js},
		"a.js.br": {Data: br},
		"a.js.gz": {Data: []byte("not gzip")},
		"lone.gz": {Data: []byte("a file of its own")},
	}, "/")
	if err != nil {
		t.Fatal(err)
	}
	a := s.byName["a.js"]
	if !bytes.Equal(a.brotli, br) {
		t.Error("the brotli variant beside a.js is not used")
	}
	if decode(t, "gzip", a.gzip) != string(js) {
		t.Error("the broken gzip variant is not made again")
	}
	if _, ok := s.Response("a.js.br", "", ""); ok {
		t.Error("a.js.br is served")
	}
	if _, ok := s.Response("lone.gz", "", ""); !ok {
		t.Error("lone.gz is not served")
	}
}
