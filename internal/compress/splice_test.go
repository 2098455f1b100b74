package compress

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// TestWriteGzipOf: head + cached text + tail, each deflated alone and spliced, is one gzip
// member of exactly their concatenation, whatever their sizes (empty, smaller and larger
// than the 32 kB window).
func TestWriteGzipOf(t *testing.T) {
	sizes := []int{0, 1, 100, 40_000, 300_000}
	seed := uint64(0)
	for _, nh := range sizes[:4] {
		for _, nt := range sizes {
			for _, nl := range sizes[:3] {
				seed++
				head, body, tail := text(nh, seed), text(nt, seed+100), text(nl, seed+200)
				var got bytes.Buffer
				if err := WriteGzipOf(&got, deflate(t, head), deflate(t, body), deflate(t, tail)); err != nil {
					t.Fatal(err)
				}
				want := append(append(append([]byte{}, head...), body...), tail...)
				if out := gunzip(t, got.Bytes()); !bytes.Equal(out, want) {
					t.Errorf("head %d, text %d, tail %d: round trip differs", nh, nt, nl)
				}
			}
		}
	}
	// The zero Deflated is no text; no part at all is the empty text.
	var zero, none bytes.Buffer
	if err := WriteGzipOf(&zero, deflate(t, []byte("a")), Deflated{}, deflate(t, []byte("b"))); err != nil {
		t.Fatal(err)
	}
	if out := gunzip(t, zero.Bytes()); string(out) != "ab" {
		t.Errorf("zero Deflated: %q", out)
	}
	if err := WriteGzipOf(&none); err != nil {
		t.Fatal(err)
	}
	if out := gunzip(t, none.Bytes()); len(out) != 0 {
		t.Errorf("no parts: %q", out)
	}
	// The text is compressed: a 115 kB page-like text takes far less.
	d, _ := Deflate(strings.Repeat(`<td class="lvl3">3</td>`, 5000))
	if d.Len() > 2000 {
		t.Errorf("deflated %d bytes", d.Len())
	}
	// A failing writer's error is returned.
	if err := WriteGzipOf(failing{}, d); err == nil {
		t.Error("no error from a failing writer")
	}
}

// deflate is Deflate of b, which must not fail.
func deflate(t testing.TB, b []byte) Deflated {
	t.Helper()
	d, err := Deflate(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// failing is a writer that always fails.
type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, io.ErrShortWrite }

func TestCRC32Combine(t *testing.T) {
	for i, n := range []int{0, 1, 7, 1000, 65_537, 1 << 20} {
		a, b := text(100+i, uint64(i)), text(n, uint64(i+50))
		want := crc32.ChecksumIEEE(append(append([]byte{}, a...), b...))
		if got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), len(b)); got != want {
			t.Errorf("len %d: %08x, want %08x", n, got, want)
		}
	}
}

// BenchmarkPage compares what a 115 kB page costs to compress per request with what the
// splice costs when its content and layout are cached deflated (head 4 kB, tail 20 bytes).
func BenchmarkPage(b *testing.B) {
	head, body, tail := text(4000, 1), text(115_000, 2), []byte("\n</main>\n</body>\n</html>")
	page := append(append(append([]byte{}, head...), body...), tail...)
	dh, d, dt := deflate(b, head), deflate(b, body), deflate(b, tail)
	b.Run("splice", func(b *testing.B) {
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			_ = WriteGzipOf(&out, dh, d, dt)
		}
		b.ReportMetric(float64(out.Len()), "bytes")
	})
	for _, c := range []struct {
		enc   string
		level int
	}{{Gzip, 1}, {Gzip, 6}, {Brotli, 0}, {Brotli, 4}} {
		b.Run(fmt.Sprintf("%s-%d", c.enc, c.level), func(b *testing.B) {
			var out []byte
			for b.Loop() {
				out, _ = Encode(c.enc, page, c.level)
			}
			b.ReportMetric(float64(len(out)), "bytes")
		})
	}
}
