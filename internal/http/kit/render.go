package kit

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/compress"
)

// Page is what every template gets.
type Page struct {
	Title string
	Actor *app.Actor
	CSRF  string
	Nav   string // the active nav item
	Flash string
	Error string
	// Charts loads the ECharts script and the chart starter.
	Charts bool
	Data   any
	// Body, when set, is the page's content already rendered (see renderContent), written
	// in place of the page's "content" template; Packed returns Body deflated (the view
	// cache's CachedView.Packed, called only for a client that accepts gzip).
	Body   string
	Packed func() compress.Deflated
	// Unread is the signed-in person's unread notifications (the bell), filled by renderStatus.
	Unread int
}

// Render writes a page with status 200.
func (s *Deps) Render(c *fiber.Ctx, name string, p Page) error {
	return s.RenderStatus(c, fiber.StatusOK, name, p)
}

// RenderContent renders only the "content" template of page name, for the view cache; the
// layout (with the session's CSRF token and the caller's name) is the layout cache's, per session.
func (s *Deps) RenderContent(c *fiber.Ctx, name string, p Page) (string, error) {
	t, ok := s.Templates[name]
	if !ok {
		return "", fmt.Errorf("no template %q", name)
	}
	p.Actor = Actor(c)
	buf := contentBuffers.Get().(*bytes.Buffer)
	defer contentBuffers.Put(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "content", p); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return buf.String(), nil
}

// contentBuffers are RenderContent's, kept grown: a dashboard's content is over 100 kB, and
// a new buffer would be grown to that, copied at every doubling, before its one copy into a
// string.
var contentBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// RenderStatus writes a page inside the layout.
func (s *Deps) RenderStatus(c *fiber.Ctx, status int, name string, p Page) error {
	t, ok := s.Templates[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	if p.Actor == nil {
		p.Actor, _ = c.Locals(ActorKey).(*app.Actor)
	}
	if p.Actor != nil && p.CSRF == "" {
		p.CSRF = s.Tokens.CSRFToken(p.Actor.SessionID)
	}
	if p.Actor != nil {
		// The bell is a convenience: a page still renders when its count cannot be read.
		if n, err := s.Notifications.Unread(c.UserContext(), p.Actor); err == nil {
			p.Unread = n
		} else {
			s.Log.Warn("unread notifications", "err", err)
		}
	}
	// Straight into the response's (pooled) body buffer: a dashboard is over 100 kB, and a
	// buffer of our own would be allocated and grown per request.
	c.Response().ResetBody()
	w := c.Response().BodyWriter()
	var err error
	switch {
	case p.Body == "":
		err = t.ExecuteTemplate(w, "layout", p)
	default: // a cached content: around it, the layout's halves, rendered once per session (layoutcache.go)
		var lp *layoutParts
		if lp, err = s.Layouts.parts(t, name, p); err != nil {
			break
		}
		var packed compress.Deflated
		if p.Packed != nil && acceptsGzip(c) {
			packed = p.Packed()
		}
		if packed.Len() > 0 {
			c.Set(fiber.HeaderContentEncoding, compress.Gzip)
			err = lp.writeGzip(w, packed)
		} else {
			err = lp.writePlain(w, p.Body)
		}
	}
	if err != nil {
		c.Response().ResetBody()
		c.Response().Header.Del(fiber.HeaderContentEncoding)
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(status)
	return nil
}
