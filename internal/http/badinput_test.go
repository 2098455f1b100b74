package http

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestNoServerErrorOnBadInput walks every route that takes input as a caller it admits
// (an admin, else the team's leader, else a PM), with bodies of the wrong shape and with
// path ids that are not numbers, not positive or not there: each must answer below 500.
// ("Bad input gets a clear error": a 500 here is a missing check.)
func TestNoServerErrorOnBadInput(t *testing.T) {
	f := newFixture(t)
	bodies := []string{
		"not json", "[]", "null", `"text"`, "123", `{"unknown_field": 1}`,
		`{"name": 7, "email": [], "role": {}, "title": 1.5, "targets": "x", "ratings": {"a": 1},
		  "competency": null, "level": "high", "steps": 3, "goals": [1, 2], "start": "yesterday",
		  "status": [], "position": "first", "key": 5, "quarter": 2026, "as_of": 1}`,
		`{"targets": [{"competency": "analytics", "coverage": 1e309}]}`,
		`{"ratings": [{"competency": "analytics", "level": 99999999999999999999}]}`,
		strings.Repeat("[", 10000),
		`{"name": "a\u0000b", "title": "x\u0000", "key": "k\u0000", "email": "a\u0000@b.c", "description": "\u0000",
		  "purpose": "\u0000", "note": "\u0000", "reflection": "\u0000", "company": "\u0000", "url": "https://x/\u0000"}`,
		"name=a%00b&key=k%00&email=x%00%40y.z&title=%ff%fe&description=%00&company=%00&note=%00",
	}
	param := regexp.MustCompile(`:[a-z_]+`)
	for _, r := range f.srv.Routes() {
		if r.Roles == nil {
			continue
		}
		email := "pm@demo.test"
		switch {
		case strings.Contains(" "+strings.Join(r.Roles, " ")+" ", " admin "):
			email = "admin@demo.test"
		case strings.Contains(" "+strings.Join(r.Roles, " ")+" ", " leader "):
			email = "leader@demo.test"
		case strings.Contains(" "+strings.Join(r.Roles, " ")+" ", " hr "):
			email = "hr@demo.test"
		}
		paths := []string{f.fillPath(r.Path)}
		if strings.Contains(r.Path, ":") {
			for _, bad := range []string{"abc", "0", "-1", "999999999", "99999999999999999999999"} {
				paths = append(paths, param.ReplaceAllString(r.Path, bad))
			}
		}
		for _, path := range paths {
			send := []string{""}
			if r.Method != http.MethodGet {
				send = bodies
			} else {
				path += "?as_of=not-a-date&view=none&history=maybe&quarter=2026-Q9&competency=%00&page=-1&q=%ff"
			}
			for _, body := range send {
				delete(f.tokens, email) // logout routes revoke the session they are given
				for _, ct := range []string{"application/json", "application/x-www-form-urlencoded"} {
					res := f.do(t, r.Method, path, f.token(t, email), body, "Content-Type", ct)
					if res.Status >= 500 {
						short := body
						if len(short) > 40 {
							short = short[:40] + "…"
						}
						t.Errorf("%s %s as %s (%s, body %q): %d %s", r.Method, path, email, ct, short, res.Status, res.Body)
					}
				}
			}
		}
	}
}

// TestUnstorableTextRefused: a NUL character (or bytes that are not UTF-8) in JSON, a form
// or a query string is refused with 422 naming the field, before it reaches PostgreSQL
// (whose text cannot hold it: that was a 500), and nothing changes.
func TestUnstorableTextRefused(t *testing.T) {
	f := newFixture(t)
	pm := itoa64(f.ids["pm2@demo.test"])
	for _, tc := range []struct {
		method, path, body, ct, field string
	}{
		{"PATCH", "/api/v1/users/" + pm, `{"name": "Omar\u0000Haddad"}`, "application/json", "name"},
		{"PUT", "/api/v1/teams/" + itoa64(f.ids["team:Growth"]) + "/targets",
			`{"targets": [{"competency": "analytics\u0000", "coverage": 1, "depth": 3, "criticality": 2}]}`, "application/json", "targets[0].competency"},
		{"POST", "/admin/people/users/" + pm, "name=Omar%00Haddad&role=pm", "application/x-www-form-urlencoded", "name"},
		{"POST", "/admin/people/users/" + pm, "name=Omar%ffHaddad&role=pm", "application/x-www-form-urlencoded", "name"},
		{"GET", "/api/v1/resources?competency=analytics%00", "", "", "competency"},
	} {
		res := f.do(t, tc.method, tc.path, f.token(t, "admin@demo.test"), tc.body, "Content-Type", tc.ct)
		named := strings.Contains(string(res.Body), `"field":"`+tc.field+`"`) || // the API
			strings.Contains(string(res.Body), "<p>"+tc.field+" holds a character") // a page
		if res.Status != 422 || !named {
			t.Errorf("%s %s %s: %d %s, want 422 naming %s", tc.method, tc.path, tc.body, res.Status, res.Body, tc.field)
		}
	}
	u, err := f.db.FindUserByEmail(t.Context(), "pm2@demo.test")
	if err != nil || u.Name != "Omar Haddad" {
		t.Fatalf("the name changed: %+v %v", u, err)
	}
}

func TestNulPath(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`"a\u0000"`, "body"},
		{`{"a": "ok", "b": [1, {"c": "x\u0000"}]}`, "b[1].c"},
		{`{"z": "\u0000", "a": "\u0000"}`, "a"},
		{`{"a": "no nul", "b": ["\\u0000 is only text"]}`, ""},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.json), &v); err != nil {
			t.Fatal(err)
		}
		if got := nulPath(v, ""); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.json, got, tc.want)
		}
	}
}
