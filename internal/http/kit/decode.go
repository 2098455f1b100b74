package kit

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// DecodeJSON reads the body into v strictly: one JSON object, no unknown fields, right
// types, every string as sent. Errors name the field and are 400 (unreadable) or 422
// (wrong type or text that cannot be stored).
func DecodeJSON(c *fiber.Ctx, v any) error {
	return DecodeJSONBytes(c.Body(), v)
}

func DecodeJSONBytes(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return app.Errorf(app.EBADREQUEST, "The request body is empty; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, reflect.TypeOf(v))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return app.Errorf(app.EBADREQUEST, "The body must hold exactly one JSON value.")
	}
	// null decodes into anything as "every field empty": a PUT would clear what it replaces.
	if trimmed[0] != '{' {
		return &app.Error{Code: app.EINVALID, Field: "body", Message: "The body must be a JSON object, not " + jsonKind(trimmed[0]) + "."}
	}
	// encoding/json turns bytes that are not UTF-8 and escaped lone surrogates into U+FFFD
	// without a word, and PostgreSQL cannot store a NUL: find the string on the raw bytes.
	if !utf8.Valid(body) || bytes.Contains(body, []byte(`\u0000`)) || bytes.Contains(body, []byte(`\ud`)) || bytes.Contains(body, []byte(`\uD`)) {
		if path := BadTextPath(body); path != "" {
			return unstorable(path)
		}
	}
	return nil
}

// BodyType refuses (415) a request with a body of a media type not in accepts, before the
// handler reads it: a handler that decodes JSON or reads a form would otherwise take any
// bytes for its input. GET and HEAD bodies are ignored; a request without a body needs no
// Content-Type.
func BodyType(accepts []string) fiber.Handler {
	names := strings.Join(accepts, " or ")
	return func(c *fiber.Ctx) error {
		if !IsUnsafe(c.Method()) || len(c.Request().Body()) == 0 {
			return c.Next()
		}
		mt, _, err := mime.ParseMediaType(string(c.Request().Header.ContentType()))
		if err != nil || !slices.Contains(accepts, mt) {
			return app.Errorf(app.EUNSUPPORTED, "Send the body as %s, with that Content-Type.", names)
		}
		return c.Next()
	}
}

// jsonKind names the kind of JSON value that starts with b.
func jsonKind(b byte) string {
	switch b {
	case 'n':
		return "null"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	}
	return "a number"
}

// unstorable is the error for text PostgreSQL cannot store or the decoder would alter: a
// NUL character, or bytes that are not UTF-8 (an escaped lone surrogate in JSON).
func unstorable(field string) error {
	return &app.Error{Code: app.EINVALID, Field: field,
		Message: fmt.Sprintf("%s holds a character that cannot be stored (NUL, or bytes that are not UTF-8); remove it.", field)}
}

// storable reports whether PostgreSQL can store s as text.
func storable(s []byte) bool { return bytes.IndexByte(s, 0) < 0 && utf8.Valid(s) }

// BadTextPath returns the path (as the client sent it: targets[0].note; "body" for the
// document itself) of the first string or key in a valid JSON document that is not
// storable text as sent: bytes that are not UTF-8, an escaped lone surrogate, or a NUL.
// "" if there is none. It reads the raw bytes of each token, as the decoded strings have
// already lost them.
func BadTextPath(body []byte) string {
	w := textWalker{dec: json.NewDecoder(bytes.NewReader(body)), body: body}
	w.dec.UseNumber()
	path, _ := w.value("")
	return path
}

type textWalker struct {
	dec  *json.Decoder
	body []byte
}

// next reads a token and the raw bytes it was read from (with the separator before it).
func (w *textWalker) next() (json.Token, []byte, bool) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return nil, nil, false
	}
	return tok, w.body[start:w.dec.InputOffset()], true
}

// value walks one value at path; ok is false if the document ended or broke off.
func (w *textWalker) value(path string) (bad string, ok bool) {
	tok, raw, ok := w.next()
	if !ok {
		return "", false
	}
	switch tok := tok.(type) {
	case string:
		if !storableJSONString(raw, tok) {
			return cmp.Or(path, "body"), true
		}
	case json.Delim:
		switch tok {
		case '{':
			for w.dec.More() {
				key, raw, ok := w.next()
				k, _ := key.(string)
				if !ok {
					return "", false
				}
				if !storableJSONString(raw, k) {
					return cmp.Or(path, "body"), true
				}
				sub := k
				if path != "" {
					sub = path + "." + k
				}
				if bad, ok := w.value(sub); bad != "" || !ok {
					return bad, ok
				}
			}
			_, _, ok = w.next() // }
		case '[':
			for i := 0; w.dec.More(); i++ {
				if bad, ok := w.value(fmt.Sprintf("%s[%d]", path, i)); bad != "" || !ok {
					return bad, ok
				}
			}
			_, _, ok = w.next() // ]
		}
	}
	return "", ok
}

// storableJSONString reports whether a JSON string token, read from raw and decoded as s,
// is storable text as sent: raw is UTF-8, every escaped surrogate is half of a pair, and
// s holds no NUL.
func storableJSONString(raw []byte, s string) bool {
	if !utf8.Valid(raw) || strings.IndexByte(s, 0) >= 0 {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++ // the escaped character: skipped, unless it starts \uXXXX
		r, ok := hex4(raw, i)
		if !ok || !utf16.IsSurrogate(r) {
			continue
		}
		i += 4
		if r >= 0xdc00 { // the second half, alone
			return false
		}
		if lo, ok := hex4(raw, i+2); !ok || raw[i+1] != '\\' || lo < 0xdc00 || lo > 0xdfff {
			return false // the first half, not followed by the second
		}
		i += 6
	}
	return true
}

// hex4 reads the rune of the escape \uXXXX whose u is at raw[i].
func hex4(raw []byte, i int) (rune, bool) {
	if i < 0 || i+5 > len(raw) || raw[i] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(raw[i+1:i+5]), 16, 32)
	return rune(n), err == nil
}

// StorableText refuses a request whose query string or form holds text PostgreSQL cannot
// store (a NUL, or bytes that are not UTF-8), naming the parameter: such a value would
// otherwise reach a query and fail there. JSON bodies are checked by decodeJSON.
func StorableText(c *fiber.Ctx) error {
	bad := ""
	check := func(k, v []byte) {
		if bad == "" && (!storable(k) || !storable(v)) {
			bad = cmp.Or(strings.ToValidUTF8(strings.ReplaceAll(string(k), "\x00", ""), "?"), "parameter")
		}
	}
	for k, v := range c.Request().URI().QueryArgs().All() {
		check(k, v)
	}
	switch ct := string(c.Request().Header.ContentType()); {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		for k, v := range c.Request().PostArgs().All() {
			check(k, v)
		}
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		if form, err := c.MultipartForm(); err == nil {
			for k, vs := range form.Value {
				for _, v := range vs {
					check([]byte(k), []byte(v))
				}
			}
		}
	}
	if bad != "" {
		return unstorable(bad)
	}
	return c.Next()
}

func jsonError(err error, target reflect.Type) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return app.Errorf(app.EBADREQUEST, "Malformed JSON at byte %d.", syn.Offset)
	case errors.As(err, &typ):
		field := jsonFieldPath(target, typ.Field)
		return &app.Error{Code: app.EINVALID, Field: field, Message: fmt.Sprintf("%s must be %s, not %s.", field, article(typ.Type.Kind().String()), typ.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return app.Errorf(app.EBADREQUEST, "The JSON body ends too early.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &app.Error{Code: app.EBADREQUEST, Field: name, Message: fmt.Sprintf("Unknown field %q.", name)}
	}
	return app.Errorf(app.EBADREQUEST, "The body is not valid JSON.")
}

// jsonFieldPath turns a type error's field path into the path the client sent:
// encoding/json names each embedded struct it passes through by its Go name
// ("SOPFields.steps"), so walking the target type drops exactly those segments.
func jsonFieldPath(t reflect.Type, path string) string {
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map) {
			t = t.Elem()
		}
		if t != nil && t.Kind() == reflect.Struct {
			if f, ok := t.FieldByName(seg); ok && f.Anonymous && f.Tag.Get("json") == "" {
				t = f.Type
				continue
			}
			t = jsonFieldType(t, seg)
		} else {
			t = nil
		}
		parts = append(parts, seg)
	}
	if f := strings.Join(parts, "."); f != "" {
		return f
	}
	return "body"
}

// jsonFieldType is the type of the struct's field (promoted ones included) that JSON
// calls name, or nil.
func jsonFieldType(t reflect.Type, name string) reflect.Type {
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && f.Tag.Get("json") == "") {
			continue
		}
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if n == "" {
			n = f.Name
		}
		if n == name {
			return f.Type
		}
	}
	return nil
}

func article(kind string) string {
	switch kind {
	case "int", "int64", "int32", "float64", "uint8":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return "a " + kind
}

// ParamID reads a positive integer path parameter.
func ParamID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.ErrNotFound("Object")
	}
	return id, nil
}

// Data writes the success envelope {"data": v}.
func Data(c *fiber.Ctx, v any) error { return c.JSON(fiber.Map{"data": v}) }

// Created writes the success envelope with 201.
func Created(c *fiber.Ctx, v any) error {
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"data": v})
}

// OnID answers (with data or created) with call's result for the :id path parameter.
// A bad id is 404 and call's error is returned as is, as the handlers did by hand.
func OnID[T any](c *fiber.Ctx, answer func(*fiber.Ctx, any) error, call func(id int64) (T, error)) error {
	id, err := ParamID(c, "id")
	if err != nil {
		return err
	}
	v, err := call(id)
	if err != nil {
		return err
	}
	return answer(c, v)
}

// OnIDBody is onID that also decodes the JSON body into In, after the id is parsed.
func OnIDBody[In, T any](c *fiber.Ctx, answer func(*fiber.Ctx, any) error, call func(id int64, in In) (T, error)) error {
	id, err := ParamID(c, "id")
	if err != nil {
		return err
	}
	return OnBody(c, answer, func(in In) (T, error) { return call(id, in) })
}

// OnBody answers (with data or created) with call's result for the JSON body decoded into In.
func OnBody[In, T any](c *fiber.Ctx, answer func(*fiber.Ctx, any) error, call func(in In) (T, error)) error {
	var in In
	if err := DecodeJSON(c, &in); err != nil {
		return err
	}
	v, err := call(in)
	if err != nil {
		return err
	}
	return answer(c, v)
}
