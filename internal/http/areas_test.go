package http

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

// areaKeys returns the organisation's area keys in display order, through the API.
func (f *fixture) areaKeys(t *testing.T) []string {
	t.Helper()
	var fw struct {
		Data struct {
			Areas []app.Area `json:"areas"`
		} `json:"data"`
	}
	res := f.as(t, "pm@demo.test", http.MethodGet, "/api/v1/competencies", nil)
	wantStatus(t, res, http.StatusOK)
	res.JSON(t, &fw)
	keys := make([]string, len(fw.Data.Areas))
	for i, a := range fw.Data.Areas {
		keys[i] = a.Key
	}
	return keys
}

// TestAreasAPI: an admin adds an area (last), renames it and moves it; bad input is refused
// naming the field and changes nothing.
func TestAreasAPI(t *testing.T) {
	f := newFixture(t)
	before := f.areaKeys(t)
	if len(before) != 5 {
		t.Fatalf("default areas %v", before)
	}
	res := f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/areas", map[string]any{"key": "commercial", "name": " Commercial acumen "})
	wantStatus(t, res, http.StatusCreated)
	var created struct{ Data app.Area }
	res.JSON(t, &created)
	if created.Data.Key != "commercial" || created.Data.Name != "Commercial acumen" || created.Data.Competencies == nil {
		t.Fatalf("created %+v", created.Data)
	}
	if got := f.areaKeys(t); len(got) != 6 || got[5] != "commercial" {
		t.Fatalf("after create: %v", got)
	}
	// A competency goes into it.
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/competencies",
		map[string]any{"area": "commercial", "key": "pricing", "name": "Pricing", "importance": 2}), http.StatusCreated)

	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		field        string
	}{
		{http.MethodPost, "/api/v1/areas", map[string]any{"key": "commercial", "name": "Again"}, http.StatusConflict, "key"},
		{http.MethodPost, "/api/v1/areas", map[string]any{"key": "Bad Key", "name": "X"}, http.StatusUnprocessableEntity, "key"},
		{http.MethodPost, "/api/v1/areas", map[string]any{"key": "empty_name", "name": "  "}, http.StatusUnprocessableEntity, "name"},
		{http.MethodPost, "/api/v1/areas", map[string]any{"key": "x1", "name": "X", "extra": 1}, http.StatusBadRequest, "extra"},
		{http.MethodPatch, "/api/v1/areas/commercial", map[string]any{"position": 0}, http.StatusUnprocessableEntity, "position"},
		{http.MethodPatch, "/api/v1/areas/commercial", map[string]any{"position": 7}, http.StatusUnprocessableEntity, "position"},
		{http.MethodPatch, "/api/v1/areas/commercial", map[string]any{"name": strings.Repeat("n", 201)}, http.StatusUnprocessableEntity, "name"},
		{http.MethodPatch, "/api/v1/areas/commercial", map[string]any{}, http.StatusUnprocessableEntity, "name"},
	} {
		wantField(t, f.as(t, "admin@demo.test", tc.method, tc.path, tc.body), tc.status, tc.field)
		if got := f.areaKeys(t); len(got) != 6 || got[5] != "commercial" {
			t.Fatalf("%s %s %v changed the areas: %v", tc.method, tc.path, tc.body, got)
		}
	}
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/areas/nope", map[string]any{"name": "X"}), http.StatusNotFound)

	// Rename and move to the front in one request; the others keep their order.
	res = f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/areas/commercial", map[string]any{"name": "Commercial", "position": 1})
	wantStatus(t, res, http.StatusOK)
	var moved struct{ Data app.Area }
	res.JSON(t, &moved)
	if moved.Data.Name != "Commercial" || len(moved.Data.Competencies) != 1 || moved.Data.Competencies[0].Key != "pricing" {
		t.Fatalf("moved %+v", moved.Data)
	}
	if got := f.areaKeys(t); strings.Join(got, ",") != "commercial,"+strings.Join(before, ",") {
		t.Fatalf("after move: %v", got)
	}
	// Move back down to third.
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/areas/commercial", map[string]any{"position": 3}), http.StatusOK)
	want := append(append([]string{}, before[:2]...), append([]string{"commercial"}, before[2:]...)...)
	if got := f.areaKeys(t); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after move to 3: %v, want %v", got, want)
	}
	// Only admins.
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodPost, "/api/v1/areas", map[string]any{"key": "x2", "name": "X"}), http.StatusForbidden)
}

// TestAreaForms: the framework page adds, renames and moves areas; a refused form keeps
// what was typed and says why; names render as text.
func TestAreaForms(t *testing.T) {
	f := newFixture(t)
	before := f.areaKeys(t)
	res := f.form(t, "admin@demo.test", "/admin/framework/areas", url.Values{"key": {"commercial"}, "name": {"<b>Commercial</b>"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add area: %d %s", res.Status, res.Body)
	}
	res = f.form(t, "admin@demo.test", "/admin/framework/areas", url.Values{"key": {"Bad"}, "name": {"Kept name"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "The key must be") || !strings.Contains(string(res.Body), `value="Kept name"`) {
		t.Fatalf("bad key: %d", res.Status)
	}
	page := f.as(t, "admin@demo.test", http.MethodGet, "/admin/framework", nil)
	if strings.Contains(string(page.Body), "<b>Commercial</b>") || !strings.Contains(string(page.Body), "&lt;b&gt;Commercial&lt;/b&gt;") {
		t.Fatal("an area's name is not escaped")
	}
	// The up button of the last area posts its position minus one.
	if res := f.form(t, "admin@demo.test", "/admin/framework/areas/commercial", url.Values{"position": {"5"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("move up: %d %s", res.Status, res.Body)
	}
	want := append(append([]string{}, before[:4]...), "commercial", before[4])
	if got := f.areaKeys(t); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after up: %v, want %v", got, want)
	}
	if res := f.form(t, "admin@demo.test", "/admin/framework/areas/commercial", url.Values{"name": {"Commercial"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("rename: %d", res.Status)
	}
	if res := f.form(t, "admin@demo.test", "/admin/framework/areas/commercial", url.Values{"position": {"99"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("move past the end: %d", res.Status)
	}
}
