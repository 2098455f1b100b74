package kit

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/compress"
)

// TestViewDeflatedOnFirstUse: the request that renders a view gets it without its
// deflated copy; the cached view is not deflated until asked for; every later request
// gets the copy, deflated once, which inflates to the body.
func TestViewDeflatedOnFirstUse(t *testing.T) {
	vc := NewViewCache(8, 1<<20)
	body := strings.Repeat("<td>3</td>", 5000)
	render := func() (CachedView, error) { return CachedView{Body: body}, nil }
	first, err := vc.Get(ViewKey{TeamID: 1}, render)
	if err != nil || first.packed != nil || first.Packed().Len() != 0 {
		t.Fatalf("the rendering request: %v, deflated copy %v", err, first.packed)
	}
	cached, _ := vc.Entries.Get(ViewKey{TeamID: 1})
	if cached.packed == nil || cached.packed.d.Len() != 0 {
		t.Fatal("the cached view is deflated before anyone asks for it")
	}
	for range 3 {
		again, err := vc.Get(ViewKey{TeamID: 1}, render)
		if err != nil {
			t.Fatal(err)
		}
		d := again.Packed()
		if d.Len() == 0 || d.Len() > len(body)/10 {
			t.Fatalf("a later request: deflated %d bytes of %d", d.Len(), len(body))
		}
		var gz bytes.Buffer
		if err := compress.WriteGzipOf(&gz, d); err != nil {
			t.Fatal(err)
		}
		if gunzip(t, gz.Bytes()) != body {
			t.Fatal("the deflated copy does not inflate to the body")
		}
		if again.packed != cached.packed {
			t.Fatal("a later request has a copy of its own to deflate")
		}
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
