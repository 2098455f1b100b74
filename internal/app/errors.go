// Package app holds Teamshape's domain: entities, roles, access rules and error codes.
// It depends on nothing but the standard library; storage and HTTP talk in its terms.
package app

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to one status code.
const (
	ECONFLICT     = "conflict"     // 409: a unique value is taken or the object changed meanwhile
	EINTERNAL     = "internal"     // 500: a server fault; its text is never shown
	EINVALID      = "invalid"      // 422: the input is well-formed but not acceptable
	EBADREQUEST   = "bad_request"  // 400: the input cannot be read
	ENOTFOUND     = "not_found"    // 404
	EUNAUTHORIZED = "unauthorized" // 401: no valid credentials
	EFORBIDDEN    = "forbidden"    // 403: authenticated but not allowed
	ETOOMANY      = "too_many"     // 429
	ETOOLARGE     = "too_large"    // 413
	EUNAVAILABLE  = "unavailable"  // 503: a dependency (the database) is down
	EMETHOD       = "method_not_allowed"
	EUNSUPPORTED  = "unsupported_media_type" // 415: a body of a type the route does not take
)

// Error is a domain error a user may see: a code, a message and, for invalid input,
// the field (or CSV row/column) it concerns.
type Error struct {
	Code    string
	Message string
	Field   string
	// RetryAfter, in seconds, for ETOOMANY.
	RetryAfter int
	// Rule names the rule an EINVALID value broke, where a client may act on it (the
	// password rules of package auth: "length", "common").
	Rule string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("teamshape: %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("teamshape: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming the field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a domain error, EINTERNAL for anything else.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of a domain error; anything else gets a generic text.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorField returns the field a domain error names, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrNotFound is returned when an object does not exist or its existence is private.
func ErrNotFound(what string) *Error { return Errorf(ENOTFOUND, "%s not found.", what) }

// ErrForbidden is returned when the caller may not do this.
var ErrForbidden = &Error{Code: EFORBIDDEN, Message: "You are not allowed to do this."}
