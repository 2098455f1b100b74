package chart

import (
	"bytes"
	"encoding/json"
	"html"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/shape"
)

var injections = []string{
	`</script><script>alert(1)</script>`,
	`__f__alert(1)__f__`,
	`"><img src=x onerror=alert(1)>`,
}

func ip(v int) *int { return &v }

// decode checks the invariants every Option must satisfy and returns it decoded.
func decode(t *testing.T, o Option) map[string]any {
	t.Helper()
	if !json.Valid(o) {
		t.Fatalf("option is not valid JSON: %s", o)
	}
	if i := bytes.IndexAny(o, "<>&"); i >= 0 {
		t.Fatalf("option contains a raw %q at %d: %s", o[i], i, o)
	}
	if bytes.Contains(o, []byte("\u2028")) || bytes.Contains(o, []byte("\u2029")) {
		t.Fatalf("option contains a raw line/paragraph separator")
	}
	var m map[string]any
	if err := json.Unmarshal(o, &m); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	allowed := []string{"animationDuration", "animationDurationUpdate", "aria", "axisPointer", "backgroundColor",
		"color", "grid", "legend", "media", "radar", "series", "textStyle", "tooltip", "visualMap", "xAxis", "yAxis"}
	for k := range m {
		if !slices.Contains(allowed, k) {
			t.Errorf("unexpected top-level key %q", k)
		}
	}
	tt := m["tooltip"].(map[string]any)
	if tt["renderMode"] != "richText" {
		t.Errorf("tooltip.renderMode = %v, want richText", tt["renderMode"])
	}
	checkNoUserTemplates(t, m)
	return m
}

// strs collects every string in a decoded value.
func strs(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case []any:
		for _, e := range x {
			strs(e, out)
		}
	case map[string]any:
		for _, e := range x {
			strs(e, out)
		}
	}
}

// checkNoUserTemplates fails if an injection string appears in a formatter:
// ECharts treats formatter text as markup, so user text must never be there.
func checkNoUserTemplates(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			checkNoUserTemplates(t, e)
		}
	case map[string]any:
		for k, e := range x {
			if k == "formatter" {
				var ss []string
				strs(e, &ss)
				for _, s := range ss {
					for _, inj := range injections {
						if strings.Contains(s, inj) {
							t.Errorf("user text in formatter %q", s)
						}
					}
				}
			}
			checkNoUserTemplates(t, e)
		}
	}
}

// hasAll checks that every injection string survived intact somewhere in m.
func hasAll(t *testing.T, m map[string]any) {
	t.Helper()
	var ss []string
	strs(m, &ss)
	for _, inj := range injections {
		if !slices.Contains(ss, inj) {
			t.Errorf("injection string %q not found intact in option", inj)
		}
	}
}

func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func seriesByName(t *testing.T, m map[string]any, name string) map[string]any {
	t.Helper()
	for _, s := range m["series"].([]any) {
		if sm := s.(map[string]any); sm["name"] == name {
			return sm
		}
	}
	t.Fatalf("series %q not found", name)
	return nil
}

func seriesNames(m map[string]any) []string {
	var out []string
	for _, s := range m["series"].([]any) {
		n, _ := s.(map[string]any)["name"].(string)
		out = append(out, n)
	}
	return out
}

// axisValues returns the category names of an axis (plain or {value: …} items).
func axisValues(ax any) []string {
	var out []string
	for _, d := range get(ax, "data").([]any) {
		switch x := d.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			out = append(out, x["value"].(string))
		}
	}
	return out
}

var comps = []string{"Specification", injections[0], injections[1], injections[2]}

func TestHeatmap(t *testing.T) {
	people := []string{injections[0], injections[1], injections[2], "Ada & Grace"}
	cells := [][]*int{
		{ip(0), nil, ip(5), ip(3)},
		{nil, nil, ip(2), ip(9)}, // 9 is clamped to 5
		{ip(1), ip(2), ip(3), ip(4)},
		{ip(4), ip(4), nil, ip(0)},
	}
	faded := [][]bool{{false, false, true}, nil, {false, false, false, true}, nil}
	o, err := Heatmap(HeatmapData{
		People: people, Competencies: comps, Cells: cells, Faded: faded,
		Areas: []string{"Execution", injections[0], injections[0], "Influence"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	hasAll(t, m)

	if got := axisValues(get(m, "yAxis", 0)); !slices.Equal(got, people) {
		t.Errorf("y axis = %q, want %q", got, people)
	}
	if got := axisValues(get(m, "xAxis", 0)); !slices.Equal(got, comps) {
		t.Errorf("x axis = %q, want %q", got, comps)
	}
	if got := seriesNames(m); !slices.Equal(got, []string{SeriesRating, SeriesRatingOlder, SeriesNotAssessed, seriesAreas}) {
		t.Errorf("series = %q", got)
	}

	type cell struct {
		series string
		level  float64
	}
	seen := map[[2]int]cell{}
	for _, name := range []string{SeriesRating, SeriesRatingOlder, SeriesNotAssessed} {
		for _, d := range seriesByName(t, m, name)["data"].([]any) {
			v := d.(map[string]any)["value"].([]any)
			key := [2]int{int(v[1].(float64)), int(v[0].(float64))} // person, competency
			if _, dup := seen[key]; dup {
				t.Errorf("cell %v appears twice", key)
			}
			seen[key] = cell{name, v[2].(float64)}
			wantName := people[key[0]] + " · " + comps[key[1]]
			if n := d.(map[string]any)["name"]; n != wantName {
				t.Errorf("cell %v name = %q, want %q", key, n, wantName)
			}
		}
	}
	if len(seen) != 16 {
		t.Fatalf("got %d cells, want 16", len(seen))
	}
	for p := range cells {
		for c, v := range cells[p] {
			got := seen[[2]int{p, c}]
			isFaded := p < len(faded) && c < len(faded[p]) && faded[p][c]
			switch {
			case v == nil:
				if got.series != SeriesNotAssessed || got.level != notAssessedValue {
					t.Errorf("nil cell %d,%d = %+v, want not assessed", p, c, got)
				}
			case isFaded:
				if got.series != SeriesRatingOlder || got.level != float64(clampLevel(*v)) {
					t.Errorf("faded cell %d,%d = %+v", p, c, got)
				}
			default:
				if got.series != SeriesRating || got.level != float64(clampLevel(*v)) {
					t.Errorf("cell %d,%d = %+v, want rating %d", p, c, got, *v)
				}
			}
		}
	}
	// 0 is a rating, never "not assessed".
	if got := seen[[2]int{0, 0}]; got.series != SeriesRating || got.level != 0 {
		t.Errorf("level 0 cell = %+v", got)
	}
	na := seriesByName(t, m, SeriesNotAssessed)
	if get(na, "label", "formatter") != "–" {
		t.Errorf("not-assessed label = %v", get(na, "label", "formatter"))
	}
	if get(na, "data", 0, "value", 3) != "not assessed" {
		t.Errorf("not-assessed tooltip text = %v", get(na, "data", 0, "value", 3))
	}

	vm := m["visualMap"].([]any)
	if len(vm) != 2 || !slices.Equal(get(vm, 0, "seriesIndex").([]any), []any{0.0}) || !slices.Equal(get(vm, 1, "seriesIndex").([]any), []any{1.0}) {
		t.Errorf("visualMap = %v", vm)
	}
	if n := len(get(vm, 0, "pieces").([]any)); n != 8 {
		t.Errorf("visualMap pieces = %d, want 8", n)
	}

	areas := get(seriesByName(t, m, seriesAreas), "markArea", "data").([]any)
	if len(areas) != 3 {
		t.Fatalf("area groups = %d, want 3", len(areas))
	}
	if get(areas, 1, 0, "name") != injections[0] || get(areas, 1, 0, "xAxis") != 1.0 || get(areas, 1, 1, "xAxis") != 2.0 {
		t.Errorf("area group 1 = %v", areas[1])
	}
}

func TestHeatmapNoAreas(t *testing.T) {
	o, err := Heatmap(HeatmapData{People: []string{"a"}, Competencies: []string{"x"}, Cells: [][]*int{{nil}}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	if got := seriesNames(m); len(got) != 3 {
		t.Errorf("series = %q", got)
	}
	if n := len(m["yAxis"].([]any)); n != 1 {
		t.Errorf("y axes = %d, want 1", n)
	}
}

func TestHeatmapEmpty(t *testing.T) {
	o, err := Heatmap(HeatmapData{})
	if err != nil {
		t.Fatal(err)
	}
	decode(t, o)
}

func TestTShape(t *testing.T) {
	o, err := TShape(TShapeData{
		Competencies:   comps,
		Depth:          []int{5, 3, 1, 0},
		TargetDepth:    []int{4, 4, 4, 4},
		Coverage:       []int{3, 1, 0, 2},
		TargetCoverage: []int{2, 2, 2, 1},
		Status:         []string{shape.StatusOK, shape.StatusRisk, shape.StatusGap, "other"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	hasAll(t, m)
	want := []string{SeriesDepth, SeriesKeyGap, SeriesKeyRisk, SeriesKeyOK, SeriesCoverage, SeriesTargetDepth, SeriesTargetCoverage}
	if got := seriesNames(m); !slices.Equal(got, want) {
		t.Errorf("series = %q, want %q", got, want)
	}
	for _, name := range []string{SeriesDepth, SeriesCoverage, SeriesTargetDepth, SeriesTargetCoverage} {
		if n := len(seriesByName(t, m, name)["data"].([]any)); n != len(comps) {
			t.Errorf("%s has %d items, want %d", name, n, len(comps))
		}
	}
	for _, name := range []string{SeriesKeyGap, SeriesKeyRisk, SeriesKeyOK} {
		if n := len(seriesByName(t, m, name)["data"].([]any)); n != 0 {
			t.Errorf("key series %s has data", name)
		}
	}
	depth := seriesByName(t, m, SeriesDepth)["data"].([]any)
	for i, want := range []string{colorOK, colorRisk, colorGap, colorPrimary} {
		if got := get(depth, i, "itemStyle", "color"); got != want {
			t.Errorf("depth %d colour = %v, want %s", i, got, want)
		}
	}
	if get(depth, 2, "value") != 1.0 {
		t.Errorf("depth 2 = %v", get(depth, 2, "value"))
	}
	// Coverage sits on the second grid.
	cov := seriesByName(t, m, SeriesCoverage)
	if cov["xAxisIndex"] != 1.0 || cov["yAxisIndex"] != 1.0 {
		t.Errorf("coverage axes = %v,%v", cov["xAxisIndex"], cov["yAxisIndex"])
	}
	if n := len(m["grid"].([]any)); n != 2 {
		t.Errorf("grids = %d, want 2", n)
	}
	if got := axisValues(get(m, "xAxis", 1)); !slices.Equal(got, comps) {
		t.Errorf("x axis = %q", got)
	}

	if _, err := TShape(TShapeData{Competencies: comps, Depth: []int{1}}); err == nil {
		t.Error("want a length error")
	}
}

func TestRadar(t *testing.T) {
	o, err := Radar(RadarData{Competencies: comps, Envelope: []int{5, 4, -1, 7}, Target: []int{4, 4, 4, 4}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	var ss []string // the names are data, wrapped onto lines, never cut
	strs(m, &ss)
	for _, inj := range injections {
		if !slices.Contains(ss, wrapWords(inj, radarNameWidth)) {
			t.Errorf("injection string %q not found whole in option", inj)
		}
	}
	if got := seriesNames(m); !slices.Equal(got, []string{SeriesEnvelope, SeriesTarget}) {
		t.Errorf("series = %q", got)
	}
	ind := get(m, "radar", "indicator").([]any)
	if len(ind) != len(comps) {
		t.Fatalf("indicators = %d", len(ind))
	}
	for i, c := range comps {
		if get(ind, i, "name") != wrapWords(c, radarNameWidth) || get(ind, i, "max") != 5.0 {
			t.Errorf("indicator %d = %v", i, ind[i])
		}
	}
	if get(m, "media", 0, "query", "maxWidth") == nil || get(m, "media", 0, "option", "radar", "radius") == nil {
		t.Errorf("no narrower web for a phone: %v", m["media"])
	}
	env := get(seriesByName(t, m, SeriesEnvelope), "data", 0, "value").([]any)
	if !slices.Equal(env, []any{5.0, 4.0, 0.0, 5.0}) {
		t.Errorf("envelope = %v (want clamped to 0..5)", env)
	}

	o, err = Radar(RadarData{Competencies: comps[:3], Envelope: []int{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if got := seriesNames(decode(t, o)); len(got) != 1 {
		t.Errorf("series without target = %q", got)
	}
	if _, err := Radar(RadarData{Competencies: comps, Envelope: []int{1}}); err == nil {
		t.Error("want a length error")
	}
}

func TestWrapWords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Specification", "Specification"},
		{"Customer & client relationships", "Customer & client\nrelationships"},
		{"Delivery & technical partnership", "Delivery & technical\npartnership"},
		{"Team well-being & talent", "Team well-being &\ntalent"},
		{"Communication & managing up", "Communication &\nmanaging up"},
		{"  Vision   & roadmap ", "Vision & roadmap"},
		{"Überdurchschnittlich-lange-Wörter x", "Überdurchschnittlich-lange-Wörter\nx"},
		{"", ""},
	} {
		if got := wrapWords(tc.in, radarNameWidth); got != tc.want {
			t.Errorf("wrapWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTrend(t *testing.T) {
	labels := []string{"2025 Q1", injections[0], injections[1], injections[2]}
	o, err := Trend(TrendData{Labels: labels, Values: []float64{3.14159, 2, 1.005, 0}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	hasAll(t, m)
	if got := axisValues(get(m, "xAxis", 0)); !slices.Equal(got, labels) {
		t.Errorf("x axis = %q", got)
	}
	data := get(m, "series", 0, "data").([]any)
	if len(data) != 4 || get(data, 0, "value") != 3.14 {
		t.Errorf("data = %v", data)
	}
	if _, err := Trend(TrendData{Labels: labels}); err == nil {
		t.Error("want a length error")
	}
}

func TestProfile(t *testing.T) {
	o, err := Profile(ProfileData{
		Competencies: comps,
		Levels:       []*int{ip(3), nil, ip(0), ip(5)},
		Expected:     []int{3, 3, 2, 4},
		Hint:         []string{HintStrength, "", HintGrowth, "unknown"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	hasAll(t, m)
	if got := seriesNames(m); !slices.Equal(got, []string{SeriesLevel, SeriesHint, SeriesExpected}) {
		t.Errorf("series = %q", got)
	}
	if got := axisValues(get(m, "xAxis", 0)); !slices.Equal(got, comps) {
		t.Errorf("x axis = %q", got)
	}
	levels := seriesByName(t, m, SeriesLevel)["data"].([]any)
	if len(levels) != 4 {
		t.Fatalf("levels = %v", levels)
	}
	if v, ok := levels[1].(map[string]any)["value"]; !ok || v != nil {
		t.Errorf("not-assessed level = %v (present %v), want null", v, ok)
	}
	if get(levels, 2, "value") != 0.0 {
		t.Errorf("level 0 = %v", get(levels, 2, "value"))
	}
	hint := seriesByName(t, m, SeriesHint)
	if n := len(hint["data"].([]any)); n != 0 {
		t.Errorf("hint series has %d data items; hints must never be values", n)
	}
	areas := get(hint, "markArea", "data").([]any)
	if len(areas) != 2 || get(areas, 0, 0, "xAxis") != 0.0 || get(areas, 1, 0, "xAxis") != 2.0 {
		t.Errorf("hint areas = %v", areas)
	}
	if get(hint, "markArea", "itemStyle", "borderType") != "dashed" {
		t.Error("hint frames are not dashed")
	}
	if n := len(seriesByName(t, m, SeriesExpected)["data"].([]any)); n != 4 {
		t.Errorf("expected = %d items", n)
	}

	// Neighbouring frames: the second one's label is raised a line, the third's is not.
	o, err = Profile(ProfileData{Competencies: comps, Levels: []*int{ip(1), ip(2), ip(3), ip(4)},
		Hint: []string{HintStrength, HintStrength, HintGrowth, ""}})
	if err != nil {
		t.Fatal(err)
	}
	areas = get(seriesByName(t, decode(t, o), SeriesHint), "markArea", "data").([]any)
	if d := []any{get(areas, 0, 0, "label", "distance"), get(areas, 1, 0, "label", "distance"), get(areas, 2, 0, "label", "distance")}; !slices.Equal(d, []any{nil, 13.0, nil}) {
		t.Errorf("label distances of neighbouring frames = %v, want [<nil> 13 <nil>]", d)
	}

	// Without expected levels and hints: one series, no legend.
	o, err = Profile(ProfileData{Competencies: comps[:1], Levels: []*int{ip(2)}})
	if err != nil {
		t.Fatal(err)
	}
	m = decode(t, o)
	if got := seriesNames(m); !slices.Equal(got, []string{SeriesLevel}) {
		t.Errorf("series = %q", got)
	}
	if _, err := Profile(ProfileData{Competencies: comps, Levels: []*int{nil}}); err == nil {
		t.Error("want a length error")
	}
}

func TestHistory(t *testing.T) {
	dates := []string{"2025-01-01", "2025-04-01", injections[2]}
	o, err := History(HistoryData{Dates: dates, Series: []NamedSeries{
		{Name: injections[0], Values: []*int{ip(1), nil, ip(3)}},
		{Name: injections[1], Values: []*int{nil, ip(2), ip(2)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	hasAll(t, m)
	if got := seriesNames(m); !slices.Equal(got, []string{injections[0], injections[1]}) {
		t.Errorf("series = %q", got)
	}
	d := get(m, "series", 0, "data").([]any)
	if len(d) != 3 || get(d, 0, "value") != 1.0 {
		t.Errorf("data = %v", d)
	}
	if v, ok := d[1].(map[string]any)["value"]; !ok || v != nil {
		t.Errorf("missing value = %v, want null", v)
	}
	if get(m, "legend", "show") != true {
		t.Error("legend hidden with two series")
	}
	if _, err := History(HistoryData{Dates: dates, Series: []NamedSeries{{Name: "x"}}}); err == nil {
		t.Error("want a length error")
	}
}

func TestBars(t *testing.T) {
	labels := []string{"plain", injections[0], injections[1], injections[2]}
	o, err := Bars(BarsData{Labels: labels, Values: []float64{1, 2.5, 0.333, 4}, Name: injections[0]})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	hasAll(t, m)
	if got := axisValues(get(m, "yAxis", 0)); !slices.Equal(got, labels) {
		t.Errorf("y axis = %q", got)
	}
	if get(m, "yAxis", 0, "type") != "category" || get(m, "xAxis", 0, "type") != "value" {
		t.Error("bars are not horizontal")
	}
	d := get(m, "series", 0, "data").([]any)
	if len(d) != 4 || get(d, 2, "value") != 0.33 {
		t.Errorf("data = %v", d)
	}
	if get(m, "series", 0, "name") != injections[0] {
		t.Errorf("series name = %v", get(m, "series", 0, "name"))
	}
	if v := get(m, "xAxis", 0, "minInterval"); v != nil {
		t.Errorf("fractional values: minInterval = %v, want none", v)
	}
	// Whole counts: the axis shows whole numbers only.
	o, err = Bars(BarsData{Labels: []string{"a", "b"}, Values: []float64{1, 2}, Counts: true})
	if err != nil {
		t.Fatal(err)
	}
	if v := get(decode(t, o), "xAxis", 0, "minInterval"); v != 1.0 {
		t.Errorf("counts: minInterval = %v, want 1", v)
	}
}

// The page contract: html/template escapes the option into an attribute and
// the browser's attribute value is exactly the JSON.
func TestOptionInTemplate(t *testing.T) {
	o, err := Bars(BarsData{Labels: injections, Values: []float64{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	tpl := template.Must(template.New("p").Parse(`<div class="chart" data-chart="{{.}}"></div>`))
	var b bytes.Buffer
	if err := tpl.Execute(&b, o); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script") || strings.Contains(out, "<img") || strings.Count(out, `"`) != 4 {
		t.Fatalf("unsafe output: %s", out)
	}
	attr := regexp.MustCompile(`data-chart="([^"]*)"`).FindStringSubmatch(out)
	if attr == nil {
		t.Fatalf("no attribute in %s", out)
	}
	if got := html.UnescapeString(attr[1]); got != o.String() {
		t.Errorf("attribute does not round-trip:\n got %s\nwant %s", got, o)
	}
}

func TestOptionMarshalJSON(t *testing.T) {
	o, err := Trend(TrendData{Labels: []string{"a"}, Values: []float64{1}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"chart": o})
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Chart map[string]any `json:"chart"`
	}
	if err := json.Unmarshal(b, &back); err != nil || back.Chart["series"] == nil {
		t.Fatalf("embedded option = %s (%v)", b, err)
	}
	if got := Option(nil).String(); got != "{}" {
		t.Errorf("empty option string = %q", got)
	}
}

// TestHeatmapFrameKept: a heatmap on the axes of one built before (its frame kept) has its
// own cells, and building it leaves the earlier option as it was.
func TestHeatmapFrameKept(t *testing.T) {
	lvl := func(n int) *int { return &n }
	h := func(a, b int) HeatmapData {
		return HeatmapData{People: []string{"Ann", "Bo"}, Competencies: []string{"x", "y"}, Areas: []string{"A", "A"},
			Cells: [][]*int{{lvl(a), nil}, {lvl(b), lvl(1)}}}
	}
	first, err := Heatmap(h(2, 3))
	if err != nil {
		t.Fatal(err)
	}
	kept := string(first)
	second, err := Heatmap(h(5, 0))
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != kept {
		t.Fatal("building a second heatmap changed the first")
	}
	if string(second) == kept || !strings.Contains(string(second), `"Ann · x","value":[0,0,5,`) {
		t.Errorf("the second heatmap does not have its own cells: %s", second)
	}
	again, err := Heatmap(h(2, 3))
	if err != nil || string(again) != kept {
		t.Errorf("the first heatmap built again differs: %v\n%s\n%s", err, again, kept)
	}
}
