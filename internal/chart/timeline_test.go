package chart

import (
	"slices"
	"strings"
	"testing"
)

func TestTimeline(t *testing.T) {
	rows := []string{"plain", injections[0], injections[1], injections[2]}
	o, err := Timeline(TimelineData{Rows: rows, Bars: []TimelineBar{
		{Row: 0, Start: "2018-01-01", End: "2020-06-30", Label: injections[0]},
		{Row: 2, Start: "2020-07-01", End: "2026-03-15", Label: "PM at Co"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, o)
	hasAll(t, m)
	if got := axisValues(get(m, "yAxis", 0)); !slices.Equal(got, rows) {
		t.Errorf("rows = %q", got)
	}
	// 2018-01-01 to 2027-01-01 in milliseconds: whole years around the bars.
	if get(m, "xAxis", 0, "min") != 1514764800000.0 || get(m, "xAxis", 0, "max") != 1798761600000.0 {
		t.Errorf("x extent = %v to %v", get(m, "xAxis", 0, "min"), get(m, "xAxis", 0, "max"))
	}
	if get(m, "xAxis", 0, "type") != "time" || get(m, "xAxis", 0, "data") != nil {
		t.Errorf("x axis = %v", get(m, "xAxis", 0))
	}
	if get(m, "series", 0, "type") != "lines" || get(m, "series", 0, "coordinateSystem") != "cartesian2d" {
		t.Errorf("series = %v", get(m, "series", 0))
	}
	d := get(m, "series", 0, "data").([]any)
	if len(d) != 2 || get(d, 1, "coords", 1, 0) != "2026-03-15" || get(d, 1, "coords", 0, 1) != injections[1] {
		t.Errorf("data = %v", d)
	}
	if name, _ := get(d, 0, "name").(string); !strings.HasPrefix(name, injections[0]) {
		t.Errorf("bar name = %q", name)
	}
	if get(d, 0, "lineStyle", "color") == get(d, 1, "lineStyle", "color") {
		t.Error("rows share a colour")
	}
}

func TestTimelineBadInput(t *testing.T) {
	for _, b := range []TimelineBar{{Row: 3, Start: "2020-01-01", End: "2021-01-01"}, {Row: -1, Start: "2020-01-01", End: "2021-01-01"},
		{Row: 0, Start: "2020-01-01", End: "soon"}} {
		if _, err := Timeline(TimelineData{Rows: []string{"a", "b"}, Bars: []TimelineBar{b}}); err == nil {
			t.Errorf("bar %+v accepted", b)
		}
	}
}
