package app

import (
	"fmt"
	"testing"
)

func TestDiffLines(t *testing.T) {
	tests := []struct {
		a, b string
		want string // op+text per line
	}{
		{"", "", "[]"},
		{"", "x", "[{+ x}]"},
		{"x", "", "[{- x}]"},
		{"a\nb\nc", "a\nb\nc", "[{  a} {  b} {  c}]"},
		{"a\nc", "a\nb\nc", "[{  a} {+ b} {  c}]"},                    // an inserted line is one addition
		{"a\nb\nc", "a\nc", "[{  a} {- b} {  c}]"},                    // a removed line is one removal
		{"a\nb\nc", "a\nB\nc", "[{  a} {- b} {+ B} {  c}]"},           // a changed line: removal, then addition
		{"x\na\nb", "a\nb\ny", "[{- x} {  a} {  b} {+ y}]"},           // kept lines stay in order
		{"a\nb", "b\na", "[{- a} {  b} {+ a}]"},                       // a swap keeps one of the two
		{"one\ntwo", "uno\ndos", "[{- one} {- two} {+ uno} {+ dos}]"}, // nothing in common
	}
	for _, tt := range tests {
		if got := fmt.Sprint(DiffLines(tt.a, tt.b)); got != tt.want {
			t.Errorf("DiffLines(%q, %q) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDiffSOPFields(t *testing.T) {
	owner := int64(7)
	a := &SOPRevision{SOPFields: SOPFields{Category: "intake", Title: "T", Steps: []string{"s1"}, ReviewEveryDays: 30, Maturity: "draft"}}
	b := &SOPRevision{SOPFields: a.SOPFields, OwnerName: "Ann"}
	b.OwnerID, b.Maturity, b.ReviewEveryDays = &owner, "adopted", 60
	b.Competencies = []SOPCompetency{{Competency: "analytics", Level: 3}}
	fw := &Framework{Competencies: []Competency{{Key: "analytics", Name: "Analytics & experimentation"}}}
	got := DiffSOP(a, b, fw)
	want := "[owner_id (none)→Ann review_every_days every 30 days→every 60 days maturity Draft→Adopted competencies →Analytics & experimentation at level 3 (working) or above]"
	var s []string
	for _, c := range got {
		s = append(s, c.Field+" "+c.Old+"→"+c.New)
	}
	if fmt.Sprint(s) != want {
		t.Errorf("DiffSOP = %v,\nwant %s", s, want)
	}
	if ch := SOPChangedFields(a, a); ch != nil {
		t.Errorf("a revision differs from itself: %v", ch)
	}
}
