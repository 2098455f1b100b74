package transfer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/invitations"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
	"github.com/teamshape/teamshape/internal/transfer"
)

// demoOrg seeds the demo organisation and returns its actors and team ids.
func demoOrg(t testing.TB) (*postgres.DB, map[string]*app.Actor, map[string]int64) {
	t.Helper()
	o := demotest.Seed(t)
	return o.DB, o.Actors, o.Teams
}

// matrix is a team's effective ratings by member e-mail and competency key.
func matrix(t *testing.T, db *postgres.DB, orgID, teamID int64) map[string]map[string]int {
	t.Helper()
	ctx := context.Background()
	people, err := db.FindTeamPeople(ctx, teamID)
	if err != nil {
		t.Fatal(err)
	}
	email := map[int64]string{}
	var ids []int64
	for _, p := range people {
		if p.TeamRole == app.TeamMember {
			email[p.UserID], ids = p.Email, append(ids, p.UserID)
		}
	}
	eff, err := db.FindEffectiveRatings(ctx, orgID, ids, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]int{}
	for _, r := range eff {
		if out[email[r.UserID]] == nil {
			out[email[r.UserID]] = map[string]int{}
		}
		out[email[r.UserID]][r.Competency] = r.Level
	}
	return out
}

func export(t *testing.T, svc *transfer.Service, a *app.Actor, teamID int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := svc.ExportMatrix(context.Background(), a, teamID, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func counts(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var s string
	err := db.GetContext(context.Background(), &s, `SELECT format('%s users, %s ratings, %s members, %s profiles, %s audit',
		(SELECT count(*) FROM users), (SELECT count(*) FROM ratings), (SELECT count(*) FROM team_members),
		(SELECT count(*) FROM profiles), (SELECT count(*) FROM audit_log))`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRoundTrip: a team's export imports back without change, and imported into a new
// team (as new people) it gives the identical effective matrix, names that look like
// formulas included.
func TestRoundTrip(t *testing.T) {
	db, actors, teams := demoOrg(t)
	ctx := context.Background()
	leader, admin := actors["leader@demo.test"], actors["admin@demo.test"]
	growth := teams["Growth"]
	svc := transfer.New(db, invitations.New(db, nil, time.Now), time.Now)
	for email, name := range map[string]string{"pm@demo.test": `=HYPERLINK("http://evil.test","Maya")`, "pm2@demo.test": "+Omar, \"the\" Haddad"} {
		n := name
		if _, err := db.UpdateUser(ctx, leader.OrgID, actors[email].UserID, app.UserUpdate{Name: &n}); err != nil {
			t.Fatal(err)
		}
	}
	before := matrix(t, db, leader.OrgID, growth)
	csv := export(t, svc, leader, growth)
	if !bytes.Contains(csv, []byte(`"'=HYPERLINK(""http://evil.test"",""Maya"")"`)) || !bytes.Contains(csv, []byte(`"'+Omar, ""the"" Haddad"`)) {
		t.Fatalf("formula-like names are not neutralised:\n%s", csv)
	}

	// Back into the same team: nothing to do, and nothing changes.
	plan, err := svc.Preview(ctx, leader, growth, csv, transfer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !plan.OK() || plan.Summary.RatingChanges+plan.Summary.NewPeople+plan.Summary.ChangedPeople+plan.Summary.NewMemberships != 0 ||
		plan.Summary.Rows != len(before) || plan.Summary.UnchangedRatings == 0 {
		t.Fatalf("re-import plan: %+v %+v", plan.Summary, plan.Problems)
	}
	if _, _, err := svc.Import(ctx, leader, growth, csv, plan.Hash, transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := export(t, svc, leader, growth); !bytes.Equal(got, csv) {
		t.Errorf("export after re-import differs:\n%s\nwas\n%s", got, csv)
	}

	// Into a new team as new people: the same effective matrix.
	copyTeam, err := db.CreateTeam(ctx, admin.OrgID, "Copy", "")
	if err != nil {
		t.Fatal(err)
	}
	rename := func(b []byte, team string) []byte {
		s := strings.ReplaceAll(string(b), "@demo.test", "@copy.test")
		return []byte(strings.ReplaceAll(s, ",Growth,", ","+team+","))
	}
	in := rename(csv, "")
	plan, res, err := svc.Import(ctx, admin, copyTeam.ID, in, transfer.Hash(in), transfer.Options{})
	if err != nil {
		t.Fatalf("%v %+v", err, plan)
	}
	if res.Summary.NewPeople != len(before) || len(res.Credentials) != len(before) || res.Summary.NewMemberships != len(before) {
		t.Errorf("import into Copy: %+v", res.Summary)
	}
	for _, c := range res.Credentials {
		if len(c.OneTimePassword) < 20 || c.UserID == 0 {
			t.Errorf("credential %+v", c)
		}
		u, err := db.FindUserByID(ctx, admin.OrgID, c.UserID)
		if err != nil || u.PasswordHash == "" || strings.Contains(u.PasswordHash, c.OneTimePassword) || u.Role != app.RolePM {
			t.Errorf("new person %+v: %v", u, err)
		}
	}
	if got, want := export(t, svc, admin, copyTeam.ID), rename(csv, "Copy"); !bytes.Equal(got, want) {
		t.Errorf("the copy's export differs:\n%s\nwant\n%s", got, want)
	}
	copied := matrix(t, db, admin.OrgID, copyTeam.ID)
	for email, levels := range before {
		got := copied[strings.ReplaceAll(email, "@demo.test", "@copy.test")]
		if fmt.Sprint(got) != fmt.Sprint(levels) {
			t.Errorf("%s: copied %v, want %v", email, got, levels)
		}
	}
	// The imported ratings are the admin's leader ratings, noted "imported".
	hist, err := db.FindRatings(ctx, admin.OrgID, res.Credentials[0].UserID)
	if err != nil || len(hist) == 0 {
		t.Fatalf("history: %v", err)
	}
	for _, r := range hist {
		if r.Kind != app.RatingLeader || r.RaterID != admin.UserID || r.Note != app.ImportNote {
			t.Errorf("imported rating %+v", r)
		}
	}
}

// TestImportAllOrNothing: a file with one bad cell, a changed file, a failure half-way
// through the transaction — nothing is stored.
func TestImportAllOrNothing(t *testing.T) {
	db, actors, teams := demoOrg(t)
	ctx := context.Background()
	leader, other := actors["leader@demo.test"], actors["other-leader@demo.test"]
	admin := actors["admin@demo.test"] // the files add people: only an admin may
	growth := teams["Growth"]
	svc := transfer.New(db, invitations.New(db, nil, time.Now), time.Now)
	start := counts(t, db)

	// Maya (pm@) already has delivery 5: that cell changes nothing.
	file := []byte("email,name,title,delivery,analytics\nfresh@demo.test,Fresh,pm,3,2\npm@demo.test,,,5,\nfresh2@demo.test,Fresh Two,apm,2,=1+1\n")
	plan, _, err := svc.Import(ctx, admin, growth, file, transfer.Hash(file), transfer.Options{})
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "row 4, column analytics" || plan == nil || len(plan.Problems) != 1 {
		t.Fatalf("bad cell: %v %+v", err, plan)
	}
	if got := counts(t, db); got != start {
		t.Fatalf("a refused import stored something: %s → %s", start, got)
	}

	good := []byte(strings.Replace(string(file), "=1+1", "1", 1))
	if _, _, err := svc.Import(ctx, admin, growth, good, transfer.Hash(file), transfer.Options{}); app.ErrorCode(err) != app.ECONFLICT || app.ErrorField(err) != "hash" {
		t.Fatalf("changed file: %v", err)
	}
	if _, _, err := svc.Import(ctx, admin, growth, good, "", transfer.Options{}); app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "hash" {
		t.Fatalf("no hash: %v", err)
	}
	if _, err := svc.Preview(ctx, other, growth, good, transfer.Options{}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("another team's leader: %v", err)
	}
	if _, err := svc.Preview(ctx, actors["pm@demo.test"], growth, good, transfer.Options{}); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("a member: %v", err)
	}
	if _, err := svc.Preview(ctx, leader, 0, good, transfer.Options{}); app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "team_id" {
		t.Fatalf("a leader without a team: %v", err)
	}

	// The database refuses the last step (a team that does not exist): the people, ratings
	// and memberships written before it are rolled back with it.
	plan, err = svc.Preview(ctx, admin, growth, good, transfer.Options{})
	if err != nil || !plan.OK() || plan.Summary.NewPeople != 2 || plan.Summary.RatingChanges != 4 {
		t.Fatalf("good plan: %v %+v", err, plan)
	}
	for i := range plan.People {
		plan.People[i].PasswordHash = "h"
	}
	plan.People[len(plan.People)-1].JoinTeamID = 999999
	if err := db.ApplyImport(ctx, plan); err == nil {
		t.Fatal("an import into a missing team succeeded")
	}
	if got := counts(t, db); got != start {
		t.Fatalf("a failed import stored something: %s → %s", start, got)
	}

	// And the good file, confirmed with its hash, lands whole.
	_, res, err := svc.Import(ctx, admin, growth, good, transfer.Hash(good), transfer.Options{})
	if err != nil || res.Summary.RatingChanges != 4 || len(res.Credentials) != 2 {
		t.Fatalf("good import: %v %+v", err, res)
	}
	if got := matrix(t, db, admin.OrgID, growth)["fresh2@demo.test"]; got["delivery"] != 2 || got["analytics"] != 1 {
		t.Errorf("fresh2: %v", got)
	}
}

// benchOrg is an organisation of n Group PMs (16 competencies in scope each) and an admin.
func benchOrg(b *testing.B, n int) (*postgres.DB, *app.Actor, []string) {
	b.Helper()
	db := pgtest.MustOpenDB(b)
	ctx := context.Background()
	org, err := db.CreateOrganisation(ctx, "bench", "Bench")
	if err != nil {
		b.Fatal(err)
	}
	admin := &app.User{OrgID: org.ID, Email: "admin@bench.test", Name: "Admin", Role: app.RoleAdmin}
	if err := db.CreateUser(ctx, admin); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `
		INSERT INTO users (org_id, email, name, role, title)
		SELECT $1, 'p' || i || '@bench.test', 'Person ' || i, 'pm', 'group_pm' FROM generate_series(1, $2) i`, org.ID, n); err != nil {
		b.Fatal(err)
	}
	fw, err := db.FindFramework(ctx, org.ID)
	if err != nil {
		b.Fatal(err)
	}
	var keys []string
	for _, c := range fw.Active() {
		keys = append(keys, c.Key)
	}
	return db, &app.Actor{UserID: admin.ID, OrgID: org.ID, Role: app.RoleAdmin}, keys
}

// benchFile is a matrix of the n people with every level shifted by round, so that each
// round changes every rating.
func benchFile(n int, keys []string, round int) []byte {
	var b bytes.Buffer
	b.WriteString("email,name,title,background,team," + strings.Join(keys, ",") + "\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "p%d@bench.test,Person %d,group_pm,development,", i, i)
		for j := range keys {
			fmt.Fprintf(&b, ",%d", (i+j+round)%6)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkImport100k imports 6,250 people × 16 competencies = 100,000 leader ratings:
// parse, plan against the database, and apply (COPY) in one transaction.
func BenchmarkImport100k(b *testing.B) {
	const people = 6250
	db, admin, keys := benchOrg(b, people)
	if len(keys)*people != 100_000 {
		b.Fatalf("%d competencies", len(keys))
	}
	svc := transfer.New(db, invitations.New(db, nil, time.Now), time.Now)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		file := benchFile(people, keys, i)
		b.StartTimer()
		_, res, err := svc.Import(ctx, admin, 0, file, transfer.Hash(file), transfer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.RatingChanges != 100_000 {
			b.Fatalf("%d ratings", res.Summary.RatingChanges)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/import")
}

// BenchmarkPreview100k is the preview alone of the same file: parse, load and plan.
func BenchmarkPreview100k(b *testing.B) {
	const people = 6250
	db, admin, keys := benchOrg(b, people)
	svc := transfer.New(db, invitations.New(db, nil, time.Now), time.Now)
	file := benchFile(people, keys, 0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := svc.Preview(context.Background(), admin, 0, file, transfer.Options{})
		if err != nil || p.Summary.RatingChanges != 100_000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/preview")
}

// BenchmarkImportNewPeople imports 200 new people (3,200 ratings): the one-time passwords'
// argon2id hashes, computed in parallel before the transaction, dominate.
func BenchmarkImportNewPeople(b *testing.B) {
	const people = 200
	db, admin, keys := benchOrg(b, 0)
	svc := transfer.New(db, invitations.New(db, nil, time.Now), time.Now)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		file := bytes.ReplaceAll(benchFile(people, keys, i), []byte("@bench.test"), fmt.Appendf(nil, "@round%d.test", i))
		b.StartTimer()
		if _, res, err := svc.Import(ctx, admin, 0, file, transfer.Hash(file), transfer.Options{}); err != nil || res.Summary.NewPeople != people {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/import")
}
