package insight

import (
	"testing"
	"time"
)

func TestQuarterPoints(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		asOf   time.Time
		labels []string
		ats    []time.Time
	}{
		{ // mid-quarter: the quarter so far, labelled with the last day that counts
			asOf:   day(2026, 5, 15),
			labels: []string{"Q3 2025", "Q4 2025", "Q1 2026", "2026-05-14"},
			ats:    []time.Time{day(2025, 10, 1), day(2026, 1, 1), day(2026, 4, 1), day(2026, 5, 15)},
		},
		{ // exactly a quarter's end (?as_of=2026-03-31 counts ratings before 1 April)
			asOf:   day(2026, 4, 1),
			labels: []string{"Q3 2025", "Q4 2025", "Q1 2026"},
			ats:    []time.Time{day(2025, 10, 1), day(2026, 1, 1), day(2026, 4, 1)},
		},
		{ // across a year
			asOf:   day(2026, 1, 2).Add(5 * time.Hour),
			labels: []string{"Q4 2025", "2026-01-02"},
			ats:    []time.Time{day(2026, 1, 1), day(2026, 1, 2).Add(5 * time.Hour)},
		},
	} {
		got := QuarterPoints(tc.asOf, len(tc.labels))
		for i, p := range got {
			if p.Label != tc.labels[i] || !p.AsOf.Equal(tc.ats[i]) {
				t.Errorf("as of %v, point %d: %s %v, want %s %v", tc.asOf, i, p.Label, p.AsOf, tc.labels[i], tc.ats[i])
			}
		}
	}
	if QuarterPoints(time.Now(), 0) != nil {
		t.Error("0 points")
	}
}

func TestStale(t *testing.T) {
	asOf := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	if Stale(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), asOf) {
		t.Error("exactly two quarters old is not stale")
	}
	if !Stale(time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), asOf) {
		t.Error("older than two quarters is stale")
	}
}
