package http

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

// viewCache keeps rendered dashboard views (a page's content, an API's JSON) so that a
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
type viewCache struct {
	entries *lru.Cache[viewKey, cachedView]
	fill    singleflight.Group // one render per key when many ask at once
	// bytes is the size of the cached bodies; past maxBytes the oldest go first.
	bytes    atomic.Int64
	maxBytes int64
	mu       sync.Mutex // one add (and its evictions) at a time
	// hits and misses count lookups (tests read them; a miss shared by a flight counts once
	// per caller).
	hits, misses atomic.Int64
}

// viewKey names one rendering of one view. Everything a view depends on that is not in
// the organisation's data must be here.
type viewKey struct {
	Kind           string // "team-page", "team-shape", "team-heatmap", "org-page", "org-shape", "hr-page", "me"
	OrgID, Version int64
	UserID, TeamID int64  // TeamID 0: the organisation's views
	View           string // heatmap view
	AsOf, Today    string // the requested as-of date and the server's date
}

// cachedView is a rendered view: a page's title and content, or an API's whole body.
type cachedView struct {
	Title  string
	Charts bool
	Body   string
	// packed is Body deflated once, in the background once the view is cached: a client
	// that accepts gzip gets it spliced, nothing compressed per request (compress.Deflated).
	// The request that rendered the view does not wait for it (1–2 ms for a dashboard: most
	// of an uncached view's time after its rendering); its answer is compressed by the
	// compress middleware at its fastest level instead (0.1 ms). Nil in that answer.
	packed *packing
}

// packing is a body being deflated; done is closed when d is set (zero if it failed).
type packing struct {
	done chan struct{}
	d    compress.Deflated
}

// Packed returns Body deflated, waiting for it if it is still being deflated; the zero
// Deflated when there is none (the client is then answered as without it).
func (v cachedView) Packed() compress.Deflated {
	if v.packed == nil {
		return compress.Deflated{}
	}
	<-v.packed.done
	return v.packed.d
}

// size is what the view holds in memory: the body and, estimated when it is cached, its
// deflated copy (a dashboard deflates to about a tenth of its size).
func (v cachedView) size() int64 { return int64(len(v.Body) + len(v.Body)/8) }

// The cache holds at most viewCacheSize views and viewCacheBytes of bodies (a 20-PM team's
// page is about 115 kB; a large team's a few hundred).
const (
	viewCacheSize  = 512
	viewCacheBytes = 32 << 20
)

func newViewCache(size int, maxBytes int64) *viewCache {
	vc := &viewCache{maxBytes: maxBytes}
	c, err := lru.NewWithEvict(size, func(_ viewKey, v cachedView) { vc.bytes.Add(-v.size()) })
	if err != nil {
		panic(err) // only for a size < 1
	}
	vc.entries = c
	return vc
}

// add caches a view, then drops the least recently used ones past the byte budget (a view
// larger than the whole budget is not kept).
func (vc *viewCache) add(k viewKey, v cachedView) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.entries.Contains(k) {
		return
	}
	vc.bytes.Add(v.size())
	vc.entries.Add(k, v)
	for vc.bytes.Load() > vc.maxBytes && vc.entries.Len() > 0 {
		vc.entries.RemoveOldest()
	}
}

// get returns the key's view, rendering it with render on a miss. Concurrent misses of one
// key share one render; an error is returned to each and not cached.
func (vc *viewCache) get(k viewKey, render func() (cachedView, error)) (cachedView, error) {
	if v, ok := vc.entries.Get(k); ok {
		vc.hits.Add(1)
		return v, nil
	}
	vc.misses.Add(1)
	v, err, _ := vc.fill.Do(fmt.Sprintf("%#v", k), func() (any, error) {
		v, err := render()
		if err != nil {
			return nil, err
		}
		p := &packing{done: make(chan struct{})}
		go func() {
			defer close(p.done)
			p.d, _ = compress.Deflate(v.Body) // a failure leaves it zero: answered uncompressed by us
		}()
		v.packed = p
		vc.add(k, v)
		v.packed = nil // this answer (and those sharing its render) does not wait
		return v, nil
	})
	if err != nil {
		return cachedView{}, err
	}
	return v.(cachedView), nil
}

// viewKey is the key of the caller's view kind of team teamID with the given parameters.
func (s *Server) viewKey(c *fiber.Ctx, kind string, teamID int64, view, asOf string) viewKey {
	a := actor(c)
	return viewKey{Kind: kind, OrgID: a.OrgID, Version: a.DataVersion, UserID: a.UserID, TeamID: teamID,
		View: view, AsOf: asOf, Today: s.dashboardDay()}
}

// cachedJSON answers with the JSON {"data": …} of the view k, built by build on a miss.
func (s *Server) cachedJSON(c *fiber.Ctx, k viewKey, build func() (any, error)) error {
	v, err := s.views.get(k, func() (cachedView, error) {
		out, err := build()
		if err != nil {
			return cachedView{}, err
		}
		body, err := json.Marshal(fiber.Map{"data": out})
		return cachedView{Body: string(body)}, err
	})
	if err != nil {
		return err
	}
	return sendJSON(c, v)
}

// cachedPage answers with the organisation-wide page of kind (template name, nav item) as
// of ?as_of, whose content build lays out on a miss: the title, the template's data and
// whether it has charts. The layout (the caller's name, the CSRF token) comes from the
// layout cache, per session.
func (s *Server) cachedPage(c *fiber.Ctx, kind, name, nav string,
	build func(asOf time.Time, date string) (title string, data any, charts bool, err error)) error {
	asOf, date, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	v, err := s.views.get(s.viewKey(c, kind, 0, "", date), func() (cachedView, error) {
		title, data, charts, err := build(asOf, date)
		if err != nil {
			return cachedView{}, err
		}
		body, err := s.renderContent(c, name, page{Data: data})
		return cachedView{Title: title, Charts: charts, Body: string(body)}, err
	})
	if err != nil {
		return err
	}
	return s.render(c, name, page{Title: v.Title, Nav: nav, Body: v.Body, Packed: v.Packed(), Charts: v.Charts})
}

// sendJSON writes a cached API body, gzipped from its deflated copy if the client accepts it.
func sendJSON(c *fiber.Ctx, v cachedView) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	if packed := v.Packed(); packed.Len() > 0 && acceptsGzip(c) {
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
