package markdown

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// FuzzRender: whatever a user writes, the HTML holds only the tags and attributes
// goldmark makes for Markdown — no <script>, no on*= handler, no style beyond table
// alignment — and every href and src is a safe URL as a browser would read it.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Title\n\nSome *text* and `code`.\n\n1. one\n2. two\n\n| a | b |\n|:--|--:|\n| 1 | 2 |",
		"[x](javascript:alert(1))", "[x](java\tscript:alert(1))", "[x](jav&#x09;ascript:alert(1))",
		"<script>alert(1)</script>", `<img src=x onerror="alert(1)">`, "![i](data:image/svg+xml,<svg onload=alert(1)>)",
		"<https://example.com/a?b=c>", "<javascript:alert(1)>", "[x][r]\n\n[r]: <vbscript:x> 'title'",
		"```js\n<script>\n```", "~~del~~ **b** _i_", `[t](/a "x\" onmouseover=\"y")`, "[x](//evil.example)",
		"[x]( javascript:alert(1) )", "[x](\x00javascript:alert(1))", "<a href='javascript:x'>a</a>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, out := range []string{string(Render(src)), string(RenderInline(src))} {
			checkHTML(t, src, out)
		}
	})
}

var (
	tagRe  = regexp.MustCompile(`^<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*/?>`)
	attrRe = regexp.MustCompile(`([a-zA-Z-]+)(?:="([^"]*)")?`)
	// what goldmark with the Strikethrough and Table extensions writes
	allowedTags = map[string]bool{
		"p": true, "a": true, "img": true, "em": true, "strong": true, "code": true, "pre": true, "blockquote": true,
		"ul": true, "ol": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"hr": true, "br": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "del": true,
	}
	allowedAttrs = map[string]bool{"href": true, "src": true, "alt": true, "title": true, "start": true, "class": true, "style": true}
	styleRe      = regexp.MustCompile(`^text-align:(left|right|center);?$`)
	classRe      = regexp.MustCompile(`^language-`) // the value is escaped like any attribute
)

// omitted is what goldmark writes in place of raw HTML.
const omitted = "<!-- raw HTML omitted -->"

func checkHTML(t *testing.T, src, out string) {
	t.Helper()
	for i := strings.IndexByte(out, '<'); i >= 0; {
		if rest, ok := strings.CutPrefix(out[i:], omitted); ok {
			next := strings.IndexByte(rest, '<')
			if next < 0 {
				break
			}
			i += len(omitted) + next
			continue
		}
		m := tagRe.FindStringSubmatch(out[i:])
		if m == nil {
			t.Fatalf("%q: markup that is not a plain tag at %d: %q", src, i, clip(out[i:]))
		}
		name := strings.ToLower(m[2])
		if !allowedTags[name] {
			t.Fatalf("%q: tag <%s> in %q", src, name, clip(out))
		}
		for _, a := range attrRe.FindAllStringSubmatch(m[3], -1) {
			attr, val := strings.ToLower(a[1]), html.UnescapeString(a[2])
			switch {
			case !allowedAttrs[attr]:
				t.Fatalf("%q: attribute %s on <%s>: %q", src, attr, name, clip(out))
			case attr == "href" || attr == "src":
				if !SafeURL(val) || dangerousScheme(val) {
					t.Fatalf("%q: %s=%q on <%s>", src, attr, val, name)
				}
			case attr == "style" && !styleRe.MatchString(val):
				t.Fatalf("%q: style=%q", src, val)
			case attr == "class" && !classRe.MatchString(val):
				t.Fatalf("%q: class=%q", src, val)
			}
		}
		next := strings.IndexByte(out[i+len(m[0]):], '<')
		if next < 0 {
			break
		}
		i += len(m[0]) + next
	}
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("%q: <script in %q", src, clip(out))
	}
}

// dangerousScheme reads the URL as a browser does (control characters and spaces
// dropped) and reports a script-capable scheme.
func dangerousScheme(u string) bool {
	u = strings.ToLower(strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, u))
	for _, s := range []string{"javascript:", "vbscript:", "data:", "file:"} {
		if strings.HasPrefix(u, s) {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
