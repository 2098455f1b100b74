package chart

import (
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// ProfileData is one person's skill profile.
type ProfileData struct {
	Competencies []string
	// Levels are the person's effective levels; nil means not assessed.
	Levels []*int
	// Expected is the level expected for the person's title (optional).
	Expected []int
	// Hint per competency from the person's background: HintStrength,
	// HintGrowth or "" (optional). Hints are drawn as a dashed overlay and
	// never as a value.
	Hint []string
}

// Series names of the profile chart. The hint series carries no data: its
// hints are dashed frames (a markArea) around the hinted competencies, so
// they never appear as a rating, in the tooltip or in any value.
const (
	SeriesLevel    = "Level"
	SeriesExpected = "Expected for title"
	SeriesHint     = "Background hint"
)

// hinted tells whether a hint is drawn.
func hinted(h string) bool { return h == HintStrength || h == HintGrowth }

// Profile builds a person's levels as bars against the expected level for
// their title (markers), with background hints as dashed frames.
func Profile(p ProfileData) (Option, error) {
	n := len(p.Competencies)
	if len(p.Levels) != n {
		return nil, lengthError("profile levels", len(p.Levels), n)
	}
	if p.Expected != nil && len(p.Expected) != n {
		return nil, lengthError("profile expected", len(p.Expected), n)
	}
	if p.Hint != nil && len(p.Hint) != n {
		return nil, lengthError("profile hints", len(p.Hint), n)
	}

	levels := make([]opts.BarData, n)
	cats := make(arr, n)
	for i, c := range p.Competencies {
		if v := p.Levels[i]; v != nil {
			lv := clampLevel(*v)
			levels[i] = opts.BarData{Value: lv}
			cats[i] = c
		} else {
			levels[i] = opts.BarData{Value: nullValue}
			cats[i] = obj{"value": c, "textStyle": obj{"color": colorNotRatedFg, "fontStyle": "italic"}}
		}
	}
	hasHints := slices.ContainsFunc(p.Hint, hinted)

	b := charts.NewBar()
	b.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithLegendOpts(legendTop()),
		charts.WithGridOpts(opts.Grid{Left: "40", Right: "16", Top: "64", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: axisLabel(), AxisLine: axisLine()}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Level", Min: 0, Max: 5, AxisLabel: axisLabel(), SplitLine: splitLine()}),
	)
	b.SetXAxis(p.Competencies)
	b.AddSeries(SeriesLevel, levels,
		charts.WithBarChartOpts(opts.BarChart{BarWidth: "46%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPrimary}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "insideTop", Color: "#ffffff", FontSize: 11, FontWeight: "600"}),
	)
	if hasHints {
		b.AddSeries(SeriesHint, nil, charts.WithBarChartOpts(opts.BarChart{Stack: "level"}))
	}
	if p.Expected != nil {
		exp := make([]opts.LineData, n)
		for i, v := range p.Expected {
			exp[i] = opts.LineData{Value: clampLevel(v)}
		}
		line := charts.NewLine()
		line.AddSeries(SeriesExpected, exp, targetMarker(0))
		b.Overlap(line)
	}

	return finish(b, func(o obj) error {
		x := at(o, "xAxis", 0)
		x["data"] = cats
		styleCategoryAxis(x, 40)
		y := at(o, "yAxis", 0)
		y["interval"] = 1
		// The axis's name runs along it: above the axis it met the first frame's label.
		y["nameLocation"] = "middle"
		y["nameRotate"] = 90
		y["nameGap"] = 24
		y["nameTextStyle"] = obj{"color": colorMuted, "fontSize": 11}

		legend := arr{SeriesLevel}
		if p.Expected != nil {
			legend = append(legend, SeriesExpected)
		}
		if hasHints {
			legend = append(legend, SeriesHint)
			// Same stack as the level bars, so the empty series takes no slot.
			seriesNamed(o, SeriesLevel)["stack"] = "level"
			s := seriesNamed(o, SeriesHint)
			s["data"] = arr{}
			s["tooltip"] = obj{"show": false}
			// Legend icon: a dashed outline, like the frames.
			s["itemStyle"] = obj{"color": "rgba(0,0,0,0)", "borderColor": colorMuted, "borderType": "dashed", "borderWidth": 1.5}
			items := arr{}
			raised := false // the last frame's label was raised
			for i, h := range p.Hint {
				var color, fill, label string
				switch h {
				case HintStrength:
					color, fill, label = colorStrength, "rgba(22,163,74,0.06)", "strength"
				case HintGrowth:
					color, fill, label = colorGrowth, "rgba(217,119,6,0.06)", "growth"
				default:
					continue
				}
				// A frame beside a labelled frame raises its label a line, so the two
				// ("strengthstrength") do not run into each other.
				lbl := obj{"formatter": label, "color": color}
				if raised = i > 0 && hinted(p.Hint[i-1]) && !raised; raised {
					lbl["distance"] = 13
				}
				items = append(items, arr{
					obj{
						"xAxis":     i,
						"itemStyle": obj{"color": fill, "borderColor": color},
						"label":     lbl,
					},
					obj{"xAxis": i},
				})
			}
			s["markArea"] = obj{
				"silent": true,
				"itemStyle": obj{
					"borderType":  "dashed",
					"borderWidth": 1.5,
				},
				"label": obj{
					"show": true, "position": "top", "distance": 3,
					"fontSize": 10, "fontWeight": "600",
				},
				"emphasis": obj{"disabled": true},
				"data":     items,
			}
		}
		o["legend"].(obj)["data"] = legend
		if len(legend) == 1 {
			o["legend"] = obj{"show": false}
		}
		return nil
	})
}
