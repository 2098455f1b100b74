package e2e

import (
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/browser"
)

func TestPMEditsProfileAndSeesTheChange(t *testing.T) {
	s := startServer(t)
	b := visit(t, s, "pm@demo.test", "/me/profile")
	if err := b.SetAndSubmit(map[string]string{`#about select[name=background]`: "qa"}, `#about button[type=submit]`); err != nil {
		t.Fatal(err)
	}
	if err := b.Open(s.base + "/me/profile"); err != nil {
		t.Fatal(err)
	}
	v, err := b.Value(`#about select[name=background]`)
	if err != nil {
		t.Fatal(err)
	}
	if v != "qa" {
		t.Fatalf("background after saving = %q, want qa", v)
	}
	if err := b.Screenshot(artifacts(t) + "/pm_profile_saved.png"); err != nil {
		t.Fatal(err)
	}
}

func TestHRCannotOpenAPersonPage(t *testing.T) {
	s := startServer(t)
	pm, err := s.db.FindUserByEmail(t.Context(), s.org.ID, "pm@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	growth := "/teams/" + itoa(s.growth(t))
	h := visit(t, s, "hr@demo.test", "/hr", growth, growth+"/hiring")
	hiring, err := h.Text("main")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hiring, "Hiring gaps") || strings.Contains(hiring, "Maya Chen") {
		t.Fatalf("HR's hiring page: %.300s", hiring)
	}
	b := visit(t, s, "hr@demo.test", "/people/"+itoa(pm.ID), "/people/"+itoa(pm.ID)+"/coaching")
	text, err := b.Text("main")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "Maya") || !(strings.Contains(text, "403") || strings.Contains(text, "404")) {
		t.Fatalf("HR sees a person's page: %.300s", text)
	}
}

// growth returns the id of the demo team Growth.
func (s *server) growth(t *testing.T) int64 {
	t.Helper()
	teams, err := s.db.FindTeams(t.Context(), &app.Actor{OrgID: s.org.ID, Role: app.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		if tm.Name == "Growth" {
			return tm.ID
		}
	}
	t.Fatal("no Growth team")
	return 0
}

func TestLeaderEditsAnSOP(t *testing.T) {
	s := startServer(t)
	b := visit(t, s, "leader@demo.test", "/teams/"+itoa(s.growth(t))+"/sops")
	href, err := browser.Eval[string](b, `(document.querySelector('a[href^="/sops/"]')||{}).getAttribute ? document.querySelector('a[href^="/sops/"]').getAttribute('href') : ''`)
	if err != nil || href == "" {
		t.Fatalf("no SOP link on the board: %v", err)
	}
	if err := b.Open(s.base + href + "/edit"); err != nil {
		t.Fatal(err)
	}
	if err := b.SetAndSubmit(map[string]string{`.sop-form textarea[name=purpose]`: "Edited in the browser <script>alert(9)</script>"}, `.sop-form button.primary`); err != nil {
		t.Fatal(err)
	}
	if err := b.Open(s.base + href); err != nil {
		t.Fatal(err)
	}
	text, err := b.Text("main")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Edited in the browser") {
		t.Fatalf("the edit is not shown: %.400s", text)
	}
	if err := b.Screenshot(artifacts(t) + "/leader_sop_edited.png"); err != nil {
		t.Fatal(err)
	}
	if _, dialogs, _ := b.Seen(); len(dialogs) > 0 {
		t.Fatalf("a dialog opened: %v", dialogs)
	}
}

func TestLeaderWritesACheckInThePMSeesOnlyTheSharedNote(t *testing.T) {
	s := startServer(t)
	pm, err := s.db.FindUserByEmail(t.Context(), s.org.ID, "pm@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	b := visit(t, s, "leader@demo.test", "/people/"+itoa(pm.ID)+"/coaching")
	// The form sits in a closed <details>: open it as a person would.
	if _, err := browser.Eval[bool](b, `document.querySelectorAll('details').forEach(d => d.open = true), true`); err != nil {
		t.Fatal(err)
	}
	if err := b.SetAndSubmit(map[string]string{
		`#check-in-form textarea[name=shared_note]`:  "Shared from the browser test",
		`#check-in-form textarea[name=private_note]`: "Private from the browser test",
	}, `#check-in-form button.primary`); err != nil {
		t.Fatal(err)
	}
	if err := b.Screenshot(artifacts(t) + "/leader_checkin_recorded.png"); err != nil {
		t.Fatal(err)
	}
	p := visit(t, s, "pm@demo.test", "/me/coaching")
	text, err := p.Text("main")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Shared from the browser test") {
		t.Errorf("the PM does not see the shared note")
	}
	if strings.Contains(text, "Private from the browser test") {
		t.Errorf("the PM sees the leader's private note")
	}
}
