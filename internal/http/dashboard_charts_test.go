package http

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
	// The cache stays within its size.
	small := newChartCache(2)
	for i := range 5 {
		small.put([32]byte{byte(i)}, chart.Option("{}"))
	}
	if small.ll.Len() != 2 || len(small.m) != 2 {
		t.Fatalf("cache holds %d/%d entries, max 2", small.ll.Len(), len(small.m))
	}
	if _, ok := small.get([32]byte{4}); !ok {
		t.Fatal("the newest entry is gone")
	}
	if _, ok := small.get([32]byte{0}); ok {
		t.Fatal("the oldest entry is kept")
	}
}
