package postgres

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/lib/pq"
	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/app"
)

// Effective ratings as of now come from effective_ratings, which triggers on ratings keep
// current in the same transaction as every change to ratings (migrations/00017). The
// table is the history's answer (findEffectiveRatings) as of any time after the
// organisation's newest rating; TestEffectiveRatingsMaintained holds the two together.

// findRatingClock is the creation time of the organisation's newest rating (a deleted one
// included; NULL when it never had one), its history version (migrations/00030; NULL
// before its first write), its competencies' ids and keys in framework order, and, when
// users are given ($2 not empty), their maintained effective ratings as
// findCurrentEffectiveRatings reads them: a team's view after a write reads its clock and
// its current ratings in one statement (and one snapshot) rather than two.
const findRatingClock = `
SELECT (SELECT newest_at FROM org_rating_clocks WHERE org_id = $1) AS newest_at,
       (SELECT history_version FROM org_data_versions WHERE org_id = $1) AS history_version,
       ARRAY(SELECT c.id FROM competencies c WHERE c.org_id = $1 ORDER BY c.position, c.id) AS ids,
       ARRAY(SELECT c.key FROM competencies c WHERE c.org_id = $1 ORDER BY c.position, c.id) AS keys,
       CASE WHEN cardinality($2::bigint[]) > 0 THEN (` + findCurrentEffectiveRatings + `) END AS cells`

// findCurrentEffectiveRatings reads the users' maintained effective ratings as one text,
// a cell per rating: "user_id competency_id grade rated_us" (grade: the level, plus 10 when
// the leader's rating is the source; rated_at in µs since the epoch), the cells separated by
// commas, unordered. The source folded into the level spares PostgreSQL a text column of
// 60,000 (an organisation's rollup) and a fifth of the bytes sent and parsed. An organisation's rollup reads tens of
// thousands of them: as rows, database/sql and lib/pq would spend more on them than
// PostgreSQL takes to find them (a few allocations and conversions per column of each row),
// and sorted by PostgreSQL they would spill to disk with the default work_mem.
// readEffectiveRatings parses and orders them in a fraction of that.
const findCurrentEffectiveRatings = `
SELECT string_agg(concat_ws(' ', user_id, competency_id, CASE source WHEN 'leader' THEN level + 10 ELSE level END, rated_us), ',')
FROM effective_ratings WHERE org_id = $1 AND user_id = ANY($2) AND level IS NOT NULL`

// framework is an organisation's competencies as effective ratings are read with them.
type framework struct {
	rank map[int64]int // competency id → its rank in framework order
	keys []string      // by rank
}

// clock is what ratingClock reads.
type clock struct {
	newest  time.Time // the creation time of the organisation's newest rating; zero: none
	history int64     // the organisation's history version
	fw      *framework
	// users and cells are the users asked for (sorted, distinct) and their maintained
	// effective ratings as read in the same statement (findCurrentEffectiveRatings).
	users []int64
	cells string
}

// ratingClock returns the creation time of the organisation's newest rating, its history
// version and its competencies (an organisation without competencies has no ratings:
// zero), and the maintained effective ratings of userIDs when they are few enough to be
// read in one run (usersPerRun; none if nil).
func (db *DB) ratingClock(ctx context.Context, orgID int64, userIDs []int64) (*clock, error) {
	var users []int64
	if len(userIDs) < 2*usersPerRun { // currentEffectiveRatings's single run
		users = slices.Compact(slices.Sorted(slices.Values(userIDs)))
	}
	var (
		newest sql.NullTime
		hist   sql.NullInt64
		ids    pq.Int64Array
		keys   pq.StringArray
		cells  sql.NullString
	)
	err := db.QueryRowContext(ctx, findRatingClock, orgID, pq.Array(users)).Scan(&newest, &hist, &ids, &keys, &cells)
	if err != nil {
		return nil, mapErr(err)
	}
	if len(ids) != len(keys) {
		return nil, app.Errorf(app.EINTERNAL, "rating clock: %d competency ids, %d keys", len(ids), len(keys))
	}
	fw := &framework{rank: make(map[int64]int, len(ids)), keys: keys}
	for i, id := range ids {
		fw.rank[id] = i
	}
	k := &clock{newest: newest.Time, history: hist.Int64, fw: fw}
	if len(users) > 0 {
		k.users, k.cells = users, cells.String
	}
	return k, nil
}

// cell is a row of effective_ratings as read: no pointers, so that the garbage collector
// need not scan tens of thousands of them, nor ordering them pay for write barriers.
type cell struct {
	user   int64
	at     int64 // rated_at, µs since the epoch
	rank   int16 // the competency's rank in framework order
	level  int8
	leader bool
}

// currentEffectiveRatings reads the users' effective ratings from effective_ratings, by
// user and framework order: the cells of findCurrentEffectiveRatings (read with the clock
// k when it has them), parsed by hand into cells, ordered by user with a counting sort and
// only then made ratings, each competency key and source string shared. Thousands of users
// (an organisation's rollup) are read in a few runs of them at once, one per CPU:
// PostgreSQL formats and Go parses each run in parallel.
func (db *DB) currentEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, k *clock) ([]app.EffectiveRating, error) {
	users := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	if slices.Equal(users, k.users) {
		cells, err := parseCells(k.cells, users, k.fw) // one snapshot: every competency is known
		if err != nil {
			return nil, err
		}
		return ratingsOf([][]cell{cells}, k.fw), nil
	}
	out, err := db.readEffectiveRatings(ctx, orgID, users, k.fw)
	if errors.Is(err, errUnknownCompetency) { // a competency created since the framework was read
		if k, err = db.ratingClock(ctx, orgID, nil); err != nil {
			return nil, err
		}
		out, err = db.readEffectiveRatings(ctx, orgID, users, k.fw)
	}
	return out, err
}

// errUnknownCompetency: an effective rating of a competency the framework read has not.
var errUnknownCompetency = app.Errorf(app.EINTERNAL, "effective rating of a competency not in the framework")

// readEffectiveRatings is currentEffectiveRatings with the framework given and users
// sorted and distinct.
func (db *DB) readEffectiveRatings(ctx context.Context, orgID int64, users []int64, fw *framework) ([]app.EffectiveRating, error) {
	runs := min(runtime.GOMAXPROCS(0), len(users)/usersPerRun)
	if runs < 2 {
		runs = 1
	}
	parts := make([][]cell, runs)
	g, gctx := errgroup.WithContext(ctx)
	for r := range runs {
		run := users[r*len(users)/runs : (r+1)*len(users)/runs]
		g.Go(func() error {
			var err error
			parts[r], err = db.effectiveCells(gctx, orgID, run, fw)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return ratingsOf(parts, fw), nil
}

// ratingsOf makes the runs of cells effective ratings, in order.
func ratingsOf(parts [][]cell, fw *framework) []app.EffectiveRating {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]app.EffectiveRating, 0, n)
	var at time.Time
	for _, cells := range parts {
		for i, c := range cells {
			if i == 0 || c.at != cells[i-1].at { // a user's ratings share times
				at = time.UnixMicro(c.at).UTC()
			}
			r := app.EffectiveRating{UserID: c.user, Competency: fw.keys[c.rank], Level: int(c.level),
				Source: app.SourceOthers, RatedAt: at}
			if c.leader {
				r.Source = app.SourceLeader
			}
			out = append(out, r)
		}
	}
	return out
}

// usersPerRun is the fewest users read in a run of their own.
const usersPerRun = 1000

// effectiveCells reads the effective ratings of users (sorted, distinct) as cells in user
// and rank order.
func (db *DB) effectiveCells(ctx context.Context, orgID int64, users []int64, fw *framework) ([]cell, error) {
	var text sql.NullString
	if err := db.QueryRowContext(ctx, findCurrentEffectiveRatings, orgID, pq.Array(users)).Scan(&text); err != nil {
		return nil, mapErr(err)
	}
	return parseCells(text.String, users, fw)
}

// parseCells parses findCurrentEffectiveRatings's text of the users' (sorted, distinct)
// cells, in user and rank order.
func parseCells(text string, users []int64, fw *framework) ([]cell, error) {
	cells := make([]cell, 0, len(users)*expectedCompetencies)
	for rest := text; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, ",")
		c, competencyID, ok := parseCell(item)
		if !ok {
			return nil, app.Errorf(app.EINTERNAL, "effective ratings: unreadable cell %q", item)
		}
		rank, ok := fw.rank[competencyID]
		if !ok {
			return nil, errUnknownCompetency
		}
		c.rank = int16(rank)
		cells = append(cells, c)
	}
	return orderByUserAndRank(cells, users), nil
}

// parseCell parses "user_id competency_id grade rated_us" (grade: the level, plus
// leaderGrade when the source is the leader). A digit loop rather than strconv: tens of
// thousands of cells a rollup, and strconv's generality was a third of their reading.
func parseCell(s string) (c cell, competencyID int64, ok bool) {
	var f [4]int64
	for i := range f {
		neg := i == 3 && s != "" && s[0] == '-' // only rated_us may be negative
		if neg {
			s = s[1:]
		}
		n, j := int64(0), 0
		for ; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
			if j == 18 { // more digits than an int64 surely holds
				return c, 0, false
			}
			n = n*10 + int64(s[j]-'0')
		}
		if j == 0 {
			return c, 0, false
		}
		if neg {
			n = -n
		}
		f[i], s = n, s[j:]
		if i < len(f)-1 {
			if s == "" || s[0] != ' ' {
				return c, 0, false
			}
			s = s[1:]
		}
	}
	grade := f[2]
	leader := grade >= leaderGrade
	if leader {
		grade -= leaderGrade
	}
	if s != "" || grade > 5 {
		return c, 0, false
	}
	return cell{user: f[0], at: f[3], level: int8(grade), leader: leader}, f[1], true
}

// leaderGrade is added to a cell's level when the leader's rating is its source
// (findCurrentEffectiveRatings).
const leaderGrade = 10

// orderByUserAndRank returns the cells by user id and, within a user, by rank: a counting
// sort by user (its index among users, every cell's user among them, sorted and distinct),
// then an insertion sort of each user's run (a framework's worth at most).
func orderByUserAndRank(cells []cell, users []int64) []cell {
	index := newUserIndex(users)
	of := make([]int32, len(cells)) // each cell's user index
	start := make([]int32, len(users)+1)
	for i, c := range cells {
		of[i] = index.of(c.user)
		start[of[i]+1]++
	}
	for u := range users {
		start[u+1] += start[u]
	}
	out := make([]cell, len(cells))
	next := slices.Clone(start[:len(users)])
	for i, c := range cells {
		u := of[i]
		j := next[u]
		next[u]++
		for ; j > start[u] && out[j-1].rank > c.rank; j-- {
			out[j] = out[j-1]
		}
		out[j] = c
	}
	return out
}

// userIndex maps user ids to their index among sorted ids: through a slice when the ids
// are dense (an organisation's people mostly are), else a map.
type userIndex struct {
	min   int64
	dense []int32
	index map[int64]int32
}

func newUserIndex(sorted []int64) userIndex {
	if len(sorted) == 0 {
		return userIndex{}
	}
	x := userIndex{min: sorted[0]}
	if span := sorted[len(sorted)-1] - sorted[0] + 1; span <= 4*int64(len(sorted))+1024 {
		x.dense = make([]int32, span)
		for i, u := range sorted {
			x.dense[u-x.min] = int32(i)
		}
		return x
	}
	x.index = make(map[int64]int32, len(sorted))
	for i, u := range sorted {
		x.index[u] = int32(i)
	}
	return x
}

func (x userIndex) of(user int64) int32 {
	if x.dense != nil {
		return x.dense[user-x.min]
	}
	return x.index[user]
}
