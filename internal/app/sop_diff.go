package app

import (
	"fmt"
	"strings"
)

// SOPChange is how one field differs between two revisions of an SOP.
type SOPChange struct {
	Field string     `json:"field"`
	Label string     `json:"label"`
	Old   string     `json:"old"`
	New   string     `json:"new"`
	Lines []DiffLine `json:"lines"` // a line diff of Old to New
}

// DiffLine is one line of a line diff: Op is " " (kept), "-" (removed) or "+" (added).
type DiffLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// SOPFieldNames are an SOP's fields (JSON names) with their labels, in form order.
var SOPFieldNames = []Option{
	{"category", "Category"}, {"title", "Title"}, {"purpose", "Purpose"}, {"owner_id", "Owner"},
	{"trigger", "Trigger"}, {"steps", "Steps"}, {"outputs", "Outputs"}, {"decision_rights", "Decision rights"},
	{"escalation", "Escalation"}, {"metrics", "Metrics"}, {"review_every_days", "Review cadence"},
	{"maturity", "Maturity"}, {"competencies", "Competencies"}, {"handshakes", "Handshakes"},
}

// fieldTexts renders every field of a revision as text, for diffs: list fields one item a
// line (steps unnumbered, so an inserted step is one added line). Competencies are named
// from the framework when one is given.
func (r *SOPRevision) fieldTexts(fw *Framework) map[string]string {
	owner := r.OwnerName
	if r.OwnerID == nil {
		owner = "(none)"
	} else if owner == "" {
		owner = fmt.Sprintf("person #%d", *r.OwnerID)
	}
	var comps, hands []string
	for _, c := range r.Competencies {
		name := c.Competency
		if fw != nil && fw.ByKey(c.Competency) != nil {
			name = fw.ByKey(c.Competency).Name
		}
		comps = append(comps, fmt.Sprintf("%s at level %d (%s) or above", name, c.Level, LevelName(c.Level)))
	}
	for _, h := range r.Handshakes {
		hands = append(hands, fmt.Sprintf("%s: %s | expects: %s | contact: %s",
			OptionLabel(SOPPartners, h.Partner), h.Purpose, h.Expectations, h.Contact))
	}
	return map[string]string{
		"category": OptionLabel(SOPCategories, r.Category), "title": r.Title, "purpose": r.Purpose,
		"owner_id": owner, "trigger": r.Trigger, "steps": strings.Join(r.Steps, "\n"), "outputs": r.Outputs,
		"decision_rights": r.DecisionRights, "escalation": r.Escalation, "metrics": r.Metrics,
		"review_every_days": fmt.Sprintf("every %d days", r.ReviewEveryDays),
		"maturity":          OptionLabel(SOPMaturities, r.Maturity),
		"competencies":      strings.Join(comps, "\n"), "handshakes": strings.Join(hands, "\n"),
	}
}

// DiffSOP compares two revisions field by field and returns the fields that differ, in
// form order, each with a line diff from a to b.
func DiffSOP(a, b *SOPRevision, fw *Framework) []SOPChange {
	at, bt := a.fieldTexts(fw), b.fieldTexts(fw)
	var out []SOPChange
	for _, f := range SOPFieldNames {
		if at[f.Key] == bt[f.Key] {
			continue
		}
		out = append(out, SOPChange{Field: f.Key, Label: f.Label, Old: at[f.Key], New: bt[f.Key],
			Lines: DiffLines(at[f.Key], bt[f.Key])})
	}
	return out
}

// SOPChangedFields names the fields that differ from a to b.
func SOPChangedFields(a, b *SOPRevision) []string {
	var out []string
	for _, c := range DiffSOP(a, b, nil) {
		out = append(out, c.Field)
	}
	return out
}

// diffCells bounds the work of a line diff; longer texts are shown as replaced whole.
const diffCells = 1 << 20

// DiffLines is a line diff of a to b by longest common subsequence: kept lines in order,
// removals before additions where lines differ.
func DiffLines(a, b string) []DiffLine {
	al, bl := splitLines(a), splitLines(b)
	n, m := len(al), len(bl)
	if n*m > diffCells {
		return replaced(al, bl)
	}
	// lcs[i][j] is the LCS length of al[i:] and bl[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case al[i] == bl[j]:
			out = append(out, DiffLine{" ", al[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{"-", al[i]})
			i++
		default:
			out = append(out, DiffLine{"+", bl[j]})
			j++
		}
	}
	return append(out, replaced(al[i:], bl[j:])...)
}

func replaced(a, b []string) []DiffLine {
	var out []DiffLine
	for _, l := range a {
		out = append(out, DiffLine{"-", l})
	}
	for _, l := range b {
		out = append(out, DiffLine{"+", l})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
