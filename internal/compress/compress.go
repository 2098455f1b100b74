// Package compress encodes response bodies for clients that accept it: gzip from the
// standard library and brotli from github.com/molecule-man/go-brrr (the encoder fasthttp,
// and so Fiber's compress middleware, already links into the binary), and picks the
// encoding a request's Accept-Encoding allows.
//
// It also splices gzip streams: a page whose content is cached (the view cache) and whose
// head and tail are cached per session (they carry the session's CSRF token) is sent
// compressed without compressing anything per request. See Deflated.
package compress

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"

	brrr "github.com/molecule-man/go-brrr"
)

// Content-Encoding values.
const (
	Identity = ""
	Gzip     = "gzip"
	Brotli   = "br"
)

// Negotiate returns the first of offered (in the server's order of preference) that
// acceptEncoding, a request's Accept-Encoding header, accepts: listed with a q-value above
// zero, or covered by "*" (RFC 9110, section 12.5.3). Identity when none is.
func Negotiate(acceptEncoding string, offered ...string) string {
	if acceptEncoding == "" {
		return Identity
	}
	for _, enc := range offered {
		if accepts(acceptEncoding, enc) {
			return enc
		}
	}
	return Identity
}

// accepts reports whether the header accepts coding enc.
func accepts(header, enc string) bool {
	star := false
	for item := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(item, ";")
		name = strings.TrimSpace(name)
		q := qvalue(params)
		switch {
		case strings.EqualFold(name, enc):
			return q > 0 // an explicit entry wins over "*"
		case name == "*":
			star = q > 0
		}
	}
	return star
}

// qvalue reads the weight of an Accept-Encoding item's parameters ("q=0.5"); 1 without one.
func qvalue(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0 // unreadable: not acceptable
			}
			return q
		}
	}
	return 1
}

// Encode returns b compressed with enc (Gzip or Brotli) at level (gzip: 1–9, brotli: 0–11).
func Encode(enc string, b []byte, level int) ([]byte, error) {
	switch enc {
	case Brotli:
		return brrr.Compress(b, level)
	case Gzip:
		var buf bytes.Buffer
		w, err := gzip.NewWriterLevel(&buf, level)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(b); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("compress: unknown encoding %q", enc)
}

// Decodes reports whether b, encoded with enc (Gzip or Brotli), decodes to want.
func Decodes(enc string, b, want []byte) bool {
	var r io.Reader
	switch enc {
	case Brotli:
		r = brrr.NewReader(bytes.NewReader(b))
	case Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return false
		}
		r = zr
	default:
		return false
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(want))+1))
	return err == nil && bytes.Equal(got, want)
}
