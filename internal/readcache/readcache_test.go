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
// structure number of its tables stays (a change to another table leaves it), read again
// once it moves, and always read while the number is unknown; a caller changing what it
// got does not change what the next caller gets.
func TestReadsKeptUntilTheStructureChanges(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	g, err := pgtest.GenerateOrg(ctx, db, pgtest.GenSpec{Slug: "rc", Teams: 1, PerTeam: 3})
	if err != nil {
		t.Fatal(err)
	}
	number, known := uint64(1), true
	changed := map[string]uint64{} // each table's changes
	st := readcache.New(db, func(tables ...string) (uint64, bool) {
		n := number
		for _, t := range tables {
			n += changed[t]
		}
		return n, known
	})
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
	changed["team_targets"]++ // a table the team's people are not read from
	if got := name(); got != "PM 3" {
		t.Fatalf("read after a change to another table: %q, want the kept PM 3", got)
	}
	changed["users"]++
	if got := name(); got != "Renamed" {
		t.Fatalf("read after a change to users: %q, want Renamed", got)
	}
	rename("Later")
	number++ // anything may have changed
	if got := name(); got != "Later" {
		t.Fatalf("read under a new number: %q, want Later", got)
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
	st := readcache.New(counted, func(...string) (uint64, bool) { return 7, true })
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

// TestReadTablesAnnounceChanges: every table a read depends on announces its changes (a
// bump_data_version trigger for each of insert, update and delete, migrations/00011 and
// later): a table without them would be kept in memory however it changed.
func TestReadTablesAnnounceChanges(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	for _, table := range readcache.Tables() {
		var n int
		err := db.GetContext(context.Background(), &n, `
			SELECT count(*) FROM pg_trigger
			WHERE tgrelid = $1::regclass AND tgfoid = 'bump_data_version'::regproc`, table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if n != 3 {
			t.Errorf("%s has %d bump_data_version triggers, want 3 (insert, update, delete)", table, n)
		}
	}
}
