package readcache_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
	"github.com/teamshape/teamshape/internal/readcache"
)

// TestReadsKeptUntilTheStructureChanges: a read is answered from memory while the
// structure number stays, read again once it moves, and always read while the number is
// unknown; a caller changing what it got does not change what the next caller gets.
func TestReadsKeptUntilTheStructureChanges(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	g, err := pgtest.GenerateOrg(ctx, db, pgtest.GenSpec{Slug: "rc", Teams: 1, PerTeam: 3})
	if err != nil {
		t.Fatal(err)
	}
	number, known := uint64(1), true
	st := readcache.New(db, func() (uint64, bool) { return number, known })
	team := g.TeamIDs[0]
	name := func() string {
		t.Helper()
		people, err := st.FindTeamPeople(ctx, team)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range people {
			if p.Email == "pm3@rc.test" {
				people[i].Name = "scribbled" // the caller's copy
				return p.Name
			}
		}
		t.Fatal("pm3 is not in the team")
		return ""
	}
	rename := func(to string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, `UPDATE users SET name = $1 WHERE email = 'pm3@rc.test'`, to); err != nil {
			t.Fatal(err)
		}
	}
	if got := name(); got != "PM 3" {
		t.Fatalf("first read: %q", got)
	}
	rename("Renamed")
	if got := name(); got != "PM 3" {
		t.Fatalf("read under the same number: %q, want the kept PM 3", got)
	}
	number++
	if got := name(); got != "Renamed" {
		t.Fatalf("read under a new number: %q, want Renamed", got)
	}
	known, number = false, number+1 // as the session cache, which moves it when it falls out of sync
	rename("Again")
	if got := name(); got != "Again" {
		t.Fatalf("read while the number is unknown: %q, want Again", got)
	}
	known = true
	if got := name(); got != "Again" {
		t.Fatalf("read once known again: %q", got)
	}
}

// countingStore counts the reads of a team's people that reach the real store.
type countingStore struct {
	*postgres.DB
	reads atomic.Int32
}

func (c *countingStore) FindTeamPeople(ctx context.Context, teamID int64) ([]app.TeamPerson, error) {
	c.reads.Add(1)
	time.Sleep(20 * time.Millisecond) // long enough for every caller to arrive while it runs
	return c.DB.FindTeamPeople(ctx, teamID)
}

// TestConcurrentMissesShareOneRead: callers that miss one key at once (one page's parts,
// after a change to the structure) share one read of the store, and each gets its own copy.
func TestConcurrentMissesShareOneRead(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	g, err := pgtest.GenerateOrg(ctx, db, pgtest.GenSpec{Slug: "rc", Teams: 1, PerTeam: 3})
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingStore{DB: db}
	st := readcache.New(counted, func() (uint64, bool) { return 7, true })
	const callers = 5
	got := make([][]app.TeamPerson, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			people, err := st.FindTeamPeople(ctx, g.TeamIDs[0])
			if err != nil {
				t.Error(err)
			}
			got[i] = people
		})
	}
	wg.Wait()
	if n := counted.reads.Load(); n != 1 {
		t.Errorf("%d callers at once read the store %d times, want once", callers, n)
	}
	for i := range got {
		if len(got[i]) == 0 || len(got[i]) != len(got[0]) {
			t.Fatalf("caller %d got %d people, caller 0 %d", i, len(got[i]), len(got[0]))
		}
	}
	got[0][0].Name = "scribbled"
	if got[1][0].Name == "scribbled" {
		t.Error("the callers share one slice")
	}
}
