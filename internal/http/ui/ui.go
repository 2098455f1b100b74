// Package ui holds the web pages' handlers and view models: each reads the form or query,
// calls the same service method as its API twin and renders a template (kit.Render). The
// route table (internal/http/routes.go) names them, with their roles; templates.go parses
// web/templates once at start.
package ui

import "github.com/teamshape/teamshape/internal/http/kit"

// Pages are the web pages' handlers; they share the services with the API.
type Pages struct {
	*kit.Deps
}
