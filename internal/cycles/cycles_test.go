package cycles_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/profiles"
)

type fixture struct {
	o        *demotest.Org
	svc      *cycles.Service
	profiles *profiles.Service
	open     *app.Cycle // Growth's open cycle
	closed   *app.Cycle // Growth's closed cycle
}

func setup(t *testing.T) *fixture {
	t.Helper()
	o := demotest.Seed(t)
	o.Outsider(t, "outsider-admin@elsewhere.test", app.RoleAdmin)
	f := &fixture{o: o, svc: cycles.New(o.DB, coaching.New(o.DB, time.Now), time.Now), profiles: profiles.New(o.DB, time.Now)}
	cs, err := f.svc.TeamCycles(context.Background(), f.a("leader@demo.test"), o.Teams["Growth"])
	if err != nil || len(cs.Cycles) != 2 {
		t.Fatalf("Growth's demo cycles: %v %+v", err, cs)
	}
	f.open, f.closed = &cs.Cycles[0], &cs.Cycles[1]
	if !f.open.Open() || f.closed.Open() || f.open.AnonymousPeers {
		t.Fatalf("demo cycles: %+v %+v", f.open, f.closed)
	}
	return f
}

func (f *fixture) a(email string) *app.Actor { return f.o.Actors[email] }

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Errorf("%s: error %q (%v), want %q", what, got, err, code)
	}
}

func stage(v *cycles.View, key string) cycles.Stage {
	for _, s := range v.Progress.Stages {
		if s.Key == key {
			return s
		}
	}
	return cycles.Stage{Key: "missing"}
}

// The demo's open cycle as its leader sees it: Maya, Omar and Sofia self-assessed (3 of 6,
// past the date), Lena's ratings cover every PM, one of three peer requests is answered,
// and Jonas's pending peer is named to the leader only.
func TestProgress(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	v, err := f.svc.Get(ctx, f.a("leader@demo.test"), f.open.ID)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][3]int{"self": {3, 6, 1}, "peer": {1, 3, 0}, "leader": {6, 6, 0}, "review": {0, 6, 0}} {
		s := stage(v, key)
		if s.Done != want[0] || s.Total != want[1] || s.Overdue != (want[2] == 1) {
			t.Errorf("stage %s = %+v, want %v", key, s, want)
		}
	}
	var jonas cycles.MemberProgress
	for _, m := range v.Progress.Members {
		if m.PersonID == f.a("pm5@demo.test").UserID {
			jonas = m
		}
	}
	if jonas.SelfDone || !jonas.LeaderDone || jonas.PeersAnswered != 1 || len(jonas.Pending) != 1 || jonas.Pending[0].ReviewerName != "Ravi Kumar" {
		t.Errorf("Jonas's progress: %+v", jonas)
	}

	// Jonas sees his own row without who is pending, and the team's counts (6 PMs).
	jv, err := f.svc.Get(ctx, f.a("pm5@demo.test"), f.open.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(jv.Progress.Members) != 1 || jv.Progress.Members[0].Name != "Jonas Weber" || len(jv.Progress.Members[0].Pending) != 0 ||
		len(jv.Progress.Stages) != 4 || jv.Snapshot != nil {
		t.Errorf("Jonas's view: %+v", jv.Progress)
	}
	// His to-do: a late self-assessment and Sofia's request to answer.
	todo, err := f.svc.MyToDo(ctx, f.a("pm5@demo.test"))
	if err != nil {
		t.Fatal(err)
	}
	if len(todo) != 1 || todo[0].SelfDone || !todo[0].SelfLate || todo[0].Cycle.ID != f.open.ID ||
		len(todo[0].ToAnswer) != 1 || todo[0].ToAnswer[0].SubjectName != "Sofia Lindqvist" {
		t.Errorf("Jonas's to-do: %+v", todo)
	}
	todo, err = f.svc.MyToDo(ctx, f.a("pm@demo.test"))
	if err != nil || len(todo) != 1 || !todo[0].SelfDone || len(todo[0].ToAnswer) != 0 {
		t.Errorf("Maya's to-do: %v %+v", err, todo)
	}

	// Ravi self-assesses every competency in scope: the self stage moves to 4 of 6.
	var in []app.RatingInput
	for _, k := range strings.Fields("specification delivery quality_launch customer_research user_experience analytics product_innovation vision_roadmap business_outcomes market_domain customer_relationships stakeholder_partnership communication") {
		l := 3
		in = append(in, app.RatingInput{Competency: k, Level: &l, Note: "Q review"})
	}
	if err := f.profiles.RateSelf(ctx, f.a("pm4@demo.test"), in); err != nil {
		t.Fatal(err)
	}
	v, _ = f.svc.Get(ctx, f.a("leader@demo.test"), f.open.ID)
	if s := stage(v, "self"); s.Done != 4 {
		t.Errorf("after Ravi's self-assessment: %+v", s)
	}
	// A peer request made for Ravi now belongs to the cycle and shows as pending.
	r, err := f.profiles.RequestPeerRating(ctx, f.a("leader@demo.test"), f.a("pm4@demo.test").UserID,
		profiles.PeerRequestInput{ReviewerID: f.a("pm3@demo.test").UserID})
	if err != nil || r.CycleID == nil || *r.CycleID != f.open.ID {
		t.Fatalf("peer request in a cycle: %v %+v", err, r)
	}
	v, _ = f.svc.Get(ctx, f.a("leader@demo.test"), f.open.ID)
	if s := stage(v, "peer"); s.Done != 1 || s.Total != 4 {
		t.Errorf("after a new request: %+v", s)
	}
}

// anonymous closes the demo's open cycle and opens next quarter's with anonymous peers;
// Lena asks Sofia, Omar and Grace to rate Maya, and Sofia and Omar answer. It returns the
// cycle and Grace's open request.
func (f *fixture) anonymous(t *testing.T) (*app.Cycle, int64) {
	t.Helper()
	ctx := context.Background()
	lena := f.a("leader@demo.test")
	if _, err := f.svc.Close(ctx, lena, f.open.ID); err != nil {
		t.Fatal(err)
	}
	q, _ := app.ParseQuarter(f.open.Quarter)
	n := q.Next()
	c, err := f.svc.Open(ctx, lena, f.o.Teams["Growth"], cycles.OpenInput{Quarter: n.String(), SelfDue: n.Start().String(),
		PeerDue: n.Start().String(), LeaderDue: n.End().String(), ReviewDue: n.End().String(), AnonymousPeers: true})
	if err != nil {
		t.Fatal(err)
	}
	maya := f.a("pm@demo.test").UserID
	var grace int64
	for _, p := range []struct{ email, note string }{
		{"pm3@demo.test", "research still leans on me"}, {"pm2@demo.test", "keep sales in the loop"}, {"pm6@demo.test", ""},
	} {
		r, err := f.profiles.RequestPeerRating(ctx, lena, maya, profiles.PeerRequestInput{ReviewerID: f.a(p.email).UserID})
		if err != nil || r.CycleID == nil || *r.CycleID != c.ID {
			t.Fatalf("request to %s: %v %+v", p.email, err, r)
		}
		if p.note == "" {
			grace = r.ID
			continue
		}
		l := 3
		if err := f.profiles.AnswerPeerRequest(ctx, f.a(p.email), r.ID, []app.RatingInput{
			{Competency: "specification", Level: &l, Note: p.note}, {Competency: "analytics", Level: &l, Note: p.note}}); err != nil {
			t.Fatal(err)
		}
	}
	return c, grace
}

// Who may open, read and close cycles.
func TestAccess(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	growth, platform := f.o.Teams["Growth"], f.o.Teams["Platform"]
	in := cycles.OpenInput{Quarter: "2031-Q1", SelfDue: "2031-02-01", PeerDue: "2031-02-15", LeaderDue: "2031-03-01", ReviewDue: "2031-03-15"}
	_, err := f.svc.Open(ctx, f.a("leader@demo.test"), growth, in)
	wantCode(t, "a second open cycle", err, app.ECONFLICT)
	_, err = f.svc.Open(ctx, f.a("pm@demo.test"), growth, in)
	wantCode(t, "a PM opens", err, app.EFORBIDDEN)
	_, err = f.svc.Open(ctx, f.a("hr@demo.test"), platform, in)
	wantCode(t, "HR opens", err, app.EFORBIDDEN)
	_, err = f.svc.Open(ctx, f.a("outsider-admin@elsewhere.test"), platform, in)
	wantCode(t, "another organisation's admin opens", err, app.ENOTFOUND)
	bad := in
	bad.PeerDue = "2031-05-01"
	_, err = f.svc.Open(ctx, f.a("other-leader@demo.test"), platform, bad)
	if e, ok := err.(*app.Error); !ok || e.Code != app.EINVALID || e.Field != "peer_due" {
		t.Errorf("a peer date after the review: %v", err)
	}
	pc, err := f.svc.Open(ctx, f.a("other-leader@demo.test"), platform, in)
	if err != nil || pc.TeamName != "Platform" || pc.Quarter != "2031-Q1" || !pc.Open() {
		t.Fatalf("Olu opens Platform's cycle: %v %+v", err, pc)
	}
	for email, code := range map[string]string{
		"leader@demo.test": app.ENOTFOUND, "pm@demo.test": app.ENOTFOUND, "hr@demo.test": app.ENOTFOUND,
		"outsider-admin@elsewhere.test": app.ENOTFOUND, "admin@demo.test": "", "other-pm@demo.test": "",
	} {
		_, err := f.svc.Get(ctx, f.a(email), pc.ID)
		wantCode(t, "Platform's cycle read by "+email, err, code)
	}
	// Platform has one PM: Paula sees her row but no team counts (disclosure rule).
	pv, err := f.svc.Get(ctx, f.a("other-pm@demo.test"), pc.ID)
	if err != nil || len(pv.Progress.Stages) != 0 || len(pv.Progress.Members) != 1 {
		t.Errorf("Paula's view: %v %+v", err, pv)
	}
	_, err = f.svc.Close(ctx, f.a("other-pm@demo.test"), pc.ID)
	wantCode(t, "a PM closes", err, app.EFORBIDDEN)
	_, err = f.svc.Close(ctx, f.a("leader@demo.test"), pc.ID)
	wantCode(t, "another team's leader closes", err, app.ENOTFOUND)
	_, err = f.svc.Compare(ctx, f.a("pm2@demo.test"), f.a("pm@demo.test").UserID, f.open.ID)
	wantCode(t, "Omar reads Maya's compare view", err, app.ENOTFOUND)
	_, err = f.svc.Compare(ctx, f.a("other-leader@demo.test"), f.a("pm@demo.test").UserID, f.open.ID)
	wantCode(t, "another leader reads Maya's compare view", err, app.ENOTFOUND)
	_, err = f.svc.Compare(ctx, f.a("leader@demo.test"), f.a("other-pm@demo.test").UserID, f.open.ID)
	wantCode(t, "a compare view of someone outside the cycle", err, app.ENOTFOUND)
	_, err = f.svc.Agree(ctx, f.a("pm@demo.test"), f.a("pm@demo.test").UserID, f.open.ID,
		[]cycles.AgreementInput{{Competency: "delivery", Level: 4}})
	wantCode(t, "Maya agrees her own level", err, app.EFORBIDDEN)
	_, err = f.svc.TeamFlags(ctx, f.a("pm@demo.test"), growth)
	wantCode(t, "a PM reads the team's flags", err, app.EFORBIDDEN)
}

// Closing freezes the team's shape: later ratings do not change the stored snapshot.
func TestClose(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	cv, err := f.svc.Get(ctx, f.a("leader@demo.test"), f.closed.ID)
	if err != nil || cv.Snapshot == nil || len(cv.Snapshot.Input.People) != 6 || len(cv.Snapshot.Competencies) != 16 ||
		cv.Snapshot.Quarter != f.closed.Quarter {
		t.Fatalf("the demo's closed cycle: %v %+v", err, cv.Snapshot)
	}
	v, err := f.svc.Close(ctx, f.a("leader@demo.test"), f.open.ID)
	if err != nil || v.Cycle.Open() || v.Snapshot == nil {
		t.Fatalf("close: %v %+v", err, v)
	}
	_, err = f.svc.Close(ctx, f.a("admin@demo.test"), f.open.ID)
	wantCode(t, "closing twice", err, app.ECONFLICT)
	before := v.Snapshot.TotalScore
	maya := f.a("pm@demo.test").UserID
	var in []app.RatingInput
	for _, k := range []string{"market_domain", "customer_research", "user_experience"} {
		l := 5
		in = append(in, app.RatingInput{Competency: k, Level: &l, Note: "after the close"})
	}
	if err := f.profiles.RateAsLeader(ctx, f.a("leader@demo.test"), maya, in); err != nil {
		t.Fatal(err)
	}
	again, _ := f.svc.Get(ctx, f.a("leader@demo.test"), f.open.ID)
	if again.Snapshot.TotalScore != before {
		t.Errorf("snapshot changed after a later rating: %v → %v", before, again.Snapshot.TotalScore)
	}
	for _, p := range again.Snapshot.Input.People {
		if p.ID == maya && p.Ratings["market_domain"] == 5 {
			t.Error("a rating after the close is in the snapshot")
		}
	}
	_, err = f.svc.Agree(ctx, f.a("leader@demo.test"), maya, f.open.ID, []cycles.AgreementInput{{Competency: "delivery", Level: 4}})
	wantCode(t, "agreeing in a closed cycle", err, app.ECONFLICT)
}

// Anonymous peers: with two answers Maya sees no peer rating at all and is compared with
// her leader alone; with three she sees all three without a name, id or time; her leader
// sees every name throughout, and no other route of Maya's shows an anonymous peer.
func TestAnonymity(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	anon, graceRequest := f.anonymous(t)
	maya := f.a("pm@demo.test").UserID
	peerNames := []string{"Sofia Lindqvist", "Omar Haddad", "Grace Liu"}
	mustNotName := func(what string, v any) {
		t.Helper()
		b, _ := json.Marshal(v)
		for _, n := range peerNames {
			if strings.Contains(string(b), n) {
				t.Errorf("%s names %s", what, n)
			}
		}
	}
	mine, err := f.svc.Compare(ctx, f.a("pm@demo.test"), maya, anon.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !mine.PeersWithheld || mine.PeersAnswered != 2 {
		t.Errorf("Maya, two peers: withheld %v answered %d", mine.PeersWithheld, mine.PeersAnswered)
	}
	for _, r := range mine.Rows {
		if len(r.Peers) != 0 {
			t.Errorf("%s shows %d peers to Maya", r.Competency, len(r.Peers))
		}
	}
	mustNotName("Maya's compare view (two peers)", mine)
	b, _ := json.Marshal(mine)
	if strings.Contains(string(b), "research still leans on me") {
		t.Error("a withheld peer's note reaches Maya")
	}
	lead, err := f.svc.Compare(ctx, f.a("leader@demo.test"), maya, anon.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(lead)
	if !strings.Contains(string(b), "Sofia Lindqvist") || !strings.Contains(string(b), "Omar Haddad") || lead.PeersWithheld {
		t.Error("the leader does not see who wrote what")
	}
	// Maya's own ratings and person page drop the anonymous peers and the leader's requests.
	pr, err := f.profiles.PersonRatings(ctx, f.a("pm@demo.test"), maya)
	if err != nil {
		t.Fatal(err)
	}
	mustNotName("Maya's ratings", pr.Competencies)
	mustNotName("Maya's rating history", pr.History)
	page, err := f.profiles.Person(ctx, f.a("pm@demo.test"), maya)
	if err != nil {
		t.Fatal(err)
	}
	mustNotName("Maya's person page requests", page.Requests)
	lp, _ := f.profiles.Person(ctx, f.a("leader@demo.test"), maya)
	if len(lp.Requests) < 3 {
		t.Errorf("the leader sees %d requests about Maya", len(lp.Requests))
	}

	// Grace answers: three peers. Maya sees their levels and notes, never who or when.
	l := 1
	if err := f.profiles.AnswerPeerRequest(ctx, f.a("pm6@demo.test"), graceRequest,
		[]app.RatingInput{{Competency: "specification", Level: &l, Note: "grace's note"}}); err != nil {
		t.Fatal(err)
	}
	mine, err = f.svc.Compare(ctx, f.a("pm@demo.test"), maya, anon.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mine.PeersWithheld || mine.PeersAnswered != 3 {
		t.Errorf("Maya, three peers: withheld %v answered %d", mine.PeersWithheld, mine.PeersAnswered)
	}
	mustNotName("Maya's compare view (three peers)", mine)
	var spec cycles.Row
	for _, r := range mine.Rows {
		if r.Competency == "specification" {
			spec = r
		}
	}
	if len(spec.Peers) != 3 || spec.Peers[0].Note != "grace's note" || spec.Peers[0].RaterID != 0 || !spec.Peers[0].At.IsZero() {
		t.Errorf("specification's peers as Maya sees them: %+v", spec.Peers)
	}
	pr, _ = f.profiles.PersonRatings(ctx, f.a("pm@demo.test"), maya)
	mustNotName("Maya's ratings (three peers)", pr.History)
}

// The 1:1: agreements recorded, the largest agreed gaps started as next quarter's goals,
// and the team's flagged differences listed.
func TestAgreeAndCoach(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	omar := f.a("pm2@demo.test").UserID
	lena := f.a("leader@demo.test")
	_, err := f.svc.Agree(ctx, lena, omar, f.open.ID, []cycles.AgreementInput{{Competency: "coaching", Level: 2}})
	if e, ok := err.(*app.Error); !ok || e.Field != "agreements[0].competency" {
		t.Errorf("a leads-only competency for a PM: %v", err)
	}
	_, err = f.svc.Agree(ctx, lena, omar, f.open.ID, []cycles.AgreementInput{{Competency: "delivery", Level: 2}, {Competency: "analytics", Level: 6}})
	if e, ok := err.(*app.Error); !ok || e.Field != "agreements[1].level" {
		t.Errorf("level 6: %v", err)
	}
	v, err := f.svc.Agree(ctx, lena, omar, f.open.ID, []cycles.AgreementInput{
		{Competency: "specification", Level: 1, Decision: "Write the next two specs with Maya."},
		{Competency: "delivery", Level: 1, Decision: "Shadow a release."},
		{Competency: "customer_relationships", Level: 5, Decision: "Teach the others."},
		{Competency: "analytics", Level: 2, Decision: ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	agreed := 0
	for _, r := range v.Rows {
		if r.Agreed != nil {
			agreed++
		}
	}
	if agreed != 4 {
		t.Errorf("%d agreed rows", agreed)
	}
	pv, _ := f.svc.Get(ctx, lena, f.open.ID)
	if s := stage(pv, "review"); s.Done != 1 {
		t.Errorf("review stage after Omar's 1:1: %+v", s)
	}
	plan, err := f.svc.StartCoaching(ctx, lena, omar, f.open.ID, cycles.StartCoachingInput{Spikes: []string{"management"}})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := app.ParseQuarter(f.open.Quarter)
	var goals []string
	for _, g := range plan.Goals {
		goals = append(goals, g.Competency)
	}
	if plan.Quarter != q.Next().String() || len(goals) != 3 || !strings.Contains(strings.Join(goals, ","), "specification") ||
		strings.Contains(strings.Join(goals, ","), "customer_relationships") {
		t.Errorf("plan %s goals %v", plan.Quarter, goals)
	}
	_, err = f.svc.StartCoaching(ctx, lena, omar, f.open.ID, cycles.StartCoachingInput{Spikes: []string{"management"}})
	wantCode(t, "starting twice", err, app.ECONFLICT)

	flags, err := f.svc.TeamFlags(ctx, lena, f.o.Teams["Growth"])
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, email := range []string{"pm@demo.test", "pm2@demo.test", "pm3@demo.test", "pm4@demo.test", "pm5@demo.test", "pm6@demo.test"} {
		pr, err := f.profiles.PersonRatings(ctx, lena, f.a(email).UserID)
		if err != nil {
			t.Fatal(err)
		}
		want += pr.Flags
	}
	if len(flags) == 0 || len(flags) != want {
		t.Errorf("team flags %d, the people's pages flag %d", len(flags), want)
	}
	for _, fl := range flags {
		if d := fl.Self - fl.Others; d < 2 && d > -2 {
			t.Errorf("flag without a difference of 2: %+v", fl)
		}
	}
}

// An admin opens one cycle for several teams at once: all or none.
func TestOpenForTeams(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	growth, platform := f.o.Teams["Growth"], f.o.Teams["Platform"]
	admin := f.a("admin@demo.test")
	in := cycles.OpenInput{Quarter: "2031-Q1", SelfDue: "2031-02-01", PeerDue: "2031-02-15", LeaderDue: "2031-03-01", ReviewDue: "2031-03-15"}
	_, err := f.svc.OpenForTeams(ctx, admin, []int64{platform, growth}, in)
	if e, ok := err.(*app.Error); !ok || e.Code != app.ECONFLICT || e.Field != "team_ids[1]" {
		t.Fatalf("Growth still has an open cycle: %v", err)
	}
	pc, _ := f.svc.TeamCycles(ctx, admin, platform)
	if len(pc.Cycles) != 0 {
		t.Fatalf("Platform got a cycle although Growth's failed: %+v", pc.Cycles)
	}
	_, err = f.svc.OpenForTeams(ctx, f.a("other-leader@demo.test"), []int64{platform, growth}, in)
	wantCode(t, "Olu opens for Growth too", err, app.ENOTFOUND)
	_, err = f.svc.OpenForTeams(ctx, admin, []int64{platform, platform}, in)
	wantCode(t, "a team twice", err, app.EINVALID)
	if _, err := f.svc.Close(ctx, f.a("leader@demo.test"), f.open.ID); err != nil {
		t.Fatal(err)
	}
	cs, err := f.svc.OpenForTeams(ctx, admin, []int64{platform, growth}, in)
	if err != nil || len(cs) != 2 || cs[0].TeamName != "Platform" || cs[1].TeamName != "Growth" || cs[1].Quarter != "2031-Q1" {
		t.Fatalf("open for both: %v %+v", err, cs)
	}
	gc, _ := f.svc.TeamCycles(ctx, admin, growth)
	if len(gc.Others) != 1 || gc.Others[0].ID != platform {
		t.Errorf("the admin's other teams: %+v", gc.Others)
	}
}
