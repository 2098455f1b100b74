package http

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	brrr "github.com/molecule-man/go-brrr"
)

// TestCompressedAnswers: pages and JSON are compressed as the client accepts — the cached
// dashboard views gzipped from the view cache's copy, the rest by the compress middleware —
// and decode to exactly what an identity request gets; every answer varies by
// Accept-Encoding.
func TestCompressedAnswers(t *testing.T) {
	f := newFixture(t)
	team := "/teams/" + itoa64(f.ids["team:Growth"])
	tok := f.token(t, "leader@demo.test")
	for _, tc := range []struct {
		path, accept, enc string
	}{
		{team, "gzip, deflate, br, zstd", "gzip"}, // cached view: spliced gzip, first view (a miss) …
		{team, "gzip, deflate, br, zstd", "gzip"}, // … and a hit
		{team + "?view=self", "gzip", "gzip"},
		{team, "br", "br"},                                                               // no gzip: the middleware's brotli
		{team, "gzip;q=0, br;q=0", ""},                                                   // nothing acceptable
		{"/api/v1/teams/" + itoa64(f.ids["team:Growth"]) + "/shape", "gzip, br", "gzip"}, // cached JSON
		{"/api/v1/teams/" + itoa64(f.ids["team:Growth"]) + "/heatmap", "br", "br"},
		{"/me/profile", "gzip, deflate, br", "br"}, // not cached: the middleware
		{"/me/profile", "gzip", "gzip"},
		{"/api/v1/me", "gzip, br", "gzip"},         // cached JSON as well (the view cache)
		{"/api/v1/competencies", "gzip, br", "br"}, // not cached: the middleware
		{"/healthz", "gzip, br", ""},               // under 200 bytes
	} {
		plain := f.do(t, "GET", tc.path, tok, nil)
		wantStatus(t, plain, 200)
		r := f.do(t, "GET", tc.path, tok, nil, "Accept-Encoding", tc.accept)
		wantStatus(t, r, 200)
		if got := r.Header.Get("Content-Encoding"); got != tc.enc {
			t.Errorf("%s (%s): Content-Encoding %q, want %q", tc.path, tc.accept, got, tc.enc)
		}
		if got := r.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
			t.Errorf("%s (%s): Vary %q", tc.path, tc.accept, got)
		}
		if plain.Header.Get("Vary") != "Accept-Encoding" || plain.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s (identity): Vary %q, Content-Encoding %q", tc.path, plain.Header.Get("Vary"), plain.Header.Get("Content-Encoding"))
		}
		if body := decodeBody(t, tc.enc, r.Body); !bytes.Equal(body, plain.Body) {
			t.Errorf("%s (%s): decoded body differs from the identity one (%d and %d bytes)", tc.path, tc.accept, len(body), len(plain.Body))
		}
		if tc.enc != "" && len(plain.Body) > 2000 && len(r.Body)*3 > len(plain.Body) {
			t.Errorf("%s (%s): %d bytes compressed of %d", tc.path, tc.accept, len(r.Body), len(plain.Body))
		}
	}
}

func decodeBody(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	out, err := decompress(enc, b)
	if err != nil {
		t.Fatalf("%s: %v", enc, err)
	}
	return out
}

// decompress decodes a body of Content-Encoding enc (gzip, br or none).
func decompress(enc string, b []byte) ([]byte, error) {
	var r io.Reader = bytes.NewReader(b)
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		zr.Multistream(false)
		r = zr
	case "br":
		r = brrr.NewReader(r)
	}
	return io.ReadAll(r)
}
