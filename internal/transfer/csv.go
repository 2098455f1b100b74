// Package transfer moves skill matrices in and out of Teamshape: the CSV format (parse,
// plan, write), imports all or nothing, the team matrix export and the organisation backup.
package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
)

// The fixed columns of a skill matrix; every other column is a competency key.
const (
	ColEmail      = "email"
	ColName       = "name"
	ColTitle      = "title"
	ColBackground = "background"
	ColTeam       = "team"
)

// FixedColumns are the person columns, in the order an export writes them.
var FixedColumns = []string{ColEmail, ColName, ColTitle, ColBackground, ColTeam}

// Limits of a file.
const (
	MaxFileSize = 10 << 20
	MaxRows     = 50_000
	MaxColumns  = 300
)

// Table is a parsed file: the header (trimmed, lower-case) and the rows that are not
// blank, each with its spreadsheet row number (the header is row 1).
type Table struct {
	Header []string
	Rows   []Row
}

// Row is one record of the file; Cells may be shorter or longer than the header.
type Row struct {
	Num   int
	Cells []string
}

// Cell returns the row's cell in column i ("" beyond its end).
func (r Row) Cell(i int) string {
	if i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}

// Column returns the index of the header column, or -1.
func (t *Table) Column(name string) int {
	for i, h := range t.Header {
		if h == name {
			return i
		}
	}
	return -1
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// fileError is a problem with the file as a whole (EINVALID, naming where it is).
func fileError(field, format string, args ...any) error {
	return app.Invalid(field, format, args...)
}

// ParseMatrix reads a skill-matrix CSV: UTF-8 (a byte-order mark is accepted), separated
// by commas (or semicolons or tabs, as spreadsheets in some locales save), quoted fields
// may hold separators and newlines. It checks the file's shape only — an e-mail column,
// no duplicate columns, not too big — and leaves the cells' meaning to Plan. Cells are
// strings and never evaluated.
func ParseMatrix(data []byte) (*Table, error) {
	if len(data) > MaxFileSize {
		return nil, &app.Error{Code: app.ETOOLARGE, Field: "file", Message: fmt.Sprintf("The file is larger than %d MB.", MaxFileSize>>20)}
	}
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return nil, fileError("file", "The file is UTF-16 text; save it as \"CSV UTF-8\" and upload it again.")
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileError("file", "The file is empty: it needs a header row (email, name, title, background, team and competency keys) and one row per person.")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fileError("file", "This is not a CSV text file (it holds binary data).")
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidUTF8At(data)], []byte("\n"))
		return nil, fileError("file", "The file is not UTF-8 text (first bad byte on line %d); save it as \"CSV UTF-8\" and upload it again.", line)
	}
	if bytes.IndexByte(data, '\n') < 0 {
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n")) // classic Mac line ends
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffSeparator(data)
	r.FieldsPerRecord = -1
	t := &Table{}
	// num is the spreadsheet row: the reader skips empty lines, which a spreadsheet
	// shows as empty rows, so they are counted from the lines between records.
	num, endLine := 0, 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		switch {
		case err == nil:
			start, _ := r.FieldPos(0)
			num = nextRow(num, start, endLine)
			last, _ := r.FieldPos(len(rec) - 1)
			endLine = last + strings.Count(rec[len(rec)-1], "\n")
		case errors.As(err, &pe):
			num = nextRow(num, pe.StartLine, endLine)
		}
		if pe != nil {
			return nil, fileError(fmt.Sprintf("row %d", num), "Row %d (line %d, column %d) is not valid CSV: %v. Put quotes around cells that hold commas, quotes or line breaks, and double the quotes inside them.",
				num, pe.Line, pe.Column, pe.Err)
		} else if err != nil {
			return nil, fileError("file", "The file cannot be read as CSV.")
		}
		for i, c := range rec {
			// encoding/csv keeps a CR before a line break inside a quoted cell only
			// when the line itself ends in CR LF; one form of line break reads back
			// the same after an export.
			rec[i] = strings.ReplaceAll(c, "\r\n", "\n")
		}
		if t.Header == nil {
			if err := t.setHeader(rec); err != nil {
				return nil, err
			}
			continue
		}
		if blank(rec) {
			continue
		}
		if len(t.Rows) == MaxRows {
			return nil, fileError(fmt.Sprintf("row %d", num), "The file has more than %d people; split it into several files.", MaxRows)
		}
		t.Rows = append(t.Rows, Row{Num: num, Cells: rec})
	}
	if t.Header == nil {
		return nil, fileError("file", "The file has no header row.")
	}
	if len(t.Rows) == 0 {
		return nil, fileError("file", "The file has a header but no people: add one row per person below it.")
	}
	return t, nil
}

// nextRow is the spreadsheet row of a record starting on line start, after a record
// ending on line end: empty lines between them are empty rows.
func nextRow(num, start, end int) int {
	if num == 0 {
		return 1
	}
	return num + 1 + max(0, start-end-1)
}

func (t *Table) setHeader(rec []string) error {
	for len(rec) > 0 && strings.TrimSpace(rec[len(rec)-1]) == "" {
		rec = rec[:len(rec)-1] // spreadsheets pad rows with empty cells
	}
	if len(rec) > MaxColumns {
		return fileError("row 1", "The header has %d columns; at most %d are allowed.", len(rec), MaxColumns)
	}
	seen := map[string]int{}
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			return fileError(fmt.Sprintf("row 1, column %d", i+1), "Column %d of the header is empty; name it (email, name, title, background, team or a competency key) or delete it.", i+1)
		}
		if j, dup := seen[h]; dup {
			return fileError("row 1, column "+h, "The column %q appears twice in the header (columns %d and %d).", h, j+1, i+1)
		}
		seen[h] = i
		t.Header = append(t.Header, h)
	}
	if _, ok := seen[ColEmail]; !ok {
		return fileError("row 1, column email", "The header has no email column: the first row must name the columns, with at least \"email\" (found %s).", quoteList(t.Header, 5))
	}
	return nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sniffSeparator reads the first line outside quotes: a comma if it has one, else the
// semicolon or tab it has most (spreadsheets in some locales save those), else a comma.
func sniffSeparator(data []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range data {
		if b == '"' {
			quoted = !quoted
		} else if !quoted && (b == '\n' || b == '\r') {
			break
		} else if !quoted && (b == ',' || b == ';' || b == '\t') {
			counts[b]++
		}
	}
	switch {
	case counts[','] > 0 || counts[';']+counts['\t'] == 0:
		return ','
	case counts[';'] >= counts['\t']:
		return ';'
	}
	return '\t'
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func quoteList(items []string, max int) string {
	if len(items) == 0 {
		return "nothing"
	}
	q := make([]string, 0, max)
	for i, s := range items {
		if i == max {
			q = append(q, "…")
			break
		}
		q = append(q, fmt.Sprintf("%q", truncate(s, 40)))
	}
	return strings.Join(q, ", ")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// formulaStart reports whether a spreadsheet would read the cell as a formula: it starts
// with =, +, - or @ (or a tab or carriage return, which some strip before looking).
func formulaStart(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// Neutralise guards a cell against CSV injection: a cell a spreadsheet would read as a
// formula (see formulaStart, after any quotes) gets a leading single quote. Every CSV
// export uses it.
// Unneutralise undoes exactly that, so every string survives a round trip.
func Neutralise(s string) string {
	if formulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// Unneutralise strips the single quote Neutralise adds.
func Unneutralise(s string) string {
	if strings.HasPrefix(s, "'") && formulaStart(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}

// WriteMatrix writes a skill matrix as CSV (UTF-8 with a byte-order mark, so that
// spreadsheets read names correctly), every cell neutralised against CSV injection.
func WriteMatrix(w io.Writer, header []string, rows [][]string) error {
	if _, err := w.Write(bomUTF8); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	cells := make([]string, 0, len(header))
	for _, row := range rows {
		cells = cells[:0]
		for _, c := range row {
			cells = append(cells, Neutralise(c))
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
