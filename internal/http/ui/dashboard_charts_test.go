package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/chart"
)

func TestChartCache(t *testing.T) {
	// The cache is the process's: a kind of this run's own, so that -count=N starts empty.
	kind := fmt.Sprintf("test-trend-%d", time.Now().UnixNano())
	builds := 0
	build := func(d chart.TrendData) (chart.Option, error) {
		builds++
		return chart.Trend(d)
	}
	a := chart.TrendData{Labels: []string{"Q1 2026"}, Values: []float64{1.5}}
	b := chart.TrendData{Labels: []string{"Q1 2026"}, Values: []float64{2}}
	o1, _ := cachedChart(kind, a, build)
	o2, _ := cachedChart(kind, a, build)
	o3, _ := cachedChart(kind, b, build)
	if builds != 2 || string(o1) != string(o2) || string(o1) == string(o3) {
		t.Fatalf("builds %d; equal inputs must share an option, different ones not", builds)
	}
	if _, err := cachedChart("test-bad", chart.TrendData{Labels: []string{"x"}}, chart.Trend); err == nil {
		t.Fatal("a build error is returned")
	}
}

// TestDataChartQuotes: the option goes between single quotes with only its ' escaped (an
// option has no <, > or &: chart.Option), so a name with either quote stays inside.
func TestDataChartQuotes(t *testing.T) {
	got := string(dataChart(chart.Option(`{"name":"O'Brien \"Bob\" \u003c/div\u003e"}`)))
	want := `data-chart='{"name":"O&#39;Brien \"Bob\" \u003c/div\u003e"}'`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
