package postgres

import (
	"testing"
)

// TestOrderByUserAndRank: cells in any order come out by user, then by rank.
func TestOrderByUserAndRank(t *testing.T) {
	in := []cell{{user: 7, rank: 3}, {user: 2, rank: 1}, {user: 7, rank: 0}, {user: 9, rank: 5}, {user: 2, rank: 0},
		{user: 7, rank: 1}, {user: 2, rank: 4}}
	got := orderByUserAndRank(in, []int64{2, 5, 7, 9})
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
	if len(orderByUserAndRank(nil, nil)) != 0 {
		t.Fatal("nil in, something out")
	}
	// Sparse ids go through a map.
	sparse := []cell{{user: 1 << 40, rank: 2}, {user: 3, rank: 1}, {user: 1 << 40, rank: 0}}
	got = orderByUserAndRank(sparse, []int64{3, 1 << 40})
	if got[0].user != 3 || got[1] != (cell{user: 1 << 40, rank: 0}) || got[2] != (cell{user: 1 << 40, rank: 2}) {
		t.Fatalf("sparse: %v", got)
	}
}

// TestParseCell reads the cells of findCurrentEffectiveRatings and refuses others.
func TestParseCell(t *testing.T) {
	c, competency, ok := parseCell("12 34 15 1763908299477408")
	if !ok || c.user != 12 || competency != 34 || c.level != 5 || !c.leader || c.at != 1763908299477408 {
		t.Fatalf("got %+v %d %v", c, competency, ok)
	}
	if c, _, ok := parseCell("1 2 0 -5"); !ok || c.leader || c.level != 0 || c.at != -5 {
		t.Fatalf("others: %+v %v", c, ok)
	}
	if c, competency, ok := parseCell("9000000000 123456789012 3 -1763908299477408"); !ok || c.user != 9000000000 ||
		competency != 123456789012 || c.level != 3 || c.leader || c.at != -1763908299477408 {
		t.Fatalf("large: %+v %d %v", c, competency, ok)
	}
	if c, _, ok := parseCell("1 2 10 7"); !ok || !c.leader || c.level != 0 {
		t.Fatalf("leader, level 0: %+v %v", c, ok)
	}
	for _, bad := range []string{"", "1 2 3", "1 2 3 4 5", "x 2 3 1", "1 2 9 1", "1 2 16 1", "1 2 -1 1",
		"1 2 3 2026-11-23", "1  2 3 1", "1 2 3 leader 1", "-1 2 3 1", "1 2 3 -", "1 2 3 1 ", "1 2 3 1234567890123456789"} {
		if _, _, ok := parseCell(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
