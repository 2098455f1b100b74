package http

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
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
	u, err := f.db.FindUserByEmail(t.Context(), f.org.ID, "pm2@demo.test")
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

// TestNoServerErrorOnExtremeValues sends every JSON body the OpenAPI description declares,
// filled from its schema with extreme but well-typed values (the largest and smallest
// integers, far dates, long and odd strings, enums at their first value so the body gets
// past the first checks), to every route as a caller it admits: each must answer below 500.
func TestNoServerErrorOnExtremeValues(t *testing.T) {
	f := newFixture(t)
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		t.Fatal(err)
	}
	strs := []string{"9999-12-31", "0001-01-01", strings.Repeat("x", 3000), "2026-Q9", "analytics",
		"https://example.com/" + strings.Repeat("a", 2100), "-1", " ", "2026-11-22"}
	ints := []float64{9223372036854775807, -9223372036854775808, 2147483648, -1, 0, 3, 1e300}
	var gen func(s map[string]any, v, depth int) any
	gen = func(s map[string]any, v, depth int) any {
		if ref, ok := s["$ref"].(string); ok {
			s = doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		}
		if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
			return enum[0]
		}
		switch s["type"] {
		case "object":
			out := map[string]any{}
			props, _ := s["properties"].(map[string]any)
			for k, p := range props {
				if ps, ok := p.(map[string]any); ok && depth < 6 {
					out[k] = gen(ps, v+len(k)*(v%3), depth+1) // fields differ, so some pass and others probe
				}
			}
			return out
		case "array":
			items, _ := s["items"].(map[string]any)
			if items == nil || depth >= 6 {
				return []any{}
			}
			return []any{gen(items, v, depth+1), gen(items, v+1, depth+1)}
		case "integer", "number":
			return ints[v%len(ints)]
		case "boolean":
			return v%2 == 0
		}
		return strs[v%len(strs)]
	}
	roles := map[string][]string{}
	for _, r := range f.srv.Routes() {
		roles[r.Method+" "+r.Path] = r.Roles
	}
	param := regexp.MustCompile(`\{([a-z_]+)\}`)
	for path, ops := range doc.Paths {
		route := param.ReplaceAllString(path, ":$1")
		for method, raw := range ops {
			var op struct {
				RequestBody struct {
					Content map[string]struct {
						Schema map[string]any `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			body, ok := op.RequestBody.Content["application/json"]
			if !ok {
				continue
			}
			method = strings.ToUpper(method)
			email := "admin@demo.test"
			if rs := roles[method+" "+route]; rs != nil && !slices.Contains(rs, app.RoleAdmin) {
				email = map[bool]string{true: "leader@demo.test", false: "pm@demo.test"}[slices.Contains(rs, app.RoleLeader)]
			}
			if route == "/api/v1/auth/logout" {
				continue
			}
			for v := range 3 * len(strs) {
				delete(f.tokens, email)
				js, _ := json.Marshal(gen(body.Schema, v, 0))
				res := f.do(t, method, f.fillPath(route), f.token(t, email), js, "Content-Type", "application/json")
				if res.Status >= 500 {
					t.Errorf("%s %s as %s: %d %s\nbody %.300s", method, route, email, res.Status, res.Body, js)
				}
			}
		}
	}
}
