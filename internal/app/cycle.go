package app

import (
	"context"
	"time"
)

// Cycle is a team's assessment cycle for a quarter: self, peer and leader ratings and a
// 1:1 per PM, each with a deadline. Closing it freezes the team's shape (Snapshot).
type Cycle struct {
	ID             int64      `db:"id" json:"id"`
	OrgID          int64      `db:"org_id" json:"-"`
	TeamID         int64      `db:"team_id" json:"team_id"`
	TeamName       string     `db:"team_name" json:"team_name"`
	Quarter        string     `db:"quarter" json:"quarter"`
	SelfDue        Date       `db:"self_due" json:"self_due"`
	PeerDue        Date       `db:"peer_due" json:"peer_due"`
	LeaderDue      Date       `db:"leader_due" json:"leader_due"`
	ReviewDue      Date       `db:"review_due" json:"review_due"`
	AnonymousPeers bool       `db:"anonymous_peers" json:"anonymous_peers"`
	OpenedBy       *int64     `db:"opened_by" json:"opened_by"`
	OpenedAt       time.Time  `db:"opened_at" json:"opened_at"`
	ClosedBy       *int64     `db:"closed_by" json:"closed_by"`
	ClosedAt       *time.Time `db:"closed_at" json:"closed_at"`
	// Snapshot is the frozen shape of a closed cycle (JSON of insight.Snapshot); nil while open.
	Snapshot []byte `db:"snapshot" json:"-"`
}

// The stages of a cycle, in order, each with its deadline.
const (
	CycleStageSelf   = "self"   // self_due: PMs rate themselves
	CycleStagePeer   = "peer"   // peer_due: the peers asked answer
	CycleStageLeader = "leader" // leader_due: the leaders rate their PMs
	CycleStageReview = "review" // review_due: the 1:1s, with the levels agreed
)

// Open reports whether the cycle is still running.
func (c *Cycle) Open() bool { return c.ClosedAt == nil }

// End is when the cycle's window ends: its closing, or (open) the time given.
func (c *Cycle) End(now time.Time) time.Time {
	if c.ClosedAt != nil {
		return *c.ClosedAt
	}
	return now
}

// CycleRated is one competency a person was rated in, of a kind, within a cycle's window.
type CycleRated struct {
	SubjectID  int64  `db:"subject_id"`
	Kind       string `db:"kind"`
	Competency string `db:"competency"`
}

// CycleAgreement is the level a leader and a PM agreed in a competency at the 1:1, and
// what they decided.
type CycleAgreement struct {
	CycleID    int64     `db:"cycle_id" json:"cycle_id"`
	PersonID   int64     `db:"person_id" json:"person_id"`
	Competency string    `db:"competency" json:"competency"`
	Level      int       `db:"level" json:"level"`
	Decision   string    `db:"decision" json:"decision"`
	DecidedBy  *int64    `db:"decided_by" json:"decided_by"`
	DecidedAt  time.Time `db:"decided_at" json:"decided_at"`
}

// CycleStore keeps assessment cycles and what was agreed in their 1:1s.
type CycleStore interface {
	// CreateCycles stores open cycles, all or none; a team's second cycle for the quarter,
	// or a second open one, is ECONFLICT naming the item ("team_ids[1]").
	CreateCycles(ctx context.Context, cs []*Cycle) error
	FindCycleByID(ctx context.Context, orgID, id int64) (*Cycle, error)
	// FindTeamCycles lists a team's cycles, newest quarter first.
	FindTeamCycles(ctx context.Context, orgID, teamID int64) ([]Cycle, error)
	// FindOpenCyclesOf lists the open cycles of the teams the person is a member of.
	FindOpenCyclesOf(ctx context.Context, orgID, personID int64) ([]Cycle, error)
	// FindCyclesOf lists the cycles of the teams the person is a member of, open ones
	// first, then the newest quarter first.
	FindCyclesOf(ctx context.Context, orgID, personID int64) ([]Cycle, error)
	// FindDueCycles lists, across organisations, the open cycles with a deadline on or
	// before the day.
	FindDueCycles(ctx context.Context, by Date) ([]Cycle, error)
	// CloseCycle closes an open cycle with its snapshot; a closed one is ECONFLICT.
	CloseCycle(ctx context.Context, c *Cycle, by int64, snapshot []byte) error
	// FindCycleRated lists the competencies the people rated themselves in, and their
	// leaders rated them in, with a level within the cycle's window [opened, end).
	FindCycleRated(ctx context.Context, c *Cycle, end time.Time, people []int64) ([]CycleRated, error)
	// FindCyclePeerRequests lists the peer requests made for the cycle, of one person (0: all).
	FindCyclePeerRequests(ctx context.Context, c *Cycle, personID int64) ([]PeerRequest, error)
	// SaveCycleAgreements upserts the agreements of one person in one transaction; an
	// unknown competency fails them all, naming the item.
	SaveCycleAgreements(ctx context.Context, c *Cycle, personID, by int64, in []CycleAgreement) error
	// FindCycleAgreements lists a cycle's agreements of one person (0: everyone), framework order.
	FindCycleAgreements(ctx context.Context, c *Cycle, personID int64) ([]CycleAgreement, error)
}
