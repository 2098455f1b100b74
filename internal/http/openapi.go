package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/swaggest/jsonschema-go"
	openapi "github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi3"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// The OpenAPI 3 description of /api/ is generated when the server starts, from two sources:
// the route table (method, path, roles, the body's media types) and apiOps in
// openapi_ops.go (per operation its tag, prose and Go request and answer types, reflected
// by swaggest/openapi-go). Everything else is derived here: path parameters, the {"data": …}
// envelope, the error answers a route can give (422 on every route, 415 on every write,
// 401/403 unless public, 400 with a body, 404 with a path parameter), the roles sentence.
// It is built at start rather than committed: there is then no generated file to keep in
// step, and branches adding routes only add entries to openapi_ops.go.
// TestOpenAPIMatchesRoutes fails when an /api/ route has no entry or an entry no route.

// apiOp is what the route table does not say about an API operation.
type apiOp struct {
	Tag         string
	Summary     string
	Description string   // prose; the roles sentence is added from the route table
	Query       any      // a struct whose `query` tags are the query parameters
	Body        any      // the request body (JSON, or the multipart form's fields); nil: none
	BodyText    string   // the description of a raw (non-JSON, non-form) body, such as text/csv
	Data        any      // what the success answer holds in {"data": …}; nil with Media: a file
	Media       string   // the success answer's media type when it is not JSON (a file)
	Exports     []string // further media types of the success answer (the same as a file)
	Status      int      // the success status; 0: 200; 204 (with Data nil): no body
	Answer      string   // the success answer's description
	// Errors are statuses the derivation does not give, with their shared answer's name
	// (apiErrors) or, for a 422 that says more than the error envelope, Invalid's type.
	Errors      []int
	Invalid     any
	InvalidText string // the description of Invalid's answer
	// OptionalBody: the body may be left out.
	OptionalBody bool
	// TextParams are path parameters that are text rather than integers (key always is).
	TextParams []string
}

// apiErrors are the shared error answers, by status: their component name and description.
var apiErrors = map[int][2]string{
	http.StatusBadRequest:            {"BadRequest", "The request cannot be read."},
	http.StatusUnauthorized:          {"Unauthorized", "No valid token."},
	http.StatusForbidden:             {"Forbidden", "Your role or relation does not allow this."},
	http.StatusNotFound:              {"NotFound", "Not found, or not yours to see."},
	http.StatusConflict:              {"Conflict", "Conflicts with the current state."},
	http.StatusRequestEntityTooLarge: {"TooLarge", "The body is too large."},
	http.StatusUnsupportedMediaType:  {"UnsupportedMediaType", "The body's Content-Type is not one this operation takes (see its requestBody)."},
	http.StatusUnprocessableEntity:   {"Invalid", `A field is not acceptable; field names it ("body" when the body is not a JSON object).`},
	http.StatusTooManyRequests:       {"TooManyRequests", "Too many attempts; Retry-After says when to try again."},
}

const componentSchemas = "#/components/schemas/"

var fiberParam = regexp.MustCompile(`:([a-zA-Z_]+)`)

// openAPIPath is a fiber path in OpenAPI's notation (:id → {id}).
func openAPIPath(p string) string { return fiberParam.ReplaceAllString(p, "{$1}") }

// apiKey names an operation as apiOps does: "GET /api/v1/users/:id".
func apiKey(r Route) string { return r.Method + " " + r.Path }

// serverOpenAPI is the server's description, built once per process (it takes a few hundred
// milliseconds, and every server has the same routes).
var serverOpenAPI = sync.OnceValues(func() ([]byte, error) { return buildOpenAPI((&Server{}).Routes(), apiOps) })

// buildOpenAPI describes the routes under /api/ with apiOps.
func buildOpenAPI(routes []Route, ops map[string]apiOp) ([]byte, error) {
	r := openapi3.NewReflector()
	r.DefaultOptions = append(r.DefaultOptions, answerFieldsRequired, inputSchemasApart, nullableRefs, datesAsText)
	r.InlineDefinition(app.Date{})
	spec := r.SpecEns()
	spec.Openapi = "3.0.3"
	spec.Info.WithTitle("Teamshape API").WithVersion("1").WithDescription(apiDescription)
	spec.Servers = []openapi3.Server{{URL: "/"}}
	spec.Security = []map[string][]string{{"bearer": {}}}
	for _, t := range apiTags {
		spec.Tags = append(spec.Tags, openapi3.Tag{Name: t[0], Description: &t[1]})
	}
	jwt := "JWT"
	spec.ComponentsEns().SecuritySchemesEns().WithMapOfSecuritySchemeOrRefValuesItem("bearer", openapi3.SecuritySchemeOrRef{
		SecurityScheme: &openapi3.SecurityScheme{HTTPSecurityScheme: &openapi3.HTTPSecurityScheme{Scheme: "bearer", BearerFormat: &jwt}}})
	errRef, err := componentSchema(r, kit.ApiError{})
	if err != nil {
		return nil, err
	}
	for _, e := range apiErrors {
		spec.ComponentsEns().ResponsesEns().WithMapOfResponseOrRefValuesItem(e[0], openapi3.ResponseOrRef{Response: &openapi3.Response{
			Description: e[1], Content: map[string]openapi3.MediaType{kit.MimeJSON: {Schema: errRef}}}})
	}

	seen := map[string]bool{}
	for _, rt := range routes {
		if !strings.HasPrefix(rt.Path, "/api/") {
			continue
		}
		key := apiKey(rt)
		op, ok := ops[key]
		if !ok {
			return nil, fmt.Errorf("openapi: %s has no entry in apiOps (openapi_ops.go)", key)
		}
		seen[key] = true
		if err := addOperation(r, rt, op); err != nil {
			return nil, fmt.Errorf("openapi: %s: %w", key, err)
		}
	}
	for key := range ops {
		if !seen[key] {
			return nil, fmt.Errorf("openapi: apiOps describes %s, which the route table lacks", key)
		}
	}
	return json.MarshalIndent(spec, "", "  ")
}

// componentSchema reflects v into the components and returns a reference to it.
func componentSchema(r *openapi3.Reflector, v any) (*openapi3.SchemaOrRef, error) {
	s, err := r.Reflect(v, jsonschema.RootRef, jsonschema.DefinitionsPrefix(componentSchemas),
		jsonschema.CollectDefinitions(func(name string, schema jsonschema.Schema) {
			var sr openapi3.SchemaOrRef
			sr.FromJSONSchema(schema.ToSchemaOrBool())
			r.SpecEns().ComponentsEns().SchemasEns().WithMapOfSchemaOrRefValuesItem(name, sr)
		}))
	if err != nil {
		return nil, err
	}
	var sr openapi3.SchemaOrRef
	sr.FromJSONSchema(s.ToSchemaOrBool())
	return &sr, nil
}

func addOperation(r *openapi3.Reflector, rt Route, op apiOp) error {
	path := openAPIPath(rt.Path)
	oc, err := r.NewOperationContext(rt.Method, path)
	if err != nil {
		return err
	}
	oc.SetTags(op.Tag)
	oc.SetSummary(op.Summary)
	oc.SetDescription(strings.TrimSpace(op.Description + " " + rolesSentence(rt.Roles)))
	oc.SetID(strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1", "", "/api", "", "/", "_", ":", "", "-", "_", ".", "_").Replace(rt.Path))
	o := oc.(openapi3.OperationExposer).Operation()
	if rt.Roles == nil {
		o.Security = []map[string][]string{}
	}

	params := fiberParam.FindAllStringSubmatch(rt.Path, -1)
	for _, m := range params {
		schema := openapi3.SchemaOrRef{Schema: (&openapi3.Schema{}).WithType(openapi3.SchemaTypeInteger)}
		if m[1] == "key" || slices.Contains(op.TextParams, m[1]) {
			schema.Schema.WithType(openapi3.SchemaTypeString)
		}
		o.Parameters = append(o.Parameters, openapi3.ParameterOrRef{Parameter: &openapi3.Parameter{
			Name: m[1], In: openapi3.ParameterInPath, Required: ptrTo(true), Schema: &schema}})
	}
	if op.Query != nil {
		oc.AddReqStructure(op.Query, openapi.WithContentType(kit.MimeJSON))
	}
	if op.Body != nil || op.BodyText != "" {
		for _, media := range rt.accepts() {
			switch {
			case media == kit.MimeJSON || media == kit.MimeMultipart:
				oc.AddReqStructure(op.Body, openapi.WithContentType(media))
			default:
				cu := openapi.ContentUnit{ContentType: media, Description: op.BodyText}
				oc.AddReqStructure(nil, func(c *openapi.ContentUnit) { *c = cu })
			}
		}
	}

	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case status == http.StatusNoContent:
		if op.Data != nil || op.Media != "" {
			return fmt.Errorf("204 has no body: no Data and no Media")
		}
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(status), func(c *openapi.ContentUnit) { c.Description = op.Answer })
	case op.Media != "":
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(status), openapi.WithContentType(op.Media),
			func(c *openapi.ContentUnit) { c.Description = op.Answer })
	case op.Data != nil:
		oc.AddRespStructure(op.Data, openapi.WithHTTPStatus(status), func(c *openapi.ContentUnit) {
			c.Description = op.Answer
			c.Customize = inEnvelope(reflect.TypeOf(op.Data))
		})
	default:
		return fmt.Errorf("no Data and no Media")
	}
	for _, m := range op.Exports {
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(status), openapi.WithContentType(m))
	}

	// Every route refuses a query string or form holding text that cannot be stored (422,
	// storableText), every write a body of a media type it does not take (415, bodyType).
	statuses := map[int]bool{http.StatusUnprocessableEntity: true}
	if kit.IsUnsafe(rt.Method) {
		statuses[http.StatusUnsupportedMediaType] = true
	}
	if rt.Roles != nil {
		statuses[http.StatusUnauthorized], statuses[http.StatusForbidden] = true, true
	}
	if op.Body != nil || op.BodyText != "" {
		statuses[http.StatusBadRequest] = true
	}
	if len(params) > 0 {
		statuses[http.StatusNotFound] = true
	}
	for _, s := range op.Errors {
		statuses[s] = true
	}
	for s := range statuses {
		e, ok := apiErrors[s]
		if !ok {
			return fmt.Errorf("no shared answer for status %d", s)
		}
		if s == http.StatusUnprocessableEntity && op.Invalid != nil {
			oc.AddRespStructure(op.Invalid, openapi.WithHTTPStatus(s), func(c *openapi.ContentUnit) { c.Description = op.InvalidText })
			continue
		}
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(s), openapi.WithReference("#/components/responses/"+e[0]))
	}
	if err := r.AddOperation(oc); err != nil {
		return err
	}
	if o.RequestBody != nil && o.RequestBody.RequestBody != nil {
		o.RequestBody.RequestBody.Required = ptrTo(!op.OptionalBody)
	}
	if op.Media == kit.MimeJSON { // a JSON document that is not an answer in the envelope
		o.Responses.MapOfResponseOrRefValues[strconv.Itoa(status)].Response.Content[kit.MimeJSON] = openapi3.MediaType{
			Schema: &openapi3.SchemaOrRef{Schema: (&openapi3.Schema{}).WithType(openapi3.SchemaTypeObject)}}
	}
	return nil
}

// inEnvelope wraps the reflected answer in {"data": …}. A list or map answer may be null.
func inEnvelope(t reflect.Type) func(openapi.ContentOrReference) {
	return func(cor openapi.ContentOrReference) {
		resp := cor.(*openapi3.ResponseOrRef).Response
		mt := resp.Content[kit.MimeJSON]
		inner := mt.Schema
		if k := t.Kind(); (k == reflect.Slice || k == reflect.Map) && inner.Schema != nil {
			inner.Schema.Nullable = ptrTo(true)
		}
		mt.Schema = &openapi3.SchemaOrRef{Schema: (&openapi3.Schema{}).WithType(openapi3.SchemaTypeObject).
			WithProperties(map[string]openapi3.SchemaOrRef{"data": *inner}).WithRequired("data")}
		resp.Content[kit.MimeJSON] = mt
	}
}

// answerFieldsRequired: a field of an answer without omitempty is always there, so the
// description requires it.
func answerFieldsRequired(rc *jsonschema.ReflectContext) {
	jsonschema.InterceptProp(func(p jsonschema.InterceptPropParams) error {
		if !p.Processed || !inAnswer(rc) {
			return nil
		}
		tag := p.Field.Tag.Get("json")
		if tag == "-" || strings.Contains(tag, ",omitempty") || p.Field.Anonymous && tag == "" {
			return nil
		}
		p.ParentSchema.Required = append(p.ParentSchema.Required, p.Name)
		return nil
	})(rc)
}

// datesAsText: app.Date is written "YYYY-MM-DD".
func datesAsText(rc *jsonschema.ReflectContext) {
	jsonschema.InterceptSchema(func(p jsonschema.InterceptSchemaParams) (bool, error) {
		if p.Processed || !p.Value.IsValid() {
			return false, nil
		}
		t := p.Value.Type()
		if t.Kind() == reflect.Ptr {
			t = t.Elem()
		}
		if t != reflect.TypeFor[app.Date]() {
			return false, nil
		}
		p.Schema.Type = nil
		p.Schema.AddType(jsonschema.String)
		p.Schema.WithFormat("date")
		return true, nil
	})(rc)
}

// nullableRefs: a pointer to a struct without omitempty can be null, which a bare $ref
// cannot say in OpenAPI 3.0: it becomes {type: object, nullable: true, allOf: [$ref]}.
func nullableRefs(rc *jsonschema.ReflectContext) {
	jsonschema.InterceptNullability(func(p jsonschema.InterceptNullabilityParams) {
		if p.Type.Kind() != reflect.Ptr || p.Type.Elem().Kind() != reflect.Struct || p.Schema.Ref == nil || p.OmitEmpty {
			return
		}
		ref := p.Schema.Ref
		p.Schema.Ref = nil
		p.Schema.AllOf = []jsonschema.SchemaOrBool{(&jsonschema.Schema{Ref: ref}).ToSchemaOrBool()}
		p.Schema.Type = nil
		p.Schema.AddType(jsonschema.Object)
		p.Schema.AddType(jsonschema.Null)
	})(rc)
}

// inputSchemasApart names the schemas of request bodies apart (…Input), so that a type both
// read and answered has an answer schema with required fields and a request schema without.
func inputSchemasApart(rc *jsonschema.ReflectContext) {
	jsonschema.InterceptDefName(func(_ reflect.Type, name string) string {
		// The default name starts with the Go package's: one schema namespace for all.
		for _, pkg := range []string{"Http", "Api", "Kit", "Ui"} {
			if t := strings.TrimPrefix(name, pkg); t != name {
				name = t
				break
			}
		}
		if name == "APIError" || name == "ApiError" {
			return "Error"
		}
		if inAnswer(rc) || strings.HasSuffix(name, "Input") {
			return name
		}
		return name + "Input"
	})(rc)
}

// inAnswer: rc reflects an answer (or a shared component), not a request.
func inAnswer(rc *jsonschema.ReflectContext) bool {
	oc, ok := openapi.OperationCtx(rc)
	return !ok || oc.IsProcessingResponse()
}

// rolesSentence is the route's roles as the description states them.
func rolesSentence(roles []string) string {
	switch {
	case roles == nil:
		return "Public."
	case len(roles) == len(kit.Anyone):
		return "Roles: anyone."
	}
	return "Roles: " + strings.Join(roles, ", ") + "."
}

func ptrTo[T any](v T) *T { return &v }

// handleOpenAPI serves the description built at start.
func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(s.openAPI)
}

// OpenAPI is the server's OpenAPI description (scripts/openapi writes it for the linter).
func (s *Server) OpenAPI() []byte { return s.openAPI }
