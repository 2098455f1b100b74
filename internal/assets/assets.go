// Package assets serves the static files (web/static) under content-hashed names, so that
// browsers may keep them for a year: /static/css/app.css is linked as
// /static/css/app.<hash>.css, and a new version of the file is a new URL.
//
// Each file is read, hashed and compressed (gzip and brotli, at their best levels) once,
// when the Set is built at start, from the files embedded in the binary: nothing is
// compressed per request, and the files people edit (CSS, scripts) need no build step.
// The exception is the large vendored ECharts bundle, itself a build output: brotli's best
// level takes about a second for it (ten under the race detector, in every test binary that
// starts a server), so scripts/build-echarts.sh writes its .br and .gz beside it, and a
// variant found beside its file is used instead, once checked to decode to the file.
//
// Templates write the URLs through Set.URL ({{asset "css/app.css"}}); Set.Response answers a
// request, choosing the variant by Accept-Encoding. Nothing here knows the web framework.
package assets

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/compress"
)

// Cache-Control of the two kinds of URL: a hashed name never changes its content; a plain
// name (links from before hashed names, or typed by hand) may, so it is kept briefly and
// revalidated by its ETag.
const (
	CacheImmutable = "public, max-age=31536000, immutable"
	CacheShort     = "public, max-age=300"
)

// hashLen is how many hex digits of the SHA-256 a hashed name carries (48 bits).
const hashLen = 12

// brotliLevel and gzipLevel are the best each encoder does: paid once per file at start.
const (
	brotliLevel = 11
	gzipLevel   = gzip.BestCompression
)

// File is one static file with its compressed variants.
type File struct {
	Name        string // its path under the root, e.g. "css/app.css"
	Hashed      string // the same with the content hash, e.g. "css/app.0123456789ab.css"
	ContentType string
	hash        string
	raw         []byte
	gzip        []byte // nil when compressing does not pay
	brotli      []byte
}

// Set is the static files of one directory tree.
type Set struct {
	prefix   string           // the URL path the tree is served under, e.g. "/static/"
	byName   map[string]*File // "css/app.css"
	byHashed map[string]*File // "css/app.0123456789ab.css"
}

// New reads every file of fsys, hashes it and compresses it; prefix is the URL path fsys
// is served under ("/static/"). Files are compressed concurrently. A file "x.br" or "x.gz"
// beside a file "x" is x's variant, not a file of its own.
func New(fsys fs.FS, prefix string) (*Set, error) {
	all := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		all[p], err = fs.ReadFile(fsys, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	var files []*File
	for p, raw := range all {
		if ext := path.Ext(p); (ext == ".br" || ext == ".gz") && all[strings.TrimSuffix(p, ext)] != nil {
			continue
		}
		sum := sha256.Sum256(raw)
		f := &File{Name: p, ContentType: contentType(p), hash: hex.EncodeToString(sum[:])[:hashLen], raw: raw}
		f.Hashed = hashedName(p, f.hash)
		f.brotli, f.gzip = all[p+".br"], all[p+".gz"]
		files = append(files, f)
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, f := range files {
		g.Go(f.compress)
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	s := &Set{prefix: prefix, byName: map[string]*File{}, byHashed: map[string]*File{}}
	for _, f := range files {
		s.byName[f.Name] = f
		s.byHashed[f.Hashed] = f
	}
	return s, nil
}

// minCompress is the smallest file worth compressing: below it, the saving is less than
// the headers that announce it.
const minCompress = 256

// compress makes the variants, or checks the ones found beside the file (a variant that does
// not decode to the file is made again), and keeps each that is at most 90 % of the file.
func (f *File) compress() error {
	if len(f.raw) < minCompress || !compressible(f.ContentType) {
		f.gzip, f.brotli = nil, nil
		return nil
	}
	keep := func(found []byte, enc string, level int) ([]byte, error) {
		b := found
		if b == nil || !compress.Decodes(enc, b, f.raw) {
			var err error
			if b, err = compress.Encode(enc, f.raw, level); err != nil {
				return nil, fmt.Errorf("assets: %s %s: %w", enc, f.Name, err)
			}
		}
		if len(b) > len(f.raw)*9/10 {
			return nil, nil
		}
		return b, nil
	}
	var err error
	if f.gzip, err = keep(f.gzip, compress.Gzip, gzipLevel); err != nil {
		return err
	}
	f.brotli, err = keep(f.brotli, compress.Brotli, brotliLevel)
	return err
}

// hashedName puts the hash before the extension: "js/app.js" → "js/app.<hash>.js",
// "LICENSE" → "LICENSE.<hash>".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	if ext == path.Base(name) { // a dotfile
		ext = ""
	}
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// types are the content types of the extensions web/static holds, fixed here rather than
// read from the machine's mime.types (which may say application/javascript, or nothing).
var types = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",
	"":      "text/plain; charset=utf-8", // LICENSE, NOTICE, VERSION
}

func contentType(name string) string {
	ext := path.Ext(name)
	if ext == path.Base(name) {
		ext = ""
	}
	if t, ok := types[strings.ToLower(ext)]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.HasPrefix(contentType, "application/json") ||
		strings.HasPrefix(contentType, "image/svg+xml")
}

// URL is the content-hashed URL of the file name (a path under the root, e.g.
// "css/app.css"); an unknown name is an error, so a template naming a missing file fails to
// render instead of linking to nothing.
func (s *Set) URL(name string) (string, error) {
	f, ok := s.byName[name]
	if !ok {
		return "", fmt.Errorf("assets: no static file %q", name)
	}
	return s.prefix + f.Hashed, nil
}

// Files lists the files (tests and measurements read their sizes).
func (s *Set) Files() []*File {
	out := make([]*File, 0, len(s.byName))
	for _, f := range s.byName {
		out = append(out, f)
	}
	return out
}

// Sizes are the bytes of a file and of its compressed variants (0 for one not kept).
func (f *File) Sizes() (raw, gzip, brotli int) { return len(f.raw), len(f.gzip), len(f.brotli) }

// Response is the answer to a GET or HEAD of a static file.
type Response struct {
	Status int
	// Header holds Content-Type, Content-Encoding (when compressed), Cache-Control, ETag
	// and Vary.
	Header [][2]string
	Body   []byte // nil for 304
}

// Response answers a request for p, the URL path below the prefix ("css/app.<hash>.css"),
// with the request's Accept-Encoding and If-None-Match headers. ok is false when p names
// no file.
//
// A hashed name is cached for a year as immutable. A plain name, or a known file with a
// hash that is not its current one (a page from an older version of the app, during a
// rolling deploy), gets the current content with a short cache and an ETag to revalidate.
func (s *Set) Response(p, acceptEncoding, ifNoneMatch string) (r Response, ok bool) {
	f, immutable := s.byHashed[p], true
	if f == nil {
		f, immutable = s.byName[unhashed(p)], false
	}
	if f == nil {
		return Response{}, false
	}
	body, enc, etag := f.raw, compress.Identity, `"`+f.hash+`"`
	offered := make([]string, 0, 2)
	if f.brotli != nil {
		offered = append(offered, compress.Brotli)
	}
	if f.gzip != nil {
		offered = append(offered, compress.Gzip)
	}
	switch compress.Negotiate(acceptEncoding, offered...) {
	case compress.Brotli:
		body, enc, etag = f.brotli, compress.Brotli, `"`+f.hash+`-br"`
	case compress.Gzip:
		body, enc, etag = f.gzip, compress.Gzip, `"`+f.hash+`-gz"`
	}
	cache := CacheImmutable
	if !immutable {
		cache = CacheShort
	}
	r = Response{Status: 200, Body: body, Header: [][2]string{
		{"Content-Type", f.ContentType},
		{"Cache-Control", cache},
		{"ETag", etag},
		{"Vary", "Accept-Encoding"},
	}}
	if enc != compress.Identity {
		r.Header = append(r.Header, [2]string{"Content-Encoding", enc})
	}
	if etagMatch(ifNoneMatch, etag) {
		r.Status, r.Body = 304, nil
	}
	return r, true
}

// unhashed drops a hash-like segment before the extension ("js/app.0123456789ab.js" →
// "js/app.js"); other names are returned as they are.
func unhashed(p string) string {
	dir, base := path.Split(p)
	parts := strings.Split(base, ".")
	for i := len(parts) - 1; i >= 1; i-- {
		if isHash(parts[i]) {
			return dir + strings.Join(append(parts[:i:i], parts[i+1:]...), ".")
		}
	}
	return p
}

func isHash(s string) bool {
	if len(s) != hashLen {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// etagMatch is If-None-Match's weak comparison: "*", or any listed tag equal to etag
// ignoring W/.
func etagMatch(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}
