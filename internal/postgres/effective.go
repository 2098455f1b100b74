package postgres

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// Effective ratings as of now come from effective_ratings, which triggers on ratings keep
// current in the same transaction as every change to ratings (migrations/00017). The
// table is the history's answer (findEffectiveRatings) as of any time after the
// organisation's newest rating; TestEffectiveRatingsMaintained holds the two together.

// findRatingClock is the creation time of the organisation's newest rating (a deleted one
// included; NULL when it never had one) and its competencies in framework order.
const findRatingClock = `
SELECT (SELECT newest_at FROM org_rating_clocks WHERE org_id = $1) AS newest_at, c.id, c.key
FROM competencies c WHERE c.org_id = $1
ORDER BY c.position, c.id`

// findCurrentEffectiveRatings reads the users' maintained effective ratings as one text,
// a cell per rating: "user_id competency_id level source rated_at", the cells separated
// by commas, unordered. An organisation's rollup reads tens of thousands of them: as rows,
// database/sql and lib/pq would spend more on them than PostgreSQL takes to find them (a
// few allocations and conversions per column of each row), and sorted by PostgreSQL they
// would spill to disk with the default work_mem. currentEffectiveRatings parses and orders
// them in a fraction of that.
const findCurrentEffectiveRatings = `
SELECT string_agg(concat_ws(' ', user_id, competency_id, level, source, rated_at), ',')
FROM effective_ratings WHERE org_id = $1 AND user_id = ANY($2) AND level IS NOT NULL`

// framework is an organisation's competencies as effective ratings are read with them.
type framework struct {
	rank map[int64]int // competency id → its rank in framework order
	keys []string      // by rank
}

// ratingClock returns the creation time of the organisation's newest rating (zero if it
// never had one) and its competencies. (An organisation without competencies has no
// ratings: zero.)
func (db *DB) ratingClock(ctx context.Context, orgID int64) (time.Time, *framework, error) {
	rows, err := db.QueryContext(ctx, findRatingClock, orgID)
	if err != nil {
		return time.Time{}, nil, mapErr(err)
	}
	defer rows.Close()
	var newest sql.NullTime
	fw := &framework{rank: make(map[int64]int, expectedCompetencies)}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&newest, &id, &key); err != nil {
			return time.Time{}, nil, mapErr(err)
		}
		fw.rank[id] = len(fw.keys)
		fw.keys = append(fw.keys, key)
	}
	return newest.Time, fw, mapErr(rows.Err())
}

// cell is a row of effective_ratings as read: no pointers, so that the garbage collector
// need not scan tens of thousands of them, nor ordering them pay for write barriers.
type cell struct {
	user   int64
	at     int64 // rated_at, µs since the epoch
	zone   int32 // rated_at's offset in seconds, as PostgreSQL gave it
	rank   int16 // the competency's rank in framework order
	level  int8
	leader bool
}

// currentEffectiveRatings reads the users' effective ratings from effective_ratings, by
// user and framework order: the cells of findCurrentEffectiveRatings, parsed by hand into
// cells, ordered by user with a counting sort and only then made ratings, each competency
// key and source string shared.
func (db *DB) currentEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, fw *framework) ([]app.EffectiveRating, error) {
	var text sql.NullString
	if err := db.QueryRowContext(ctx, findCurrentEffectiveRatings, orgID, pq.Array(userIDs)).Scan(&text); err != nil {
		return nil, mapErr(err)
	}
	cells := make([]cell, 0, len(userIDs)*expectedCompetencies)
	var ts timestamps
	for rest := text.String; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, ",")
		c, competencyID, ratedAt, ok := parseCell(item)
		if !ok {
			return nil, app.Errorf(app.EINTERNAL, "effective ratings: unreadable cell %q", item)
		}
		rank, ok := fw.rank[competencyID]
		if !ok { // a competency created since the clock was read: read them again
			var err error
			if _, fw, err = db.ratingClock(ctx, orgID); err != nil {
				return nil, err
			}
			if rank, ok = fw.rank[competencyID]; !ok {
				return nil, app.Errorf(app.EINTERNAL, "effective rating of unknown competency %d", competencyID)
			}
		}
		c.rank = int16(rank)
		var err error
		if c.at, c.zone, err = ts.parse(ratedAt); err != nil {
			return nil, app.Errorf(app.EINTERNAL, "effective rating: rated_at %q: %v", ratedAt, err)
		}
		cells = append(cells, c)
	}
	cells = orderByUserAndRank(cells)
	out := make([]app.EffectiveRating, len(cells))
	for i, c := range cells {
		out[i] = app.EffectiveRating{UserID: c.user, Competency: fw.keys[c.rank], Level: int(c.level),
			Source: app.SourceOthers, RatedAt: time.UnixMicro(c.at).In(ts.zone(c.zone))}
		if c.leader {
			out[i].Source = app.SourceLeader
		}
	}
	return out, nil
}

// parseCell parses "user_id competency_id level source rated_at" (rated_at as text).
func parseCell(s string) (c cell, competencyID int64, ratedAt string, ok bool) {
	var f [4]string
	for i := range f {
		if f[i], s, ok = strings.Cut(s, " "); !ok {
			return c, 0, "", false
		}
	}
	user, err1 := strconv.ParseInt(f[0], 10, 64)
	competencyID, err2 := strconv.ParseInt(f[1], 10, 64)
	level, err3 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || err3 != nil || level < 0 || level > 5 || (f[3] != app.SourceLeader && f[3] != app.SourceOthers) {
		return c, 0, "", false
	}
	return cell{user: user, level: int8(level), leader: f[3] == app.SourceLeader}, competencyID, s, true
}

// orderByUserAndRank returns the cells by user id and, within a user, by rank: a counting
// sort by user (its index among the users, ascending), then an insertion sort of each
// user's run (a framework's worth at most).
func orderByUserAndRank(cells []cell) []cell {
	index := map[int64]int32{} // user → its index among the users, ascending
	for _, c := range cells {
		index[c.user] = 0
	}
	users := make([]int64, 0, len(index))
	for u := range index {
		users = append(users, u)
	}
	slices.Sort(users)
	for i, u := range users {
		index[u] = int32(i)
	}
	of := make([]int32, len(cells)) // each cell's user index
	start := make([]int32, len(users)+1)
	for i, c := range cells {
		if i == 0 || c.user != cells[i-1].user {
			of[i] = index[c.user]
		} else {
			of[i] = of[i-1]
		}
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

// timestamps parses PostgreSQL's text output of timestamptz as lib/pq's connections get it
// (DateStyle ISO), "2026-11-23 14:31:39.477408+00": a fraction of up to 9 digits and an
// offset of hours with optional minutes and seconds, several times faster than lib/pq.
// Anything else (BC dates, years past 9999, infinity) goes to lib/pq's parser. A run of
// equal texts (a batch's ratings) is parsed once.
type timestamps struct {
	last     string
	lastAt   int64
	lastZone int32
	zones    map[int32]*time.Location
}

// parse returns the time in µs since the epoch and its offset in seconds.
func (ts *timestamps) parse(s string) (int64, int32, error) {
	if s == ts.last && s != "" {
		return ts.lastAt, ts.lastZone, nil
	}
	at, zone, ok := parseISOTimestamptz(s)
	if !ok {
		t, err := pq.ParseTimestamp(nil, s)
		if err != nil {
			return 0, 0, err
		}
		_, off := t.Zone()
		at, zone = t.UnixMicro(), int32(off)
	}
	ts.last, ts.lastAt, ts.lastZone = s, at, zone
	return at, zone, nil
}

// zone returns the location of an offset in seconds: UTC for 0, else an unnamed fixed zone
// (as lib/pq gives), one per offset.
func (ts *timestamps) zone(off int32) *time.Location {
	if off == 0 {
		return time.UTC
	}
	z := ts.zones[off]
	if z == nil {
		if ts.zones == nil {
			ts.zones = map[int32]*time.Location{}
		}
		z = time.FixedZone("", int(off))
		ts.zones[off] = z
	}
	return z
}

// parseISOTimestamptz parses "YYYY-MM-DD HH:MM:SS[.fraction]±HH[:MM[:SS]]" to µs since the
// epoch and the offset in seconds; false for any other text.
func parseISOTimestamptz(s string) (int64, int32, bool) {
	if len(s) < 22 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return 0, 0, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	second, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 {
		return 0, 0, false
	}
	i, nanos := 19, 0
	if s[i] == '.' {
		j := i + 1
		for j < len(s) && j-i <= 9 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		frac, ok := digits(s[i+1 : j])
		if !ok {
			return 0, 0, false
		}
		for k := j - i - 1; k < 9; k++ {
			frac *= 10
		}
		i, nanos = j, frac
	}
	if i+3 > len(s) || (s[i] != '+' && s[i] != '-') {
		return 0, 0, false
	}
	sign := 1
	if s[i] == '-' {
		sign = -1
	}
	off, ok := digits(s[i+1 : i+3])
	off *= 3600
	i += 3
	for unit := 60; ok && i < len(s) && unit >= 1; unit /= 60 { // :MM, then :SS
		if i+3 > len(s) || s[i] != ':' {
			return 0, 0, false
		}
		var n int
		n, ok = digits(s[i+1 : i+3])
		off += n * unit
		i += 3
	}
	if !ok || i != len(s) {
		return 0, 0, false
	}
	off *= sign
	local := time.Date(year, time.Month(month), day, hour, minute, second, nanos, time.UTC).UnixMicro()
	return local - int64(off)*1e6, int32(off), true
}

// digits reads a run of 1 to 9 ASCII digits.
func digits(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
