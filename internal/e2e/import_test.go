package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/teamshape/teamshape/internal/app"
)

// TestImportsThroughTheTeamPage uploads a CSV on the team's import page (the script sends
// it with a progress bar and shows the preview in place), confirms, and reads the new
// person's one-time password; the injection names of the team render as text throughout.
// The file adds a person, so an admin imports it: only admins create accounts (a leader's
// refusal is tested in internal/http, TestOnlyAdminsCreateAccounts).
func TestImportsThroughTheTeamPage(t *testing.T) {
	s := startServer(t)
	teams, err := s.db.FindTeams(t.Context(), &app.Actor{OrgID: s.org.ID, Role: app.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	var growth int64
	for _, tm := range teams {
		if tm.Name == "Growth" {
			growth = tm.ID
		}
	}
	page := "/teams/" + itoa(growth) + "/import"
	b := visit(t, s, "admin@demo.test", page)
	file := filepath.Join(t.TempDir(), "matrix.csv")
	csv := "\ufeffemail,name,title,background,team,specification,delivery,analytics\n" +
		"pm@demo.test,,,,Growth,4,,\n" +
		"nora@demo.test,\"Okafor, Nora\",apm,qa,,2,1,\n" +
		"injb@demo.test,,,,,,,5\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.Ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	mainText := func() string {
		t.Helper()
		text, err := b.Text("main")
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	run(chromedp.SetUploadFiles(chromedp.CSS(`form[data-import] input[type=file]`), []string{file}),
		chromedp.Click(chromedp.CSS(`form[data-import] button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`input[name=hash]`)))
	loc, err := b.Location()
	if err != nil {
		t.Fatal(err)
	}
	text := mainText()
	if !strings.HasSuffix(loc, page) || !strings.Contains(text, "Okafor, Nora") || !strings.Contains(text, "What the import will do") {
		t.Fatalf("preview at %s: %.400s", loc, text)
	}
	if err := b.Screenshot(filepath.Join(artifacts(t), "team_import_preview.png")); err != nil {
		t.Fatal(err)
	}
	run(chromedp.Click(chromedp.CSS(`form[data-import] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`code.otp`)))
	text = mainText()
	if !strings.Contains(text, "One-time passwords") || !strings.Contains(text, "nora@demo.test") {
		t.Fatalf("result: %.400s", text)
	}
	if err := b.Screenshot(filepath.Join(artifacts(t), "team_import_done.png")); err != nil {
		t.Fatal(err)
	}
	u, err := s.db.FindUserByEmail(t.Context(), s.org.ID, "nora@demo.test")
	if err != nil || u.Name != "Okafor, Nora" {
		t.Fatalf("nora: %+v %v", u, err)
	}
	// The audit page shows the import.
	if err := b.Open(s.base + "/teams/" + itoa(growth) + "/audit?entity=import"); err != nil {
		t.Fatal(err)
	}
	text = mainText()
	if !strings.Contains(text, "3 rows · 1 new · 0 changed · 1 joined a team · 4 ratings") {
		t.Errorf("audit: %.400s", text)
	}
	time.Sleep(100 * time.Millisecond)
	console, dialogs, _ := b.Seen()
	if len(console)+len(dialogs) > 0 {
		t.Errorf("console %q, dialogs %q", console, dialogs)
	}
}
