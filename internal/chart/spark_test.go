package chart

import "testing"

func TestSparkline(t *testing.T) {
	v := func(n int) *int { return &n }
	for _, tc := range []struct {
		name            string
		depth, coverage []*int
		want            Spark
	}{
		{"three", []*int{v(0), v(5), v(2)}, []*int{v(0), v(1), v(7)}, Spark{
			Depth: "0.0,17.0 30.0,1.0 60.0,10.6", Coverage: "0.0,17.0 30.0,13.8 60.0,1.0",
			Title: "a: depth 0, coverage 0 · b: depth 5, coverage 1 · c: depth 2, coverage 7"}},
		{"gap skipped", []*int{nil, v(5), v(5)}, []*int{nil, v(2), v(2)}, Spark{
			Depth: "30.0,1.0 60.0,1.0", Coverage: "30.0,10.6 60.0,10.6",
			Title: "b: depth 5, coverage 2 · c: depth 5, coverage 2"}},
		{"one point: no line", []*int{nil, nil, v(3)}, []*int{nil, nil, v(1)}, Spark{}},
	} {
		if got := Sparkline([]string{"a", "b", "c"}, tc.depth, tc.coverage, 5); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
