package kit

import (
	"bytes"
	"html/template"
	"io"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/teamshape/teamshape/internal/compress"
)

// LayoutCache keeps the layout's two halves ("top" and "bottom" in layout.html) as rendered
// around a cached content (the view cache's dashboards), plain and deflated, so that a
// repeat view executes no template at all: it writes three byte slices, or for a client
// that accepts gzip splices three deflated ones (compress.WriteGzipOf) and compresses
// nothing. Before, the layout was executed (about 500 allocations) and its halves
// compressed on every request: most of a cached page's server CPU.
//
// The key holds everything the layout reads (layoutKey); the halves hold the session's
// CSRF token and the caller's name, so they are never shared between sessions. A page
// whose template overrides the layout's "extranav" block (which could read the page's
// Data) is rendered per request as before (LayoutCache.pages).
type LayoutCache struct {
	entries *lru.Cache[layoutKey, *layoutParts]
	// pages are the templates whose layout depends only on layoutKey.
	pages map[string]bool
}

// layoutKey is everything layout.html's "top" and "bottom" read of a page.
type layoutKey struct {
	Page                    string // the template: its layout is the same as every other's unless it adds to the nav
	Title, CSRF, Nav, Flash string
	Charts                  bool
	Unread                  int
	SignedIn                bool
	Role, Name              string
}

// layoutParts are a page's layout halves, as text and deflated.
type layoutParts struct {
	top, bottom  []byte
	packedTop    compress.Deflated
	packedBottom compress.Deflated
}

// LayoutCacheSize bounds the halves kept (about 5 kB each: 5 MB at most).
const LayoutCacheSize = 1024

func NewLayoutCache(pages map[string]*template.Template) *LayoutCache {
	c, err := lru.New[layoutKey, *layoutParts](LayoutCacheSize)
	if err != nil {
		panic(err) // only for a size < 1
	}
	lc := &LayoutCache{entries: c, pages: map[string]bool{}}
	for name, t := range pages {
		// layout.html's {{block "extranav" .}}{{end}} defines an empty one.
		if nav := t.Lookup("extranav"); nav == nil || nav.Tree == nil || len(nav.Tree.Root.Nodes) == 0 {
			lc.pages[name] = true
		}
	}
	return lc
}

func keyOf(name string, p Page) layoutKey {
	k := layoutKey{Page: name, Title: p.Title, CSRF: p.CSRF, Nav: p.Nav, Flash: p.Flash, Charts: p.Charts, Unread: p.Unread}
	if p.Actor != nil {
		k.SignedIn, k.Role, k.Name = true, p.Actor.Role, p.Actor.Name
	}
	return k
}

// parts returns the layout halves of page p of template t (named name), rendered once per key.
func (lc *LayoutCache) parts(t *template.Template, name string, p Page) (*layoutParts, error) {
	cacheable := lc.pages[name]
	k := keyOf(name, p)
	if cacheable {
		if lp, ok := lc.entries.Get(k); ok {
			return lp, nil
		}
	}
	var top, bottom bytes.Buffer
	if err := t.ExecuteTemplate(&top, "top", p); err != nil {
		return nil, err
	}
	if err := t.ExecuteTemplate(&bottom, "bottom", p); err != nil {
		return nil, err
	}
	lp := &layoutParts{top: top.Bytes(), bottom: bottom.Bytes()}
	var err error
	if lp.packedTop, err = compress.Deflate(top.String()); err != nil {
		return nil, err
	}
	if lp.packedBottom, err = compress.Deflate(bottom.String()); err != nil {
		return nil, err
	}
	if cacheable {
		lc.entries.Add(k, lp)
	}
	return lp, nil
}

// writePlain writes the page: the top half, the cached content, the bottom half.
func (lp *layoutParts) writePlain(w io.Writer, body string) error {
	if _, err := w.Write(lp.top); err != nil {
		return err
	}
	if _, err := io.WriteString(w, body); err != nil {
		return err
	}
	_, err := w.Write(lp.bottom)
	return err
}

// writeGzip writes the page gzipped from the three deflated parts.
func (lp *layoutParts) writeGzip(w io.Writer, packed compress.Deflated) error {
	return compress.WriteGzipOf(w, lp.packedTop, packed, lp.packedBottom)
}

// Len is how many layouts are kept.
func (lc *LayoutCache) Len() int { return lc.entries.Len() }

// Cacheable reports whether page name's layout depends only on its key (is kept).
func (lc *LayoutCache) Cacheable(name string) bool { return lc.pages[name] }
