package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

func TestCompetencyEdits(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 1)

	c, err := db.CreateCompetency(ctx, org.ID, app.NewCompetency{Area: "strategy", Key: "pricing", Name: "Pricing", Definition: "Sets prices.", Importance: 3})
	if err != nil {
		t.Fatal(err)
	}
	if c.AreaKey != "strategy" || c.Name != "Pricing" || c.Importance != 3 || c.Archived {
		t.Fatalf("created %+v", c)
	}
	fw, err := db.FindFramework(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Last in its area: after market_domain, before the next area's first competency.
	var keys []string
	for _, a := range fw.Areas {
		if a.Key == "strategy" {
			for _, c := range a.Competencies {
				keys = append(keys, c.Key)
			}
		}
	}
	if len(keys) != 5 || keys[4] != "pricing" {
		t.Errorf("strategy area order %v", keys)
	}
	ladder, err := db.FindLadder(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ladder["senior_pm"]["pricing"] != 4 || ladder["apm"]["pricing"] != 2 || len(ladder) != 5 {
		t.Errorf("default ladder for the new competency: %v", ladder)
	}

	_, err = db.CreateCompetency(ctx, org.ID, app.NewCompetency{Area: "strategy", Key: "pricing", Name: "Again", Importance: 1})
	if app.ErrorCode(err) != app.ECONFLICT || app.ErrorField(err) != "key" {
		t.Errorf("duplicate key: %v", err)
	}
	_, err = db.CreateCompetency(ctx, org.ID, app.NewCompetency{Area: "nowhere", Key: "x_y", Name: "X", Importance: 1})
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "area" {
		t.Errorf("unknown area: %v", err)
	}

	name, archived := "Pricing & packaging", true
	c, err = db.UpdateCompetency(ctx, org.ID, "pricing", app.CompetencyUpdate{Name: &name, Archived: &archived})
	if err != nil || c.Name != name || !c.Archived || c.Definition != "Sets prices." {
		t.Fatalf("update: %+v %v", c, err)
	}
	if _, err := db.UpdateCompetency(ctx, org.ID, "nope", app.CompetencyUpdate{Name: &name}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("update unknown: %v", err)
	}

	// A rated competency cannot be deleted; an unrated one can, with its ladder levels.
	if err := db.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: ids[0], RaterID: ids[0], Kind: app.RatingSelf,
		Ratings: []app.RatingInput{{Competency: "analytics", Level: lv(3)}}}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteCompetency(ctx, org.ID, "analytics"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("delete rated: %v", err)
	}
	counts, err := db.CountRatingsByCompetency(ctx, org.ID)
	if err != nil || counts["analytics"] != 1 || counts["pricing"] != 0 {
		t.Errorf("counts %v %v", counts, err)
	}
	if err := db.DeleteCompetency(ctx, org.ID, "pricing"); err != nil {
		t.Fatalf("delete unrated: %v", err)
	}
	if err := db.DeleteCompetency(ctx, org.ID, "pricing"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM ladder_levels l JOIN competencies c ON c.id = l.competency_id WHERE c.key = 'pricing'`); err != nil || n != 0 {
		t.Errorf("ladder rows left: %d %v", n, err)
	}

	// Another organisation's competencies are out of reach.
	other, err := db.CreateOrganisation(ctx, "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteCompetency(ctx, other.ID, "analytics"); err != nil {
		t.Fatalf("other org's unrated analytics: %v", err)
	}
	if fw, _ := db.FindFramework(ctx, org.ID); fw.ByKey("analytics") == nil {
		t.Error("deleting in one organisation touched another")
	}
}

func TestLadderLevels(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, _ := people(t, db, 0)
	err := db.SetLadderLevels(ctx, org.ID, []app.LadderLevel{{Title: "pm", Competency: "analytics", Level: 5}, {Title: "apm", Competency: "astrology", Level: 1}})
	if app.ErrorField(err) != "levels[1].competency" {
		t.Fatalf("unknown competency: %v", err)
	}
	ladder, _ := db.FindLadder(ctx, org.ID)
	if ladder["pm"]["analytics"] != 3 {
		t.Fatalf("a failed batch changed the ladder: %d", ladder["pm"]["analytics"])
	}
	err = db.SetLadderLevels(ctx, org.ID, []app.LadderLevel{{Title: "pm", Competency: "analytics", Level: 5}, {Title: "apm", Competency: "delivery", Level: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ladder, _ = db.FindLadder(ctx, org.ID)
	if ladder["pm"]["analytics"] != 5 || ladder["apm"]["delivery"] != 1 || ladder["pm"]["delivery"] != 3 {
		t.Errorf("ladder after update: pm/analytics %d apm/delivery %d pm/delivery %d",
			ladder["pm"]["analytics"], ladder["apm"]["delivery"], ladder["pm"]["delivery"])
	}
}

func TestFindRatingsHistory(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 2)
	t0 := time.Now().Add(-48 * time.Hour)
	for i, b := range []app.RatingBatch{
		{RaterID: ids[1], Kind: app.RatingLeader, At: t0.Add(time.Hour), Ratings: []app.RatingInput{{Competency: "analytics", Level: lv(2), Note: "later"}}},
		{RaterID: ids[0], Kind: app.RatingSelf, At: t0, Ratings: []app.RatingInput{{Competency: "analytics", Level: lv(4), Note: "first"}, {Competency: "delivery"}}},
	} {
		b.OrgID, b.SubjectID = org.ID, ids[0]
		if err := db.RecordRatings(ctx, b); err != nil {
			t.Fatal(i, err)
		}
	}
	h, err := db.FindRatings(ctx, org.ID, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Note != "first" || h[2].Note != "later" || h[2].Kind != app.RatingLeader || h[2].RaterID != ids[1] {
		t.Fatalf("history %+v", h)
	}
	if h[1].Competency != "delivery" || h[1].Level != nil || h[0].RaterName != "P" {
		t.Errorf("not assessed row %+v", h[1])
	}
	if h, _ := db.FindRatings(ctx, org.ID+1, ids[0]); len(h) != 0 {
		t.Errorf("another org sees %d ratings", len(h))
	}
}

func TestPeerRequests(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 3)
	subject, reviewer, leader := ids[0], ids[1], ids[2]
	r := &app.PeerRequest{SubjectID: subject, ReviewerID: reviewer, RequestedBy: leader, Message: "Look at the Q3 launch"}
	if err := db.CreatePeerRequest(ctx, org.ID, r); err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 || r.Status != app.RequestOpen || r.ReviewerName != "P" || r.Message != "Look at the Q3 launch" {
		t.Fatalf("created %+v", r)
	}
	again := &app.PeerRequest{SubjectID: subject, ReviewerID: reviewer, RequestedBy: subject}
	if err := db.CreatePeerRequest(ctx, org.ID, again); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second open request: %v", err)
	}
	other, err := db.CreateOrganisation(ctx, "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	stranger := &app.User{OrgID: other.ID, Email: "x@other.test", Name: "X", Role: app.RolePM}
	if err := db.CreateUser(ctx, stranger); err != nil {
		t.Fatal(err)
	}
	if err := db.CreatePeerRequest(ctx, org.ID, &app.PeerRequest{SubjectID: subject, ReviewerID: stranger.ID, RequestedBy: leader}); app.ErrorField(err) != "reviewer_id" {
		t.Errorf("reviewer of another org: %v", err)
	}

	list, err := db.FindPeerRequests(ctx, org.ID, app.PeerRequestFilter{ReviewerID: reviewer})
	if err != nil || len(list) != 1 || list[0].ID != r.ID {
		t.Fatalf("reviewer's list %+v %v", list, err)
	}
	if list, _ := db.FindPeerRequests(ctx, org.ID, app.PeerRequestFilter{ReviewerID: subject}); len(list) != 0 {
		t.Errorf("subject has %d to answer", len(list))
	}

	count := func() int {
		var n int
		if err := db.GetContext(ctx, &n, `SELECT count(*) FROM ratings WHERE kind = 'peer'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	batch := func(ratings ...app.RatingInput) app.RatingBatch {
		return app.RatingBatch{OrgID: org.ID, SubjectID: subject, RaterID: reviewer, Kind: app.RatingPeer, Ratings: ratings}
	}
	// An unknown key fails the answer: nothing stored, the request stays open.
	err = db.AnswerPeerRequest(ctx, r.ID, batch(app.RatingInput{Competency: "analytics", Level: lv(3)}, app.RatingInput{Competency: "astrology", Level: lv(1)}))
	if app.ErrorField(err) != "ratings[1].competency" || count() != 0 {
		t.Fatalf("bad answer: %v, %d peer ratings", err, count())
	}
	// Someone else cannot answer it.
	wrong := batch(app.RatingInput{Competency: "analytics", Level: lv(3)})
	wrong.RaterID = leader
	if err := db.AnswerPeerRequest(ctx, r.ID, wrong); app.ErrorCode(err) != app.ECONFLICT || count() != 0 {
		t.Fatalf("answer by another: %v", err)
	}
	if err := db.AnswerPeerRequest(ctx, r.ID, batch(app.RatingInput{Competency: "analytics", Level: lv(3), Note: "ran it"})); err != nil {
		t.Fatal(err)
	}
	if count() != 1 {
		t.Fatalf("%d peer ratings after the answer", count())
	}
	got, err := db.FindPeerRequestByID(ctx, org.ID, r.ID)
	if err != nil || got.Status != app.RequestAnswered || got.AnsweredAt == nil {
		t.Fatalf("after answer %+v %v", got, err)
	}
	// Once only.
	if err := db.AnswerPeerRequest(ctx, r.ID, batch(app.RatingInput{Competency: "analytics", Level: lv(5)})); app.ErrorCode(err) != app.ECONFLICT || count() != 1 {
		t.Errorf("second answer: %v, %d ratings", err, count())
	}
	if err := db.DeclinePeerRequest(ctx, org.ID, r.ID, reviewer); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("decline an answered request: %v", err)
	}
	// A new request for the same pair is allowed once the first is closed; it can be declined.
	r2 := &app.PeerRequest{SubjectID: subject, ReviewerID: reviewer, RequestedBy: subject}
	if err := db.CreatePeerRequest(ctx, org.ID, r2); err != nil {
		t.Fatal(err)
	}
	if err := db.DeclinePeerRequest(ctx, org.ID, r2.ID, reviewer); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindPeerRequestByID(ctx, org.ID, r2.ID); got.Status != app.RequestDeclined {
		t.Errorf("declined status %q", got.Status)
	}
	if _, err := db.FindPeerRequestByID(ctx, other.ID, r2.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("another org finds the request: %v", err)
	}
	made, _ := db.FindPeerRequests(ctx, org.ID, app.PeerRequestFilter{RequestedBy: subject})
	about, _ := db.FindPeerRequests(ctx, org.ID, app.PeerRequestFilter{SubjectID: subject})
	if len(made) != 1 || len(about) != 2 {
		t.Errorf("made %d, about %d", len(made), len(about))
	}
}
