package http

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// Fuzz targets for every parser of user input in this package. Seeds are in
// testdata/fuzz/<Name>/; `make fuzz` runs each for a while, `make test` briefly.

// FuzzCSVText: a user-typed cell in a CSV export never reaches a spreadsheet as a formula,
// and survives the CSV round trip otherwise unchanged.
func FuzzCSVText(f *testing.F) {
	for _, s := range []string{"Growth", "=HYPERLINK(\"http://evil.example\")", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1",
		"a,b", "a\"b", "line\nbreak", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := csvText(s)
		if out != "" && strings.ContainsRune("=+-@\t\r", rune(out[0])) {
			t.Fatalf("csvText(%q) = %q starts a formula", s, out)
		}
		if out != s && out != "'"+s {
			t.Fatalf("csvText(%q) = %q", s, out)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.WriteAll([][]string{{out, "x"}}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows) != 1 || len(rows[0]) != 2 {
			t.Fatalf("csvText(%q): the row does not read back: %v %q", s, err, buf.String())
		}
		if got := rows[0][0]; got != out && !(strings.Contains(out, "\r") && got == strings.ReplaceAll(out, "\r\n", "\n")) {
			t.Fatalf("csvText(%q): cell reads back as %q", s, got)
		}
	})
}
