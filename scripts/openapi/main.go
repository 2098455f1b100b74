// Command openapi writes the server's OpenAPI description (generated from the route table
// and internal/http/openapi_ops.go, as GET /api/openapi.json serves it) to the file named
// by its argument, or to standard output. make lint-openapi lints what it writes.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/teamshape/teamshape/internal/config"
	apihttp "github.com/teamshape/teamshape/internal/http"
)

func main() {
	cfg := &config.Config{JWTSecret: []byte("openapi-description-only-openapi-description-only")}
	srv, err := apihttp.New(cfg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
	out := os.Stdout
	if len(os.Args) > 1 {
		if out, err = os.Create(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "openapi:", err)
			os.Exit(1)
		}
	}
	if _, err := out.Write(srv.OpenAPI()); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
	if err := out.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}
