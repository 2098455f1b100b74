package chart

import "testing"

func TestSparkline(t *testing.T) {
	v := func(n int) *int { return &n }
	for _, tc := range []struct {
		name   string
		values []*int
		points string
		title  string
	}{
		{"three", []*int{v(0), v(5), v(2)}, "0.0,17.0 30.0,1.0 60.0,10.6", "a: 0 · b: 5 · c: 2"},
		{"gap skipped", []*int{nil, v(5), v(5)}, "30.0,1.0 60.0,1.0", "b: 5 · c: 5"},
		{"one value: no line", []*int{nil, nil, v(3)}, "", ""},
	} {
		got := Sparkline([]string{"a", "b", "c"}, tc.values, 5)
		if got.Points != tc.points || got.Title != tc.title {
			t.Errorf("%s: %+v, want %q %q", tc.name, got, tc.points, tc.title)
		}
	}
}
