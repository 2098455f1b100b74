package http

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
)

type openAPIDoc struct {
	OpenAPI string                                 `json:"openapi"`
	Paths   map[string]map[string]openAPIOperation `json:"paths"`
}

type openAPIOperation struct {
	Summary    string `json:"summary"`
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	Responses map[string]json.RawMessage `json:"responses"`
}

var fiberParam = regexp.MustCompile(`:([a-zA-Z_]+)`)

// TestOpenAPIMatchesRoutes fails when a route under /api/ is missing from openapi.json,
// or the description lists an operation the server does not have.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	srv, err := New(testConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q, want 3.x", doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, r := range srv.Routes() {
		if strings.HasPrefix(r.Path, "/api/") {
			routes[strings.ToLower(r.Method)+" "+fiberParam.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	described := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			key := method + " " + path
			described[key] = true
			if op.Summary == "" || len(op.Responses) == 0 {
				t.Errorf("%s: no summary or responses", key)
			}
			declared := map[string]bool{}
			for _, p := range op.Parameters {
				if p.In == "path" {
					declared[p.Name] = true
				}
			}
			for _, m := range regexp.MustCompile(`\{([a-zA-Z_]+)\}`).FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: path parameter %s is not declared", key, m[1])
				}
			}
		}
	}
	var missing, extra []string
	for k := range routes {
		if !described[k] {
			missing = append(missing, k)
		}
	}
	for k := range described {
		if !routes[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("route %s is missing from internal/http/openapi.json", k)
	}
	for _, k := range extra {
		t.Errorf("openapi.json describes %s, which the server does not have", k)
	}
}

func TestOpenAPIServedPublicly(t *testing.T) {
	srv, err := New(testConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.App().Test(httptest.NewRequest("GET", "/api/openapi.json", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !json.Valid(body) {
		t.Fatalf("status %d, type %q, valid JSON %v", res.StatusCode, res.Header.Get("Content-Type"), json.Valid(body))
	}
}

// TestOpenAPIBodies: each documented request body lists exactly the media types its route
// takes (any other is 415), each such operation documents the 415, and the error codes
// are the error table's.
func TestOpenAPIBodies(t *testing.T) {
	srv, err := New(testConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"requestBody"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas struct {
				Error struct {
					Properties struct {
						Error struct {
							Properties struct {
								Code struct {
									Enum []string `json:"enum"`
								} `json:"code"`
							} `json:"properties"`
						} `json:"error"`
					} `json:"properties"`
				} `json:"Error"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		key := strings.ToLower(r.Method) + " " + fiberParam.ReplaceAllString(r.Path, "{$1}")
		op, ok := doc.Paths[fiberParam.ReplaceAllString(r.Path, "{$1}")][strings.ToLower(r.Method)]
		if !ok || op.RequestBody == nil {
			continue
		}
		var types []string
		for ct := range op.RequestBody.Content {
			types = append(types, ct)
		}
		sort.Strings(types)
		takes := append([]string(nil), r.accepts()...)
		sort.Strings(takes)
		if strings.Join(types, " ") != strings.Join(takes, " ") {
			t.Errorf("%s documents a body of %v; the route takes %v", key, types, takes)
		}
		if _, ok := op.Responses["415"]; !ok {
			t.Errorf("%s takes a body but does not document the 415", key)
		}
	}
	var codes []string
	for code := range statusOf {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	documented := doc.Components.Schemas.Error.Properties.Error.Properties.Code.Enum
	sort.Strings(documented)
	if strings.Join(codes, " ") != strings.Join(documented, " ") {
		t.Errorf("the Error schema's codes %v, the error table's %v", documented, codes)
	}
}
