// Package markdown renders user-written Markdown (SOP steps and text) to safe HTML with
// goldmark: raw HTML is dropped (goldmark's default without html.WithUnsafe), and a link or
// image is kept only if its URL is relative or http, https or mailto — anything else
// (javascript:, data:, vbscript:, …) loses its URL and keeps only its text.
package markdown

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var md = goldmark.New(
	goldmark.WithExtensions(extension.Strikethrough, extension.Table),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))),
)

// Render renders src as HTML. The result is safe to insert into a page: it holds no raw
// HTML from src and no link to a script.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src)) //nolint:gosec // escaped
	}
	return template.HTML(buf.String()) //nolint:gosec // goldmark without WithUnsafe, links filtered
}

// RenderInline renders one line (a step) without the surrounding paragraph.
func RenderInline(src string) template.HTML {
	h := strings.TrimSpace(string(Render(src)))
	if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
		h = h[len("<p>") : len(h)-len("</p>")]
	}
	return template.HTML(h) //nolint:gosec // from Render
}

// SafeURL reports whether a link may point at u: relative, or http, https or mailto.
func SafeURL(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}

// safeDest checks a destination as the renderer will write it: entities resolved.
func safeDest(dest []byte) bool { return SafeURL(string(util.URLEscape(dest, true))) }

// safeLinks unlinks every link, image and autolink whose URL is not SafeURL.
type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var bad []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) { //nolint:errcheck // never fails
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			if !safeDest(l.Destination) {
				bad = append(bad, n)
			}
		case *ast.Image:
			if !safeDest(l.Destination) {
				bad = append(bad, n)
			}
		case *ast.AutoLink:
			if l.AutoLinkType == ast.AutoLinkURL && !safeDest(l.URL(source)) {
				bad = append(bad, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		parent := n.Parent()
		if a, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(a.Label(source)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}
