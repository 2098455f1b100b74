// Package web holds the page templates and static files, embedded into the binary.
package web

import (
	"embed"
	"io/fs"
)

// FS holds templates/ and static/. Templates are listed by pattern, so the partials
// (files starting with "_", which a directory embed would skip) are included.
//
//go:embed templates/*.html static
var FS embed.FS

// Mail holds the e-mails Teamshape sends (package mail parses them once at boot).
//
//go:embed mail/*.tmpl
var Mail embed.FS

// Static is static/ as the root of a file system (what /static/ serves).
func Static() fs.FS {
	sub, err := fs.Sub(FS, "static")
	if err != nil {
		panic(err) // only for an invalid path
	}
	return sub
}
