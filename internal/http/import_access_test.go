package http

import (
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/transfer"
)

// TestOnlyAdminsCreateAccounts: a leader's import that names someone not yet in the
// organisation is refused for that row, whole, telling who can add them; an admin's
// import of the same file creates the account.
func TestOnlyAdminsCreateAccounts(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])
	file := []byte("email,name,title,delivery\npm@demo.test,,,4\nnewbie@demo.test,Newbie,apm,2\n")
	res := f.csv(t, "leader@demo.test", "/api/v1/imports/preview?team_id="+growth, file)
	wantStatus(t, res, 200)
	var p previewJSON
	res.JSON(t, &p)
	if p.Data.OK || p.Data.Summary.Problems != 1 || len(p.Data.Problems) != 1 {
		t.Fatalf("a leader's preview naming a new person: %s", res.Body)
	}
	if pr := p.Data.Problems[0]; pr.Row != 3 || pr.Column != "email" || !strings.Contains(pr.Message, "newbie@demo.test") ||
		!strings.Contains(pr.Message, "ask an admin") {
		t.Fatalf("problem: %+v", pr)
	}
	users, ratings := f.count(t, `SELECT count(*) FROM users`), f.count(t, `SELECT count(*) FROM ratings`)
	res = f.csv(t, "leader@demo.test", "/api/v1/imports?team_id="+growth+"&hash="+transfer.Hash(file), file)
	wantField(t, res, 422, "row 3, column email")
	if !strings.Contains(string(res.Body), "ask an admin") {
		t.Fatalf("refusal: %s", res.Body)
	}
	if f.count(t, `SELECT count(*) FROM users`) != users || f.count(t, `SELECT count(*) FROM ratings`) != ratings {
		t.Fatal("a refused import wrote something")
	}
	// The page says it too.
	res = f.upload(t, "leader@demo.test", "/teams/"+growth+"/import/preview", file)
	if !strings.Contains(string(res.Body), "ask an admin") || strings.Contains(string(res.Body), `name="hash"`) {
		t.Fatalf("preview page:\n%s", res.Body)
	}
	// An admin's import of the same file creates the person.
	res = f.csv(t, "admin@demo.test", "/api/v1/imports?team_id="+growth+"&hash="+transfer.Hash(file), file)
	wantStatus(t, res, 201)
	var done struct {
		Data app.ImportResult `json:"data"`
	}
	res.JSON(t, &done)
	if len(done.Data.Credentials) != 1 || done.Data.Credentials[0].Email != "newbie@demo.test" {
		t.Fatalf("admin import: %s", res.Body)
	}
}
