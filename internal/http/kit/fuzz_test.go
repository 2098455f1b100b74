package kit

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/teamshape/teamshape/internal/app"
)

// Fuzz targets for the request parsers both the API and the pages use. Seeds are in
// testdata/fuzz/<Name>/; `make fuzz` runs each for a while, `make test` briefly.

// fuzzBodies are the shapes handlers decode into: flat, nested lists of objects with
// pointers, embedded structs, maps.
type fuzzEmbedded struct {
	Steps []string `json:"steps"`
	Owner *int64   `json:"owner"`
}

type fuzzSOP struct {
	fuzzEmbedded
	Title   string         `json:"title"`
	Ratings []fuzzRating   `json:"ratings"`
	Targets map[string]int `json:"targets"`
	Active  bool           `json:"active"`
	Score   float64        `json:"score"`
}

type fuzzRating struct {
	Competency string `json:"competency"`
	Level      *int   `json:"level"`
	Note       string `json:"note"`
}

// FuzzDecodeJSON: any body decodes or fails with a 400 or 422 app error naming what is
// wrong — never a panic, never a 500, never Go's own error text. What decodes is a JSON
// object of UTF-8 text.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@b.test","password":"x"}`,
		`{"title":"T","steps":["a"],"ratings":[{"competency":"delivery","level":3}]}`,
		`{"ratings":[{"level":"3"}]}`, `{"steps":"x"}`, `{"targets":{"a":"b"}}`, `{"unknown":1}`,
		`{} {}`, `[`, ``, `null`, `{"score":1e999}`, `{"owner":-1}`, "\xff",
		"{\"title\":\"caf\xe9\"}", `{"title":"\ud800"}`, `{"steps":["\ud83d\ude00","\udc00"]}`, ` []`, `"x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var login struct {
			Email    string `json:"email"`
			Password string `json:"password"`
		}
		var sop fuzzSOP
		var list []fuzzRating
		for _, v := range []any{&login, &sop, &list} {
			err := DecodeJSONBytes(body, v)
			if err == nil {
				if b := bytes.TrimSpace(body); b[0] != '{' || !utf8.Valid(body) {
					t.Fatalf("%q into %T: accepted", body, v)
				}
				continue
			}
			code := app.ErrorCode(err)
			if st := StatusOf[code]; st != fiber.StatusBadRequest && st != fiber.StatusUnprocessableEntity {
				t.Fatalf("%q into %T: code %s (status %d): %v", body, v, code, st, err)
			}
			msg := app.ErrorMessage(err)
			if msg == "" || strings.Contains(msg, "json:") || strings.Contains(msg, "fuzz") {
				t.Fatalf("%q into %T: message %q", body, v, msg)
			}
			if code == app.EINVALID && app.ErrorField(err) == "" {
				t.Fatalf("%q into %T: a 422 without a field: %v", body, v, err)
			}
		}
	})
}

// FuzzParamID: a path parameter is a positive id or "not found", whatever it holds.
func FuzzParamID(f *testing.F) {
	for _, s := range []string{"1", "42", "0", "-1", "01", "9223372036854775807", "9223372036854775808", "1e3", "%20", "abc", "+5", ""} {
		f.Add(s)
	}
	var got int64
	var gotErr error
	var param string
	fa := fiber.New()
	fa.Get("/x/:id", func(c *fiber.Ctx) error {
		param = c.Params("id")
		got, gotErr = ParamID(c, "id")
		return nil
	})
	handler := fa.Handler()
	f.Fuzz(func(t *testing.T, s string) {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/x/" + s)
		got, gotErr = -1, nil
		handler(&ctx)
		if got == -1 && gotErr == nil {
			return // not routed to the handler (e.g. s holds '/' or '?')
		}
		if gotErr != nil {
			if app.ErrorCode(gotErr) != app.ENOTFOUND || got != 0 {
				t.Fatalf("paramID(%q) = %d, %v; want ENOTFOUND", s, got, gotErr)
			}
			return
		}
		if n, err := strconv.ParseInt(param, 10, 64); got <= 0 || err != nil || n != got {
			t.Fatalf("paramID(%q) = %d from parameter %q", s, got, param)
		}
	})
}

// FuzzSafeNext: the post-sign-in redirect stays on this site however a browser reads it.
// Browsers drop tabs and newlines anywhere in a URL and trim leading and trailing
// control characters and spaces, so "/\t/evil.example" is "//evil.example" to them.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/teams/3", "/", "//evil.example", "/\\evil.example", "/\t/evil.example",
		"https://evil.example", "javascript:alert(1)", "/teams?x=//y", "", " /x", "/\n/evil.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := SafeNext(s)
		seen := browserURL(out)
		if !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") || strings.HasPrefix(seen, "/\\") {
			t.Fatalf("safeNext(%q) = %q, which a browser reads as %q: not a local path", s, out, seen)
		}
	})
}

// browserURL applies the WHATWG URL parser's first steps: strip leading and trailing C0
// controls and spaces, remove every tab and newline.
func browserURL(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// FuzzAsOfParam: ?as_of is a day from 2000-01-01 to today, or a 422 naming as_of.
func FuzzAsOfParam(f *testing.F) {
	for _, s := range []string{"2026-03-31", "2000-01-01", "1999-12-31", "2026-06-02", "2026-02-30", " 2026-01-01 ",
		"2026-1-1", "2026-01-01T00:00:00Z", "+2026-01-01", "", "%00"} {
		f.Add(s)
	}
	now := time.Date(2026, 6, 1, 15, 4, 5, 0, time.UTC)
	s := &Deps{Now: func() time.Time { return now }}
	var got time.Time
	var shown string
	var gotErr error
	fa := fiber.New()
	fa.Get("/x", func(c *fiber.Ctx) error {
		got, shown, gotErr = s.AsOfParam(c)
		return nil
	})
	handler := fa.Handler()
	f.Fuzz(func(t *testing.T, raw string) {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/x")
		ctx.Request.URI().QueryArgs().Set("as_of", raw)
		got, shown, gotErr = time.Time{}, "", nil
		handler(&ctx)
		if gotErr != nil {
			if app.ErrorCode(gotErr) != app.EINVALID || app.ErrorField(gotErr) != "as_of" {
				t.Fatalf("as_of=%q: %v", raw, gotErr)
			}
			return
		}
		if got.Before(EarliestAsOf) || got.After(now) {
			t.Fatalf("as_of=%q: %s is outside 2000-01-01 … now", raw, got)
		}
		if d, err := time.Parse(time.DateOnly, shown); err != nil || d.After(now) {
			t.Fatalf("as_of=%q: shows %q", raw, shown)
		}
	})
}
