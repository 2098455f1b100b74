package career

import (
	"cmp"
	"fmt"
	"slices"
)

// HitListSize is how many resources a hit-list shows.
const HitListSize = 5

// Learner is who a hit-list is for: their level in the competency (nil: not assessed),
// their market and their background key.
type Learner struct {
	Level      *int
	Market     string // "b2b", "b2c", or "" when both or unknown
	Background string
}

// MarketOf reads a PM's market from their specialism tags: b2b or b2c when exactly one of
// the two is there, "" otherwise (every market fits).
func MarketOf(tags []string) string {
	b2b, b2c := slices.Contains(tags, "b2b"), slices.Contains(tags, "b2c")
	switch {
	case b2b && !b2c:
		return "b2b"
	case b2c && !b2b:
		return "b2c"
	}
	return ""
}

// Resource is a learning resource as a hit list ranks it.
type Resource struct {
	ID                 int64
	Title              string
	Competency         string
	LevelMin, LevelMax int
	Market             string // "b2b" or "b2c"; "" fits every market
	Background         string // the background it is written for; "" for any
}

// Pick is a resource on a hit list, by its index in the list HitList ranked, with the
// reasons it fits.
type Pick struct {
	Index   int
	Reasons []string
}

// Words names the keys a reason or a suggestion mentions (markets, backgrounds, career
// spikes): the vocabulary is the domain's, the pages' words for it too.
type Words map[string]string

// Of is the word for the key, or the key itself when it has none.
func (w Words) Of(key string) string {
	if label, ok := w[key]; ok {
		return label
	}
	return key
}

// HitList returns up to n resources of the competency that fit the learner, best first.
//
// A resource fits when the learner's level is within its range (any level fits an
// unassessed learner) and its market is the learner's or both (any market fits a learner
// whose market is unknown). Among those that fit: a resource written for the learner's
// background comes first, then one for any background, then one for another background;
// then one for the learner's own market before one for both; then the narrower level range
// (the more targeted); then, for an unassessed learner, the lower starting level; then
// title and id.
func HitList(resources []Resource, competency string, l Learner, n int, words Words) []Pick {
	type scored struct {
		i                  int
		r                  Resource
		background, market int
	}
	var fit []scored
	for i, r := range resources {
		if r.Competency != competency {
			continue
		}
		if l.Level != nil && (*l.Level < r.LevelMin || *l.Level > r.LevelMax) {
			continue
		}
		if l.Market != "" && r.Market != "" && r.Market != l.Market {
			continue
		}
		s := scored{i: i, r: r, background: 1}
		switch bg := r.Background; {
		case bg != "" && bg == l.Background:
			s.background = 2
		case bg != "":
			s.background = 0
		}
		if l.Market != "" && r.Market == l.Market {
			s.market = 1
		}
		fit = append(fit, s)
	}
	slices.SortFunc(fit, func(a, b scored) int {
		if c := cmp.Compare(b.background, a.background); c != 0 {
			return c
		}
		if c := cmp.Compare(b.market, a.market); c != 0 {
			return c
		}
		if c := cmp.Compare(a.r.LevelMax-a.r.LevelMin, b.r.LevelMax-b.r.LevelMin); c != 0 {
			return c
		}
		if l.Level == nil {
			if c := cmp.Compare(a.r.LevelMin, b.r.LevelMin); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(a.r.Title, b.r.Title); c != 0 {
			return c
		}
		return cmp.Compare(a.r.ID, b.r.ID)
	})
	out := []Pick{}
	for _, s := range fit[:min(n, len(fit))] {
		out = append(out, Pick{Index: s.i, Reasons: reasons(s.r, l, words)})
	}
	return out
}

// reasons says why a resource fits the learner.
func reasons(r Resource, l Learner, words Words) []string {
	var out []string
	if l.Level != nil {
		out = append(out, fmt.Sprintf("level %d is within %d–%d", *l.Level, r.LevelMin, r.LevelMax))
	} else {
		out = append(out, fmt.Sprintf("for levels %d–%d", r.LevelMin, r.LevelMax))
	}
	if r.Market == "" {
		out = append(out, "any market")
	} else {
		out = append(out, "for "+words.Of(r.Market))
	}
	if bg := r.Background; bg != "" {
		label := words.Of(bg)
		if bg == l.Background {
			out = append(out, "written for a "+label+" background: a match")
		} else {
			out = append(out, "written for a "+label+" background")
		}
	}
	return out
}
