package app

import "testing"

func TestCheckRequisitionTransition(t *testing.T) {
	tests := []struct {
		from, to string
		ok       bool
	}{
		{RequisitionOpen, RequisitionInterviewing, true},
		{RequisitionInterviewing, RequisitionOffer, true},
		{RequisitionOffer, RequisitionFilled, true},
		{RequisitionOpen, RequisitionCancelled, true},
		{RequisitionInterviewing, RequisitionCancelled, true},
		{RequisitionOffer, RequisitionCancelled, true},
		// no skipping ahead, no going back, no standing still
		{RequisitionOpen, RequisitionOffer, false},
		{RequisitionOpen, RequisitionFilled, false},
		{RequisitionInterviewing, RequisitionFilled, false},
		{RequisitionInterviewing, RequisitionOpen, false},
		{RequisitionOffer, RequisitionInterviewing, false},
		{RequisitionOpen, RequisitionOpen, false},
		// filled and cancelled are final
		{RequisitionFilled, RequisitionCancelled, false},
		{RequisitionFilled, RequisitionOffer, false},
		{RequisitionCancelled, RequisitionOpen, false},
		{RequisitionCancelled, RequisitionCancelled, false},
		// unknown statuses
		{RequisitionOpen, "hired", false},
		{RequisitionOpen, "", false},
	}
	for _, tt := range tests {
		err := CheckRequisitionTransition(tt.from, tt.to)
		if (err == nil) != tt.ok {
			t.Errorf("%s → %s: err = %v, want ok = %v", tt.from, tt.to, err, tt.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorField(err) != "status") {
			t.Errorf("%s → %s: %v, want EINVALID on status", tt.from, tt.to, err)
		}
	}
	if next := NextRequisitionStatuses(RequisitionFilled); len(next) != 0 {
		t.Errorf("filled moves to %v, want nothing", next)
	}
}

func TestHireSnapshotValidate(t *testing.T) {
	fw := &Framework{Competencies: []Competency{{Key: "specification"}, {Key: "delivery"}, {Key: "analytics"},
		{Key: "quality_launch"}, {Key: "vision_roadmap"}, {Key: "retired", Archived: true}}}
	ok := func() HireSnapshot {
		return HireSnapshot{Title: " Data PM ", Spike: "analytics", MustHaves: []string{"delivery"}, Brief: "A data PM.", ScoreRemoved: 1.5}
	}
	tests := []struct {
		name  string
		edit  func(h *HireSnapshot)
		field string // "" for valid
	}{
		{"valid", func(h *HireSnapshot) {}, ""},
		{"no must-haves", func(h *HireSnapshot) { h.MustHaves = nil }, ""},
		{"empty title", func(h *HireSnapshot) { h.Title = "  " }, "profile.title"},
		{"unknown spike", func(h *HireSnapshot) { h.Spike = "juggling" }, "profile.spike"},
		{"archived spike", func(h *HireSnapshot) { h.Spike = "retired" }, "profile.spike"},
		{"four must-haves", func(h *HireSnapshot) {
			h.MustHaves = []string{"delivery", "specification", "quality_launch", "vision_roadmap"}
		}, "profile.must_haves"},
		{"unknown must-have", func(h *HireSnapshot) { h.MustHaves = []string{"delivery", "juggling"} }, "profile.must_haves[1]"},
		{"must-have is the spike", func(h *HireSnapshot) { h.MustHaves = []string{"analytics"} }, "profile.must_haves[0]"},
		{"must-have twice", func(h *HireSnapshot) { h.MustHaves = []string{"delivery", "delivery"} }, "profile.must_haves[1]"},
		{"empty brief", func(h *HireSnapshot) { h.Brief = "" }, "profile.brief"},
		{"negative score", func(h *HireSnapshot) { h.ScoreRemoved = -1 }, "profile.score_removed"},
	}
	for _, tt := range tests {
		h := ok()
		tt.edit(&h)
		err := h.Validate(fw, "profile")
		if ErrorField(err) != tt.field || (tt.field != "" && ErrorCode(err) != EINVALID) {
			t.Errorf("%s: err = %v, want field %q", tt.name, err, tt.field)
		}
		if tt.field == "" && (h.Title != "Data PM" || h.MustHaves == nil) {
			t.Errorf("%s: not normalised: %+v", tt.name, h)
		}
	}
}
