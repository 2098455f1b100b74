package transfer

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
)

func TestParseMatrix(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		header []string
		rows   [][]string
		nums   []int
	}{
		{"plain", "email,name,specification\na@x.test,Ann,3\n",
			[]string{"email", "name", "specification"}, [][]string{{"a@x.test", "Ann", "3"}}, []int{2}},
		{"BOM, CRLF, header case and spaces", "\ufeff Email ,NAME\r\na@x.test,Ann\r\n",
			[]string{"email", "name"}, [][]string{{"a@x.test", "Ann"}}, []int{2}},
		{"quoted commas, quotes and newlines", "email,name\n\"a@x.test\",\"Lee, \"\"Ann\"\"\nsecond line\"\nb@x.test,Bo\n",
			[]string{"email", "name"}, [][]string{{"a@x.test", "Lee, \"Ann\"\nsecond line"}, {"b@x.test", "Bo"}}, []int{2, 3}},
		{"semicolons", "email;name;delivery\na@x.test;Lee, Ann;4\n",
			[]string{"email", "name", "delivery"}, [][]string{{"a@x.test", "Lee, Ann", "4"}}, []int{2}},
		{"tabs", "email\tname\na@x.test\tAnn\n",
			[]string{"email", "name"}, [][]string{{"a@x.test", "Ann"}}, []int{2}},
		{"blank rows skipped, numbers kept", "email,name\n\n , \na@x.test,Ann\n",
			[]string{"email", "name"}, [][]string{{"a@x.test", "Ann"}}, []int{4}},
		{"trailing empty header cells", "email,name,,\na@x.test,Ann,,\n",
			[]string{"email", "name"}, [][]string{{"a@x.test", "Ann", "", ""}}, []int{2}},
		{"classic Mac line ends", "email,name\ra@x.test,Ann\r",
			[]string{"email", "name"}, [][]string{{"a@x.test", "Ann"}}, []int{2}},
		{"formulas stay strings", "email,name,specification\na@x.test,=cmd|' /C calc'!A0,=1+2\n",
			[]string{"email", "name", "specification"}, [][]string{{"a@x.test", "=cmd|' /C calc'!A0", "=1+2"}}, []int{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ParseMatrix([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tab.Header, tc.header) {
				t.Errorf("header %q, want %q", tab.Header, tc.header)
			}
			var rows [][]string
			var nums []int
			for _, r := range tab.Rows {
				rows, nums = append(rows, r.Cells), append(nums, r.Num)
			}
			if !reflect.DeepEqual(rows, tc.rows) || !reflect.DeepEqual(nums, tc.nums) {
				t.Errorf("rows %q at %v, want %q at %v", rows, nums, tc.rows, tc.nums)
			}
		})
	}
}

func TestParseMatrixRefuses(t *testing.T) {
	junk := make([]byte, 10<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	textJunk := bytes.Repeat([]byte("lorem ipsum dolor sit amet\n"), (10<<20)/27)
	for _, tc := range []struct {
		name, in, code, field, msg string
	}{
		{"empty", "", app.EINVALID, "file", "empty"},
		{"only a BOM and spaces", "\ufeff \n\n", app.EINVALID, "file", "empty"},
		{"header only", "email,name\n", app.EINVALID, "file", "no people"},
		{"no email column", "name,title\nAnn,pm\n", app.EINVALID, "row 1, column email", "no email column"},
		{"duplicate column", "email,name,Name\na@x.test,A,B\n", app.EINVALID, "row 1, column name", "appears twice"},
		{"empty header cell", "email,,name\na,b,c\n", app.EINVALID, "row 1, column 2", "empty"},
		{"latin-1", "email,name\na@x.test,Jos\xe9\n", app.EINVALID, "file", "not UTF-8 text (first bad byte on line 2)"},
		{"UTF-16", "\xff\xfee\x00m\x00", app.EINVALID, "file", "UTF-16"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", app.EINVALID, "file", "binary"},
		{"bare quote", "email,name\na@x.test,An\"n\n", app.EINVALID, "row 2", "not valid CSV"},
		{"unterminated quote", "email,name\nb@x.test,Bo\n\"a@x.test,Ann\n", app.EINVALID, "row 3", "not valid CSV"},
		{"10 MB of random bytes", string(junk), app.EINVALID, "file", ""},
		{"10 MB of text", string(textJunk), app.EINVALID, "row 1, column email", "no email column"},
		{"over 10 MB", string(junk) + "x", app.ETOOLARGE, "file", "larger than 10 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMatrix([]byte(tc.in))
			if app.ErrorCode(err) != tc.code || app.ErrorField(err) != tc.field || !strings.Contains(app.ErrorMessage(err), tc.msg) {
				t.Errorf("got %v (code %s, field %q), want %s at %q containing %q", err, app.ErrorCode(err), app.ErrorField(err), tc.code, tc.field, tc.msg)
			}
		})
	}
}

func TestParseMatrixTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("email\n")
	for range MaxRows + 1 {
		b.WriteString("a@x.test\n")
	}
	_, err := ParseMatrix([]byte(b.String()))
	if app.ErrorField(err) != "row 50002" || !strings.Contains(app.ErrorMessage(err), "more than 50000 people") {
		t.Fatalf("got %v", err)
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"Ann": "Ann", "=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0", "+1": "'+1", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)",
		"'=a": "''=a", "'Ann": "'Ann", "'": "'", "": "", "a=b": "a=b", "\t=1": "'\t=1", "\rx": "'\rx",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
		if back := Unneutralise(Neutralise(in)); back != in {
			t.Errorf("Unneutralise(Neutralise(%q)) = %q", in, back)
		}
	}
}

func TestWriteMatrixNeutralises(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMatrix(&buf, []string{"email", "name"}, [][]string{{"a@x.test", "=HYPERLINK(\"http://evil\")"}, {"b@x.test", "@b, \"c\"\nd"}}); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffemail,name\na@x.test,\"'=HYPERLINK(\"\"http://evil\"\")\"\nb@x.test,\"'@b, \"\"c\"\"\nd\"\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}

// FuzzParseMatrix: the parser never panics; what it accepts is well-formed, and writing
// it back out (neutralised) and parsing again gives the same cells.
func FuzzParseMatrix(f *testing.F) {
	for _, s := range []string{
		"email,name,specification\na@x.test,Ann,3\n",
		"\ufeffemail;name\r\n\"a@x.test\";\"Lee; \"\"A\"\"\r\nB\"\r\n",
		"email,name\n=cmd|' /C calc'!A0,'=x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ParseMatrix(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID && app.ErrorCode(err) != app.ETOOLARGE {
				t.Fatalf("error without a domain code: %v", err)
			}
			if app.ErrorField(err) == "" {
				t.Fatalf("error names no row, column or file: %v", err)
			}
			return
		}
		if tab.Column(ColEmail) < 0 || len(tab.Rows) == 0 {
			t.Fatalf("accepted a table without an email column or rows: %q", tab.Header)
		}
		last := 1
		rows := make([][]string, len(tab.Rows))
		for i, r := range tab.Rows {
			if r.Num <= last {
				t.Fatalf("row numbers not increasing: %d after %d", r.Num, last)
			}
			last = r.Num
			for _, c := range r.Cells {
				if !utf8.ValidString(c) {
					t.Fatalf("invalid UTF-8 cell %q", c)
				}
			}
			rows[i] = r.Cells
		}
		var buf bytes.Buffer
		if err := WriteMatrix(&buf, tab.Header, rows); err != nil {
			t.Fatal(err)
		}
		again, err := ParseMatrix(buf.Bytes())
		if err != nil {
			t.Fatalf("written table does not parse: %v\n%q", err, buf.Bytes())
		}
		if !reflect.DeepEqual(again.Header, tab.Header) || len(again.Rows) != len(tab.Rows) {
			t.Fatalf("round trip changed the table: %q %d → %q %d", tab.Header, len(tab.Rows), again.Header, len(again.Rows))
		}
		for i, r := range again.Rows {
			for j, c := range r.Cells {
				if Unneutralise(c) != rows[i][j] {
					t.Fatalf("round trip changed row %d cell %d: %q → %q", i, j, rows[i][j], c)
				}
			}
		}
	})
}
