package chart

import (
	"strconv"
	"strings"
)

// Spark is a competency's sparkline, drawn as inline SVG polylines in a viewBox of
// SparkWidth × SparkHeight: Depth and Coverage for their points attributes, and Title
// listing the values for a tooltip and screen readers.
type Spark struct {
	Depth, Coverage string
	Title           string
}

// Sparkline geometry (the template's viewBox).
const (
	SparkWidth  = 60
	SparkHeight = 18
)

// Sparkline draws depth and coverage (nil: no value at that point; the lines skip it) on
// a scale from 0 to top (coverage above top is drawn at top), labelled by labels. It is
// empty when fewer than two points have values.
func Sparkline(labels []string, depth, coverage []*int, top int) Spark {
	var title []string
	for i := range depth {
		if depth[i] != nil && i < len(labels) && i < len(coverage) && coverage[i] != nil {
			title = append(title, labels[i]+": depth "+strconv.Itoa(*depth[i])+", coverage "+strconv.Itoa(*coverage[i]))
		}
	}
	if len(title) < 2 {
		return Spark{}
	}
	return Spark{Depth: polyline(depth, top), Coverage: polyline(coverage, top), Title: strings.Join(title, " · ")}
}

func polyline(values []*int, top int) string {
	var pts []string
	n := len(values)
	for i, v := range values {
		if v == nil {
			continue
		}
		x := 0.0
		if n > 1 {
			x = float64(i) * SparkWidth / float64(n-1)
		}
		y := SparkHeight - 1 - float64(min(max(*v, 0), top))*(SparkHeight-2)/float64(max(top, 1))
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
	}
	return strings.Join(pts, " ")
}
