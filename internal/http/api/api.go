// Package api holds the JSON API's handlers (/api/v1/…): each decodes the request, calls one
// service method with the caller (kit.Actor) and answers {"data": …} (kit.Data). The route
// table (internal/http/routes.go) names them, with their roles; the OpenAPI description
// (internal/http/openapi_ops.go) describes their requests and answers.
package api

import "github.com/teamshape/teamshape/internal/http/kit"

// Handlers are the API's handlers; they share the services with the pages.
type Handlers struct {
	*kit.Deps
}
