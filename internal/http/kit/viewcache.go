package kit

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/teamshape/teamshape/internal/compress"
)

// ViewCache keeps rendered dashboard views (a page's content, an API's JSON) so that a
// repeat view of an unchanged team costs no query beyond the session lookup and no
// analysis or rendering.
//
// Correctness rests on the organisation's data version (migrations/00011): PostgreSQL bumps
// it in the same transaction as every write to a dashboard input, and the session lookup
// reads it with the caller. A view is cached under the version read before its data were
// loaded, so what is served under version N is never older than N; after a write commits,
// every later request reads N+1 and misses. Each key also holds the viewer (access and
// names shown depend on who asks), the request's parameters and today's date (the default
// as-of date, faded ratings and the trend's quarters depend on it).
type ViewCache struct {
	Entries *lru.Cache[ViewKey, CachedView]
	fill    singleflight.Group // one render per key when many ask at once
	// Bytes is the size of the cached bodies; past maxBytes the oldest go first.
	Bytes    atomic.Int64
	maxBytes int64
	mu       sync.Mutex // one add (and its evictions) at a time
	// Hits and misses count lookups (tests read them; a miss shared by a flight counts once
	// per caller).
	Hits, Misses atomic.Int64
}

// ViewKey names one rendering of one view. Everything a view depends on that is not in
// the organisation's data must be here.
type ViewKey struct {
	Kind           string // "team-page", "team-shape", "team-heatmap", "org-page", "org-shape", "hr-page", "me"
	OrgID, Version int64
	UserID, TeamID int64  // TeamID 0: the organisation's views
	View           string // heatmap view
	AsOf, Today    string // the requested as-of date and the server's date
}

// CachedView is a rendered view: a page's title and content, or an API's whole body.
type CachedView struct {
	Title  string
	Charts bool
	Body   string
	// packed is Body deflated once, when a client that accepts gzip first asks for the
	// cached view: it gets the copy spliced, as does every later one, nothing compressed per
	// request (compress.Deflated). Not before: deflating a dashboard takes 0.4–1 ms of CPU,
	// which, begun in the background as each view was cached, slowed the answer it was
	// cached for by as much (its p50 after a write went from 2.4–2.9 to 3.7–4.1 ms on two
	// cores), and was wasted on views nobody asks for compressed. The request that rendered
	// the view does not deflate it; its answer is compressed by the compress middleware at
	// its fastest level instead. Nil in that answer.
	packed *packing
}

// packing is a body deflated on first use.
type packing struct {
	once sync.Once
	body string
	d    compress.Deflated // zero if deflating failed: answered uncompressed by us
}

// Packed returns Body deflated, deflating it on the first call; the zero Deflated when
// there is none (the client is then answered as without it). Concurrent callers share one
// deflation.
func (v CachedView) Packed() compress.Deflated {
	if v.packed == nil {
		return compress.Deflated{}
	}
	v.packed.once.Do(func() { v.packed.d, _ = compress.Deflate(v.packed.body) })
	return v.packed.d
}

// size is what the view holds in memory: the body and, estimated when it is cached, its
// deflated copy (a dashboard deflates to about a tenth of its size).
func (v CachedView) size() int64 { return int64(len(v.Body) + len(v.Body)/8) }

// The cache holds at most viewCacheSize views and viewCacheBytes of bodies (a 20-PM team's
// page is about 115 kB; a large team's a few hundred).
const (
	ViewCacheSize  = 512
	ViewCacheBytes = 32 << 20
)

func NewViewCache(size int, maxBytes int64) *ViewCache {
	vc := &ViewCache{maxBytes: maxBytes}
	c, err := lru.NewWithEvict(size, func(_ ViewKey, v CachedView) { vc.Bytes.Add(-v.size()) })
	if err != nil {
		panic(err) // only for a size < 1
	}
	vc.Entries = c
	return vc
}

// add caches a view, then drops the least recently used ones past the byte budget (a view
// larger than the whole budget is not kept).
func (vc *ViewCache) add(k ViewKey, v CachedView) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.Entries.Contains(k) {
		return
	}
	vc.Bytes.Add(v.size())
	vc.Entries.Add(k, v)
	for vc.Bytes.Load() > vc.maxBytes && vc.Entries.Len() > 0 {
		vc.Entries.RemoveOldest()
	}
}

// Get returns the key's view, rendering it with render on a miss. Concurrent misses of one
// key share one render; an error is returned to each and not cached.
func (vc *ViewCache) Get(k ViewKey, render func() (CachedView, error)) (CachedView, error) {
	if v, ok := vc.Entries.Get(k); ok {
		vc.Hits.Add(1)
		return v, nil
	}
	vc.Misses.Add(1)
	v, err, _ := vc.fill.Do(fmt.Sprintf("%#v", k), func() (any, error) {
		v, err := render()
		if err != nil {
			return nil, err
		}
		v.packed = &packing{body: v.Body}
		vc.add(k, v)
		v.packed = nil // this answer (and those sharing its render) does not deflate
		return v, nil
	})
	if err != nil {
		return CachedView{}, err
	}
	return v.(CachedView), nil
}

// ViewKey is the key of the caller's view kind of team teamID with the given parameters.
func (s *Deps) ViewKey(c *fiber.Ctx, kind string, teamID int64, view, asOf string) ViewKey {
	a := Actor(c)
	return ViewKey{Kind: kind, OrgID: a.OrgID, Version: a.DataVersion, UserID: a.UserID, TeamID: teamID,
		View: view, AsOf: asOf, Today: s.DashboardDay()}
}

// CachedJSON answers with the JSON {"data": …} of the view k, built by build on a miss.
func (s *Deps) CachedJSON(c *fiber.Ctx, k ViewKey, build func() (any, error)) error {
	v, err := s.Views.Get(k, func() (CachedView, error) {
		out, err := build()
		if err != nil {
			return CachedView{}, err
		}
		body, err := json.Marshal(fiber.Map{"data": out})
		return CachedView{Body: string(body)}, err
	})
	if err != nil {
		return err
	}
	return sendJSON(c, v)
}

// CachedPage answers with the organisation-wide page of kind (template name, nav item) as
// of ?as_of, whose content build lays out on a miss: the title, the template's data and
// whether it has charts. The layout (the caller's name, the CSRF token) comes from the
// layout cache, per session.
func (s *Deps) CachedPage(c *fiber.Ctx, kind, name, nav string,
	build func(asOf time.Time, date string) (title string, data any, charts bool, err error)) error {
	asOf, date, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	v, err := s.Views.Get(s.ViewKey(c, kind, 0, "", date), func() (CachedView, error) {
		title, data, charts, err := build(asOf, date)
		if err != nil {
			return CachedView{}, err
		}
		body, err := s.RenderContent(c, name, Page{Data: data})
		return CachedView{Title: title, Charts: charts, Body: body}, err
	})
	if err != nil {
		return err
	}
	return s.Render(c, name, Page{Title: v.Title, Nav: nav, Body: v.Body, Packed: v.Packed, Charts: v.Charts})
}

// sendJSON writes a cached API body, gzipped from its deflated copy if the client accepts it.
func sendJSON(c *fiber.Ctx, v CachedView) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	if !acceptsGzip(c) {
		return c.SendString(v.Body)
	}
	if packed := v.Packed(); packed.Len() > 0 {
		c.Set(fiber.HeaderContentEncoding, compress.Gzip)
		return compress.WriteGzipOf(c.Response().BodyWriter(), packed)
	}
	return c.SendString(v.Body)
}

// acceptsGzip: the request's Accept-Encoding admits gzip (the view cache keeps gzip's
// DEFLATE blocks; brotli streams cannot be spliced).
func acceptsGzip(c *fiber.Ctx) bool {
	return compress.Negotiate(c.Get(fiber.HeaderAcceptEncoding), compress.Gzip) == compress.Gzip
}
