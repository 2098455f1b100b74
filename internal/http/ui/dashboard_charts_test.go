package ui

import (
	"testing"

	"github.com/teamshape/teamshape/internal/chart"
)

// TestDataChartQuotes: the option goes between single quotes with only its ' escaped (an
// option has no <, > or &: chart.Option), so a name with either quote stays inside.
func TestDataChartQuotes(t *testing.T) {
	got := string(dataChart(chart.Option(`{"name":"O'Brien \"Bob\" \u003c/div\u003e"}`)))
	want := `data-chart='{"name":"O&#39;Brien \"Bob\" \u003c/div\u003e"}'`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
