package postgres

import (
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// TestParseTimestamptz: the fast parser of PostgreSQL's timestamptz text gives the instant
// and offset lib/pq's parser gives, and hands it every form it does not know.
func TestParseTimestamptz(t *testing.T) {
	for _, s := range []string{
		"2026-11-23 14:31:39.477408+00",
		"2026-11-23 14:31:39+00",
		"2026-11-23 14:31:39.4+00",
		"2026-11-23 14:31:39.000001-07",
		"2026-02-28 23:59:59.999999+05:30",
		"1999-12-31 23:00:00-03:30",
		"1900-01-01 00:00:00+00:19:32",
		"2026-01-01 00:00:00.123456789+01",
		"0044-03-15 12:00:00+00 BC",
		"12026-01-01 00:00:00+00",
	} {
		want, err := pq.ParseTimestamp(nil, s)
		if err != nil {
			t.Fatalf("%s: lib/pq: %v", s, err)
		}
		var ts timestamps
		at, zone, err := ts.parse(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		got := time.UnixMicro(at).In(ts.zone(zone))
		_, wantZone := want.Zone()
		if !got.Equal(want.Truncate(time.Microsecond)) || int(zone) != wantZone {
			t.Errorf("%s: got %v (offset %d), want %v (offset %d)", s, got, zone, want, wantZone)
		}
		if again, _, _ := ts.parse(s); again != at { // the run cache
			t.Errorf("%s: parsed again to %d, want %d", s, again, at)
		}
	}
	for _, s := range []string{"", "infinity", "2026-11-23", "2026-11-23 14:31:39", "2026-11-23 14:31:39.+00", "2026-11-23T14:31:39+00"} {
		var ts timestamps
		if _, _, err := ts.parse(s); err == nil {
			if _, perr := pq.ParseTimestamp(nil, s); perr != nil {
				t.Errorf("%q: parsed, lib/pq refuses it (%v)", s, perr)
			}
		}
	}
}

// TestOrderByUserAndRank: cells in any order come out by user, then by rank.
func TestOrderByUserAndRank(t *testing.T) {
	in := []cell{{user: 7, rank: 3}, {user: 2, rank: 1}, {user: 7, rank: 0}, {user: 9, rank: 5}, {user: 2, rank: 0},
		{user: 7, rank: 1}, {user: 2, rank: 4}}
	got := orderByUserAndRank(in)
	want := []cell{{user: 2, rank: 0}, {user: 2, rank: 1}, {user: 2, rank: 4}, {user: 7, rank: 0}, {user: 7, rank: 1},
		{user: 7, rank: 3}, {user: 9, rank: 5}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if len(orderByUserAndRank(nil)) != 0 {
		t.Fatal("nil in, something out")
	}
}

// TestParseCell reads the cells of findCurrentEffectiveRatings and refuses others.
func TestParseCell(t *testing.T) {
	c, competency, at, ok := parseCell("12 34 5 leader 2026-11-23 14:31:39.477408+00")
	if !ok || c.user != 12 || competency != 34 || c.level != 5 || !c.leader || at != "2026-11-23 14:31:39.477408+00" {
		t.Fatalf("got %+v %d %q %v", c, competency, at, ok)
	}
	if c, _, _, ok := parseCell("1 2 0 " + app.SourceOthers + " x"); !ok || c.leader {
		t.Fatalf("others: %+v %v", c, ok)
	}
	for _, bad := range []string{"", "1 2 3 leader", "x 2 3 leader t", "1 2 9 leader t", "1 2 3 boss t"} {
		if _, _, _, ok := parseCell(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
