package kit

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
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
	// in place of the page's "content" template; Packed is Body deflated (the view cache's).
	Body   string
	Packed compress.Deflated
	// Unread is the signed-in person's unread notifications (the bell), filled by renderStatus.
	Unread int
}

// Render writes a page with status 200.
func (s *Deps) Render(c *fiber.Ctx, name string, p Page) error {
	return s.RenderStatus(c, fiber.StatusOK, name, p)
}

// RenderContent renders only the "content" template of page name, for the view cache; the
// layout (with the session's CSRF token and the caller's name) is rendered per request.
func (s *Deps) RenderContent(c *fiber.Ctx, name string, p Page) ([]byte, error) {
	t, ok := s.Templates[name]
	if !ok {
		return nil, fmt.Errorf("no template %q", name)
	}
	p.Actor = Actor(c)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "content", p); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// execLayout writes the page: the layout with the page's content template, or around
// p.Body (written as is, not through the template: it is HTML that template rendered).
func execLayout(w io.Writer, t *template.Template, p Page) error {
	if p.Body == "" {
		return t.ExecuteTemplate(w, "layout", p)
	}
	if err := t.ExecuteTemplate(w, "top", p); err != nil {
		return err
	}
	if _, err := io.WriteString(w, p.Body); err != nil {
		return err
	}
	return t.ExecuteTemplate(w, "bottom", p)
}

// layoutBuffers hold a page's layout halves while its cached content is spliced in.
var layoutBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execLayoutGzip writes the page gzipped: the layout's two halves are rendered and
// compressed, and p.Packed, the content deflated when it was cached, is copied between them.
func execLayoutGzip(w io.Writer, t *template.Template, p Page) error {
	top, bottom := layoutBuffers.Get().(*bytes.Buffer), layoutBuffers.Get().(*bytes.Buffer)
	defer func() {
		top.Reset()
		bottom.Reset()
		layoutBuffers.Put(top)
		layoutBuffers.Put(bottom)
	}()
	if err := t.ExecuteTemplate(top, "top", p); err != nil {
		return err
	}
	if err := t.ExecuteTemplate(bottom, "bottom", p); err != nil {
		return err
	}
	return p.Packed.WriteGzip(w, top.Bytes(), bottom.Bytes())
}

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
	write := execLayout
	if p.Packed.Len() > 0 && acceptsGzip(c) {
		write = execLayoutGzip
		c.Set(fiber.HeaderContentEncoding, compress.Gzip)
	}
	if err := write(c.Response().BodyWriter(), t, p); err != nil {
		c.Response().ResetBody()
		c.Response().Header.Del(fiber.HeaderContentEncoding)
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(status)
	return nil
}
