package chart

import (
	"maps"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/teamshape/teamshape/internal/shape"
)

// entryFile is the ECharts build's entry: the chart types and components it registers.
const entryFile = "../../web/echarts/entry.js"

// TestBundleHasWhatOptionsUse keeps the ECharts build (web/echarts/entry.js, built by
// scripts/build-echarts.sh) in step with the options this package writes: every series type
// and component an option uses must be imported there, and nothing else. A missing one is
// not an error in the browser: ECharts' production build silently leaves it out of the
// chart (no console message), so only this test notices.
func TestBundleHasWhatOptionsUse(t *testing.T) {
	var opts []Option
	add := func(o Option, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, o)
	}
	// Every builder, with every optional part present (areas, hints, targets, two series).
	add(Heatmap(HeatmapData{People: []string{"Ada", "Grace"}, Competencies: comps,
		Cells: [][]*int{{ip(1), nil, ip(3), ip(5)}, {ip(2), ip(4), nil, ip(0)}},
		Faded: [][]bool{{true}},
		Areas: []string{"Execution", "Execution", "Insight", "Insight"},
	}))
	add(TShape(TShapeData{Competencies: comps, Depth: []int{5, 3, 1, 0}, TargetDepth: []int{4, 4, 4, 4},
		Coverage: []int{3, 1, 0, 2}, TargetCoverage: []int{2, 2, 2, 1},
		Status: []string{shape.StatusOK, shape.StatusRisk, shape.StatusGap, shape.StatusGap}}))
	add(Radar(RadarData{Competencies: comps, Envelope: []int{5, 4, 2, 3}, Target: []int{4, 4, 4, 4}}))
	add(Trend(TrendData{Labels: []string{"Q1", "Q2"}, Values: []float64{2, 1}}))
	add(Profile(ProfileData{Competencies: comps, Levels: []*int{ip(3), nil, ip(0), ip(5)},
		Expected: []int{3, 3, 2, 4}, Hint: []string{HintStrength, "", HintGrowth, ""}}))
	add(History(HistoryData{Dates: []string{"2025-01-01", "2025-04-01"}, Series: []NamedSeries{
		{Name: "Self", Values: []*int{ip(1), ip(2)}}, {Name: "Leader", Values: []*int{nil, ip(3)}}}}))
	add(Bars(BarsData{Labels: []string{"a", "b"}, Values: []float64{1, 2}, Name: "Gaps"}))
	add(Timeline(TimelineData{Rows: []string{"a", "b"}, Bars: []TimelineBar{{Row: 1, Start: "2020-01-01", End: "2021-01-01", Label: "PM"}}}))

	need := map[string]bool{"CanvasRenderer": true} // charts.js asks for the canvas renderer
	for _, o := range opts {
		for _, f := range echartsModules(t, decode(t, o)) {
			need[f] = true
		}
	}
	src, err := os.ReadFile(entryFile)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, m := range regexp.MustCompile(`\b[A-Z]\w*(?:Chart|Component|Renderer)\b`).FindAllString(string(src), -1) {
		have[m] = true
	}
	for _, f := range slices.Sorted(maps.Keys(need)) {
		if !have[f] {
			t.Errorf("the options use %s; import and register it in web/echarts/entry.js, then run scripts/build-echarts.sh --update", f)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(have)) {
		if !need[f] {
			t.Errorf("web/echarts/entry.js registers %s, which no option uses: drop it (scripts/build-echarts.sh --update) or add the option to this test", f)
		}
	}
}

// echartsModules names the modules of echarts/charts and echarts/components an option needs.
func echartsModules(t *testing.T, m map[string]any) []string {
	t.Helper()
	var out []string
	for key, v := range m {
		switch key {
		case "animationDuration", "animationDurationUpdate", "backgroundColor", "color", "textStyle", "media":
			// plain settings of the core
		case "aria":
			out = append(out, "AriaComponent")
		case "axisPointer":
			out = append(out, "AxisPointerComponent")
		case "grid", "xAxis", "yAxis":
			out = append(out, "GridComponent")
		case "legend":
			out = append(out, "LegendComponent") // plain and scroll
		case "radar":
			out = append(out, "RadarComponent")
		case "tooltip":
			out = append(out, "TooltipComponent")
		case "visualMap":
			for _, vm := range asList(v) {
				switch vm.(map[string]any)["type"] {
				case "piecewise":
					out = append(out, "VisualMapPiecewiseComponent")
				default:
					out = append(out, "VisualMapContinuousComponent")
				}
			}
		case "series":
			for _, s := range asList(v) {
				sm := s.(map[string]any)
				switch typ := sm["type"]; typ {
				case "bar":
					out = append(out, "BarChart")
				case "heatmap":
					out = append(out, "HeatmapChart")
				case "line":
					out = append(out, "LineChart")
				case "lines":
					out = append(out, "LinesChart")
				case "radar":
					out = append(out, "RadarChart")
				default:
					t.Errorf("series type %v: map it to its echarts/charts module here", typ)
				}
				for mk, mod := range map[string]string{"markArea": "MarkAreaComponent", "markLine": "MarkLineComponent", "markPoint": "MarkPointComponent"} {
					if _, ok := sm[mk]; ok {
						out = append(out, mod)
					}
				}
			}
		default:
			t.Errorf("option key %q: map it to its echarts/components module here", key)
		}
	}
	return out
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}
