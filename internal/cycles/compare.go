package cycles

import (
	"cmp"
	"slices"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// Opinion is one rating in the compare view. RaterID and RaterName are empty for a peer
// when the viewer is the PM of an anonymous cycle.
type Opinion struct {
	Level     *int      `json:"level"`
	Note      string    `json:"note"`
	At        time.Time `json:"at"`
	InCycle   bool      `json:"in_cycle"` // made during this cycle (else an earlier rating)
	RaterID   int64     `json:"rater_id,omitempty"`
	RaterName string    `json:"rater_name,omitempty"`
}

// Row is one competency of the compare view: self, peers and leader side by side.
type Row struct {
	Competency string    `json:"competency"`
	Name       string    `json:"name"`
	AreaName   string    `json:"area_name"`
	Self       *Opinion  `json:"self"`
	Leader     *Opinion  `json:"leader"`
	Peers      []Opinion `json:"peers"`
	// Others is what the self rating is compared against: the leader's level, else the
	// lower median of the peers shown.
	Others *int `json:"others"`
	Delta  *int `json:"delta"` // self − others
	// Flag: self and others differ by app.FlagDelta or more.
	Flag   bool                `json:"flag"`
	Agreed *app.CycleAgreement `json:"agreed"`
}

// CompareInput is what a compare view is built from.
type CompareInput struct {
	Scope   []app.Competency // the competencies that count for the PM, framework order
	History []app.Rating     // the PM's ratings, oldest first
	Cycle   *app.Cycle
	End     time.Time // ratings from End on are not shown
	Agreed  []app.CycleAgreement
	// Anonymous: the viewer is the PM and the cycle hides its peers.
	Anonymous bool
}

// Compared is the built view: its rows, flagged first, and what happened to the peers.
type Compared struct {
	Rows []Row `json:"rows"`
	// PeersAnswered is how many peers rated the PM for this cycle.
	PeersAnswered int `json:"peers_answered"`
	// PeersWithheld: anonymous, and fewer than shape.MinContributors peers answered; the
	// peers' ratings reach the PM only through the leader's view.
	PeersWithheld bool `json:"peers_withheld"`
}

// MinPeers is how many peers must answer before an anonymous cycle shows their ratings
// to the PM: the disclosure rule's threshold.
const MinPeers = 3

// BuildCompare puts the PM's latest self and leader ratings before the cycle's end beside
// the peer ratings given for the cycle (each peer's latest), with the agreements. Rows
// whose self and others differ by app.FlagDelta or more come first, largest difference
// first; the rest keep framework order. For an anonymous view the peers carry no name or
// id and are ordered by level and note, never by who or when; with fewer than MinPeers
// peers they are left out and the self is compared with the leader alone.
func BuildCompare(in CompareInput) Compared {
	raters := map[int64]bool{}
	for _, r := range in.History {
		if r.Kind == app.RatingPeer && r.CycleID != nil && *r.CycleID == in.Cycle.ID && r.CreatedAt.Before(in.End) {
			raters[r.RaterID] = true
		}
	}
	out := Compared{Rows: make([]Row, 0, len(in.Scope)), PeersAnswered: len(raters)}
	out.PeersWithheld = in.Anonymous && out.PeersAnswered < MinPeers
	for _, c := range in.Scope {
		row := Row{Competency: c.Key, Name: c.Name, AreaName: c.AreaName, Peers: []Opinion{}}
		peers := map[int64]int{}
		for _, r := range in.History {
			if r.Competency != c.Key || !r.CreatedAt.Before(in.End) {
				continue
			}
			o := Opinion{Level: r.Level, Note: r.Note, At: r.CreatedAt, InCycle: !r.CreatedAt.Before(in.Cycle.OpenedAt),
				RaterID: r.RaterID, RaterName: r.RaterName}
			switch {
			case r.Kind == app.RatingSelf:
				row.Self = &o
			case r.Kind == app.RatingLeader:
				row.Leader = &o
			case r.Kind == app.RatingPeer && r.CycleID != nil && *r.CycleID == in.Cycle.ID && !out.PeersWithheld:
				if i, ok := peers[r.RaterID]; ok {
					row.Peers[i] = o
				} else {
					peers[r.RaterID] = len(row.Peers)
					row.Peers = append(row.Peers, o)
				}
			}
		}
		if in.Anonymous {
			anonymise(row.Peers)
		}
		var leader *int
		if row.Leader != nil {
			leader = row.Leader.Level
		}
		row.Others = app.OthersLevel(leader, row.Peers, func(o Opinion) *int { return o.Level })
		if row.Self != nil && row.Self.Level != nil && row.Others != nil {
			d := *row.Self.Level - *row.Others
			row.Delta, row.Flag = &d, app.Flagged(*row.Self.Level, *row.Others)
		}
		for i := range in.Agreed {
			if in.Agreed[i].Competency == c.Key {
				row.Agreed = &in.Agreed[i]
			}
		}
		out.Rows = append(out.Rows, row)
	}
	slices.SortStableFunc(out.Rows, func(a, b Row) int {
		if a.Flag != b.Flag {
			if a.Flag {
				return -1
			}
			return 1
		}
		if a.Flag {
			return cmp.Compare(abs(*b.Delta), abs(*a.Delta))
		}
		return 0
	})
	return out
}

// anonymise drops who and when from peer opinions and orders them by level, then note.
func anonymise(ps []Opinion) {
	for i := range ps {
		ps[i].RaterID, ps[i].RaterName, ps[i].At = 0, "", time.Time{}
	}
	slices.SortFunc(ps, func(a, b Opinion) int {
		return cmp.Or(cmp.Compare(level(a.Level), level(b.Level)), cmp.Compare(a.Note, b.Note))
	})
}

func level(l *int) int {
	if l == nil {
		return -1
	}
	return *l
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
