// Package chart builds ECharts options for Teamshape's pages.
//
// Charts are assembled with go-echarts v2 types, but never rendered by
// go-echarts: its renderer writes option strings into pages unescaped (and
// turns strings wrapped in "__f__" into JavaScript functions). Instead every
// builder takes the option map from the chart's JSON() method, post-processes
// it where go-echarts cannot express something, and marshals it with
// encoding/json, which escapes <, >, &, U+2028 and U+2029. The result is an
// Option: inert JSON data, never code.
//
// A page embeds an Option in an attribute, where html/template escapes it once
// more, and the static script web/static/js/charts.js starts the chart:
//
//	<div class="chart" data-chart="{{.Option}}" data-chart-title="Team heatmap"></div>
//
// The builders take plain Go values (no domain types) so that the analytic
// code decides what is shown and this package only decides how. Every text in
// the input (people, competencies, areas, series names, labels) is treated as
// untrusted user input: it only ever appears as JSON string data, and never
// inside an ECharts formatter template (whose literal text ECharts would treat
// as markup).
package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// Option is a complete ECharts option as JSON. It contains no functions and
// no unescaped <, > or &, so it is safe to place in an HTML attribute with
// html/template ({{.Option}}) and to parse with JSON.parse in the browser.
type Option []byte

// String returns the JSON text. html/template calls it when the Option is
// used in an attribute, and escapes the result for that attribute.
func (o Option) String() string {
	if len(o) == 0 {
		return "{}"
	}
	return string(o)
}

// MarshalJSON embeds the option as a JSON object (not base64 bytes) when an
// Option is part of an API response.
func (o Option) MarshalJSON() ([]byte, error) {
	if len(o) == 0 {
		return []byte("{}"), nil
	}
	if !json.Valid(o) {
		return nil, fmt.Errorf("chart: option is not valid JSON")
	}
	return []byte(o), nil
}

// Level colours, 0 (unexposed) to 5 (expert): a sequential single-hue scale (ColorBrewer's
// Blues, which colour-blind readers see in order too) whose neighbours differ in
// lightness, so 0 and 1 are told apart; every cell also carries its number. The same
// scale is .level.l0–l5 in web/static/css/app.css.
var levelColors = [6]string{"#f1f5f9", "#c6dbef", "#9ecae1", "#4a8fc6", "#2166ac", "#08306b"}

// Text colour for a cell label on top of levelColors[i] (4.5:1 or more).
var levelTextColors = [6]string{"#475569", "#0b2545", "#0b2545", "#0b1a2e", "#ffffff", "#ffffff"}

// Level names of the proficiency scale, used in tooltips and the key.
var levelNames = [6]string{"unexposed", "aware", "developing", "working", "proficient", "expert"}

const (
	// Status colours of a competency in the team's shape.
	colorGap  = "#dc2626"
	colorRisk = "#f59e0b"
	colorOK   = "#16a34a"

	// Darker variants for text (axis labels) on white.
	textGap  = "#b91c1c"
	textRisk = "#b45309"

	colorText       = "#334155"
	colorMuted      = "#64748b"
	colorAxisLine   = "#cbd5e1"
	colorSplitLine  = "#e2e8f0"
	colorTarget     = "#0f172a"
	colorCoverage   = "#64748b"
	colorPrimary    = "#2563eb"
	colorNotRated   = "#f8fafc"
	colorNotRatedFg = "#94a3b8"
	colorStrength   = "#16a34a"
	colorGrowth     = "#d97706"

	fontFamily = `system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`

	// Opacity of heatmap cells whose rating is older than two quarters.
	fadedOpacity = 0.4
)

// palette is the series colour cycle for charts whose series have no
// semantic colour (history lines, generic bars).
var palette = []string{"#2563eb", "#f59e0b", "#16a34a", "#9333ea", "#0891b2", "#dc2626", "#db2777", "#65a30d", "#475569"}

// Background hint values accepted in ProfileData.Hint.
const (
	HintStrength = "strength"
	HintGrowth   = "growth"
)

// jsonChart is what every go-echarts chart provides.
type jsonChart interface {
	Validate()
	JSON() map[string]interface{}
}

// obj and arr are the generic shapes of a decoded option, used for the
// post-processing go-echarts cannot express.
type (
	obj = map[string]any
	arr = []any
)

// nullValue marshals as JSON null inside go-echarts data items (whose Value
// field is an interface with omitempty: a nil interface would be dropped,
// a json.RawMessage is kept). ECharts treats null as "no value".
var nullValue = json.RawMessage("null")

// finish turns a go-echarts chart into an Option: it takes the option map
// from JSON(), round-trips it through encoding/json into generic maps, drops
// the components we never use, applies the shared look, lets the builder
// patch what go-echarts cannot express, and marshals the result.
func finish(c jsonChart, patch func(o obj) error) (Option, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return nil, fmt.Errorf("chart: marshal go-echarts option: %w", err)
	}
	var o obj
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("chart: decode go-echarts option: %w", err)
	}

	// Pages carry their own headings, and downloads are done by charts.js.
	delete(o, "title")
	delete(o, "toolbox")

	o["color"] = toAny(palette)
	o["backgroundColor"] = "transparent"
	o["textStyle"] = obj{"fontFamily": fontFamily, "color": colorText}
	o["animationDuration"] = 300
	o["animationDurationUpdate"] = 200
	o["aria"] = obj{"enabled": true}

	// Tooltips are rendered on the canvas ("richText"), not as HTML: no
	// markup is ever built from user text, and the page's CSP needs no
	// inline styles for them.
	tt, _ := o["tooltip"].(obj)
	if tt == nil {
		tt = obj{}
	}
	tt["renderMode"] = "richText"
	tt["confine"] = true
	tt["backgroundColor"] = "rgba(255,255,255,0.97)"
	tt["borderColor"] = colorAxisLine
	tt["borderWidth"] = 1
	tt["padding"] = arr{6, 10}
	tt["textStyle"] = obj{"color": colorText, "fontSize": 12, "fontFamily": fontFamily}
	o["tooltip"] = tt

	// go-echarts always writes these (no omitempty) as null.
	for _, key := range []string{"xAxis", "yAxis"} {
		for _, ax := range list(o, key) {
			if lbl, ok := ax.(obj)["axisLabel"].(obj); ok {
				for _, k := range []string{"showMinLabel", "showMaxLabel"} {
					if v, ok := lbl[k]; ok && v == nil {
						delete(lbl, k)
					}
				}
			}
		}
	}

	if patch != nil {
		if err := patch(o); err != nil {
			return nil, err
		}
	}
	return marshal(o)
}

// marshal encodes v with HTML escaping (the encoding/json default).
func marshal(v any) (Option, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("chart: marshal option: %w", err)
	}
	return Option(b), nil
}

// ---- helpers for post-processing decoded options ----

// list returns o[key] as a slice, wrapping a single object in a slice.
func list(o obj, key string) arr {
	switch v := o[key].(type) {
	case arr:
		return v
	case obj:
		return arr{v}
	}
	return nil
}

// at returns the i-th element of o[key] as an object (nil if absent).
func at(o obj, key string, i int) obj {
	l := list(o, key)
	if i < 0 || i >= len(l) {
		return nil
	}
	m, _ := l[i].(obj)
	return m
}

// child returns o[key] as an object, creating it if needed.
func child(o obj, key string) obj {
	if m, ok := o[key].(obj); ok {
		return m
	}
	m := obj{}
	o[key] = m
	return m
}

// seriesNamed returns the series with the given name.
func seriesNamed(o obj, name string) obj {
	for _, s := range list(o, "series") {
		if m, ok := s.(obj); ok && m["name"] == name {
			return m
		}
	}
	return nil
}

// ---- shared styling ----

func axisLabel() *opts.AxisLabel {
	return &opts.AxisLabel{Show: opts.Bool(true), Color: colorMuted, FontSize: 11}
}

func axisLine() *opts.AxisLine {
	return &opts.AxisLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: colorAxisLine}}
}

func splitLine() *opts.SplitLine {
	return &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: colorSplitLine}}
}

// styleCategoryAxis applies the settings go-echarts types cannot express
// correctly: a numeric label interval (go-echarts has a string, which
// ECharts would concatenate) and no ticks. Rotated labels wrap onto a second
// line instead of being cut ("Market & domain knowle…" was unreadable).
func styleCategoryAxis(ax obj, rotate float64) {
	lbl := child(ax, "axisLabel")
	lbl["interval"] = 0
	lbl["hideOverlap"] = false
	if rotate != 0 {
		lbl["rotate"] = rotate
		lbl["width"] = 120
		lbl["overflow"] = "break"
		lbl["lineHeight"] = 13
	} else {
		lbl["width"] = 180
		lbl["overflow"] = "truncate"
	}
	ax["axisTick"] = obj{"show": false}
}

// wrapWords breaks s at spaces into lines of at most width characters (a longer word keeps
// a line of its own, whole).
func wrapWords(s string, width int) string {
	var b strings.Builder
	n := 0 // characters on the current line
	for w := range strings.FieldsSeq(s) {
		l := utf8.RuneCountInString(w)
		switch {
		case n == 0:
		case n+1+l > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// legendTop is the legend used by charts with more than one series.
func legendTop() opts.Legend {
	return opts.Legend{
		Show:      opts.Bool(true),
		Top:       "0",
		Left:      "center",
		Type:      "scroll",
		ItemWidth: 14, ItemHeight: 10,
		TextStyle: &opts.TextStyle{Color: colorText, FontSize: 12},
	}
}

func noLegend() opts.Legend { return opts.Legend{Show: opts.Bool(false)} }

// clampLevel keeps a proficiency level within 0..5.
func clampLevel(v int) int {
	return max(0, min(5, v))
}

// roundTo rounds v to d decimals; NaN and ±Inf become 0 (they are not JSON).
func roundTo(v float64, d int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// levelWord is "3 · working" for level 3.
func levelWord(v int) string {
	v = clampLevel(v)
	return strconv.Itoa(v) + " · " + levelNames[v]
}

func lengthError(what string, got, want int) error {
	return fmt.Errorf("chart: %s has %d entries, want %d", what, got, want)
}
