package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// auditLog reads what the audit log says since the last look.
type auditLog struct {
	t    *testing.T
	db   *postgres.DB
	org  int64
	seen int64
}

// next returns the entries recorded since the last call, oldest first.
func (l *auditLog) next() []app.AuditEntry {
	l.t.Helper()
	all, err := l.db.FindAudit(context.Background(), app.AuditFilter{OrgID: l.org})
	if err != nil {
		l.t.Fatal(err)
	}
	var out []app.AuditEntry
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].ID > l.seen {
			out = append(out, all[i])
		}
	}
	if len(all) > 0 {
		l.seen = all[0].ID
	}
	return out
}

// one checks that exactly one entry came with the last write and returns it.
func (l *auditLog) one(what, action, entity string, actor int64) app.AuditEntry {
	l.t.Helper()
	got := l.next()
	if len(got) != 1 {
		l.t.Fatalf("%s: %d audit entries, want 1: %+v", what, len(got), got)
	}
	e := got[0]
	if e.Action != action || e.Entity != entity || e.ActorID != actor {
		l.t.Errorf("%s: entry %s %s by %d, want %s %s by %d", what, e.Action, e.Entity, e.ActorID, action, entity, actor)
	}
	return e
}

// field reads a top-level JSON field of before or after.
func field(t *testing.T, raw json.RawMessage, name string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return m[name]
}

func is(p *int64, id int64) bool { return p != nil && *p == id }

// TestAuditEveryWrite walks every kind of write and checks the entry it leaves: who, what,
// the team or person it concerns, before and after. A write that changes nothing leaves
// none; private notes' text never appears.
func TestAuditEveryWrite(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	org, ids, teamID := coachingTeam(t, db)
	leaderID, pmID, pm2ID := ids[0], ids[1], ids[2]
	sys := context.Background()
	ctx := app.WithActor(sys, &app.Actor{UserID: leaderID, OrgID: org.ID, Role: app.RoleLeader})
	log := &auditLog{t: t, db: db, org: org.ID}
	setup := log.next()
	if setup[0].Entity != "organisation" || setup[1].Entity != "user" || setup[len(setup)-1].Entity != "team_member" {
		t.Errorf("setup entries: %+v", setup)
	}

	// People.
	u := &app.User{OrgID: org.ID, Email: "new@acme.test", Name: "New", Role: app.RolePM, PasswordHash: "secret-hash"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	e := log.one("create user", app.AuditCreate, "user", leaderID)
	if !is(e.PersonID, u.ID) || e.Before != nil || field(t, e.After, "email") != "new@acme.test" || strings.Contains(string(e.After), "secret-hash") {
		t.Errorf("create user: %+v %s", e, e.After)
	}
	name, title := "Renamed", "senior_pm"
	if _, err := db.UpdateUser(ctx, org.ID, u.ID, app.UserUpdate{Name: &name, Title: &title}); err != nil {
		t.Fatal(err)
	}
	e = log.one("update user", app.AuditUpdate, "user", leaderID)
	if field(t, e.Before, "name") != "New" || field(t, e.After, "name") != "Renamed" || field(t, e.After, "title") != "senior_pm" {
		t.Errorf("update user: %s → %s", e.Before, e.After)
	}
	if _, err := db.UpdateUser(ctx, org.ID, u.ID, app.UserUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if got := log.next(); len(got) != 0 {
		t.Errorf("an update that changes nothing left entries: %+v", got)
	}
	if err := db.SetPassword(ctx, u.ID, "another-hash"); err != nil {
		t.Fatal(err)
	}
	e = log.one("password", app.AuditUpdate, "password", leaderID)
	if strings.Contains(string(e.After)+string(e.Before), "hash") {
		t.Errorf("password entry shows the hash: %+v", e)
	}

	// Teams and memberships.
	team2, err := db.CreateTeam(ctx, org.ID, "Second", "d")
	if err != nil {
		t.Fatal(err)
	}
	e = log.one("create team", app.AuditCreate, "team", leaderID)
	if !is(e.TeamID, team2.ID) || field(t, e.After, "name") != "Second" {
		t.Errorf("create team: %+v", e)
	}
	if err := db.SetTeamMember(ctx, org.ID, team2.ID, u.ID, app.TeamMember); err != nil {
		t.Fatal(err)
	}
	e = log.one("add member", app.AuditAdd, "team_member", leaderID)
	if !is(e.TeamID, team2.ID) || !is(e.PersonID, u.ID) || e.Before != nil || field(t, e.After, "role") != "member" {
		t.Errorf("add member: %+v %s", e, e.After)
	}
	if err := db.SetTeamMember(ctx, org.ID, team2.ID, u.ID, app.TeamMember); err != nil {
		t.Fatal(err)
	}
	if got := log.next(); len(got) != 0 {
		t.Errorf("the same membership again left entries: %+v", got)
	}
	if err := db.SetTeamMember(ctx, org.ID, team2.ID, u.ID, app.TeamLeader); err != nil {
		t.Fatal(err)
	}
	e = log.one("change team role", app.AuditUpdate, "team_member", leaderID)
	if field(t, e.Before, "role") != "member" || field(t, e.After, "role") != "leader" {
		t.Errorf("team role: %s → %s", e.Before, e.After)
	}
	if err := db.RemoveTeamMember(ctx, org.ID, team2.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	e = log.one("remove member", app.AuditRemove, "team_member", leaderID)
	if e.After != nil || field(t, e.Before, "role") != "leader" {
		t.Errorf("remove member: %s → %s", e.Before, e.After)
	}

	// Ratings: one entry per batch with its items; the before is the latest of the kind.
	three, four := 3, 4
	rate := func(level *int) {
		t.Helper()
		if err := db.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: pmID, RaterID: leaderID, Kind: app.RatingLeader,
			Ratings: []app.RatingInput{{Competency: "delivery", Level: level, Note: "shipped"}, {Competency: "analytics", Level: &three}}}); err != nil {
			t.Fatal(err)
		}
	}
	rate(&three)
	e = log.one("ratings", app.AuditRate, "ratings", leaderID)
	if !is(e.PersonID, pmID) || string(e.Before) != "[]" || !strings.Contains(string(e.After), `{"note": "shipped", "level": 3, "competency": "delivery"}`) {
		t.Errorf("ratings: %+v %s → %s", e, e.Before, e.After)
	}
	rate(&four)
	e = log.one("ratings again", app.AuditRate, "ratings", leaderID)
	if !strings.Contains(string(e.Before), `"level": 3, "competency": "delivery"`) || !strings.Contains(string(e.After), `"level": 4, "competency": "delivery"`) {
		t.Errorf("ratings again: %s → %s", e.Before, e.After)
	}
	if err := db.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: pmID, RaterID: leaderID, Kind: app.RatingLeader,
		Ratings: []app.RatingInput{{Competency: "nope", Level: &three}}}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("bad batch: %v", err)
	}
	if got := log.next(); len(got) != 0 {
		t.Errorf("a refused batch left entries: %+v", got)
	}

	// Profile, framework, ladder, targets.
	bg := "qa"
	if err := db.UpsertProfile(ctx, &app.Profile{UserID: pmID, Background: &bg}); err != nil {
		t.Fatal(err)
	}
	e = log.one("profile", app.AuditUpdate, "profile", leaderID)
	if !is(e.PersonID, pmID) || e.Before != nil || field(t, e.After, "background") != "qa" {
		t.Errorf("profile: %+v %s", e, e.After)
	}
	if _, err := db.CreateCompetency(ctx, org.ID, app.NewCompetency{Area: "strategy", Key: "pricing", Name: "Pricing", Importance: 2}); err != nil {
		t.Fatal(err)
	}
	e = log.one("create competency", app.AuditCreate, "competency", leaderID)
	if field(t, e.After, "key") != "pricing" || e.EntityID == 0 {
		t.Errorf("create competency: %+v", e)
	}
	newName := "Pricing & packaging"
	if _, err := db.UpdateCompetency(ctx, org.ID, "pricing", app.CompetencyUpdate{Name: &newName}); err != nil {
		t.Fatal(err)
	}
	e = log.one("update competency", app.AuditUpdate, "competency", leaderID)
	if field(t, e.Before, "name") != "Pricing" || field(t, e.After, "name") != newName {
		t.Errorf("update competency: %s → %s", e.Before, e.After)
	}
	if err := db.DeleteCompetency(ctx, org.ID, "pricing"); err != nil {
		t.Fatal(err)
	}
	e = log.one("delete competency", app.AuditDelete, "competency", leaderID)
	if e.After != nil || field(t, e.Before, "key") != "pricing" {
		t.Errorf("delete competency: %+v", e)
	}
	if _, err := db.CreateArea(ctx, org.ID, app.NewArea{Key: "commercial", Name: "Commercial"}); err != nil {
		t.Fatal(err)
	}
	e = log.one("create area", app.AuditCreate, "competency_area", leaderID)
	if field(t, e.After, "key") != "commercial" || e.EntityID == 0 {
		t.Errorf("create area: %+v", e)
	}
	areaName, first := "Commercial acumen", 1
	if _, err := db.UpdateArea(ctx, org.ID, "commercial", app.AreaUpdate{Name: &areaName, Position: &first}); err != nil {
		t.Fatal(err)
	}
	e = log.one("update area", app.AuditUpdate, "competency_area", leaderID)
	if field(t, e.Before, "name") != "Commercial" || field(t, e.After, "name") != areaName || !strings.Contains(string(e.After), `"position": 1`) {
		t.Errorf("update area: %s → %s", e.Before, e.After)
	}
	if err := db.SetLadderLevels(ctx, org.ID, []app.LadderLevel{{Title: "pm", Competency: "delivery", Level: 5}}); err != nil {
		t.Fatal(err)
	}
	e = log.one("ladder", app.AuditUpdate, "ladder", leaderID)
	if field(t, e.Before, "pm.delivery") != 3.0 || field(t, e.After, "pm.delivery") != 5.0 {
		t.Errorf("ladder: %v → %v", field(t, e.Before, "pm.delivery"), field(t, e.After, "pm.delivery"))
	}
	if err := db.SetTeamTargets(ctx, org.ID, teamID, []app.TeamTarget{{Competency: "delivery", Coverage: 3, Depth: 5, Criticality: 3}}); err != nil {
		t.Fatal(err)
	}
	e = log.one("targets", app.AuditUpdate, "team_targets", leaderID)
	if !is(e.TeamID, teamID) || string(e.Before) != "[]" || !strings.Contains(string(e.After), `"coverage": 3`) {
		t.Errorf("targets: %+v %s → %s", e, e.Before, e.After)
	}

	// Peer requests: created by the requester, answered (with a ratings entry) or declined by the reviewer.
	pr := &app.PeerRequest{SubjectID: pmID, ReviewerID: pm2ID, RequestedBy: leaderID, Message: "please"}
	if err := db.CreatePeerRequest(ctx, org.ID, pr); err != nil {
		t.Fatal(err)
	}
	if e = log.one("peer request", app.AuditCreate, "peer_request", leaderID); strings.Contains(string(e.After), "please") {
		t.Errorf("the request's message is logged: %s", e.After)
	}
	if err := db.AnswerPeerRequest(ctx, pr.ID, app.RatingBatch{OrgID: org.ID, SubjectID: pmID, RaterID: pm2ID, Kind: app.RatingPeer,
		Ratings: []app.RatingInput{{Competency: "delivery", Level: &three}}}); err != nil {
		t.Fatal(err)
	}
	got := log.next()
	if len(got) != 2 || got[0].Action != app.AuditAnswer || got[0].ActorID != pm2ID || got[1].Entity != "ratings" || got[1].ActorID != pm2ID {
		t.Errorf("answer: %+v", got)
	}
	pr2 := &app.PeerRequest{SubjectID: pmID, ReviewerID: pm2ID, RequestedBy: leaderID}
	if err := db.CreatePeerRequest(ctx, org.ID, pr2); err != nil {
		t.Fatal(err)
	}
	log.next()
	if err := db.DeclinePeerRequest(ctx, org.ID, pr2.ID, pm2ID); err != nil {
		t.Fatal(err)
	}
	log.one("decline", app.AuditDecline, "peer_request", pm2ID)

	// SOPs: create, save, restore, review — with the team and before/after.
	today := time.Now()
	f := app.SOPFields{Category: "intake", Title: "Intake v1", Steps: []string{"a"}, ReviewEveryDays: 90, Maturity: "draft",
		Competencies: []app.SOPCompetency{}, Handshakes: []app.SOPHandshake{}}
	sop, err := db.CreateSOP(ctx, org.ID, teamID, leaderID, f, today)
	if err != nil {
		t.Fatal(err)
	}
	e = log.one("create sop", app.AuditCreate, "sop", leaderID)
	if !is(e.TeamID, teamID) || e.EntityID != sop.ID || field(t, e.After, "title") != "Intake v1" {
		t.Errorf("create sop: %+v", e)
	}
	f.Title = "Intake v2"
	if _, err := db.UpdateSOP(ctx, org.ID, sop.ID, app.SOPUpdate{BaseRevision: 1, AuthorID: leaderID, Fields: f}); err != nil {
		t.Fatal(err)
	}
	e = log.one("update sop", app.AuditUpdate, "sop", leaderID)
	if field(t, e.Before, "title") != "Intake v1" || field(t, e.After, "title") != "Intake v2" || field(t, e.After, "revision") != 2.0 {
		t.Errorf("update sop: %s → %s", e.Before, e.After)
	}
	f.Title = "Intake v1"
	if _, err := db.UpdateSOP(ctx, org.ID, sop.ID, app.SOPUpdate{AuthorID: leaderID, Fields: f, RestoredFrom: 1}); err != nil {
		t.Fatal(err)
	}
	e = log.one("restore sop", app.AuditRestore, "sop", leaderID)
	if e.Summary != "revision 1 restored" || field(t, e.After, "title") != "Intake v1" {
		t.Errorf("restore sop: %+v", e)
	}
	if _, err := db.ReviewSOP(ctx, org.ID, sop.ID, leaderID, today); err != nil {
		t.Fatal(err)
	}
	e = log.one("review sop", app.AuditReview, "sop", leaderID)
	if field(t, e.Before, "last_reviewed_by") != nil || field(t, e.After, "last_reviewed_by") != float64(leaderID) {
		t.Errorf("review sop: %s → %s", e.Before, e.After)
	}

	// Coaching: plan create and update, check-in with a private note, reflection, action status.
	q := app.QuarterOf(today)
	plan := testPlan(org, pmID, leaderID, q, "delivery")
	plan.CreatedBy = &leaderID
	if err := db.CreateCoachingPlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	e = log.one("create plan", app.AuditCreate, "coaching_plan", leaderID)
	if !is(e.PersonID, pmID) || !strings.Contains(string(e.After), `"goal": "g delivery"`) {
		t.Errorf("create plan: %+v %s", e, e.After)
	}
	upd := testPlan(org, pmID, leaderID, q, "analytics")
	upd.ID = plan.ID
	if err := db.UpdateCoachingPlan(ctx, upd); err != nil {
		t.Fatal(err)
	}
	e = log.one("update plan", app.AuditUpdate, "coaching_plan", leaderID)
	if !strings.Contains(string(e.Before), `"competency": "delivery"`) || !strings.Contains(string(e.After), `"competency": "analytics"`) {
		t.Errorf("update plan: %s → %s", e.Before, e.After)
	}
	ci := &app.CheckIn{PlanID: plan.ID, Date: app.DateOf(today), CreatedBy: &leaderID,
		Goals: []app.CheckInGoal{{Competency: "analytics", Status: "on_track", TargetLevel: 3}},
		Notes: []app.CheckInNote{{AuthorID: leaderID, Text: "TOP-SECRET worry", Private: true}, {AuthorID: leaderID, Text: "Well done", Private: false}}}
	if err := db.CreateCheckIn(ctx, ci); err != nil {
		t.Fatal(err)
	}
	e = log.one("check-in", app.AuditCreate, "check_in", leaderID)
	if !strings.Contains(e.Summary, "note added (private)") || strings.Contains(string(e.After)+e.Summary, "TOP-SECRET") ||
		!strings.Contains(string(e.After), "Well done") {
		t.Errorf("check-in: %q %s", e.Summary, e.After)
	}
	pmCtx := app.WithActor(sys, &app.Actor{UserID: pmID, OrgID: org.ID, Role: app.RolePM})
	if err := db.SetCheckInReflection(pmCtx, ci.ID, "I learnt a lot"); err != nil {
		t.Fatal(err)
	}
	e = log.one("reflection", app.AuditReflect, "check_in", pmID)
	if field(t, e.After, "reflection") != "I learnt a lot" {
		t.Errorf("reflection: %s", e.After)
	}
	if err := db.SetCoachingActionStatus(pmCtx, upd.Goals[0].Actions[0].ID, app.ActionDone); err != nil {
		t.Fatal(err)
	}
	e = log.one("action", app.AuditUpdate, "coaching_action", pmID)
	if field(t, e.Before, "status") != "todo" || field(t, e.After, "status") != "done" || !is(e.PersonID, pmID) {
		t.Errorf("action: %+v", e)
	}

	added := &app.CoachingAction{GoalID: upd.Goals[0].ID, Kind: app.ActionEducation, Description: "Read the book", OwnerID: pmID,
		Due: q.End(), Status: app.ActionTodo}
	if err := db.AddCoachingAction(ctx, added); err != nil {
		t.Fatal(err)
	}
	e = log.one("add action", app.AuditCreate, "coaching_action", leaderID)
	if !is(e.PersonID, pmID) || e.EntityID != added.ID || field(t, e.After, "description") != "Read the book" {
		t.Errorf("add action: %+v", e)
	}

	// Career: roles, learning resources, mentoring.
	role := &app.CareerRole{OrgID: org.ID, PersonID: pmID, Company: "Acme", Title: "PM", Start: app.DateOf(today.AddDate(-2, 0, 0)),
		Market: "b2b", Spikes: []string{"management"}}
	noCheck := func([]app.CareerRole) error { return nil }
	if err := db.SaveCareerRole(pmCtx, role, noCheck); err != nil {
		t.Fatal(err)
	}
	e = log.one("career role", app.AuditCreate, "career_role", pmID)
	if !is(e.PersonID, pmID) || field(t, e.After, "company") != "Acme" {
		t.Errorf("career role: %+v", e)
	}
	role.Company = "Acme Corp"
	if err := db.SaveCareerRole(pmCtx, role, noCheck); err != nil {
		t.Fatal(err)
	}
	e = log.one("career role update", app.AuditUpdate, "career_role", pmID)
	if field(t, e.Before, "company") != "Acme" || field(t, e.After, "company") != "Acme Corp" {
		t.Errorf("career role update: %s → %s", e.Before, e.After)
	}
	if err := db.DeleteCareerRole(pmCtx, org.ID, pmID, role.ID); err != nil {
		t.Fatal(err)
	}
	if e = log.one("career role delete", app.AuditDelete, "career_role", pmID); e.After != nil {
		t.Errorf("career role delete: %+v", e)
	}
	res := &app.LearningResource{OrgID: org.ID, Title: "Inspired", URL: "https://example.com", Kind: "book", Competency: "delivery",
		LevelMin: 1, LevelMax: 3, Market: "both", CreatedBy: &leaderID}
	if err := db.CreateResource(ctx, res); err != nil {
		t.Fatal(err)
	}
	log.one("resource", app.AuditCreate, "learning_resource", leaderID)
	res.Title = "Inspired (2nd ed.)"
	if err := db.UpdateResource(ctx, res); err != nil {
		t.Fatal(err)
	}
	e = log.one("resource update", app.AuditUpdate, "learning_resource", leaderID)
	if field(t, e.Before, "title") != "Inspired" || field(t, e.After, "title") != "Inspired (2nd ed.)" {
		t.Errorf("resource update: %s → %s", e.Before, e.After)
	}
	if err := db.DeleteResource(ctx, org.ID, res.ID); err != nil {
		t.Fatal(err)
	}
	log.one("resource delete", app.AuditDelete, "learning_resource", leaderID)
	if err := db.SetMentorConsent(pmCtx, pmID, true, []string{"delivery"}); err != nil {
		t.Fatal(err)
	}
	e = log.one("opt in", app.AuditUpdate, "mentor_consent", pmID)
	if field(t, e.Before, "opted_in") != false || field(t, e.After, "opted_in") != true ||
		fmt.Sprint(field(t, e.After, "offers")) != "[delivery]" {
		t.Errorf("opt in: %s → %s", e.Before, e.After)
	}
	if err := db.SetMentorConsent(pmCtx, pmID, false, nil); err != nil {
		t.Fatal(err)
	}
	e = log.one("opt out", app.AuditUpdate, "mentor_consent", pmID)
	if field(t, e.After, "opted_in") != false || fmt.Sprint(field(t, e.After, "offers")) != "[]" {
		t.Errorf("opt out: %s → %s", e.Before, e.After)
	}
	m := &app.Mentorship{OrgID: org.ID, MenteeID: pm2ID, MentorID: leaderID, Competency: "delivery", Message: "teach me"}
	if err := db.CreateMentorship(ctx, m); err != nil {
		t.Fatal(err)
	}
	e = log.one("mentorship", app.AuditCreate, "mentorship", leaderID)
	if !is(e.PersonID, pm2ID) || field(t, e.After, "status") != "pending" || strings.Contains(string(e.After), "teach me") {
		t.Errorf("mentorship: %+v", e)
	}
	if err := db.SetMentorshipStatus(ctx, org.ID, m.ID, app.MentorshipPending, app.MentorshipAccepted, 3); err != nil {
		t.Fatal(err)
	}
	e = log.one("mentorship accepted", app.AuditUpdate, "mentorship", leaderID)
	if field(t, e.Before, "status") != "pending" || field(t, e.After, "status") != "accepted" {
		t.Errorf("mentorship status: %s → %s", e.Before, e.After)
	}

	// Requisitions.
	r := &app.Requisition{OrgID: org.ID, TeamID: teamID, HireSnapshot: app.HireSnapshot{Title: "Data PM", Spike: "analytics", MustHaves: []string{}, Brief: "B"}, CreatedBy: &leaderID}
	if err := db.CreateRequisition(ctx, r); err != nil {
		t.Fatal(err)
	}
	e = log.one("requisition", app.AuditCreate, "requisition", leaderID)
	if !is(e.TeamID, teamID) || field(t, e.After, "status") != "open" {
		t.Errorf("requisition: %+v", e)
	}
	if _, err := db.SetRequisitionStatus(ctx, org.ID, r.ID, app.RequisitionOpen, "interviewing"); err != nil {
		t.Fatal(err)
	}
	e = log.one("requisition status", app.AuditUpdate, "requisition", leaderID)
	if field(t, e.Before, "status") != "open" || field(t, e.After, "status") != "interviewing" {
		t.Errorf("requisition status: %s → %s", e.Before, e.After)
	}

	// Imports: one entry with the counts and who changed.
	p := &app.ImportPlan{OrgID: org.ID, ImporterID: leaderID, TeamID: &teamID, Hash: "abc",
		Summary: app.ImportSummary{Rows: 1, NewPeople: 1, NewMemberships: 1, RatingChanges: 1},
		People: []app.ImportPersonPlan{{Row: 2, Email: "imported@acme.test", New: true, Name: "Imp", JoinTeamID: teamID,
			Ratings: []app.ImportRatingChange{{Competency: "delivery", To: 2}}, PasswordHash: "h"}}}
	if err := db.ApplyImport(ctx, p); err != nil {
		t.Fatal(err)
	}
	e = log.one("import", app.AuditImport, "import", leaderID)
	if !is(e.TeamID, teamID) || field(t, e.After, "hash") != "abc" || !strings.Contains(string(e.After), "imported@acme.test") {
		t.Errorf("import: %+v %s", e, e.After)
	}

	// Filters: by actor, action, entity, team (entries of the team and about its members), dates.
	find := func(f app.AuditFilter) []app.AuditEntry {
		t.Helper()
		f.OrgID = org.ID
		out, err := db.FindAudit(sys, f)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, e := range find(app.AuditFilter{ActorID: pmID}) {
		if e.ActorID != pmID || e.ActorName == "" {
			t.Errorf("actor filter: %+v", e)
		}
	}
	if n := len(find(app.AuditFilter{Entity: "sop"})); n != 4 {
		t.Errorf("sop entries: %d, want 4", n)
	}
	if n := len(find(app.AuditFilter{Action: app.AuditRestore})); n != 1 {
		t.Errorf("restore entries: %d", n)
	}
	teamLog := find(app.AuditFilter{TeamID: teamID})
	kinds := map[string]bool{}
	for _, e := range teamLog {
		kinds[e.Entity] = true
		if !is(e.TeamID, teamID) && (e.PersonID == nil || (*e.PersonID != pmID && *e.PersonID != pm2ID && *e.PersonID != p.People[0].UserID)) {
			t.Errorf("team log holds an entry of neither the team nor its members: %+v", e)
		}
		if is(e.TeamID, team2.ID) || is(e.PersonID, u.ID) {
			t.Errorf("team log holds another team's or a non-member's entry: %+v", e)
		}
	}
	for _, k := range []string{"ratings", "sop", "coaching_plan", "check_in", "team_targets", "requisition", "import", "profile"} {
		if !kinds[k] {
			t.Errorf("team log lacks %s entries", k)
		}
	}
	if n := len(find(app.AuditFilter{From: today.Add(time.Hour)})); n != 0 {
		t.Errorf("entries from the future: %d", n)
	}
	if n := len(find(app.AuditFilter{To: today.Add(-time.Hour)})); n != 0 {
		t.Errorf("entries before the test: %d", n)
	}
	page := find(app.AuditFilter{Limit: 3})
	older := find(app.AuditFilter{Limit: 3, BeforeID: page[2].ID})
	if len(page) != 3 || len(older) != 3 || older[0].ID >= page[2].ID {
		t.Errorf("paging: %d then %d", len(page), len(older))
	}
}

// TestAuditAppendOnly: the table refuses UPDATE, DELETE and TRUNCATE, whoever asks.
func TestAuditAppendOnly(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	people(t, db, 1)
	for _, q := range []string{`UPDATE audit_log SET summary = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		_, err := db.ExecContext(context.Background(), q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	var n int
	if err := db.GetContext(context.Background(), &n, `SELECT count(*) FROM audit_log`); err != nil || n < 2 {
		t.Errorf("entries left: %d, %v", n, err)
	}
}
