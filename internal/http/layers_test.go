package http

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayers holds the HTTP packages to their floors: none imports the analytic core or
// storage (they call services), the API and the pages do not import each other (what both
// need is in kit), and kit imports neither.
func TestLayers(t *testing.T) {
	const mod = "github.com/teamshape/teamshape/internal/"
	never := map[string][]string{
		".":   {"shape", "career", "insight", "postgres"},
		"api": {"shape", "career", "insight", "postgres", "http/ui"},
		"ui":  {"shape", "career", "insight", "postgres", "http/api"},
		"kit": {"shape", "career", "insight", "postgres", "http/api", "http/ui"},
	}
	for dir, banned := range never {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		read := 0
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			read++
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, b := range banned {
					if path == mod+b || strings.HasPrefix(path, mod+b+"/") {
						t.Errorf("%s imports %s", name, path)
					}
				}
			}
		}
		if read == 0 {
			t.Errorf("no Go file read in %s", dir)
		}
	}
}
