package http

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// testOpenAPISpec is the server's description, as served.
func testOpenAPISpec(t testing.TB) []byte {
	t.Helper()
	srv, err := New(testConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return srv.openAPI
}

// strictAPI is the description loaded for kin-openapi in a strict form: every object
// schema with properties admits no other property (additionalProperties: false), so an
// answer with a field the description lacks fails, as does one without a field it requires
// (every field without omitempty, see answerFieldsRequired).
var strictAPI = sync.OnceValues(func() (routers.Router, error) {
	srv, err := New(testConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(srv.openAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	seen := map[*openapi3.Schema]bool{}
	var strict func(*openapi3.SchemaRef)
	strict = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.IsEmpty() { // any value (a json.RawMessage): null too, as JSON Schema reads {}
			s.Nullable = true
		}
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			strict(p)
		}
		strict(s.Items)
		strict(s.AdditionalProperties.Schema)
		for _, group := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for _, r := range group {
				strict(r)
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		strict(s)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						strict(mt.Schema)
					}
				}
			}
		}
	}
	// The CSV and Markdown exports are described as text: decode them as such.
	openapi3filter.RegisterBodyDecoder("text/markdown", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
	doc.Servers = openapi3.Servers{{URL: "http://example.com/"}}
	return gorillamux.NewRouter(doc)
})

// validateAnswer fails the test when an API answer does not match the description: its
// status, media type and body against the operation's strict schema.
func validateAnswer(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if err := answerError(req, status, header, body); err != nil {
		t.Errorf("%s %s answered %d against the OpenAPI description: %v\nbody: %.2000s", req.Method, req.URL.Path, status, err, body)
	}
}

// answerError checks an answer to req against the strict description; answers to paths and
// methods it does not describe (tests of unknown routes) and outside /api/ pass.
func answerError(req *http.Request, status int, header http.Header, body []byte) error {
	if !strings.HasPrefix(req.URL.Path, "/api/") {
		return nil
	}
	router, err := strictAPI()
	if err != nil {
		return fmt.Errorf("the OpenAPI description: %w", err)
	}
	u := *req.URL
	u.Scheme, u.Host = "http", "example.com"
	r := req.Clone(context.Background())
	r.URL = &u
	if enc := header.Get("Content-Encoding"); enc != "" {
		if body, err = decompress(enc, body); err != nil {
			return fmt.Errorf("Content-Encoding %s: %w", enc, err)
		}
	}
	route, params, err := router.FindRoute(r)
	if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
		return nil
	} else if err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			// The failure names the field; its schema is in the description.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()}}}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Options: in.Options})
}

// TestStrictAnswers: the validation of fixture.do fails an answer with a field the
// description lacks, one without a field it requires, an undescribed status and a wrong
// media type, and passes the answer as the server gives it.
func TestStrictAnswers(t *testing.T) {
	req := httptest.NewRequest("GET", "/api/v1/peer-requests", nil)
	jsonType := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name   string
		status int
		header http.Header
		body   string
		ok     bool
	}{
		{"as served", 200, jsonType, `{"data":{"made":[],"to_answer":null}}`, true},
		{"an extra field", 200, jsonType, `{"data":{"made":[],"to_answer":[],"extra":1}}`, false},
		{"a missing field", 200, jsonType, `{"data":{"made":[]}}`, false},
		{"a wrong type", 200, jsonType, `{"data":{"made":{},"to_answer":[]}}`, false},
		{"no envelope", 200, jsonType, `{"made":[],"to_answer":[]}`, false},
		{"an error as described", 403, jsonType, `{"error":{"code":"forbidden","message":"No."}}`, true},
		{"an unknown error code", 403, jsonType, `{"error":{"code":"nope","message":"No."}}`, false},
		{"an undescribed status", 409, jsonType, `{"error":{"code":"conflict","message":"No."}}`, false},
		{"a wrong media type", 200, http.Header{"Content-Type": {"text/plain"}}, `{"data":{"made":[],"to_answer":[]}}`, false},
	} {
		err := answerError(req, c.status, c.header, []byte(c.body))
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok %v", c.name, err, c.ok)
		}
	}
}
