package web

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEChartsBundleIsTheBuiltOne checks web/echarts/SHA256SUMS, which scripts/build-echarts.sh
// writes: the committed bundle is the one the script built, from the entry and lock file
// committed beside it. A hand edit of the bundle, or an entry changed without a rebuild,
// fails here.
func TestEChartsBundleIsTheBuiltOne(t *testing.T) {
	f, err := os.Open("echarts/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: bad line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join("echarts", name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, SHA256SUMS says %s: run scripts/build-echarts.sh (--update after an intended change)", name, got, want)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("SHA256SUMS lists %d files, want 4 (entry.js, package.json, package-lock.json and the bundle)", n)
	}
}
