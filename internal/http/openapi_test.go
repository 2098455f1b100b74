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

	"github.com/teamshape/teamshape/internal/http/api"
	"github.com/teamshape/teamshape/internal/http/kit"
)

type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Tags    []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tags"`
	Paths map[string]map[string]openAPIOperation `json:"paths"`
}

type openAPIOperation struct {
	Summary    string   `json:"summary"`
	Tags       []string `json:"tags"`
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	Responses map[string]json.RawMessage `json:"responses"`
}

// TestOpenAPIMatchesRoutes fails when a route under /api/ has no entry in apiOps
// (openapi_ops.go), or an entry has no route; and checks what the description derives.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	srv, err := New(testConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, r := range srv.Routes() {
		if strings.HasPrefix(r.Path, "/api/") {
			routes[apiKey(r)] = true
		}
	}
	var missing, extra []string
	for k := range routes {
		if _, ok := apiOps[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range apiOps {
		if !routes[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("route %s has no entry in apiOps (internal/http/openapi_ops.go)", k)
	}
	for _, k := range extra {
		t.Errorf("apiOps describes %s, which the route table lacks", k)
	}

	var doc openAPIDoc
	if err := json.Unmarshal(srv.openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q, want 3.x", doc.OpenAPI)
	}
	tags := map[string]bool{}
	for _, tg := range doc.Tags {
		if tg.Description == "" {
			t.Errorf("tag %s has no description", tg.Name)
		}
		tags[tg.Name] = true
	}
	described := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			described++
			key := method + " " + path
			if op.Summary == "" || len(op.Responses) == 0 || len(op.Tags) != 1 || !tags[op.Tags[0]] {
				t.Errorf("%s: no summary, responses or described tag", key)
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
				if _, ok := op.Responses["404"]; !ok {
					t.Errorf("%s: a path parameter but no 404", key)
				}
			}
		}
	}
	if described != len(routes) {
		t.Errorf("the description has %d operations, the route table %d API routes", described, len(routes))
	}
}

// TestOpenAPINeedsAnEntry: a route without an entry, or an entry without a route, stops the
// server from starting.
func TestOpenAPINeedsAnEntry(t *testing.T) {
	extra := Route{Method: get, Path: "/api/v1/nowhere", Roles: kit.Anyone}
	if _, err := buildOpenAPI([]Route{extra}, map[string]apiOp{}); err == nil || !strings.Contains(err.Error(), "GET /api/v1/nowhere") {
		t.Errorf("a route without an entry: %v", err)
	}
	if _, err := buildOpenAPI(nil, map[string]apiOp{"GET /api/v1/nowhere": {Tag: "meta", Data: api.Deleted{}}}); err == nil || !strings.Contains(err.Error(), "GET /api/v1/nowhere") {
		t.Errorf("an entry without a route: %v", err)
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
				ErrorCode struct {
					Enum []string `json:"enum"`
				} `json:"ErrorCode"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(srv.openAPI, &doc); err != nil {
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
	for code := range kit.StatusOf {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	documented := doc.Components.Schemas.ErrorCode.Enum
	sort.Strings(documented)
	if strings.Join(codes, " ") != strings.Join(documented, " ") {
		t.Errorf("the Error schema's codes %v, the error table's %v", documented, codes)
	}
}
