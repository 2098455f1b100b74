package chart

import (
	"strconv"
	"strings"
)

// Spark is a sparkline drawn as an inline SVG polyline: Points for its points attribute in
// a viewBox of SparkWidth × SparkHeight, and Title listing the values for a tooltip and
// screen readers.
type Spark struct {
	Points string
	Title  string
}

// Sparkline geometry (the template's viewBox).
const (
	SparkWidth  = 60
	SparkHeight = 18
)

// Sparkline draws values (nil: no value at that point, the line skips it) on a scale from 0
// to top, labelled by labels. It is empty when fewer than two values are present.
func Sparkline(labels []string, values []*int, top int) Spark {
	var pts, title []string
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
		if i < len(labels) {
			title = append(title, labels[i]+": "+strconv.Itoa(*v))
		}
	}
	if len(pts) < 2 {
		return Spark{}
	}
	return Spark{Points: strings.Join(pts, " "), Title: strings.Join(title, " · ")}
}
