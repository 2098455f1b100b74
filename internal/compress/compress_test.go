package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"testing"

	brrr "github.com/molecule-man/go-brrr"
)

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   string
	}{
		{"", Identity},
		{"gzip, deflate, br, zstd", Brotli}, // Chromium's
		{"gzip, deflate", Gzip},
		{"br;q=0, gzip", Gzip},
		{"BR;Q=0.0, GZIP;q=0.5", Gzip},
		{"br;q=0.001", Brotli},
		{"gzip;q=0, br;q=0", Identity},
		{"identity", Identity},
		{"*", Brotli},
		{"*;q=0", Identity},
		{"*, br;q=0", Gzip},
		{"gzip;q=nonsense", Identity},
		{" gzip ; q=1 ", Gzip},
		{"x-gzip", Identity},
		{"deflate, zstd", Identity},
	} {
		if got := Negotiate(tc.header, Brotli, Gzip); got != tc.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
	if got := Negotiate("gzip, br", Gzip); got != Gzip {
		t.Errorf("only gzip offered: %q", got)
	}
}

// text is compressible test input of n bytes: words from a small vocabulary, with some
// random bytes so the DEFLATE window (32 kB) and block boundaries are crossed.
func text(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	words := []string{"<td class=\"lvl", "\">", "</td>", "proficient", "&#34;", "Growth", "\n", "data-chart=", "Ada Lovelace"}
	var b bytes.Buffer
	for b.Len() < n {
		if r.IntN(10) == 0 {
			b.WriteByte(byte(r.IntN(256)))
		} else {
			b.WriteString(words[r.IntN(len(words))])
		}
	}
	return b.Bytes()[:n]
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r.Multistream(false) // exactly one member, as browsers expect
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if rest, _ := io.ReadAll(r); len(rest) != 0 {
		t.Fatal("data after the gzip member")
	}
	return out
}

func TestEncode(t *testing.T) {
	in := text(200_000, 1)
	gz, err := Encode(Gzip, in, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gunzip(t, gz), in) {
		t.Error("gzip round trip differs")
	}
	br, err := Encode(Brotli, in, 11)
	if err != nil {
		t.Fatal(err)
	}
	out, err := brrr.Decompress(br)
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("brotli round trip differs (%v)", err)
	}
	if len(br) >= len(in)/2 || len(gz) >= len(in)/2 {
		t.Errorf("sizes %d (br), %d (gzip) of %d", len(br), len(gz), len(in))
	}
	if _, err := Encode("zstd", in, 1); err == nil {
		t.Error("zstd: want an error")
	}
}
