package cycles

import (
	"github.com/teamshape/teamshape/internal/app"
)

// Stages of a cycle, in order.
const (
	StageSelf   = app.CycleStageSelf
	StagePeer   = app.CycleStagePeer
	StageLeader = app.CycleStageLeader
	StageReview = app.CycleStageReview
)

// Stage is one step of a cycle across the team: how many of how many are done by when.
type Stage struct {
	Key     string   `json:"key"`
	Due     app.Date `json:"due"`
	Done    int      `json:"done"`
	Total   int      `json:"total"`
	Overdue bool     `json:"overdue"` // past its date and not complete (open cycles only)
}

// Percent is Done of Total in whole percent (0 when there is nothing to do).
func (s Stage) Percent() int {
	if s.Total == 0 {
		return 0
	}
	return s.Done * 100 / s.Total
}

// MemberProgress is where one PM stands in a cycle.
type MemberProgress struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	// Scope is how many competencies count for the PM; SelfRated and LeaderRated how many
	// of them were rated (with a level) in the cycle. A stage is done when all are.
	Scope       int  `json:"scope"`
	SelfRated   int  `json:"self_rated"`
	SelfDone    bool `json:"self_done"`
	LeaderRated int  `json:"leader_rated"`
	LeaderDone  bool `json:"leader_done"`
	// Peer requests made for the cycle: answered, still open (Pending, by reviewer), declined.
	PeersAnswered int           `json:"peers_answered"`
	PeersDeclined int           `json:"peers_declined"`
	Pending       []PendingPeer `json:"pending"`
	Reviewed      bool          `json:"reviewed"` // the 1:1 recorded at least one agreement
}

// PendingPeer is an open peer request of a cycle: who is yet to answer.
type PendingPeer struct {
	RequestID    int64  `json:"request_id"`
	ReviewerID   int64  `json:"reviewer_id"`
	ReviewerName string `json:"reviewer_name"`
}

// Member is a PM of the cycle's team and the competencies that count for them.
type Member struct {
	ID    int64
	Name  string
	Scope []string // competency keys
}

// Progress is a cycle's progress board: per PM and per stage.
type Progress struct {
	Members []MemberProgress `json:"members"`
	Stages  []Stage          `json:"stages"`
}

// BuildProgress computes the board from what was rated in the cycle, its peer requests
// and its agreements. Stages count PMs, except peers, which counts the requests that were
// not declined. A stage is overdue when the cycle is open, today is past its date and it
// is not complete.
func BuildProgress(c *app.Cycle, members []Member, rated []app.CycleRated, requests []app.PeerRequest,
	agreed []app.CycleAgreement, today app.Date) Progress {
	type key struct {
		person int64
		kind   string
	}
	done := map[key]map[string]bool{}
	for _, r := range rated {
		k := key{r.SubjectID, r.Kind}
		if done[k] == nil {
			done[k] = map[string]bool{}
		}
		done[k][r.Competency] = true
	}
	count := func(person int64, kind string, scope []string) int {
		n := 0
		for _, c := range scope {
			if done[key{person, kind}][c] {
				n++
			}
		}
		return n
	}
	reviewed := map[int64]bool{}
	for _, a := range agreed {
		reviewed[a.PersonID] = true
	}
	p := Progress{Members: make([]MemberProgress, 0, len(members))}
	st := map[string]*Stage{
		StageSelf: {Key: StageSelf, Due: c.SelfDue}, StagePeer: {Key: StagePeer, Due: c.PeerDue},
		StageLeader: {Key: StageLeader, Due: c.LeaderDue}, StageReview: {Key: StageReview, Due: c.ReviewDue},
	}
	for _, m := range members {
		mp := MemberProgress{PersonID: m.ID, Name: m.Name, Scope: len(m.Scope), Pending: []PendingPeer{},
			SelfRated: count(m.ID, app.RatingSelf, m.Scope), LeaderRated: count(m.ID, app.RatingLeader, m.Scope),
			Reviewed: reviewed[m.ID]}
		mp.SelfDone = mp.Scope > 0 && mp.SelfRated == mp.Scope
		mp.LeaderDone = mp.Scope > 0 && mp.LeaderRated == mp.Scope
		for _, r := range requests {
			if r.SubjectID != m.ID {
				continue
			}
			switch r.Status {
			case app.RequestAnswered:
				mp.PeersAnswered++
			case app.RequestDeclined:
				mp.PeersDeclined++
			default:
				mp.Pending = append(mp.Pending, PendingPeer{RequestID: r.ID, ReviewerID: r.ReviewerID, ReviewerName: r.ReviewerName})
			}
		}
		tally(st[StageSelf], mp.SelfDone)
		tally(st[StageLeader], mp.LeaderDone)
		tally(st[StageReview], mp.Reviewed)
		st[StagePeer].Done += mp.PeersAnswered
		st[StagePeer].Total += mp.PeersAnswered + len(mp.Pending)
		p.Members = append(p.Members, mp)
	}
	for _, k := range []string{StageSelf, StagePeer, StageLeader, StageReview} {
		s := st[k]
		s.Overdue = c.Open() && today.After(s.Due.Time) && s.Done < s.Total
		p.Stages = append(p.Stages, *s)
	}
	return p
}

func tally(s *Stage, done bool) {
	s.Total++
	if done {
		s.Done++
	}
}
