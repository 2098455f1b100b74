package chart

import (
	"fmt"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TimelineData is periods on a time axis, in rows (a Gantt chart): e.g. a career's roles
// in the rows of the spikes they served. Empty rows stay on the chart, so what was never
// pursued shows as a gap, and so does time between bars.
type TimelineData struct {
	Rows []string // row labels, first at the top
	Bars []TimelineBar
}

// TimelineBar is one period in one row; dates are "YYYY-MM-DD".
type TimelineBar struct {
	Row        int
	Start, End string
	Label      string
}

// TimelineHeight suggests a chart height in pixels for n rows.
func TimelineHeight(rows int) int {
	return 60 + 38*max(rows, 1)
}

// Timeline builds the Gantt chart. Each bar is a thick segment of an ECharts "lines" series
// on a time × category grid (no custom renderer, so no function in the option), coloured
// by its row; its tooltip is its label and dates.
func Timeline(t TimelineData) (Option, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(noLegend()),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "24", Top: "8", Bottom: "4", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time", AxisLabel: axisLabel(), SplitLine: splitLine()}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: axisLabel(), AxisLine: axisLine()}),
	)
	bar.SetXAxis(t.Rows).XYReversal()
	data := arr{}
	var first, last time.Time
	for i, b := range t.Bars {
		if b.Row < 0 || b.Row >= len(t.Rows) {
			return nil, fmt.Errorf("chart: timeline bar %d is in row %d of %d", i, b.Row, len(t.Rows))
		}
		start, err1 := time.Parse(time.DateOnly, b.Start)
		end, err2 := time.Parse(time.DateOnly, b.End)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("chart: timeline bar %d: bad dates %q to %q", i, b.Start, b.End)
		}
		if first.IsZero() || start.Before(first) {
			first = start
		}
		if end.After(last) {
			last = end
		}
		color := palette[b.Row%len(palette)]
		data = append(data, obj{
			"name":      b.Label + " · " + b.Start + " to " + b.End,
			"coords":    arr{arr{b.Start, t.Rows[b.Row]}, arr{b.End, t.Rows[b.Row]}},
			"lineStyle": obj{"color": color, "width": 16, "opacity": 0.9, "cap": "butt"},
		})
	}
	return finish(bar, func(o obj) error {
		styleCategoryAxis(at(o, "yAxis", 0), 0)
		x := at(o, "xAxis", 0)
		x["type"] = "time"
		delete(x, "data")
		// A lines series does not give the axis its extent: set it from the bars, whole years.
		if !first.IsZero() {
			x["min"] = time.Date(first.Year(), 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
			x["max"] = time.Date(last.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
		}
		o["series"] = arr{obj{
			"type":             "lines",
			"name":             "Roles",
			"coordinateSystem": "cartesian2d",
			"polyline":         false,
			"silent":           false,
			"symbol":           arr{"none", "none"},
			"data":             data,
			"emphasis":         obj{"lineStyle": obj{"opacity": 1}},
		}}
		return nil
	})
}
