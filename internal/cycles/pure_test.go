package cycles

import (
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

func day(s string) app.Date { d, _ := app.ParseDate(s); return d }

func lv(n int) *int { return &n }

func TestBuildProgress(t *testing.T) {
	c := &app.Cycle{ID: 9, SelfDue: day("2026-11-15"), PeerDue: day("2026-11-30"), LeaderDue: day("2026-12-07"), ReviewDue: day("2026-12-15")}
	members := []Member{{ID: 1, Name: "Ann", Scope: []string{"a", "b"}}, {ID: 2, Name: "Bo", Scope: []string{"a", "b"}}, {ID: 3, Name: "Cy", Scope: []string{"a"}}}
	rated := []app.CycleRated{
		{SubjectID: 1, Kind: "self", Competency: "a"}, {SubjectID: 1, Kind: "self", Competency: "b"}, // Ann: self done
		{SubjectID: 2, Kind: "self", Competency: "a"},                                                  // Bo: half
		{SubjectID: 3, Kind: "self", Competency: "a"}, {SubjectID: 3, Kind: "leader", Competency: "a"}, // Cy: self and leader done
		{SubjectID: 3, Kind: "self", Competency: "zz"}, // out of scope: never counts
	}
	reqs := []app.PeerRequest{
		{ID: 11, SubjectID: 1, ReviewerID: 7, ReviewerName: "Pat", Status: "answered"},
		{ID: 12, SubjectID: 1, ReviewerID: 8, ReviewerName: "Quin", Status: "open"},
		{ID: 13, SubjectID: 2, ReviewerID: 7, ReviewerName: "Pat", Status: "declined"},
	}
	agreed := []app.CycleAgreement{{PersonID: 3, Competency: "a", Level: 3}}
	for _, tc := range []struct {
		name   string
		today  string
		closed bool
		late   []bool // self, peer, leader, review
	}{
		{"before any deadline", "2026-11-01", false, []bool{false, false, false, false}},
		{"after the self deadline", "2026-11-16", false, []bool{true, false, false, false}},
		{"after every deadline", "2026-12-16", false, []bool{true, true, true, true}},
		{"closed: nothing is overdue", "2026-12-16", true, []bool{false, false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := *c
			if tc.closed {
				now := time.Now()
				cc.ClosedAt = &now
			}
			p := BuildProgress(&cc, members, rated, reqs, agreed, day(tc.today))
			want := []struct {
				key         string
				done, total int
			}{{"self", 2, 3}, {"peer", 1, 2}, {"leader", 1, 3}, {"review", 1, 3}}
			for i, w := range want {
				s := p.Stages[i]
				if s.Key != w.key || s.Done != w.done || s.Total != w.total || s.Overdue != tc.late[i] {
					t.Errorf("stage %d = %+v, want %s %d/%d overdue %v", i, s, w.key, w.done, w.total, tc.late[i])
				}
			}
			ann, bo, cy := p.Members[0], p.Members[1], p.Members[2]
			if !ann.SelfDone || ann.SelfRated != 2 || ann.PeersAnswered != 1 || len(ann.Pending) != 1 || ann.Pending[0].ReviewerName != "Quin" {
				t.Errorf("Ann = %+v", ann)
			}
			if bo.SelfDone || bo.SelfRated != 1 || bo.PeersDeclined != 1 || len(bo.Pending) != 0 {
				t.Errorf("Bo = %+v", bo)
			}
			if !cy.SelfDone || !cy.LeaderDone || !cy.Reviewed || cy.SelfRated != 1 {
				t.Errorf("Cy = %+v", cy)
			}
		})
	}
	if got := (Stage{Done: 1, Total: 3}).Percent(); got != 33 {
		t.Errorf("Percent = %d", got)
	}
	if got := (Stage{}).Percent(); got != 0 {
		t.Errorf("empty Percent = %d", got)
	}
}

func TestBuildCompare(t *testing.T) {
	opened := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	cyc := int64(5)
	other := int64(4)
	c := &app.Cycle{ID: cyc, OpenedAt: opened}
	at := func(d int) time.Time { return opened.AddDate(0, 0, d) }
	scope := []app.Competency{{Key: "a", Name: "A"}, {Key: "b", Name: "B"}, {Key: "c", Name: "C"}, {Key: "d", Name: "D"}}
	r := func(kind string, rater int64, comp string, level int, note string, d int, cycle *int64) app.Rating {
		return app.Rating{Kind: kind, RaterID: rater, RaterName: map[int64]string{1: "Self", 2: "Lead", 7: "Pat", 8: "Quin", 9: "Rae"}[rater],
			Competency: comp, Level: lv(level), Note: note, CreatedAt: at(d), CycleID: cycle}
	}
	base := []app.Rating{
		r("self", 1, "a", 1, "old self", -30, nil), // superseded
		r("self", 1, "a", 4, "self a", 1, nil),
		r("leader", 2, "a", 2, "lead a", 2, nil), // a: 4 vs 2 → flag, delta 2
		r("self", 1, "b", 5, "self b", 1, nil),   // b: 5 vs peers' median → flag 3 when peers shown
		r("self", 1, "c", 3, "self c", -90, nil), // c: earlier self, no others
		r("self", 1, "d", 0, "self d", 1, nil),
		r("leader", 2, "d", 1, "lead d", 1, nil), // d: no flag
		r("peer", 7, "b", 2, "pat b", 3, &cyc),
		r("peer", 8, "b", 2, "quin b", 4, &cyc),
		r("peer", 9, "a", 3, "rae old cycle", -40, &other), // another cycle: never shown
		r("self", 1, "d", 5, "after the end", 200, nil),    // after End: ignored
	}
	third := r("peer", 9, "b", 1, "rae b", 5, &cyc)
	for _, tc := range []struct {
		name      string
		history   []app.Rating
		anonymous bool
		withheld  bool
		answered  int
		order     []string
		bPeers    []string // notes and names of b's peers, as shown
		bFlag     bool
	}{
		{"leader view, two peers", base, false, false, 2, []string{"b", "a", "c", "d"}, []string{"pat b/Pat", "quin b/Quin"}, true},
		{"PM of an anonymous cycle, two peers: withheld", base, true, true, 2, []string{"a", "b", "c", "d"}, nil, false},
		{"PM of an anonymous cycle, three peers: no names", append(append([]app.Rating{}, base...), third), true, false, 3,
			[]string{"b", "a", "c", "d"}, []string{"rae b/", "pat b/", "quin b/"}, true},
		{"PM of a named cycle", base, false, false, 2, []string{"b", "a", "c", "d"}, []string{"pat b/Pat", "quin b/Quin"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BuildCompare(CompareInput{Scope: scope, History: tc.history, Cycle: c, End: at(100),
				Agreed: []app.CycleAgreement{{Competency: "a", Level: 3, Decision: "stretch"}}, Anonymous: tc.anonymous})
			if got.PeersWithheld != tc.withheld || got.PeersAnswered != tc.answered {
				t.Errorf("withheld %v answered %d", got.PeersWithheld, got.PeersAnswered)
			}
			var order []string
			rows := map[string]Row{}
			for _, row := range got.Rows {
				order = append(order, row.Competency)
				rows[row.Competency] = row
			}
			if strings.Join(order, ",") != strings.Join(tc.order, ",") {
				t.Errorf("order %v, want %v", order, tc.order)
			}
			var peers []string
			for _, p := range rows["b"].Peers {
				peers = append(peers, p.Note+"/"+p.RaterName)
				if tc.anonymous && (p.RaterID != 0 || !p.At.IsZero()) {
					t.Errorf("anonymous peer carries %d %v", p.RaterID, p.At)
				}
			}
			if strings.Join(peers, ",") != strings.Join(tc.bPeers, ",") {
				t.Errorf("b peers %v, want %v", peers, tc.bPeers)
			}
			if rows["b"].Flag != tc.bFlag {
				t.Errorf("b flag %v", rows["b"].Flag)
			}
			a := rows["a"]
			if !a.Flag || *a.Delta != 2 || *a.Others != 2 || a.Self.Note != "self a" || !a.Self.InCycle || a.Agreed == nil || a.Agreed.Level != 3 {
				t.Errorf("a = %+v", a)
			}
			if len(a.Peers) != 0 {
				t.Errorf("a shows another cycle's peer: %+v", a.Peers)
			}
			if cr := rows["c"]; cr.Self == nil || cr.Self.InCycle || cr.Others != nil || cr.Flag {
				t.Errorf("c = %+v", cr)
			}
			if d := rows["d"]; d.Self == nil || *d.Self.Level != 0 || d.Flag {
				t.Errorf("d = %+v (a rating after the end counted?)", d)
			}
		})
	}
}

func TestLargestGaps(t *testing.T) {
	agreed := []app.CycleAgreement{
		{Competency: "a", Level: 1}, // ladder 4: gap 3
		{Competency: "b", Level: 2}, // no ladder: breadth 3, gap 1
		{Competency: "c", Level: 4}, // ladder 4: none
		{Competency: "d", Level: 2}, // ladder 4: gap 2
		{Competency: "e", Level: 1}, // ladder 2: gap 1
	}
	ladder := map[string]int{"a": 4, "c": 4, "d": 4, "e": 2}
	for _, tc := range []struct {
		n    int
		want string
	}{{1, "a"}, {3, "a,d,b"}, {9, "a,d,b,e"}} {
		var got []string
		for _, g := range LargestGaps(agreed, ladder, 3, tc.n) {
			got = append(got, g.Competency)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("n=%d: %v, want %s", tc.n, got, tc.want)
		}
	}
}

func TestOpenInputValidate(t *testing.T) {
	ok := OpenInput{Quarter: "2026-Q4", SelfDue: "2026-11-15", PeerDue: "2026-11-30", LeaderDue: "2026-12-07", ReviewDue: "2027-01-10"}
	if c, err := ok.validate(1, 2); err != nil || c.ReviewDue.String() != "2027-01-10" || c.TeamID != 2 {
		t.Fatalf("valid input: %v %+v", err, c)
	}
	for _, tc := range []struct {
		field string
		edit  func(*OpenInput)
	}{
		{"quarter", func(in *OpenInput) { in.Quarter = "Q4" }},
		{"self_due", func(in *OpenInput) { in.SelfDue = "15/11/2026" }},
		{"peer_due", func(in *OpenInput) { in.PeerDue = "2026-06-01" }},
		{"leader_due", func(in *OpenInput) { in.LeaderDue = "2027-05-01" }},
		{"self_due", func(in *OpenInput) { in.SelfDue = "2027-02-01" }}, // after the review
		{"review_due", func(in *OpenInput) { in.ReviewDue = "" }},
	} {
		in := ok
		tc.edit(&in)
		_, err := in.validate(1, 2)
		var ae *app.Error
		if err == nil || !asErr(err, &ae) || ae.Code != app.EINVALID || ae.Field != tc.field {
			t.Errorf("%+v: %v, want EINVALID on %s", in, err, tc.field)
		}
	}
}

func asErr(err error, target **app.Error) bool {
	e, ok := err.(*app.Error)
	*target = e
	return ok
}
