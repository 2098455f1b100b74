package ui

import (
	"html"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/insight"
)

// The heatmap's cells are written in Go (heatRows): what users typed must read as text.
// They are what team.html's {{.Label}} and ?c={{.Competency}} wrote, but for two
// equivalent spellings: "+" is written as is (html/template wrote &#43;) and the URL's
// escapes are url.QueryEscape's (upper-case hex, "+" for a space).
func TestHeatRowsEscapeNames(t *testing.T) {
	three := 3
	name, comp := `</script><script>alert('1')</script>`, `Q&A "+" <i>`
	h := dashboards.Heatmap{
		Competencies: []insight.HeatmapColumn{{Competency: "q&a <x>", Name: comp}, {Competency: "delivery", Name: "Delivery"}},
		People: []insight.HeatmapRow{{ID: 42, Name: name, Cells: []insight.HeatmapCell{
			{Competency: "q&a <x>", Level: &three, Stale: true}, {Competency: "delivery"}}}},
	}
	rows := heatRows(h)
	const want = `<td><a class="level stale l3" href="/people/42?c=q%26a+%3Cx%3E#history" ` +
		`aria-label="&lt;/script&gt;&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;, Q&amp;A &#34;+&#34; &lt;i&gt;: level 3 (open to rate)">3</a></td>` +
		`<td><a class="level na" href="/people/42?c=delivery#history" ` +
		`aria-label="&lt;/script&gt;&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;, Delivery: not assessed (open to rate)">–</a></td>`
	if len(rows) != 1 || rows[0].ID != 42 || rows[0].Name != name || string(rows[0].Cells) != want {
		t.Fatalf("cells\n%s\nwant\n%s", rows[0].Cells, want)
	}
	if label := name + ", " + comp + ": level 3 (open to rate)"; !strings.Contains(html.UnescapeString(want), `aria-label="`+label+`"`) {
		t.Fatal("the label does not read as typed")
	}
}

func TestPeopleRowsEscapeNames(t *testing.T) {
	name, spike := `</script><script>alert('1')</script>`, `Q&A <i>`
	f := dashboards.Figures{People: []insight.PersonFigure{
		{ID: 7, Name: name, Title: "senior_pm", Breadth: 0.75, SpikeNames: []string{spike, "Delivery"}, Shape: "T", Assessed: 12, InScope: 16},
		{ID: 8, Name: "Bo", Title: "typed <b>", Shape: "none"},
	}}
	got := string(peopleRows(f))
	const want = "<tr>\n      <td><a href=\"/people/7\">&lt;/script&gt;&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;</a></td><td>Senior PM</td>\n" +
		`      <td data-csv-value="T"><span class="shape shape-T">T-shaped</span></td>` + "\n" +
		`      <td data-csv-value="75%"><div class="breadth"><meter min="0" max="1" low="0.5" high="0.74" optimum="1" value="0.75">75%</meter><small>75%</small></div></td>` + "\n" +
		`      <td data-csv-value="Q&amp;A &lt;i&gt;; Delivery"><span class="tag">Q&amp;A &lt;i&gt;</span><span class="tag">Delivery</span></td>` + "\n" +
		"      <td class=\"num\">12/16</td>\n    </tr>" +
		"<tr>\n      <td><a href=\"/people/8\">Bo</a></td><td>typed &lt;b&gt;</td>\n" +
		`      <td data-csv-value="none"><span class="shape shape-none">Developing</span></td>` + "\n" +
		`      <td data-csv-value="0%"><div class="breadth"><meter min="0" max="1" low="0.5" high="0.74" optimum="1" value="0">0%</meter><small>0%</small></div></td>` + "\n" +
		`      <td data-csv-value=""><small class="muted">none</small></td>` + "\n" +
		"      <td class=\"num\">0/0</td>\n    </tr>"
	if got != want {
		t.Fatalf("rows\n%s\nwant\n%s", got, want)
	}
}
