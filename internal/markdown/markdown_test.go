package markdown

import (
	"strings"
	"testing"
)

func TestRenderDropsScriptsAndDangerousLinks(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings the output must hold
	}{
		{"link with markup", "[a **b**](javascript:x) tail", []string{"a <strong>b</strong> tail"}},
		{"script tag", "Before <script>alert(1)</script> after", []string{"Before", "after"}},
		{"script block", "<script>\nalert(1)\n</script>\n\ntext", []string{"text"}},
		{"raw html attribute", `<img src=x onerror="alert(1)">`, nil},
		{"raw anchor", `<a href="javascript:alert(1)">x</a>`, []string{"x"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"click"}},
		{"upper-case scheme", "[click](JaVaScRiPt:alert(1))", []string{"click"}},
		{"entity-encoded colon", "[click](javascript&colon;alert(1))", []string{"click"}},
		{"numeric entity", "[click](javascript&#58;alert(1))", []string{"click"}},
		{"angle destination", "[click](<javascript:alert(1)>)", []string{"click"}},
		{"reference link", "[click][x]\n\n[x]: javascript:alert(1)", []string{"click"}},
		{"autolink", "<javascript:alert(1)>", []string{"<p>javascript:alert(1)</p>"}},
		{"data link", "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", []string{"d"}},
		{"vbscript image", "![pic](vbscript:msgbox(1))", []string{"pic"}},
		{"event in title", `[t](https://example.com "x\" onmouseover=\"alert(1)")`, []string{`href="https://example.com"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := strings.ToLower(string(Render(tt.src)))
			if tt.name != "event in title" && strings.Contains(out, "<a") {
				t.Errorf("the link was kept: %s", out)
			}
			for _, bad := range []string{"<script", `href="javascript`, `href="vbscript`, `href="data:`, `src="vbscript`,
				`href=""`, "onerror=", `onmouseover="`, "<img"} {
				if strings.Contains(out, bad) {
					t.Errorf("output holds %q: %s", bad, out)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(out, strings.ToLower(w)) {
					t.Errorf("output lacks %q: %s", w, out)
				}
			}
		})
	}
}

func TestRenderKeepsSafeMarkdown(t *testing.T) {
	out := string(Render("**Bold** and [docs](https://example.com/a?b=1&c=2), [local](/teams/1), <mailto:pm@demo.test>\n\n- one\n- two"))
	for _, want := range []string{
		"<strong>Bold</strong>",
		`<a href="https://example.com/a?b=1&amp;c=2">docs</a>`,
		`<a href="/teams/1">local</a>`,
		`<a href="mailto:pm@demo.test">`,
		"<li>one</li>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q: %s", want, out)
		}
	}
	if got := string(RenderInline("Ask *finance* & <b>sales</b>")); got != "Ask <em>finance</em> &amp; <!-- raw HTML omitted -->sales<!-- raw HTML omitted -->" {
		t.Errorf("inline: %s", got)
	}
}
