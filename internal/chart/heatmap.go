package chart

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// HeatmapData is the team heatmap: every person against every competency.
type HeatmapData struct {
	// People are the rows, top to bottom.
	People []string
	// Competencies are the columns (names), grouped by area in the order given.
	Competencies []string
	// Areas is optional: the area name of each competency (same length as
	// Competencies). Consecutive competencies of one area are framed together
	// and the area name is shown above them.
	Areas []string
	// Cells holds the effective level, [person][competency]; nil means
	// "not assessed", which is shown distinctly from level 0.
	Cells [][]*int
	// Faded is optional, [person][competency]: true when the rating is older
	// than two quarters; such cells are drawn with lower opacity.
	Faded [][]bool
}

// Series names of the heatmap. Each cell is one data item
// {name: "person · competency", value: [competency index, person index,
// level, text]}. Current ratings are in SeriesRating, ratings older than two
// quarters in SeriesRatingOlder (drawn faded), and not-assessed cells in
// SeriesNotAssessed with level -1 and text "not assessed" (the -1 is only
// there because ECharts draws no heatmap cell without a number; that series
// is not colour-mapped and its cells are labelled "–").
const (
	SeriesRating      = "Rating"
	SeriesRatingOlder = "Rating older than two quarters"
	SeriesNotAssessed = "Not assessed"
	seriesAreas       = "Areas"
)

// notAssessedValue is the placeholder level of a not-assessed heatmap cell.
const notAssessedValue = -1

// HeatmapHeight suggests a chart height in pixels for a heatmap of n people
// (for the data-chart-height attribute).
func HeatmapHeight(people int) int {
	return 230 + 34*max(people, 1)
}

// Heatmap builds the people × competencies heatmap.
func Heatmap(h HeatmapData) (Option, error) {
	nP, nC := len(h.People), len(h.Competencies)
	if len(h.Cells) != nP {
		return nil, lengthError("heatmap cells", len(h.Cells), nP)
	}
	for p, row := range h.Cells {
		if len(row) != nC {
			return nil, lengthError("heatmap cells of person "+strconv.Itoa(p), len(row), nC)
		}
	}
	if h.Areas != nil && len(h.Areas) != nC {
		return nil, lengthError("heatmap areas", len(h.Areas), nC)
	}
	faded := func(p, c int) bool {
		return p < len(h.Faded) && c < len(h.Faded[p]) && h.Faded[p][c]
	}

	// Value of every cell: [competency index, person index, level, tooltip text].
	// The tooltip text is fixed vocabulary ("4 · proficient", "not assessed"):
	// tooltips use ECharts' default formatter (no templates) and show it via
	// encode.tooltip. A current rating's label takes its level's text colour.
	//
	// The cells are most of the option: they are written here (appendCells) into the
	// frame go-echarts builds for the rest (heatmapFrame). Through go-echarts and the
	// generic decoding finish patches, 320 cells took 1.7 ms of each team page view
	// after a rating.
	current := make([]heatCell, 0, nP*nC)
	older := make([]heatCell, 0)
	unrated := make([]heatCell, 0)
	for p := range h.People {
		for c := range h.Competencies {
			cell := heatCell{x: c, y: p}
			v := h.Cells[p][c]
			switch {
			case v == nil:
				cell.level, cell.word = notAssessedValue, "not assessed"
				unrated = append(unrated, cell)
			case faded(p, c):
				cell.level = clampLevel(*v)
				cell.word = levelWord(cell.level)
				older = append(older, cell)
			default:
				cell.level = clampLevel(*v)
				cell.word, cell.color = levelWord(cell.level), levelTextColors[cell.level]
				current = append(current, cell)
			}
		}
	}
	f, err := heatmapFrame(h)
	if err != nil {
		return nil, err
	}
	// The option is the frame with each stub replaced by its cells, written in one pass
	// into a buffer of about its final size. A cell's name ("person · competency") is its
	// person's and its competency's names as encoding/json escapes them, each escaped once.
	people, comps, names := make([][]byte, nP), make([][]byte, nC), 0
	for p, s := range h.People {
		people[p] = jsonText(s)
		names += nC * len(people[p])
	}
	for c, s := range h.Competencies {
		comps[c] = jsonText(s)
		names += nP * len(comps[c])
	}
	opt := make(Option, 0, len(f.option)+names+nP*nC*maxCellBytes)
	from := 0
	for _, i := range f.order {
		opt = append(opt, f.option[from:f.stubs[i][0]]...)
		opt = appendCells(opt, [][]heatCell{current, older, unrated}[i], people, comps)
		from = f.stubs[i][1]
	}
	return append(opt, f.option[from:]...), nil
}

// maxCellBytes bounds a heatmap cell's JSON but for its name: its label's colour, its
// numbers and its word.
const maxCellBytes = len(`{"label":{"color":"#000000"},"name":" · ","value":[000,000,-1,"not assessed"]},`)

// jsonText is s as encoding/json escapes it in a string, without the quotes.
func jsonText(s string) []byte {
	b, _ := json.Marshal(s) // a string always encodes
	return b[1 : len(b)-1]
}

// frame is a heatmap's option without its cells: each series' data is a stub, the
// encoding of a placeholder string, to be replaced by the cells' JSON. As a value of the
// option the cells would be encoded, or checked and compacted, once more. A placeholder
// holds a random nonce: no text a user typed (the axes' names) can be one.
type frame struct {
	option Option
	// stubs are where each series' stub is in option, [start, end), by series:
	// SeriesRating, SeriesRatingOlder, SeriesNotAssessed; order is the series by
	// where their stubs are.
	stubs [3][2]int
	order [3]int
}

// frames keeps heatmap frames by their axes: after a rating a team's heatmap has new
// cells on the same frame (building one through go-echarts took about 0.4 ms).
var frames, _ = lru.New[string, frame](256)

// heatmapFrame returns the frame of h's axes, from frames when it was built before.
func heatmapFrame(h HeatmapData) (frame, error) {
	k, err := json.Marshal([][]string{h.People, h.Competencies, h.Areas})
	if err != nil {
		return frame{}, err
	}
	if f, ok := frames.Get(string(k)); ok {
		return f, nil
	}
	var nonce [12]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return frame{}, err
	}
	placeholder := func(series string) string { return "cells " + hex.EncodeToString(nonce[:]) + " " + series }

	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(noLegend()),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "30", Bottom: "48", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{
			Type: "category", Data: h.Competencies, Position: "bottom",
			AxisLabel: axisLabel(), AxisLine: axisLine(),
			SplitArea: &opts.SplitArea{Show: opts.Bool(false)},
		}),
		charts.WithYAxisOpts(opts.YAxis{
			Type: "category", Data: h.People, Inverse: opts.Bool(true),
			AxisLabel: axisLabel(), AxisLine: axisLine(),
		}),
	)
	cellBorder := opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 2}
	hm.AddSeries(SeriesRating, nil,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 12, FontWeight: "600", Formatter: "{@[2]}"}),
		charts.WithItemStyleOpts(cellBorder),
	)
	hm.AddSeries(SeriesRatingOlder, nil,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 12, FontStyle: "italic", Color: colorText, Formatter: "{@[2]}"}),
		charts.WithItemStyleOpts(cellBorder),
	)
	hm.AddSeries(SeriesNotAssessed, nil,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Color: colorNotRatedFg, FontSize: 12, Formatter: "–"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorNotRated, BorderColor: colorNotRatedFg, BorderWidth: 1}),
	)
	groups := areaGroups(h.Areas)
	if len(groups) > 0 {
		// A hidden value axis lets an empty bar series carry a markArea
		// (bar series span whole category bands, heatmaps do not).
		hm.ExtendYAxis(opts.YAxis{Type: "value", Show: opts.Bool(false), Min: 0, Max: 1})
		hm.AddSeries(seriesAreas, nil)
	}

	opt, err := finish(hm, func(o obj) error {
		styleCategoryAxis(at(o, "xAxis", 0), 40)
		styleCategoryAxis(at(o, "yAxis", 0), 0)
		at(o, "yAxis", 0)["splitArea"] = obj{"show": false}

		for _, name := range []string{SeriesRating, SeriesRatingOlder, SeriesNotAssessed} {
			s := seriesNamed(o, name)
			s["encode"] = obj{"x": 0, "y": 1, "value": 2, "tooltip": 3}
			s["emphasis"] = obj{"itemStyle": obj{"borderColor": colorTarget, "borderWidth": 2}}
			s["data"] = placeholder(name)
		}
		seriesNamed(o, SeriesNotAssessed)["itemStyle"].(obj)["borderType"] = "dashed"

		// The visible key maps the current ratings. Its last two pieces are
		// key-only: no current rating has these values.
		pieces := arr{}
		older := arr{}
		for lv := 5; lv >= 0; lv-- {
			pieces = append(pieces, obj{"value": lv, "label": strconv.Itoa(lv) + " " + levelNames[lv], "color": levelColors[lv], "symbol": "rect"})
			older = append(older, obj{"value": lv, "color": levelColors[lv], "opacity": fadedOpacity})
		}
		pieces = append(pieces,
			// Not a level's colour: older ratings are their level's colour, faded.
			obj{"value": -2, "label": "older than 2 quarters (faded)", "color": "#94a3b8", "opacity": fadedOpacity, "symbol": "rect"},
			obj{"value": notAssessedValue, "label": "not assessed", "color": colorNotRatedFg, "symbol": "emptyRect"},
		)
		o["visualMap"] = arr{
			obj{
				"type":         "piecewise",
				"seriesIndex":  arr{0},
				"dimension":    2,
				"pieces":       pieces,
				"orient":       "horizontal",
				"left":         "center",
				"bottom":       0,
				"itemWidth":    14,
				"itemHeight":   14,
				"itemGap":      10,
				"textGap":      4,
				"selectedMode": false,
				"textStyle":    obj{"color": colorText, "fontSize": 11},
			},
			// Same colours, faded, for the older ratings; not shown.
			obj{
				"type":        "piecewise",
				"show":        false,
				"seriesIndex": arr{1},
				"dimension":   2,
				"pieces":      older,
			},
		}

		if len(groups) > 0 {
			a := seriesNamed(o, seriesAreas)
			a["type"] = "bar"
			a["xAxisIndex"] = 0
			a["yAxisIndex"] = 1
			a["data"] = arr{}
			a["silent"] = true
			a["tooltip"] = obj{"show": false}
			a["z"] = 3
			items := arr{}
			for _, g := range groups {
				items = append(items, arr{
					obj{
						"name": g.name, "xAxis": g.from,
						// Keep a long area name within its columns (about 50px
						// each on a typical page; labels cannot be sized by
						// the drawn width without a function).
						"label": obj{"width": 50 * (g.to - g.from + 1), "overflow": "truncate"},
					},
					obj{"xAxis": g.to},
				})
			}
			a["markArea"] = obj{
				"silent": true,
				"z":      3,
				"itemStyle": obj{
					"color":       "rgba(0,0,0,0)",
					"borderColor": colorMuted,
					"borderWidth": 1.5,
				},
				"label": obj{
					"show": true, "position": "top", "distance": 6,
					"color": colorText, "fontSize": 11, "fontWeight": "600",
				},
				"emphasis": obj{"disabled": true},
				"data":     items,
			}
		}
		return nil
	})
	if err != nil {
		return frame{}, err
	}
	f := frame{option: opt, order: [3]int{0, 1, 2}}
	for i, series := range []string{SeriesRating, SeriesRatingOlder, SeriesNotAssessed} {
		stub, _ := json.Marshal(placeholder(series))
		if bytes.Count(opt, stub) != 1 {
			return frame{}, fmt.Errorf("chart: heatmap series %q: placeholder not found once", series)
		}
		at := bytes.Index(opt, stub)
		f.stubs[i] = [2]int{at, at + len(stub)}
	}
	slices.SortFunc(f.order[:], func(a, b int) int { return f.stubs[a][0] - f.stubs[b][0] })
	frames.Add(string(k), f)
	return f, nil
}

// heatCell is one heatmap data item: {label: {color}, name, value: [x (competency index),
// y (person index), level, word (the tooltip's text)]}, the label only with a colour; its
// name is "person · competency".
type heatCell struct {
	color, word string
	x, y, level int
}

// appendCells appends the cells as a JSON array, as encoding/json writes them: the names
// from people's and comps' texts as jsonText escapes them (HTML-safe, like the rest of the
// option); the colours, numbers and words are fixed vocabulary.
func appendCells(b []byte, cells []heatCell, people, comps [][]byte) []byte {
	b = append(b, '[')
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if c.color != "" {
			b = append(append(append(b, `"label":{"color":"`...), c.color...), `"},`...)
		}
		b = append(append(append(append(append(b, `"name":"`...), people[c.y]...), " · "...), comps[c.x]...), '"')
		b = strconv.AppendInt(append(b, `,"value":[`...), int64(c.x), 10)
		b = strconv.AppendInt(append(b, ','), int64(c.y), 10)
		b = strconv.AppendInt(append(b, ','), int64(c.level), 10)
		b = append(append(append(b, `,"`...), c.word...), `"]}`...)
	}
	return append(b, ']')
}

type areaGroup struct {
	name     string
	from, to int
}

// areaGroups returns the runs of consecutive equal area names.
func areaGroups(areas []string) []areaGroup {
	var gs []areaGroup
	for i, a := range areas {
		if n := len(gs); n > 0 && gs[n-1].name == a {
			gs[n-1].to = i
			continue
		}
		gs = append(gs, areaGroup{name: a, from: i, to: i})
	}
	return gs
}
