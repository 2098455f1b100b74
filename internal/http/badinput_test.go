package http

import (
	"bytes"
	"encoding/json"
	"maps"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
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
		email := sweepCaller(r)
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

// sweepCaller is the demo account a route-walking test calls the route as: an admin, else
// the team's leader, else HR, else a PM.
func sweepCaller(r Route) string {
	switch {
	case slices.Contains(r.Roles, app.RoleAdmin):
		return "admin@demo.test"
	case slices.Contains(r.Roles, app.RoleLeader):
		return "leader@demo.test"
	case slices.Contains(r.Roles, app.RoleHR):
		return "hr@demo.test"
	}
	return "pm@demo.test"
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

// TestBadTextPath: the path of the first string (or key) that is not storable text as
// sent — a NUL, bytes that are not UTF-8, an escaped lone surrogate — or "".
func TestBadTextPath(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`"a\u0000"`, "body"},
		{`{"a": "ok", "b": [1, {"c": "x\u0000"}]}`, "b[1].c"},
		{`{"z": "\u0000", "a": "\u0000"}`, "z"}, // the first as sent
		{`{"a": "no nul", "b": ["\\u0000 is only text"]}`, ""},
		{"{\"a\": {\"b\": [\"ok\", \"caf\xe9\"]}}", "a.b[1]"},
		{"{\"a\": \"\xff\xfe\"}", "a"},
		{"{\"a\": \"\xed\xa0\x80\"}", "a"}, // a surrogate encoded in UTF-8
		{`{"a": "x\ud800"}`, "a"},
		{`{"a": "\uDC00x"}`, "a"},
		{`{"a": "\ud800\u0041"}`, "a"},
		{`{"a": "\ud800\\udc00"}`, "a"}, // the second half is only text
		{`{"a": "\ud83d\ude00 \uD83D\uDE00 \ufffd \\ud800"}`, ""},
		{"{\"a\": \"\xf0\x9f\x98\x80 \xef\xbf\xbd\"}", ""},
		{"{\"m\": {\"k\xff\": 1}}", "m"},
		{`{"m": {"k\u0000": 1}}`, "m"},
		{`{"n": 1e999, "t": true, "z": null, "s": "ok"}`, ""},
	} {
		if got := kit.BadTextPath([]byte(tc.json)); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.json, got, tc.want)
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
	if err := json.Unmarshal(testOpenAPISpec(t), &doc); err != nil {
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
		if all, ok := s["allOf"].([]any); ok && len(all) == 1 { // a nullable reference
			if one, ok := all[0].(map[string]any); ok {
				return gen(one, v, depth)
			}
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

// checkInWithReflection records a check-in on Maya's demo plan (pm@demo.test) and has her
// write the reflection; it returns the check-in's id.
func checkInWithReflection(t *testing.T, f *fixture, reflection string) string {
	t.Helper()
	body := map[string]any{"goals": []map[string]string{{"competency": "customer_research", "status": "on_track"}, {"competency": "business_outcomes", "status": "on_track"}}}
	res := f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+itoa64(demoPlanID(t, f))+"/check-ins", body)
	wantStatus(t, res, 201)
	var ci struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	res.JSON(t, &ci)
	id := itoa64(ci.Data.ID)
	wantStatus(t, f.as(t, "pm@demo.test", "PUT", "/api/v1/check-ins/"+id+"/reflection", map[string]string{"reflection": reflection}), 200)
	return id
}

// reflection is the stored reflection of the check-in.
func (f *fixture) reflection(t *testing.T, checkInID string) string {
	t.Helper()
	var s string
	if err := f.db.Get(&s, `SELECT reflection FROM check_ins WHERE id = $1`, checkInID); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBodyMustBeAnObject: a JSON body that is not an object is refused with 422 naming
// "body", and nothing changes. null used to decode as "every field empty": it cleared the
// profile and erased the reflection.
func TestBodyMustBeAnObject(t *testing.T) {
	f := newFixture(t)
	wantStatus(t, f.as(t, "pm@demo.test", "PUT", "/api/v1/me/profile",
		map[string]any{"background": "sales", "role_started_on": "2023-01-10", "specialisms": []string{"fintech"}, "spikes": []string{"compensation"}}), 200)
	profile := func() string {
		t.Helper()
		res := f.as(t, "pm@demo.test", "GET", "/api/v1/me/profile", nil)
		wantStatus(t, res, 200)
		return string(res.Body)
	}
	before := profile()
	ci := checkInWithReflection(t, f, "Kept.")
	for _, body := range []string{"null", " null\n", "[]", `[{"reflection": ""}]`, `"x"`, "1", "true"} {
		wantField(t, f.as(t, "pm@demo.test", "PUT", "/api/v1/me/profile", body), 422, "body")
		wantField(t, f.as(t, "pm@demo.test", "PUT", "/api/v1/check-ins/"+ci+"/reflection", body), 422, "body")
	}
	if after := profile(); after != before {
		t.Errorf("the profile changed:\n%s\nwas\n%s", after, before)
	}
	if got := f.reflection(t, ci); got != "Kept." {
		t.Errorf("the reflection is %q, want it kept", got)
	}
}

// TestBodyOfAnotherTypeRefused: a body whose Content-Type the route does not take is
// refused with 415 before the handler reads it, and nothing changes: JSON routes take
// application/json, pages take forms, the CSV import takes text/csv or multipart. A
// request without a body needs no Content-Type.
func TestBodyOfAnotherTypeRefused(t *testing.T) {
	f := newFixture(t)
	ci := checkInWithReflection(t, f, "Kept.")
	pm := f.token(t, "pm@demo.test")
	api, page := "/api/v1/check-ins/"+ci+"/reflection", "/coaching/check-ins/"+ci+"/reflection"
	for _, tc := range []struct{ method, path, body, ct string }{
		{"PUT", api, `{"reflection": "Changed."}`, "text/plain"},
		{"PUT", api, `{"reflection": "Changed."}`, "text/plain; charset=utf-8"},
		{"PUT", api, `{"reflection": "Changed."}`, ""},
		{"PUT", api, "reflection=Changed.", "application/x-www-form-urlencoded"},
		{"PUT", api, `{"reflection": "Changed."}`, "application/jsonx"},
		{"PUT", api, `{"reflection": "Changed."}`, "not a media type"},
		{"POST", page, `{"reflection": "Changed."}`, "application/json"},
		{"POST", page, "reflection=Changed.", "text/plain"},
	} {
		res := f.do(t, tc.method, tc.path, pm, tc.body, "Content-Type", tc.ct)
		if res.Status != 415 {
			t.Errorf("%s %s as %q: %d %s, want 415", tc.method, tc.path, tc.ct, res.Status, res.Body)
		}
	}
	if got := f.reflection(t, ci); got != "Kept." {
		t.Errorf("the reflection is %q, want it kept", got)
	}
	res := f.do(t, "PUT", api, pm, `{"reflection": "Changed."}`, "Content-Type", "application/json; charset=utf-8")
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), "Changed.") {
		t.Errorf("the JSON write: %s", res.Body)
	}
	if res.ErrorCode() != "" {
		t.Errorf("error envelope on success: %s", res.Body)
	}
	// The API import takes text/csv or multipart, nothing else; a 415 names both.
	res = f.do(t, "POST", "/api/v1/imports/preview?team_id="+itoa64(f.ids["team:Growth"]), f.token(t, "leader@demo.test"),
		"email\npm@demo.test\n", "Content-Type", "text/plain")
	if res.Status != 415 || !strings.Contains(string(res.Body), "text/csv") || !strings.Contains(string(res.Body), "multipart/form-data") {
		t.Errorf("text/plain import: %d %s, want 415 naming text/csv and multipart/form-data", res.Status, res.Body)
	}
	// No body, no Content-Type needed.
	wantStatus(t, f.do(t, "POST", "/api/v1/auth/logout", pm, nil), 200)
}

// TestInvalidUTF8InJSONRefused: bytes that are not UTF-8 in a JSON string (and an escaped
// lone surrogate) are refused with 422 naming the field, and nothing is stored: the
// decoder used to replace them with U+FFFD silently. An escaped surrogate pair is a
// character like any other.
func TestInvalidUTF8InJSONRefused(t *testing.T) {
	f := newFixture(t)
	ci := checkInWithReflection(t, f, "Kept.")
	pm2 := itoa64(f.ids["pm2@demo.test"])
	for _, tc := range []struct {
		email, method, path, body, field string
	}{
		{"pm@demo.test", "PUT", "/api/v1/check-ins/" + ci + "/reflection", "{\"reflection\": \"caf\xe9\"}", "reflection"},
		{"pm@demo.test", "PUT", "/api/v1/check-ins/" + ci + "/reflection", `{"reflection": "x\ud800y"}`, "reflection"},
		{"pm@demo.test", "PUT", "/api/v1/check-ins/" + ci + "/reflection", `{"reflection": "\udc00\ud83d"}`, "reflection"},
		{"pm@demo.test", "PUT", "/api/v1/me/profile", "{\"specialisms\": [\"fintech\", \"b2\xffb\"]}", "specialisms[1]"},
		{"admin@demo.test", "PATCH", "/api/v1/users/" + pm2, "{\"name\": \"Omar\xc0\xafHaddad\"}", "name"},
		{"admin@demo.test", "PUT", "/api/v1/teams/" + itoa64(f.ids["team:Growth"]) + "/targets",
			"{\"targets\": [{\"competency\": \"analytics\xed\xa0\x80\", \"coverage\": 1, \"depth\": 3, \"criticality\": 2}]}", "targets[0].competency"},
	} {
		wantField(t, f.do(t, tc.method, tc.path, f.token(t, tc.email), tc.body), 422, tc.field)
	}
	if got := f.reflection(t, ci); got != "Kept." {
		t.Errorf("the reflection is %q, want it kept", got)
	}
	u, err := f.db.FindUserByEmail(t.Context(), f.org.ID, "pm2@demo.test")
	if err != nil || u.Name != "Omar Haddad" {
		t.Fatalf("the name changed: %+v %v", u, err)
	}
	wantStatus(t, f.as(t, "pm@demo.test", "PUT", "/api/v1/check-ins/"+ci+"/reflection", `{"reflection": "\ud83d\ude00 \ufffd kept"}`), 200)
	if got := f.reflection(t, ci); got != "😀 \ufffd kept" {
		t.Errorf("an escaped surrogate pair and U+FFFD: stored %q", got)
	}
}

// openAPIBody is what openapi.json says an operation's request body is.
type openAPIBody struct {
	Types  []string       // its media types, sorted
	Schema map[string]any // the application/json schema, if any
}

// openAPIBodies reads the documented request bodies by "METHOD /fiber/:path", and the
// schemas they refer to.
func openAPIBodies(t *testing.T) (map[string]openAPIBody, map[string]map[string]any) {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(testOpenAPISpec(t), &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{([a-z_]+)\}`)
	out := map[string]openAPIBody{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.RequestBody == nil {
				continue
			}
			var b openAPIBody
			for ct, c := range op.RequestBody.Content {
				b.Types = append(b.Types, ct)
				if ct == "application/json" {
					b.Schema = c.Schema
				}
			}
			slices.Sort(b.Types)
			out[strings.ToUpper(method)+" "+param.ReplaceAllString(path, ":$1")] = b
		}
	}
	return out, doc.Components.Schemas
}

// firstStringLeaf finds the first string the schema holds (properties in name order, a
// list's first item) and returns its path as segments (a name or 0 for a list's item).
func firstStringLeaf(s map[string]any, schemas map[string]map[string]any, depth int) ([]any, bool) {
	if depth > 8 {
		return nil, false
	}
	if ref, ok := s["$ref"].(string); ok {
		return firstStringLeaf(schemas[strings.TrimPrefix(ref, "#/components/schemas/")], schemas, depth+1)
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		subs, _ := s[k].([]any)
		for _, sub := range subs {
			if m, ok := sub.(map[string]any); ok {
				if p, ok := firstStringLeaf(m, schemas, depth+1); ok {
					return p, true
				}
			}
		}
	}
	types := []string{}
	switch v := s["type"].(type) {
	case string:
		types = append(types, v)
	case []any:
		for _, e := range v {
			if e, ok := e.(string); ok {
				types = append(types, e)
			}
		}
	}
	switch {
	case slices.Contains(types, "string") && s["format"] != "binary":
		return nil, true
	case slices.Contains(types, "object"):
		props, _ := s["properties"].(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(props)) {
			if m, ok := props[k].(map[string]any); ok {
				if p, ok := firstStringLeaf(m, schemas, depth+1); ok {
					return append([]any{k}, p...), true
				}
			}
		}
	case slices.Contains(types, "array"):
		if m, ok := s["items"].(map[string]any); ok {
			if p, ok := firstStringLeaf(m, schemas, depth+1); ok {
				return append([]any{0}, p...), true
			}
		}
	}
	return nil, false
}

// bodyAt is the JSON body holding only raw (a JSON string, as bytes) at the path, and the
// path as error fields name it (targets[0].competency).
func bodyAt(path []any, raw string) (body, field string) {
	body = raw
	for i := len(path) - 1; i >= 0; i-- {
		switch seg := path[i].(type) {
		case string:
			body = `{"` + seg + `": ` + body + `}`
		case int:
			body = "[" + body + "]"
		}
	}
	for _, seg := range path {
		switch seg := seg.(type) {
		case string:
			if field != "" {
				field += "."
			}
			field += seg
		case int:
			field += "[" + strconv.Itoa(seg) + "]"
		}
	}
	return body, field
}

// TestEveryRouteChecksItsBody walks every route that takes a body (every method but GET)
// as a caller it admits, so a new route is covered without anyone listing it:
//   - a body of a type the route does not take is refused with 415, and one it takes is
//     not: pages take forms, the API takes JSON or what openapi.json documents (the CSV
//     import: text/csv or multipart);
//   - a route that reads a JSON body (found by sending an unknown field, which only the
//     decoder answers: 400 naming it) refuses null, a list, a string, a number and true
//     with 422 naming "body", and a string that is not UTF-8 — raw bytes, or an escaped
//     lone surrogate — with 422 naming the string's field; and it documents that body in
//     openapi.json, as the description's JSON bodies are read by such routes.
func TestEveryRouteChecksItsBody(t *testing.T) {
	f := newFixture(t)
	bodies, schemas := openAPIBodies(t)
	reading := 0
	for _, r := range f.srv.Routes() {
		if r.Method == http.MethodGet {
			continue
		}
		key := r.Method + " " + r.Path
		email, path, api := sweepCaller(r), f.fillPath(r.Path), strings.HasPrefix(r.Path, "/api/")
		send := func(body, ct string) response {
			t.Helper()
			token := ""
			if r.Roles != nil {
				delete(f.tokens, email) // logout routes revoke the session they are given
				token = f.token(t, email)
			}
			return f.do(t, r.Method, path, token, body, "Content-Type", ct)
		}
		doc, documented := bodies[key]
		takes := []string{"application/x-www-form-urlencoded", "multipart/form-data"}
		if api {
			takes = []string{"application/json"}
			if documented {
				takes = doc.Types
			}
		}
		var probe response // the answer to an unknown field in JSON
		for _, ct := range []string{"text/plain", "application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/csv"} {
			body := `{"zz_unknown": 1}`
			mt := ct
			if ct == "multipart/form-data" {
				body, ct = multipartField("zz_unknown", "1")
			}
			res := send(body, ct)
			if mt == "application/json" {
				probe = res
			}
			if refused := res.Status == http.StatusUnsupportedMediaType; refused == slices.Contains(takes, mt) || res.Status >= 500 {
				t.Errorf("%s takes %v: a %s body answers %d %.200s", key, takes, mt, res.Status, res.Body)
			}
		}
		if !api || !slices.Contains(takes, "application/json") {
			continue
		}
		reads := probe.Status == http.StatusBadRequest && strings.Contains(string(probe.Body), `"field":"zz_unknown"`)
		switch {
		case reads && !documented:
			t.Errorf("%s reads a JSON body that openapi.json does not document", key)
			continue
		case documented && !reads:
			t.Errorf("%s documents a JSON body, but an unknown field did not reach its decoder: %d %.200s", key, probe.Status, probe.Body)
			continue
		case !reads:
			continue
		}
		reading++
		for _, body := range []string{"null", "[]", "1", `"text"`, "true"} {
			res := send(body, "application/json")
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"body"`) {
				t.Errorf("%s: body %s answers %d %.200s, want 422 naming body", key, body, res.Status, res.Body)
			}
		}
		leaf, ok := firstStringLeaf(doc.Schema, schemas, 0)
		if !ok {
			continue // no text to store (a revision, a plan's id, a switch)
		}
		for _, raw := range []string{"\"caf\xe9\"", `"\ud800"`} {
			body, field := bodyAt(leaf, raw)
			res := send(body, "application/json")
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"`+field+`"`) {
				t.Errorf("%s: body %q answers %d %.200s, want 422 naming %s", key, body, res.Status, res.Body, field)
			}
		}
	}
	if reading == 0 {
		t.Error("no route reads a JSON body: the probe is broken")
	}
}

// multipartField is a multipart/form-data body with one field, and its Content-Type.
func multipartField(name, value string) (body, contentType string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField(name, value) //nolint:errcheck // into a buffer
	w.Close()                 //nolint:errcheck
	return buf.String(), w.FormDataContentType()
}
