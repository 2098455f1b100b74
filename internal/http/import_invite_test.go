package http

import (
	"net/http"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/transfer"
)

// TestImportInvitesUnknown: a leader's import with invite_unknown turns the people
// without an account into invitations (role PM, into the team) in the import's
// transaction; the preview counts them; a file with a bad row writes nothing, invites
// nobody and sends no e-mail; the good file's e-mails arrive through the real outbox and
// Mailpit, and their links make accounts in the team. Invited rows carry no levels.
func TestImportInvitesUnknown(t *testing.T) {
	f := newFixture(t)
	box := startMailbox(t, f)
	leader := "leader@demo.test"
	growth := itoa64(f.ids["team:Growth"])
	preview := "/api/v1/imports/preview?invite_unknown=true&team_id=" + growth
	confirm := func(file []byte) string {
		return "/api/v1/imports?invite_unknown=true&team_id=" + growth + "&hash=" + transfer.Hash(file)
	}
	written := func() [4]int {
		return [4]int{f.count(t, `SELECT count(*) FROM invitations`), f.count(t, `SELECT count(*) FROM mail_outbox`),
			f.count(t, `SELECT count(*) FROM ratings`), f.count(t, `SELECT count(*) FROM audit_log`)}
	}

	// A bad row (a level of 9) beside an invitation: refused whole, nothing written, no e-mail.
	bad := []byte("email,name,delivery\npm@demo.test,,9\nghost@new.test,Ghost,\n")
	before := written()
	res := f.csv(t, leader, confirm(bad), bad)
	wantField(t, res, http.StatusUnprocessableEntity, "row 2, column delivery")
	if after := written(); after != before {
		t.Fatalf("a refused import wrote: invitations, outbox, ratings, audit %v → %v", before, after)
	}

	// Invited rows keep their levels, title and background empty: each is a row problem.
	for _, tc := range []struct{ file, column string }{
		{"email,name,delivery\nrated@new.test,Rated,3\n", "delivery"},
		{"email,name,title\ntitled@new.test,Titled,senior_pm\n", "title"},
	} {
		var p previewJSON
		f.csv(t, leader, preview, []byte(tc.file)).JSON(t, &p)
		if p.Data.OK || len(p.Data.Problems) != 1 || p.Data.Problems[0].Row != 2 || p.Data.Problems[0].Column != tc.column ||
			!strings.Contains(p.Data.Problems[0].Message, "will be invited") {
			t.Errorf("invited row with a %s: %+v", tc.column, p.Data)
		}
	}

	// The good file: one member's rating, two invitations (one without a name).
	good := []byte("email,name,delivery\npm@demo.test,,4\nNora@New.test,\"Nora <i>N</i>\",\nsam@new.test,,\n")
	res = f.csv(t, leader, preview, good)
	wantStatus(t, res, http.StatusOK)
	var p previewJSON
	res.JSON(t, &p)
	if want := (app.ImportSummary{Rows: 3, Invitations: 2, RatingChanges: 1}); !p.Data.OK || p.Data.Summary != want {
		t.Fatalf("preview: %s", res.Body)
	}
	page := f.upload(t, leader, "/teams/"+growth+"/import/preview", good, "invite_unknown", "on")
	if body := string(page.Body); page.Status != http.StatusOK || !strings.Contains(body, "2 people will be invited") ||
		!strings.Contains(body, `name="invite_unknown" value="true"`) || !strings.Contains(body, "Nora &lt;i&gt;N&lt;/i&gt;") {
		t.Fatalf("preview page: %d\n%s", page.Status, page.Body)
	}
	// Without the option, the leader's file is refused for the unknown rows, as before.
	var plain previewJSON
	f.csv(t, leader, "/api/v1/imports/preview?team_id="+growth, good).JSON(t, &plain)
	if plain.Data.OK || plain.Data.Summary.Problems != 2 {
		t.Fatalf("preview without invite_unknown: %+v", plain.Data)
	}
	wantField(t, f.csv(t, leader, "/api/v1/imports/preview?invite_unknown=maybe&team_id="+growth, good), http.StatusUnprocessableEntity, "invite_unknown")

	audits := f.countAudit(t, "invitation", app.AuditInvite)
	res = f.csv(t, leader, confirm(good), good)
	wantStatus(t, res, http.StatusCreated)
	var done struct {
		Data app.ImportResult `json:"data"`
	}
	res.JSON(t, &done)
	if len(done.Data.Invitations) != 2 || len(done.Data.Credentials) != 0 || done.Data.Summary.Invitations != 2 {
		t.Fatalf("import: %s", res.Body)
	}
	for _, inv := range done.Data.Invitations {
		if inv.TeamName != "Growth" || inv.ID == 0 {
			t.Errorf("invitation %+v: want one into Growth", inv)
		}
	}
	if got := f.countAudit(t, "invitation", app.AuditInvite) - audits; got != 2 {
		t.Errorf("%d invitation audit entries, want 2", got)
	}
	if n := f.count(t, `SELECT count(*) FROM invitations WHERE role = 'pm' AND team_id = $1 AND invited_by = $2
		AND lower(email) IN ('nora@new.test', 'sam@new.test') AND accepted_at IS NULL`, f.ids["team:Growth"], f.ids[leader]); n != 2 {
		t.Errorf("%d open PM invitations into Growth by the leader, want 2", n)
	}
	if n := f.count(t, `SELECT count(*) FROM users WHERE lower(email) IN ('nora@new.test', 'sam@new.test', 'ghost@new.test')`); n != 0 {
		t.Errorf("the import created %d accounts for invited people", n)
	}

	// The e-mails arrive; Sam is greeted by the e-mail's name; Nora's link makes her a
	// member of Growth.
	if m := box.next(t, "sam@new.test", "invited you"); !strings.Contains(m.Text, "sam") {
		t.Errorf("Sam's e-mail:\n%s", m.Text)
	}
	m := box.next(t, "Nora@New.test", "invited you")
	_, token := link(t, m, "/invitations/accept")
	res = f.do(t, "POST", "/api/v1/auth/accept-invitation", "", map[string]string{"token": token, "password": "noras own passphrase"})
	wantStatus(t, res, http.StatusOK)
	if n := f.count(t, `SELECT count(*) FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE u.email = 'Nora@New.test' AND u.role = 'pm' AND m.team_id = $1 AND m.role = 'member'`, f.ids["team:Growth"]); n != 1 {
		t.Errorf("Nora is not a PM member of Growth after accepting")
	}
	if n := box.count(t, "ghost@new.test"); n != 0 {
		t.Errorf("the refused import sent %d e-mails", n)
	}

	// The same file again: Sam's invitation is pending (a problem on his row), Nora has an
	// account now and her row is an ordinary one.
	f.csv(t, leader, preview, good).JSON(t, &p)
	if p.Data.OK || len(p.Data.Problems) != 1 || p.Data.Problems[0].Row != 4 || !strings.Contains(p.Data.Problems[0].Message, "pending invitation") {
		t.Fatalf("second preview: %+v", p.Data)
	}

	// An admin's organisation-wide import invites into each row's team, or none; without
	// the option the same file would create accounts.
	org := []byte("email,name,team\numa@new.test,Uma,Platform\nvic@new.test,Vic,\n")
	res = f.csv(t, "admin@demo.test", "/api/v1/imports?invite_unknown=true&hash="+transfer.Hash(org), org)
	wantStatus(t, res, http.StatusCreated)
	res.JSON(t, &done)
	if len(done.Data.Invitations) != 2 || len(done.Data.Credentials) != 0 {
		t.Fatalf("admin import: %s", res.Body)
	}
	if n := f.count(t, `SELECT count(*) FROM invitations WHERE (email = 'uma@new.test' AND team_id = $1) OR (email = 'vic@new.test' AND team_id IS NULL)`,
		f.ids["team:Platform"]); n != 2 {
		t.Errorf("the admin's invitations: %d of 2 with the row's team", n)
	}
}
