package http

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestOrgViewsCached: the organisation view (page and API), /hr and /api/v1/me are served
// from the view cache like the team dashboard: a repeat view is a hit with the same bytes,
// and a write to one of their inputs — through the API or in SQL — is seen on the next
// request.
func TestOrgViewsCached(t *testing.T) {
	f := newFixture(t)
	vc := f.srv.Views
	views := []struct{ email, path string }{
		{"admin@demo.test", "/org"},
		{"admin@demo.test", "/api/v1/org/shape"},
		{"hr@demo.test", "/hr"},
	}
	get := func(email, path string) []byte {
		t.Helper()
		res := f.as(t, email, "GET", path, nil)
		wantStatus(t, res, 200)
		return res.Body
	}
	counts := func() (int64, int64) { return vc.Hits.Load(), vc.Misses.Load() }
	for _, v := range views {
		first := get(v.email, v.path)
		h0, m0 := counts()
		second := get(v.email, v.path)
		if h, m := counts(); h != h0+1 || m != m0 || !bytes.Equal(first, second) {
			t.Fatalf("%s, repeated: hits %d→%d, misses %d→%d, same body %v", v.path, h0, h, m0, m, bytes.Equal(first, second))
		}
	}

	// A competency renamed through the API: every view misses once; the organisation's
	// show the new name (/hr names only a team's top gaps).
	wantStatus(t, f.as(t, "admin@demo.test", "PATCH", "/api/v1/competencies/analytics",
		map[string]any{"name": "Analytics (renamed)"}), 200)
	for _, v := range views {
		_, m0 := counts()
		if b := get(v.email, v.path); v.path != "/hr" && !strings.Contains(string(b), "Analytics (renamed)") {
			t.Fatalf("%s after a rename through the API does not show it", v.path)
		}
		if _, m := counts(); m != m0+1 {
			t.Fatalf("%s after a rename: misses %d→%d, want one", v.path, m0, m)
		}
	}

	// Leader ratings made in SQL, outside the app (every PM at 0 everywhere): the figures
	// of every view change on the next request.
	var before [][]byte
	for _, v := range views {
		before = append(before, get(v.email, v.path))
	}
	if _, err := f.db.ExecContext(context.Background(), `
		INSERT INTO ratings (org_id, subject_id, rater_id, kind, competency_id, level)
		SELECT $1, u.id, $2, 'leader', c.id, 0 FROM users u, competencies c
		WHERE u.org_id = $1 AND u.role = 'pm' AND c.org_id = $1`,
		f.org.ID, f.ids["leader@demo.test"]); err != nil {
		t.Fatal(err)
	}
	for i, v := range views {
		if after := get(v.email, v.path); bytes.Equal(before[i], after) {
			t.Fatalf("%s missed ratings made in SQL", v.path)
		}
	}

	// /api/v1/me: a hit when repeated; a rename by an admin is seen at once.
	me := get("pm@demo.test", "/api/v1/me")
	h0, _ := counts()
	if again := get("pm@demo.test", "/api/v1/me"); !bytes.Equal(me, again) {
		t.Fatal("/api/v1/me repeated: another answer")
	}
	if h, _ := counts(); h != h0+1 {
		t.Fatalf("/api/v1/me repeated: hits %d→%d", h0, h)
	}
	wantStatus(t, f.as(t, "admin@demo.test", "PATCH", "/api/v1/users/"+itoa64(f.ids["pm@demo.test"]),
		map[string]any{"name": "Pat Renamed"}), 200)
	if b := get("pm@demo.test", "/api/v1/me"); !strings.Contains(string(b), "Pat Renamed") {
		t.Fatalf("/api/v1/me after a rename: %s", b)
	}
}
