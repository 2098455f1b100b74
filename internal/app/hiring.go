package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CanSeeHiring: the team's leaders, HR partners and admins see its hiring gaps. HR partners
// see aggregates only (CanSeeIndividuals is false for them).
func (t TeamAccess) CanSeeHiring() bool { return t.CanLead() || t.Role == TeamHRPartner }

// CanManageRequisitions: the team's HR partners and admins open requisitions and move them on;
// its leaders only read them.
func (t TeamAccess) CanManageRequisitions() bool { return t.Admin || t.Role == TeamHRPartner }

// Requisition statuses. A requisition moves one step at a time through open → interviewing →
// offer → filled, and may be cancelled from any status that is not final.
const (
	RequisitionOpen         = "open"
	RequisitionInterviewing = "interviewing"
	RequisitionOffer        = "offer"
	RequisitionFilled       = "filled"
	RequisitionCancelled    = "cancelled"
)

// RequisitionStatuses lists every status in pipeline order.
var RequisitionStatuses = []string{RequisitionOpen, RequisitionInterviewing, RequisitionOffer, RequisitionFilled, RequisitionCancelled}

// requisitionNext is the one table of legal moves.
var requisitionNext = map[string][]string{
	RequisitionOpen:         {RequisitionInterviewing, RequisitionCancelled},
	RequisitionInterviewing: {RequisitionOffer, RequisitionCancelled},
	RequisitionOffer:        {RequisitionFilled, RequisitionCancelled},
	RequisitionFilled:       nil,
	RequisitionCancelled:    nil,
}

// NextRequisitionStatuses returns the statuses a requisition in status may move to (none when
// it is final).
func NextRequisitionStatuses(status string) []string { return slices.Clone(requisitionNext[status]) }

// RequisitionFinal reports whether status is final (filled or cancelled).
func RequisitionFinal(status string) bool {
	return status == RequisitionFilled || status == RequisitionCancelled
}

// CheckRequisitionTransition returns an EINVALID error naming "status" unless a requisition in
// from may move to to.
func CheckRequisitionTransition(from, to string) error {
	if !slices.Contains(RequisitionStatuses, to) {
		return Invalid("status", "Status must be one of %s.", strings.Join(RequisitionStatuses, ", "))
	}
	next := requisitionNext[from]
	switch {
	case slices.Contains(next, to):
		return nil
	case RequisitionFinal(from):
		return Invalid("status", "This requisition is %s; a %s requisition cannot change.", from, from)
	}
	return Invalid("status", "A requisition in %s can move to %s, not to %s.", from, strings.Join(next, " or "), to)
}

// HireSnapshot is a hire profile as it was when a requisition was opened against it.
type HireSnapshot struct {
	Title        string   `db:"title" json:"title"`
	Spike        string   `db:"spike" json:"spike"`  // competency key
	MustHaves    []string `db:"-" json:"must_haves"` // competency keys, at most three
	Brief        string   `db:"brief" json:"brief"`
	ScoreRemoved float64  `db:"score_removed" json:"score_removed"`
}

// Validate trims the texts and checks every field against the framework, naming the first
// that is wrong under prefix (e.g. "profile").
func (h *HireSnapshot) Validate(fw *Framework, prefix string) error {
	h.Title, h.Brief = strings.TrimSpace(h.Title), strings.TrimSpace(h.Brief)
	active := func(key string) bool {
		c := fw.ByKey(key)
		return c != nil && !c.Archived
	}
	switch {
	case h.Title == "" || utf8.RuneCountInString(h.Title) > 200:
		return Invalid(prefix+".title", "Title must be 1 to 200 characters.")
	case !active(h.Spike):
		return Invalid(prefix+".spike", "Spike must be the key of a competency of the framework, not %q.", h.Spike)
	case len(h.MustHaves) > 3:
		return Invalid(prefix+".must_haves", "At most three must-haves.")
	case h.Brief == "" || utf8.RuneCountInString(h.Brief) > 4000:
		return Invalid(prefix+".brief", "Brief must be 1 to 4000 characters.")
	case math.IsNaN(h.ScoreRemoved) || h.ScoreRemoved < 0 || h.ScoreRemoved >= 1000:
		return Invalid(prefix+".score_removed", "Score removed must be a number from 0 to 999.")
	}
	for i, k := range h.MustHaves {
		field := fmt.Sprintf("%s.must_haves[%d]", prefix, i)
		if !active(k) {
			return Invalid(field, "Must-have must be the key of a competency of the framework, not %q.", k)
		}
		if k == h.Spike || slices.Contains(h.MustHaves[:i], k) {
			return Invalid(field, "%q is listed twice.", k)
		}
	}
	if h.MustHaves == nil {
		h.MustHaves = []string{}
	}
	return nil
}

// Requisition is a hire HR recruits for, opened against a team's hire profile. It keeps the
// profile's snapshot, so later changes to the team do not rewrite it.
type Requisition struct {
	ID       int64  `db:"id" json:"id"`
	OrgID    int64  `db:"org_id" json:"-"`
	TeamID   int64  `db:"team_id" json:"team_id"`
	TeamName string `db:"team_name" json:"team_name"`
	HireSnapshot
	Notes         string    `db:"notes" json:"notes"`
	Status        string    `db:"status" json:"status"`
	CreatedBy     *int64    `db:"created_by" json:"created_by"`
	CreatedByName string    `db:"created_by_name" json:"created_by_name"`
	CreatedAt     time.Time `db:"created_at" json:"created_at"`
	UpdatedAt     time.Time `db:"updated_at" json:"updated_at"` // when the status last changed
}

// RequisitionFilter narrows FindRequisitions; zero fields match everything.
type RequisitionFilter struct {
	TeamID int64
	Status string
}

// HiringBrief is a team's hiring gaps as its leader shared them with HR: name-free
// Markdown, frozen when shared. HR partners learn what the figures they may not see live
// (fewer than three people in them) say about hiring only through a brief.
type HiringBrief struct {
	ID           int64     `db:"id" json:"id"`
	TeamID       int64     `db:"team_id" json:"team_id"`
	SharedBy     *int64    `db:"shared_by" json:"shared_by"`
	SharedByName string    `db:"shared_by_name" json:"shared_by_name"`
	SharedAt     time.Time `db:"shared_at" json:"shared_at"`
	Brief        string    `db:"brief" json:"brief"` // Markdown
}

// HiringBriefStore keeps the briefs leaders share.
type HiringBriefStore interface {
	// ShareHiringBrief stores a new brief for a team of the organisation (audited) and fills
	// in its id and time.
	ShareHiringBrief(ctx context.Context, orgID int64, b *HiringBrief) error
	// FindLatestHiringBrief returns the team's newest brief, nil when none was shared.
	FindLatestHiringBrief(ctx context.Context, orgID, teamID int64) (*HiringBrief, error)
}

// RequisitionStore keeps requisitions.
type RequisitionStore interface {
	// FindRequisitions lists the requisitions of the teams the actor leads or partners as HR
	// (every team of the organisation for an admin), newest first.
	FindRequisitions(ctx context.Context, a *Actor, f RequisitionFilter) ([]Requisition, error)
	// FindRequisitionByID returns a requisition of the organisation, else ENOTFOUND.
	FindRequisitionByID(ctx context.Context, orgID, id int64) (*Requisition, error)
	// CreateRequisition stores r (status open) for a team of r.OrgID and fills in its id and times.
	CreateRequisition(ctx context.Context, r *Requisition) error
	// SetRequisitionStatus moves the requisition from one status to another; ECONFLICT when
	// its status is no longer from.
	SetRequisitionStatus(ctx context.Context, orgID, id int64, from, to string) (*Requisition, error)
}
