package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

func lv(n int) *int { return &n }

// people creates an organisation with n users (no passwords) and returns their ids.
func people(t *testing.T, db *postgres.DB, n int) (*app.Organisation, []int64) {
	t.Helper()
	ctx := context.Background()
	org, err := db.CreateOrganisation(ctx, "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := 0; i < n; i++ {
		u := &app.User{OrgID: org.ID, Email: string(rune('a'+i)) + "@acme.test", Name: "P", Role: app.RolePM}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return org, ids
}

// TestEffectiveRatings checks PostgreSQL's implementation of the effective-rating rule
// (findEffectiveRatings) against hand-computed levels, and against the rule as stated in Go
// (app.EffectiveRatings) on the same history at every as-of time.
func TestEffectiveRatings(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 5)
	subject, leader, peer1, peer2, other := ids[0], ids[1], ids[2], ids[3], ids[4]
	t0 := time.Now().Add(-72 * time.Hour)
	rec := func(rater int64, kind, comp string, level *int, at time.Time) {
		t.Helper()
		err := db.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: subject, RaterID: rater, Kind: kind, At: at,
			Ratings: []app.RatingInput{{Competency: comp, Level: level, Note: "n"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// analytics: self 2, peers 4 and 5 → lower median of {2,4,5} = 4 (others).
	rec(subject, app.RatingSelf, "analytics", lv(2), t0)
	rec(peer1, app.RatingPeer, "analytics", lv(4), t0)
	rec(peer2, app.RatingPeer, "analytics", lv(5), t0)
	// delivery: self 3 then self 1 (latest counts), peer 4 → lower median of {1,4} = 1.
	rec(subject, app.RatingSelf, "delivery", lv(3), t0)
	rec(subject, app.RatingSelf, "delivery", lv(1), t0.Add(time.Hour))
	rec(peer1, app.RatingPeer, "delivery", lv(4), t0)
	// specification: leader 2 then 3 (another leader, later) wins over self 5.
	rec(subject, app.RatingSelf, "specification", lv(5), t0)
	rec(leader, app.RatingLeader, "specification", lv(2), t0)
	rec(other, app.RatingLeader, "specification", lv(3), t0.Add(2*time.Hour))
	// communication: leader rated 4, then withdrew ("not assessed"): falls back to self 2.
	rec(leader, app.RatingLeader, "communication", lv(4), t0)
	rec(subject, app.RatingSelf, "communication", lv(2), t0)
	rec(leader, app.RatingLeader, "communication", nil, t0.Add(time.Hour))
	// vision_roadmap: only "not assessed": absent.
	rec(subject, app.RatingSelf, "vision_roadmap", nil, t0)
	// user_experience: two leader ratings at the same instant: the later one stored (higher
	// id) is the latest.
	rec(leader, app.RatingLeader, "user_experience", lv(1), t0)
	rec(other, app.RatingLeader, "user_experience", lv(3), t0)

	got := map[string]app.EffectiveRating{}
	rs, err := db.FindEffectiveRatings(ctx, org.ID, []int64{subject}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		got[r.Competency] = r
	}
	want := map[string]struct {
		level  int
		source string
	}{
		"analytics": {4, "others"}, "delivery": {1, "others"}, "specification": {3, "leader"}, "communication": {2, "others"},
		"user_experience": {3, "leader"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d ratings %+v, want %d", len(got), got, len(want))
	}
	for k, w := range want {
		if got[k].Level != w.level || got[k].Source != w.source {
			t.Errorf("%s = %d (%s), want %d (%s)", k, got[k].Level, got[k].Source, w.level, w.source)
		}
	}
	// As of before the later ratings: specification was the first leader's 2, delivery self 3.
	rs, err = db.FindEffectiveRatings(ctx, org.ID, []int64{subject}, t0.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		got[r.Competency] = r
	}
	if got["specification"].Level != 2 || got["delivery"].Level != 3 || got["communication"].Level != 4 {
		t.Errorf("as of t0+30m: %+v", got)
	}
	// The SQL and the rule in Go agree at every as-of time of the history.
	history, err := db.FindRatings(ctx, org.ID, subject)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{t0, t0.Add(time.Nanosecond), t0.Add(30 * time.Minute), t0.Add(time.Hour + time.Microsecond), t0.Add(3 * time.Hour)} {
		sql, err := db.FindEffectiveRatings(ctx, org.ID, []int64{subject}, at)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(sql, func(a, b app.EffectiveRating) int { return strings.Compare(a.Competency, b.Competency) })
		rule := app.EffectiveRatings(subject, history, at)
		if len(sql) != len(rule) {
			t.Fatalf("as of %v: SQL %+v, rule %+v", at.Sub(t0), sql, rule)
		}
		for i := range sql {
			s, r := sql[i], rule[i]
			if s.Competency != r.Competency || s.Level != r.Level || s.Source != r.Source || !s.RatedAt.Equal(r.RatedAt) {
				t.Errorf("as of t0+%v: SQL %+v, rule %+v", at.Sub(t0), s, r)
			}
		}
	}
	// Another organisation's id list sees nothing.
	rs, err = db.FindEffectiveRatings(ctx, org.ID+1, []int64{subject}, time.Now())
	if err != nil || len(rs) != 0 {
		t.Errorf("other org: %v %v", rs, err)
	}
}

func TestRecordRatingsAllOrNothing(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 1)
	err := db.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: ids[0], RaterID: ids[0], Kind: app.RatingSelf,
		Ratings: []app.RatingInput{{Competency: "analytics", Level: lv(3)}, {Competency: "astrology", Level: lv(2)}}})
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "ratings[1].competency" {
		t.Fatalf("err = %v (field %q)", err, app.ErrorField(err))
	}
	err = db.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: ids[0], RaterID: ids[0], Kind: app.RatingSelf,
		Ratings: []app.RatingInput{{Competency: "analytics", Level: lv(3)}, {Competency: "delivery", Level: lv(9)}}})
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("level 9: err = %v", err)
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM ratings`); err != nil || n != 0 {
		t.Fatalf("ratings stored after failed batches: %d (%v)", n, err)
	}
}

func TestDefaultFramework(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	org, _ := people(t, db, 0)
	fw, err := db.FindFramework(context.Background(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(fw.Areas) != 5 || len(fw.Competencies) != 16 {
		t.Fatalf("areas %d competencies %d, want 5 and 16", len(fw.Areas), len(fw.Competencies))
	}
	if c := fw.ByKey("coaching"); c == nil || !c.LeadsOnly || c.AreaKey != "leadership" {
		t.Fatalf("coaching: %+v", c)
	}
	if fw.ByKey("specification").LeadsOnly {
		t.Fatal("specification is not leads-only")
	}
}
