package http

import (
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/teamshape/teamshape/internal/chart"
)

// chartCache keeps recently built chart options by a hash of their input. A dashboard is read
// far more often than its ratings change, and building an option (go-echarts, then JSON,
// twice) costs more CPU than the rest of the page; the same input always gives the same
// option, so a hit needs no invalidation. The least recently used entries go first.
type chartCache struct {
	mu  sync.Mutex
	max int
	ll  *list.List // of *chartEntry, most recent first
	m   map[[sha256.Size]byte]*list.Element
}

type chartEntry struct {
	key [sha256.Size]byte
	opt chart.Option
}

// chartsBuilt is the process's cache: options are immutable and a few tens of kB each.
var chartsBuilt = newChartCache(256)

func newChartCache(max int) *chartCache {
	return &chartCache{max: max, ll: list.New(), m: map[[sha256.Size]byte]*list.Element{}}
}

// cachedChart returns build(in), from the cache when the same kind of chart was built from
// an equal input.
func cachedChart[T any](kind string, in T, build func(T) (chart.Option, error)) (chart.Option, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256(append([]byte(kind+"\x00"), b...))
	if opt, ok := chartsBuilt.get(key); ok {
		return opt, nil
	}
	opt, err := build(in)
	if err != nil {
		return nil, err
	}
	chartsBuilt.put(key, opt)
	return opt, nil
}

func (c *chartCache) get(key [sha256.Size]byte) (chart.Option, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*chartEntry).opt, true
}

func (c *chartCache) put(key [sha256.Size]byte, opt chart.Option) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.m[key] = c.ll.PushFront(&chartEntry{key: key, opt: opt})
	for c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.m, last.Value.(*chartEntry).key)
	}
}
