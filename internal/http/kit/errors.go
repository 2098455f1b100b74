package kit

import (
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// StatusOf maps each domain error code to its HTTP status: the one place that does.
var StatusOf = map[string]int{
	app.EBADREQUEST:   fiber.StatusBadRequest,
	app.EINVALID:      fiber.StatusUnprocessableEntity,
	app.ECONFLICT:     fiber.StatusConflict,
	app.ENOTFOUND:     fiber.StatusNotFound,
	app.EUNAUTHORIZED: fiber.StatusUnauthorized,
	app.EFORBIDDEN:    fiber.StatusForbidden,
	app.ETOOMANY:      fiber.StatusTooManyRequests,
	app.ETOOLARGE:     fiber.StatusRequestEntityTooLarge,
	app.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
	app.EMETHOD:       fiber.StatusMethodNotAllowed,
	app.EUNSUPPORTED:  fiber.StatusUnsupportedMediaType,
	app.EINTERNAL:     fiber.StatusInternalServerError,
}

// fromFiber turns Fiber's own errors (unknown route, body too large, …) into domain errors.
func fromFiber(fe *fiber.Error) *app.Error {
	switch fe.Code {
	case fiber.StatusNotFound:
		return app.Errorf(app.ENOTFOUND, "Not found.")
	case fiber.StatusRequestEntityTooLarge:
		return app.Errorf(app.ETOOLARGE, "The request body is too large.")
	case fiber.StatusMethodNotAllowed:
		return app.Errorf(app.EMETHOD, "Method not allowed.")
	case fiber.StatusBadRequest:
		return app.Errorf(app.EBADREQUEST, "Bad request.")
	case fiber.StatusRequestTimeout:
		return app.Errorf(app.EUNAVAILABLE, "The request timed out.")
	case fiber.StatusUnsupportedMediaType:
		return app.Errorf(app.EUNSUPPORTED, "The body's Content-Type is not one this route takes.")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return app.Errorf(app.EBADREQUEST, "Bad request.")
	}
	return app.Errorf(app.EINTERNAL, "Internal error.")
}

// HandleError is the one error handler: a domain code becomes a status and the envelope
// {"error":{"code","message"}} (or an error page); an internal error is logged with the
// request id and never shown.
func (s *Deps) HandleError(c *fiber.Ctx, err error) error {
	// noStore has set this on routed requests; Fiber's own early errors (a body over the
	// limit, an unreadable request) reach here without any middleware having run.
	c.Set(fiber.HeaderCacheControl, "no-store")
	var fe *fiber.Error
	if errors.As(err, &fe) {
		err = fromFiber(fe)
	}
	code := app.ErrorCode(err)
	if errors.Is(err, errContextDeadline) || errors.Is(c.UserContext().Err(), errContextDeadline) {
		code = app.EUNAVAILABLE
	}
	status, ok := StatusOf[code]
	if !ok {
		status = fiber.StatusInternalServerError
	}
	msg := app.ErrorMessage(err)
	if status >= 500 {
		rid, _ := c.Locals("requestid").(string)
		s.Log.Error("request failed", "request_id", rid, "method", c.Method(), "path", c.Path(), "status", status, "err", err)
		if code == app.EINTERNAL {
			msg = "Internal error (request " + rid + ")."
		}
	}
	var ae *app.Error
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
	}
	if status == fiber.StatusUnauthorized && !IsAPI(c) && c.Method() == fiber.MethodGet {
		return c.Redirect("/login?next="+url.QueryEscape(SafeNext(c.OriginalURL())), fiber.StatusSeeOther)
	}
	if IsAPI(c) {
		var rule string
		if ae != nil {
			rule = ae.Rule
		}
		return c.Status(status).JSON(ApiError{Error: apiErrorBody{Code: ErrorCode(code), Message: msg, Field: app.ErrorField(err), Rule: rule}})
	}
	return s.RenderStatus(c, status, "error.html", Page{Title: "Something went wrong", Data: fiber.Map{"Status": status, "Message": msg}})
}

func IsAPI(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz"
}

// SafeNext keeps only local paths for the post-login redirect. Control characters are
// refused outright: browsers drop tabs and newlines inside a URL, so "/\t/evil.example"
// would take them to //evil.example.
func SafeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return p
}

// ApiError is the failure envelope of every API answer (errors.go writes it).
type ApiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    ErrorCode `json:"code"`
	Field   string    `json:"field,omitempty" description:"The field or CSV row at fault."`
	Message string    `json:"message"`
	Rule    string    `json:"rule,omitempty" description:"The password rule a refused password breaks: length or common."`
}

// ErrorCode is one of the error table's codes (statusOf).
type ErrorCode string

// Enum lists the codes for the description.
func (ErrorCode) Enum() []any {
	codes := make([]string, 0, len(StatusOf))
	for c := range StatusOf {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := make([]any, len(codes))
	for i, c := range codes {
		out[i] = c
	}
	return out
}
