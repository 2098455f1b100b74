package chart

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// RadarData is the team envelope (depth per competency) against the target
// depth, on the 0–5 scale.
type RadarData struct {
	Competencies []string
	Envelope     []int
	// Target is optional (nil: envelope only).
	Target []int
}

// Series names of the radar chart.
const (
	SeriesEnvelope = "Team envelope"
	SeriesTarget   = "Target"
)

// radarNameWidth is how many characters a line of a radar's axis name holds: the longest
// framework names ("Delivery & technical partnership") take two lines, none is cut.
const radarNameWidth = 20

// Radar builds the radar (spider) chart of the team envelope and target. The competencies'
// names are wrapped at spaces (ECharts cannot wrap a radar's names itself).
func Radar(r RadarData) (Option, error) {
	n := len(r.Competencies)
	if len(r.Envelope) != n {
		return nil, lengthError("radar envelope", len(r.Envelope), n)
	}
	if r.Target != nil && len(r.Target) != n {
		return nil, lengthError("radar target", len(r.Target), n)
	}

	ind := make([]*opts.Indicator, n)
	env := make([]int, n)
	for i, c := range r.Competencies {
		ind[i] = &opts.Indicator{Name: wrapWords(c, radarNameWidth), Max: 5}
		env[i] = clampLevel(r.Envelope[i])
	}

	rc := charts.NewRadar()
	rc.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(legendTop()),
		charts.WithRadarComponentOpts(opts.RadarComponent{
			Indicator:   ind,
			Shape:       "polygon",
			SplitNumber: 5,
			SplitArea:   &opts.SplitArea{Show: opts.Bool(true), AreaStyle: &opts.AreaStyle{Opacity: opts.Float(1)}},
			SplitLine:   &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: colorSplitLine}},
			AxisLine:    &opts.AxisLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: colorSplitLine}},
			AxisName:    &opts.AxisName{Color: colorText, FontSize: 11},
		}),
	)
	rc.AddSeries(SeriesEnvelope, []opts.RadarData{{Name: SeriesEnvelope, Value: env}},
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPrimary}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorPrimary, Width: 2}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Color: colorPrimary, Opacity: opts.Float(0.22)}),
		charts.WithRadarChartOpts(opts.RadarChart{Symbol: "circle", SymbolSize: 5}),
	)
	if r.Target != nil {
		tgt := make([]int, n)
		for i, v := range r.Target {
			tgt[i] = clampLevel(v)
		}
		rc.AddSeries(SeriesTarget, []opts.RadarData{{Name: SeriesTarget, Value: tgt}},
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorTarget}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colorTarget, Width: 1.5, Type: "dashed"}),
			charts.WithRadarChartOpts(opts.RadarChart{Symbol: "none"}),
		)
	}

	return finish(rc, func(o obj) error {
		radar := child(o, "radar")
		radar["center"] = arr{"50%", "55%"}
		radar["radius"] = "56%"
		radar["splitArea"].(obj)["areaStyle"].(obj)["color"] = arr{"#ffffff", "#f8fafc"}
		radar["axisNameGap"] = 8
		child(radar, "axisName")["lineHeight"] = 14 // wrapped names: lines apart
		for _, i := range list(radar, "indicator") {
			i.(obj)["min"] = 0
		}
		// A narrow chart (a phone's) has a smaller web and smaller names, so that they fit
		// beside it instead of being cut by the chart's edge.
		o["media"] = arr{obj{
			"query": obj{"maxWidth": 520},
			"option": obj{"radar": obj{"radius": "48%", "center": arr{"50%", "52%"}, "axisNameGap": 5,
				"axisName": obj{"fontSize": 9, "lineHeight": 11}}},
		}}
		if r.Target == nil {
			o["legend"] = obj{"show": false}
		} else {
			o["legend"].(obj)["data"] = arr{SeriesEnvelope, SeriesTarget}
		}
		return nil
	})
}
