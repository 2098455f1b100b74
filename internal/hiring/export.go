package hiring

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
	"github.com/teamshape/teamshape/internal/transfer"
)

// Exports of the hire profiles. They are for job descriptions and name nobody, whoever asks:
// they are built from the hires and from name-free reasons only.

// Export formats.
const (
	FormatCSV      = "csv" // one row per suggested hire
	FormatMarkdown = "md"  // a document HR can paste from
)

// Document is an export of a team's hiring gaps.
type Document struct {
	Team TeamRef
	Body []byte
}

// Export writes the team's hiring gaps today in the format (FormatCSV, FormatMarkdown), for
// whoever may see them (Gaps): the document names nobody either way.
func (s *Service) Export(ctx context.Context, a *app.Actor, teamID int64, format string) (*Document, error) {
	if format != FormatCSV && format != FormatMarkdown {
		return nil, app.Invalid("format", "Format must be %s or %s.", FormatCSV, FormatMarkdown)
	}
	t, err := s.load(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	v := t.plan()
	doc := &Document{Team: v.Team}
	if format == FormatMarkdown {
		doc.Body = markdownOf(v)
		return doc, nil
	}
	if doc.Body, err = csvOf(v); err != nil {
		return nil, err
	}
	return doc, nil
}

// csvOf writes one row per suggested hire.
func csvOf(v View) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rows := [][]string{{"hire", "title", "spike", "spike_key", "spike_level", "must_haves", "must_have_keys",
		"must_have_level", "lead_role", "specialisms", "backgrounds", "score_removed", "score_before", "score_after", "brief"}}
	for _, h := range v.Hires {
		mustLevel := ""
		if len(h.MustHaves) > 0 {
			mustLevel = strconv.Itoa(h.MustHaveLevel)
		}
		rows = append(rows, []string{
			strconv.Itoa(h.Number()), csvText(h.Title), csvText(h.SpikeName), csvText(h.Spike), strconv.Itoa(h.SpikeLevel),
			csvText(strings.Join(h.MustHaveNames, "; ")), csvText(strings.Join(h.MustHaves, "; ")), mustLevel,
			strconv.FormatBool(h.Lead), csvText(strings.Join(h.Tags, "; ")), csvText(strings.Join(backgroundLabels(h.Backgrounds), "; ")),
			fmtScore(h.ScoreRemoved), fmtScore(h.ScoreBefore), fmtScore(h.ScoreAfter), csvText(h.Brief),
		})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// csvText neutralises a text cell a spreadsheet would read as a formula.
func csvText(s string) string { return transfer.Neutralise(s) }

// markdownOf writes the hires as a document HR can paste from, then the gaps to develop.
func markdownOf(v View) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Hiring gaps: %s\n\n", mdText(v.Team.Name))
	fmt.Fprintf(&b, "As of %s. Gap score %s across %d competencies (%d gaps, %d risks) in a team of %d.\n\n",
		v.AsOf.Format("2 January 2006"), fmtScore(v.TotalScore), len(v.Competencies), v.Counts[shape.StatusGap], v.Counts[shape.StatusRisk], v.Members)
	if len(v.Withheld) > 0 {
		names := make([]string, len(v.Withheld))
		for i, c := range v.Withheld {
			names[i] = mdText(c.Name)
		}
		fmt.Fprintf(&b, "Withheld, because fewer than 3 members are assessed in them: %s. They count in none of the figures here.\n\n", strings.Join(names, ", "))
	}
	if len(v.Hires) == 0 {
		b.WriteString("No hire is suggested: coaching can close every gap, or there is none.\n")
	}
	for _, h := range v.Hires {
		fmt.Fprintf(&b, "## Hire %d: %s\n\n", h.Number(), mdText(h.Title))
		fmt.Fprintf(&b, "- **Spike:** %s at %s (%d+)\n", mdText(h.SpikeName), app.LevelName(h.SpikeLevel), h.SpikeLevel)
		if len(h.MustHaves) > 0 {
			fmt.Fprintf(&b, "- **Must-haves:** %s at %s (%d+)\n", mdText(strings.Join(h.MustHaveNames, ", ")), app.LevelName(h.MustHaveLevel), h.MustHaveLevel)
		}
		if h.Lead {
			b.WriteString("- **Lead role:** yes (Group PM)\n")
		}
		if len(h.Tags) > 0 {
			fmt.Fprintf(&b, "- **Specialisms:** %s\n", mdText(strings.Join(h.Tags, ", ")))
		}
		if len(h.Backgrounds) > 0 {
			fmt.Fprintf(&b, "- **Backgrounds:** %s\n", mdText(strings.Join(backgroundLabels(h.Backgrounds), "; ")))
		}
		fmt.Fprintf(&b, "- **Gap score removed:** %s (%s → %s)\n\n", fmtScore(h.ScoreRemoved), fmtScore(h.ScoreBefore), fmtScore(h.ScoreAfter))
		fmt.Fprintf(&b, "> %s\n\n", mdText(h.Brief))
	}
	var develop []Decision
	for _, d := range v.Decisions {
		if d.Action == shape.ActionDevelop {
			develop = append(develop, d)
		}
	}
	if len(develop) > 0 {
		b.WriteString("## Develop rather than hire\n\n")
		for _, d := range develop {
			fmt.Fprintf(&b, "- %s (%s): %s can grow into it\n", mdText(d.Name), d.Status, countNoun(d.CandidateCount, "member", "members"))
		}
	}
	return []byte(b.String())
}

// mdText escapes the characters Markdown (and the HTML it allows) would interpret inside a
// line, and keeps the text on one line: it never starts a line, so line-start markers (#, -, 1.)
// need no escape.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range strings.Join(strings.Fields(s), " ") {
		if strings.ContainsRune("\\`*_[]<>|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func backgroundLabels(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = app.OptionLabel(app.Backgrounds, k)
	}
	return out
}

func fmtScore(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// countNoun is "1 member", "2 members".
func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
