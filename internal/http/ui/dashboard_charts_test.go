package ui

import (
	"testing"

	"github.com/teamshape/teamshape/internal/chart"
)

func TestChartCache(t *testing.T) {
	builds := 0
	build := func(d chart.TrendData) (chart.Option, error) {
		builds++
		return chart.Trend(d)
	}
	a := chart.TrendData{Labels: []string{"Q1 2026"}, Values: []float64{1.5}}
	b := chart.TrendData{Labels: []string{"Q1 2026"}, Values: []float64{2}}
	o1, _ := cachedChart("test-trend", a, build)
	o2, _ := cachedChart("test-trend", a, build)
	o3, _ := cachedChart("test-trend", b, build)
	if builds != 2 || string(o1) != string(o2) || string(o1) == string(o3) {
		t.Fatalf("builds %d; equal inputs must share an option, different ones not", builds)
	}
	if _, err := cachedChart("test-bad", chart.TrendData{Labels: []string{"x"}}, chart.Trend); err == nil {
		t.Fatal("a build error is returned")
	}
}
