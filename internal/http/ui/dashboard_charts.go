package ui

import (
	"crypto/sha256"
	"encoding/json"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/teamshape/teamshape/internal/chart"
)

// chartsBuilt keeps recently built chart options by a hash of their input. A dashboard is
// read far more often than its ratings change, and building an option (go-echarts, then
// JSON, twice) costs more CPU than the rest of the page; the same input always gives the
// same option, so a hit needs no invalidation. It still pays after a write elsewhere in the
// organisation invalidates a team's cached view (viewCache) without changing its charts.
// Options are immutable and a few tens of kB each; the least recently used go first.
var chartsBuilt = mustLRU[[sha256.Size]byte, chart.Option](256)

// mustLRU makes a fixed-size LRU cache (the size is a constant).
func mustLRU[K comparable, V any](size int) *lru.Cache[K, V] {
	c, err := lru.New[K, V](size)
	if err != nil {
		panic(err)
	}
	return c
}

// cachedChart returns build(in), from the cache when the same kind of chart was built from
// an equal input.
func cachedChart[T any](kind string, in T, build func(T) (chart.Option, error)) (chart.Option, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256(append([]byte(kind+"\x00"), b...))
	if opt, ok := chartsBuilt.Get(key); ok {
		return opt, nil
	}
	opt, err := build(in)
	if err != nil {
		return nil, err
	}
	chartsBuilt.Add(key, opt)
	return opt, nil
}
