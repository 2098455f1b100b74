package chart

import (
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TrendData is the team's total gap score over time.
type TrendData struct {
	Labels []string // quarters, oldest first
	Values []float64
}

// SeriesGapScore is the series name of the trend chart.
const SeriesGapScore = "Gap score"

// Trend builds a small line chart of the total gap score per quarter.
func Trend(t TrendData) (Option, error) {
	if len(t.Values) != len(t.Labels) {
		return nil, lengthError("trend values", len(t.Values), len(t.Labels))
	}
	data := make([]opts.LineData, len(t.Values))
	for i, v := range t.Values {
		data[i] = opts.LineData{Value: roundTo(v, 2)}
	}
	l := charts.NewLine()
	l.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(noLegend()),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "32", Top: "24", Bottom: "4", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: axisLabel(), AxisLine: axisLine()}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, AxisLabel: axisLabel(), SplitLine: splitLine()}),
	)
	l.SetXAxis(t.Labels)
	l.AddSeries(SeriesGapScore, data,
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 7, ShowSymbol: opts.Bool(true)}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPrimary}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorPrimary, Width: 2}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Color: colorPrimary, Opacity: opts.Float(0.08)}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Color: colorText, FontSize: 11}),
	)
	return finish(l, func(o obj) error {
		x := at(o, "xAxis", 0)
		styleCategoryAxis(x, 0)
		x["boundaryGap"] = false
		return nil
	})
}

// NamedSeries is one line of a history chart; nil values are gaps.
type NamedSeries struct {
	Name   string
	Values []*int
}

// HistoryData is a person's rating history in one competency (or any set of
// 0–5 series over dates): one series per kind of rating.
type HistoryData struct {
	Dates  []string
	Series []NamedSeries
}

// History builds a step line chart of ratings over time. A rating holds until
// the next one, so lines step at each date; missing values are bridged.
func History(h HistoryData) (Option, error) {
	l := charts.NewLine()
	l.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "20", Top: "40", Bottom: "4", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: axisLabel(), AxisLine: axisLine()}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Level", Min: 0, Max: 5, AxisLabel: axisLabel(), SplitLine: splitLine()}),
	)
	if len(h.Series) > 1 {
		l.SetGlobalOptions(charts.WithLegendOpts(legendTop()))
	} else {
		l.SetGlobalOptions(charts.WithLegendOpts(noLegend()))
	}
	l.SetXAxis(h.Dates)
	for si, s := range h.Series {
		if len(s.Values) != len(h.Dates) {
			return nil, lengthError("history series "+strconv.Itoa(si), len(s.Values), len(h.Dates))
		}
		data := make([]opts.LineData, len(s.Values))
		for i, v := range s.Values {
			if v == nil {
				data[i] = opts.LineData{Value: nullValue}
			} else {
				data[i] = opts.LineData{Value: clampLevel(*v)}
			}
		}
		color := palette[si%len(palette)]
		l.AddSeries(s.Name, data,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 7, ShowSymbol: opts.Bool(true),
				ConnectNulls: opts.Bool(true), Step: "end"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: color, Width: 2}),
		)
	}
	return finish(l, func(o obj) error {
		styleCategoryAxis(at(o, "xAxis", 0), 0)
		y := at(o, "yAxis", 0)
		y["interval"] = 1
		y["nameTextStyle"] = obj{"color": colorMuted, "fontSize": 11, "align": "left"}
		return nil
	})
}

// BarsData is a generic horizontal bar chart: one bar per label.
type BarsData struct {
	Labels []string
	Values []float64
	Name   string // series name, shown in the tooltip
	Counts bool   // the values are whole counts: the axis has whole numbers only
}

// BarsHeight suggests a chart height in pixels for n horizontal bars.
func BarsHeight(n int) int {
	return 40 + 30*max(n, 1)
}

// Bars builds horizontal bars, first label at the top.
func Bars(b BarsData) (Option, error) {
	if len(b.Values) != len(b.Labels) {
		return nil, lengthError("bars values", len(b.Values), len(b.Labels))
	}
	data := make([]opts.BarData, len(b.Values))
	for i, v := range b.Values {
		data[i] = opts.BarData{Value: roundTo(v, 2)}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithLegendOpts(noLegend()),
		charts.WithGridOpts(opts.Grid{Left: "40", Right: "40", Top: "8", Bottom: "4", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", AxisLabel: axisLabel(), SplitLine: splitLine()}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: axisLabel(), AxisLine: axisLine()}),
	)
	bar.SetXAxis(b.Labels).XYReversal()
	bar.AddSeries(b.Name, data,
		charts.WithBarChartOpts(opts.BarChart{BarWidth: "60%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPrimary}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: colorText, FontSize: 11}),
	)
	return finish(bar, func(o obj) error {
		styleCategoryAxis(at(o, "yAxis", 0), 0)
		s := at(o, "series", 0)
		s["barMaxWidth"] = 22
		if b.Counts {
			at(o, "xAxis", 0)["minInterval"] = 1
		}
		if b.Name == "" {
			delete(s, "name")
		}
		return nil
	})
}
