// Package web holds the page templates and static files, embedded into the binary.
package web

import "embed"

// FS holds templates/ and static/. Templates are listed by pattern, so the partials
// (files starting with "_", which a directory embed would skip) are included.
//
//go:embed templates/*.html static
var FS embed.FS
