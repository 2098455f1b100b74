package chart

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/teamshape/teamshape/internal/shape"
)

// TShapeData is the team's combined T-shape: per competency the envelope
// depth (max level), the coverage (people at or above the breadth threshold),
// their targets and the resulting status.
type TShapeData struct {
	Competencies   []string
	Depth          []int
	TargetDepth    []int
	Coverage       []int
	TargetCoverage []int
	// Status per competency: shape.StatusGap, shape.StatusRisk or shape.StatusOK (optional;
	// anything else is drawn in a neutral colour).
	Status []string
}

// Series names of the T-shape chart. Depth bars are coloured per item by
// status; the series named after the statuses carry no data and exist only
// as the colour key in the legend.
const (
	SeriesDepth          = "Depth"
	SeriesTargetDepth    = "Target depth"
	SeriesCoverage       = "Coverage"
	SeriesTargetCoverage = "Target coverage"
	SeriesKeyGap         = "Gap"
	SeriesKeyRisk        = "Risk"
	SeriesKeyOK          = "OK"
)

func statusColor(s string) string {
	switch s {
	case shape.StatusGap:
		return colorGap
	case shape.StatusRisk:
		return colorRisk
	case shape.StatusOK:
		return colorOK
	}
	return colorPrimary
}

func statusText(s string) string {
	switch s {
	case shape.StatusGap:
		return textGap
	case shape.StatusRisk:
		return textRisk
	}
	return colorMuted
}

// TShape builds the combined T-shape chart: depth bars coloured by status
// with target-depth markers on top, and coverage bars with target-coverage
// markers below, sharing the competency axis.
func TShape(t TShapeData) (Option, error) {
	n := len(t.Competencies)
	for _, c := range []struct {
		what string
		got  int
	}{
		{"t-shape depth", len(t.Depth)},
		{"t-shape target depth", len(t.TargetDepth)},
		{"t-shape coverage", len(t.Coverage)},
		{"t-shape target coverage", len(t.TargetCoverage)},
	} {
		if c.got != n {
			return nil, lengthError(c.what, c.got, n)
		}
	}
	if t.Status != nil && len(t.Status) != n {
		return nil, lengthError("t-shape status", len(t.Status), n)
	}
	status := func(i int) string {
		if i < len(t.Status) {
			return t.Status[i]
		}
		return ""
	}

	depth := make([]opts.BarData, n)
	tdepth := make([]opts.LineData, n)
	cov := make([]opts.BarData, n)
	tcov := make([]opts.LineData, n)
	maxCov := 1
	for i := range n {
		depth[i] = opts.BarData{
			Value:     clampLevel(t.Depth[i]),
			ItemStyle: &opts.ItemStyle{Color: statusColor(status(i))},
		}
		tdepth[i] = opts.LineData{Value: clampLevel(t.TargetDepth[i])}
		cov[i] = opts.BarData{Value: max(0, t.Coverage[i])}
		tcov[i] = opts.LineData{Value: max(0, t.TargetCoverage[i])}
		maxCov = max(maxCov, t.Coverage[i], t.TargetCoverage[i])
	}

	// Category data with per-label colour: gaps and risks stand out on the axis.
	cats := make([]any, n)
	for i, c := range t.Competencies {
		s := status(i)
		ts := obj{"color": statusText(s)}
		if s == shape.StatusGap {
			ts["fontWeight"] = "bold"
		}
		cats[i] = obj{"value": c, "textStyle": ts}
	}

	b := charts.NewBar()
	b.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis",
			AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithLegendOpts(legendTop()),
		charts.WithGridOpts(
			opts.Grid{Left: "40", Right: "16", Top: "40", Height: "34%", ContainLabel: opts.Bool(true)},
			opts.Grid{Left: "40", Right: "16", Top: "53%", Bottom: "8", ContainLabel: opts.Bool(true)},
		),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", GridIndex: 0, AxisLabel: &opts.AxisLabel{Show: opts.Bool(false)}, AxisLine: axisLine()}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", GridIndex: 0, Name: "Depth (max level)", Min: 0, Max: 5,
			AxisLabel: axisLabel(), SplitLine: splitLine()}),
	)
	b.ExtendXAxis(opts.XAxis{Type: "category", GridIndex: 1, Data: cats, AxisLabel: axisLabel(), AxisLine: axisLine()})
	b.ExtendYAxis(opts.YAxis{Type: "value", GridIndex: 1, Name: "Coverage (people)", Min: 0, Max: maxCov,
		AxisLabel: axisLabel(), SplitLine: splitLine()})
	b.SetXAxis(t.Competencies)

	// Each grid has one stack so the key-only series take no bar slot.
	barOpts := func(i int, stack string) charts.SeriesOpts {
		return charts.WithBarChartOpts(opts.BarChart{XAxisIndex: i, YAxisIndex: i, Stack: stack, BarWidth: "46%"})
	}
	b.AddSeries(SeriesDepth, depth, barOpts(0, "depth"),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "insideTop", Color: "#ffffff", FontSize: 11, FontWeight: "600"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPrimary}),
	)
	for _, k := range []struct{ name, color string }{
		{SeriesKeyGap, colorGap}, {SeriesKeyRisk, colorRisk}, {SeriesKeyOK, colorOK},
	} {
		b.AddSeries(k.name, nil, barOpts(0, "depth"), charts.WithItemStyleOpts(opts.ItemStyle{Color: k.color}))
	}
	b.AddSeries(SeriesCoverage, cov, barOpts(1, "coverage"),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Color: colorText, FontSize: 11}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCoverage}),
	)

	line := charts.NewLine()
	line.AddSeries(SeriesTargetDepth, tdepth, targetMarker(0))
	line.AddSeries(SeriesTargetCoverage, tcov, targetMarker(1))
	b.Overlap(line)

	return finish(b, func(o obj) error {
		x0, x1 := at(o, "xAxis", 0), at(o, "xAxis", 1)
		x0["data"] = toAny(t.Competencies)
		styleCategoryAxis(x0, 0)
		x0["axisLabel"].(obj)["show"] = false
		styleCategoryAxis(x1, 40)
		for i := range 2 {
			y := at(o, "yAxis", i)
			y["nameTextStyle"] = obj{"color": colorMuted, "fontSize": 11, "align": "left"}
			y["minInterval"] = 1
			y["interval"] = 1
			if i == 1 && maxCov > 6 {
				delete(y, "interval")
			}
		}
		for _, name := range []string{SeriesKeyGap, SeriesKeyRisk, SeriesKeyOK} {
			seriesNamed(o, name)["data"] = arr{}
		}
		o["legend"].(obj)["data"] = arr{SeriesKeyGap, SeriesKeyRisk, SeriesKeyOK, SeriesTargetDepth, SeriesCoverage, SeriesTargetCoverage}
		o["legend"].(obj)["selectedMode"] = false
		o["axisPointer"] = obj{"link": arr{obj{"xAxisIndex": "all"}}}
		return nil
	})
}

// targetMarker draws a line series as short horizontal ticks (no line):
// the target level for each category, on axis pair i.
func targetMarker(i int) charts.SeriesOpts {
	return func(s *charts.SingleSeries) {
		s.XAxisIndex = i
		s.YAxisIndex = i
		s.Symbol = "rect"
		s.SymbolSize = []int{30, 3}
		s.Color = colorTarget
		s.LineStyle = &opts.LineStyle{Opacity: opts.Float(0), Width: 0.01}
		s.ItemStyle = &opts.ItemStyle{Color: colorTarget}
	}
}

func toAny[T any](xs []T) arr {
	out := make(arr, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
