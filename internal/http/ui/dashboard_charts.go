package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"html/template"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/teamshape/teamshape/internal/chart"
)

// chartsBuilt keeps recently built chart options, as their data-chart attribute, by a hash
// of their input. A dashboard is read far more often than its ratings change, and building
// an option (go-echarts, then JSON, twice) and escaping it for the attribute cost more CPU
// than the rest of the page; the same input always gives the same option, so a hit needs no
// invalidation. It still pays after a write elsewhere in the organisation invalidates a
// team's cached view (viewCache) without changing its charts. Attributes are immutable and
// a few tens of kB each; the least recently used go first.
var chartsBuilt = mustLRU[[sha256.Size]byte, template.HTMLAttr](256)

// mustLRU makes a fixed-size LRU cache (the size is a constant).
func mustLRU[K comparable, V any](size int) *lru.Cache[K, V] {
	c, err := lru.New[K, V](size)
	if err != nil {
		panic(err)
	}
	return c
}

// cachedChart returns build(in) as its data-chart attribute (dataChart), from the cache
// when the same kind of chart was built from an equal input. A template writes it in an
// element's tag, where html/template leaves it as it is: <div class="chart" {{.Chart}} …>.
func cachedChart[T any](kind string, in T, build func(T) (chart.Option, error)) (template.HTMLAttr, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return "", err
	}
	key := sha256.Sum256(append([]byte(kind+"\x00"), b...))
	if attr, ok := chartsBuilt.Get(key); ok {
		return attr, nil
	}
	opt, err := build(in)
	if err != nil {
		return "", err
	}
	attr := dataChart(opt)
	chartsBuilt.Add(key, attr)
	return attr, nil
}

// dataChart is the attribute data-chart='option' (web/static/js/charts.js starts the
// chart), the option escaped for it once. Single quotes: an option holds no <, > or &
// (chart.Option: JSON escaped for HTML), so only its ' need escaping, where between
// double quotes each of its many " took six bytes (&#34;): the team page's heatmap option
// was 55 kB escaped, 38 kB of JSON.
// The attribute is written in one pass into a string of its size: the heatmap's option is
// tens of kilobytes, and each copy of it is garbage of every view after a rating.
func dataChart(o chart.Option) template.HTMLAttr {
	if len(o) == 0 {
		o = chart.Option("{}")
	}
	const open, apos = `data-chart='`, "&#39;"
	var b strings.Builder
	b.Grow(len(open) + len(o) + (len(apos)-1)*bytes.Count(o, []byte("'")) + 1)
	b.WriteString(open)
	for {
		i := bytes.IndexByte(o, '\'')
		if i < 0 {
			break
		}
		b.Write(o[:i])
		b.WriteString(apos)
		o = o[i+1:]
	}
	b.Write(o)
	b.WriteByte('\'')
	return template.HTMLAttr(b.String())
}
