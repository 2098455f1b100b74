package ui

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/people"
)

// asOfBar is the "as of" date form of a dashboard page.
type asOfBar struct {
	AsOf  string // the date shown, YYYY-MM-DD
	Today string
	Past  bool   // AsOf is before today
	View  string // the heatmap view to keep, if any
}

func (s *Pages) asOfBar(date string) asOfBar {
	today := s.DashboardDay()
	return asOfBar{AsOf: date, Today: today, Past: date != today}
}

// teamPage is the team dashboard: leaders and admins see everything; members and HR
// partners see the aggregate shape (no heatmap, no names against ratings).
type teamPage struct {
	Team    *people.TeamView
	Access  app.TeamAccess
	F       dashboards.Figures
	Heatmap *dashboards.Heatmap // leaders and admins only
	// Flags are the members' self-versus-others differences of 2 or more (leaders, admins).
	Flags []cycles.Flag
	// HeatRows is the heatmap as table cells (text and CSS class), laid out in Go.
	HeatRows []heatRow
	View     string
	Bar      asOfBar
	Leaders  []string
	Partner  []string
	Charts   teamCharts
	// PeopleRows is the people's shapes table's rows (peopleRows).
	PeopleRows template.HTML
	// GapRows and CompetencyRows are the gaps table's and the competencies table's rows
	// (gapRows, competencyRows).
	GapRows, CompetencyRows template.HTML
}

// teamCharts are the dashboard's charts as their data-chart attributes (cachedChart).
type teamCharts struct {
	TShape, Radar, Trend, Heatmap template.HTMLAttr
	HeatmapHeight, TShapeHeight   int
}

func (s *Pages) PageTeam(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	view, err := kit.ViewParam(c)
	if err != nil {
		return err
	}
	asOf, date, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	v, err := s.Views.Get(s.ViewKey(c, "team-page", id, view, date), func() (kit.CachedView, error) {
		p, err := s.teamPageOf(c, id, view, asOf, date)
		if err != nil {
			return kit.CachedView{}, err
		}
		body, err := s.RenderContent(c, "team.html", kit.Page{Data: p})
		return kit.CachedView{Title: p.Team.Name, Charts: p.F.HasShape(), Body: body}, err
	})
	if err != nil {
		return err
	}
	flash := ""
	if c.Query("saved") == "targets" {
		flash = "Targets saved: the figures below use them."
	}
	return s.Render(c, "team.html", kit.Page{Title: v.Title, Nav: "teams", Body: v.Body, Packed: v.Packed, Charts: v.Charts, Flash: flash})
}

// teamPageOf loads and lays out the team dashboard as the caller may see it: the team with
// the people the caller may see, and its figures, loaded at once.
func (s *Pages) teamPageOf(c *fiber.Ctx, id int64, view string, asOf time.Time, date string) (*teamPage, error) {
	// The flags (leaders' and admins' only) load while the dashboard does.
	var (
		flags    []cycles.Flag
		flagsErr error
		flagged  = make(chan struct{})
		ctx, a   = c.UserContext(), kit.Actor(c)
	)
	go func() {
		defer close(flagged)
		if a.Is(app.RoleAdmin, app.RoleLeader) {
			flags, flagsErr = s.Cycles.TeamFlags(ctx, a, id)
		}
	}()
	v, t, err := s.Dashboards.TeamPage(ctx, a, id, asOf)
	<-flagged
	if err != nil {
		return nil, err
	}
	d := teamData{Team: v, Access: t.Access, F: t.Figures()}
	if d.F.HasShape() {
		d.Series = t.Series(d.F)
		if d.Access.CanSeeIndividuals() {
			if d.Flags, err = flags, flagsErr; err != nil {
				return nil, err
			}
			h, err := s.Dashboards.Heatmap(ctx, a, t, view)
			if err != nil {
				return nil, err
			}
			d.Heatmap = &h
		}
	}
	return layoutTeamPage(d, view, s.asOfBar(date))
}

// teamData is what the team dashboard shows, as loaded for the viewer: the series, flags
// and heatmap only when the team has a shape, the last two only for leaders and admins.
type teamData struct {
	Team    *people.TeamView
	Access  app.TeamAccess
	F       dashboards.Figures
	Series  []dashboards.CompetencySeries
	Flags   []cycles.Flag
	Heatmap *dashboards.Heatmap
}

// layoutTeamPage lays the loaded dashboard out for team.html: the leaders and partners, the
// charts, the sparklines, the people's and the heatmap's tables.
func layoutTeamPage(d teamData, view string, bar asOfBar) (*teamPage, error) {
	acc, f := d.Access, d.F
	p := &teamPage{Team: d.Team, Access: acc, F: f, View: view, Bar: bar, Flags: d.Flags}
	if acc.CanSeeIndividuals() && view != dashboards.ViewEffective {
		p.Bar.View = view
	}
	for _, person := range d.Team.People {
		switch person.TeamRole {
		case app.TeamLeader:
			p.Leaders = append(p.Leaders, person.Name)
		case app.TeamHRPartner:
			p.Partner = append(p.Partner, person.Name)
		}
	}
	if !f.HasShape() {
		return p, nil
	}
	var err error
	if p.Charts, err = teamChartsOf(f); err != nil {
		return nil, err
	}
	p.PeopleRows = peopleRows(f)
	p.GapRows = gapRows(f.Gaps, sparksOf(d.Series, f.Trend), d.Team.ID, acc)
	p.CompetencyRows = competencyRows(f.Competencies)
	if h := d.Heatmap; h != nil {
		p.Heatmap, p.HeatRows = h, heatRows(*h)
		if p.Charts.Heatmap, err = heatmapChart(*h); err != nil {
			return nil, err
		}
		p.Charts.HeatmapHeight = chart.HeatmapHeight(len(h.People))
	}
	return p, nil
}

// teamChartsOf builds the T-shape, radar and trend charts of the figures.
func teamChartsOf(f dashboards.Figures) (teamCharts, error) {
	var ts chart.TShapeData
	var rd chart.RadarData
	for _, cf := range f.Competencies {
		ts.Competencies = append(ts.Competencies, cf.Name)
		ts.Depth = append(ts.Depth, cf.Depth)
		ts.TargetDepth = append(ts.TargetDepth, cf.Target.Depth)
		ts.Coverage = append(ts.Coverage, cf.Coverage)
		ts.TargetCoverage = append(ts.TargetCoverage, cf.Target.Coverage)
		ts.Status = append(ts.Status, cf.Status)
	}
	rd.Competencies, rd.Envelope, rd.Target = ts.Competencies, ts.Depth, ts.TargetDepth
	var tr chart.TrendData
	for _, p := range f.Trend {
		if p.Withheld {
			continue
		}
		label := p.Label
		if p.Open {
			label += " (open)"
		} else if p.Frozen {
			label += " (frozen)" // its closed cycle's snapshot
		}
		tr.Labels = append(tr.Labels, label)
		tr.Values = append(tr.Values, p.TotalScore)
	}
	var out teamCharts
	var err error
	if out.TShape, err = cachedChart("tshape", ts, chart.TShape); err != nil {
		return out, err
	}
	if out.Radar, err = cachedChart("radar", rd, chart.Radar); err != nil {
		return out, err
	}
	out.Trend, err = cachedChart("trend", tr, chart.Trend)
	out.TShapeHeight = 460
	return out, err
}

// sparksOf draws each competency's depth and coverage over the trend's points.
func sparksOf(series []dashboards.CompetencySeries, trend []dashboards.TrendPoint) map[string]chart.Spark {
	labels := make([]string, len(trend))
	for i, p := range trend {
		labels[i] = p.Label
	}
	out := map[string]chart.Spark{}
	for _, s := range series {
		out[s.Competency] = chart.Sparkline(labels, s.Depth, s.Coverage, dashboards.MaxLevel)
	}
	return out
}

// heatRow is one person's row of the heatmap's table; Cells are its <td>s (heatRows).
type heatRow struct {
	ID    int64
	Name  string
	Cells template.HTML
}

// HeatPeople is the heatmap's person ids as a JSON array (its rows, for data-chart-rows).
func (p *teamPage) HeatPeople() (string, error) {
	ids := make([]int64, len(p.HeatRows))
	for i, r := range p.HeatRows {
		ids[i] = r.ID
	}
	b, err := json.Marshal(ids)
	return string(b), err
}

// HeatCompetencies is the heatmap's competency keys as a JSON array (its columns).
func (p *teamPage) HeatCompetencies() (string, error) {
	keys := make([]string, len(p.Heatmap.Competencies))
	for i, c := range p.Heatmap.Competencies {
		keys[i] = c.Competency
	}
	b, err := json.Marshal(keys)
	return string(b), err
}

// heatRows lays the heatmap out as table rows: each cell a link to rate it, the level with
// its colour class, faded when stale, "–" for not assessed. The cells are written here rather
// than by team.html: 320 cells of five actions each were most of the page's render time.
// The one text typed by users, the label with the person's and the competency's names,
// goes through escapeText; the competency key through url.QueryEscape; the rest is
// digits and fixed words.
func heatRows(h dashboards.Heatmap) []heatRow {
	comps := make([]string, len(h.Competencies)) // the competencies' names, escaped
	compBytes := 0                               // their names' and keys' length
	for j, c := range h.Competencies {
		comps[j] = escapeText(c.Name)
		compBytes += len(comps[j]) + len(c.Competency)
	}
	rows := make([]heatRow, len(h.People))
	var b strings.Builder
	for i, p := range h.People {
		id, name := strconv.FormatInt(p.ID, 10), escapeText(p.Name)
		b.Grow(len(p.Cells)*(130+len(id)+len(name)) + compBytes) // the row's length, or a little more
		for j, c := range p.Cells {
			text, class, level := "–", "level na", "not assessed"
			if c.Level != nil {
				t := levelTextsOf(*c.Level)
				text, class, level = t.text, t.class, t.label
				if c.Stale {
					class = t.staleClass
				}
			}
			for _, s := range []string{`<td><a class="`, class, `" href="/people/`, id, `?c=`,
				url.QueryEscape(c.Competency), `#history" aria-label="`, name, `, `, comps[j], `: `, level,
				` (open to rate)">`, text, `</a></td>`} {
				b.WriteString(s)
			}
		}
		rows[i] = heatRow{ID: p.ID, Name: p.Name, Cells: template.HTML(b.String())}
		b.Reset()
	}
	return rows
}

// levelTexts is a heatmap cell's text, class and label at a level (heatRows).
type levelTexts struct{ text, class, staleClass, label string }

// scaleTexts are the levelTexts of the scale's levels, made once.
var scaleTexts = func() (t [dashboards.MaxLevel + 1]levelTexts) {
	for l := range t {
		t[l] = newLevelTexts(l)
	}
	return t
}()

func levelTextsOf(l int) levelTexts {
	if l >= 0 && l < len(scaleTexts) {
		return scaleTexts[l]
	}
	return newLevelTexts(l)
}

func newLevelTexts(l int) levelTexts {
	n := strconv.Itoa(l)
	return levelTexts{text: n, class: "level l" + n, staleClass: "level stale l" + n, label: "level " + n}
}

// peopleRows lays out the rows of the people's shapes table: each PM's title, shape,
// breadth (a meter) and spikes (tags), and the competencies assessed. They are written here
// rather than by team.html, where twenty rows of fifteen actions and two loops over the spikes
// were half of the template's work. The texts typed by users (names, spike names) and every
// other text go through escapeText; the rest is numbers and fixed words.
func peopleRows(f dashboards.Figures) template.HTML {
	var b strings.Builder
	b.Grow(640 * len(f.People)) // about a row's bytes: one allocation, not a doubling series
	for _, p := range f.People {
		shape, breadth := escapeText(p.Shape), pct(p.Breadth)
		spikes, tags := make([]string, len(p.SpikeNames)), `<small class="muted">none</small>`
		for i, n := range p.SpikeNames {
			spikes[i] = escapeText(n)
		}
		if len(spikes) > 0 {
			tags = `<span class="tag">` + strings.Join(spikes, `</span><span class="tag">`) + `</span>`
		}
		for _, s := range []string{"<tr>\n      <td><a href=\"/people/", strconv.FormatInt(p.ID, 10), `">`, escapeText(p.Name),
			`</a></td><td>`, escapeText(app.OptionLabel(app.Titles, p.Title)), "</td>\n      <td data-csv-value=\"", shape,
			`"><span class="shape shape-`, shape, `">`, shapeLabel(p.Shape), "</span></td>\n      <td data-csv-value=\"", breadth,
			`"><div class="breadth"><meter min="0" max="1" low="0.5" high="0.74" optimum="1" value="`,
			strconv.FormatFloat(p.Breadth, 'g', -1, 64), `">`, breadth, `</meter><small>`, breadth,
			"</small></div></td>\n      <td data-csv-value=\"", strings.Join(spikes, "; "), `">`, tags,
			"</td>\n      <td class=\"num\">", strconv.Itoa(p.Assessed), "/", strconv.Itoa(p.InScope), "</td>\n    </tr>"} {
			b.WriteString(s)
		}
	}
	return template.HTML(b.String())
}

// gapRows lays out the rows of the gaps table: each gap's or risk's status, score,
// coverage and depth against target, its sparkline over the trend's quarters (sparks, by
// key), why, and for the team's leaders and HR partner the next step. Like peopleRows, they
// are written here rather than by team.html (sixteen rows of twenty actions were half of
// the template's work after the heatmap's); every text goes through escapeText, the
// competency key in the link through url.PathEscape.
func gapRows(gaps []dashboards.CompetencyFigure, sparks map[string]chart.Spark, teamID int64, acc app.TeamAccess) template.HTML {
	var b strings.Builder
	b.Grow(1024 * len(gaps)) // with its sparkline
	nextStep := acc.CanLead() || acc.Role == app.TeamHRPartner
	action := "Develop or hire"
	if acc.CanSeeIndividuals() {
		action = "Who can grow, or hire"
	}
	team := strconv.FormatInt(teamID, 10)
	for _, g := range gaps {
		name, status, sp := escapeText(g.Name), escapeText(g.Status), sparks[g.Competency]
		title := escapeText(sp.Title)
		for _, s := range []string{"<tr>\n      <td><b>", name, "</b><br><small>", escapeText(g.AreaName),
			"</small></td>\n      <td data-csv-value=\"", status, `">`, string(statusBadge(g.Status)),
			"</td>\n      <td class=\"num\">", f2(g.Score),
			"</td>\n      <td class=\"num\" data-csv-value=\"", ratio(g.Coverage, g.Target.Coverage), `">`,
			strconv.Itoa(g.Coverage), "<small>/", strconv.Itoa(g.Target.Coverage),
			"</small></td>\n      <td class=\"num\" data-csv-value=\"", ratio(g.Depth, g.Target.Depth), `">`,
			strconv.Itoa(g.Depth), "<small>/", strconv.Itoa(g.Target.Depth),
			"</small></td>\n      <td data-csv-value=\"", title, `">`} {
			b.WriteString(s)
		}
		if sp.Depth != "" {
			for _, s := range []string{`<svg class="spark" viewBox="0 0 60 18" width="60" height="18" role="img" aria-label="`,
				title, `"><title>`, title, `</title><polyline class="cov" points="`, escapeText(sp.Coverage),
				`"/><polyline points="`, escapeText(sp.Depth), `"/></svg>`} {
				b.WriteString(s)
			}
		}
		b.WriteString("</td>\n      <td>" + escapeText(g.Why) + "</td>\n      ")
		if nextStep {
			for _, s := range []string{`<td class="nowrap" data-csv-exclude><a href="/teams/`, team, `/hiring#gap-`,
				url.PathEscape(g.Competency), `">`, action, `<span class="sr"> for `, name, `</span></a></td>`} {
				b.WriteString(s)
			}
		}
		b.WriteString("\n    </tr>")
	}
	return template.HTML(b.String())
}

// competencyRows lays out the rows of the "All competencies" table: each competency's
// area, status, coverage, depth and criticality against target, teachers, score and why
// (every text through escapeText), like gapRows.
func competencyRows(comps []dashboards.CompetencyFigure) template.HTML {
	var b strings.Builder
	b.Grow(384 * len(comps))
	for _, c := range comps {
		for _, s := range []string{"<tr>\n      <td>", escapeText(c.Name), "</td><td>", escapeText(c.AreaName),
			"</td><td data-csv-value=\"", escapeText(c.Status), `">`, string(statusBadge(c.Status)),
			"</td>\n      <td class=\"num\">", strconv.Itoa(c.Coverage), `</td><td class="num">`, strconv.Itoa(c.Target.Coverage),
			`</td><td class="num">`, strconv.Itoa(c.Depth), `</td><td class="num">`, strconv.Itoa(c.Target.Depth),
			"</td>\n      <td class=\"num\">", strconv.Itoa(c.Target.Criticality), `</td><td class="num">`, strconv.Itoa(c.Teachers),
			`</td><td class="num">`, f2(c.Score), `</td><td>`, escapeText(c.Why), "</td>\n    </tr>"} {
			b.WriteString(s)
		}
	}
	return template.HTML(b.String())
}

// ratio is "n/of".
func ratio(n, of int) string { return strconv.Itoa(n) + "/" + strconv.Itoa(of) }

// escapeText escapes text for an element's content or a quoted attribute's value, for
// the few texts that pages write in Go rather than through html/template: <, >, &, ' and "
// as html/template writes them (it writes + as &#43; too, needlessly).
func escapeText(s string) string { return template.HTMLEscapeString(s) }

// heatmapChart draws the heatmap, grouped by area, stale ratings faded.
func heatmapChart(h dashboards.Heatmap) (template.HTMLAttr, error) {
	var hd chart.HeatmapData
	for _, c := range h.Competencies {
		hd.Competencies = append(hd.Competencies, c.Name)
		hd.Areas = append(hd.Areas, c.AreaName)
	}
	for _, row := range h.People {
		hd.People = append(hd.People, row.Name)
		cells := make([]*int, len(row.Cells))
		faded := make([]bool, len(row.Cells))
		for i, cell := range row.Cells {
			cells[i], faded[i] = cell.Level, cell.Stale
		}
		hd.Cells = append(hd.Cells, cells)
		hd.Faded = append(hd.Faded, faded)
	}
	return cachedChart("heatmap", hd, chart.Heatmap)
}

// targetRow is one competency on the targets form with what the form shows: the stored
// value ("" for the default) or what was typed.
type targetRow struct {
	dashboards.TargetRow
	CoverageIn, DepthIn string
	Criticality         int
}

type targetsPage struct {
	Team        *people.TeamView
	Rows        []targetRow
	DefCrit     int
	ErrorField  string
	ErrorMsg    string
	MemberCount int
}

// PageTeamTargets shows the team's targets as a form: blank fields use the defaults.
func (s *Pages) PageTeamTargets(c *fiber.Ctx) error {
	p, err := s.targetsForm(c)
	if err != nil {
		return err
	}
	return s.Render(c, "team_targets.html", kit.Page{Title: "Targets · " + p.Team.Name, Nav: "teams", Data: p})
}

// targetsForm loads the form's rows: the stored targets, the defaults and today's standing.
func (s *Pages) targetsForm(c *fiber.Ctx) (*targetsPage, error) {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	f, err := s.Dashboards.Targets(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return nil, err
	}
	p := &targetsPage{Team: f.Team, DefCrit: f.DefCrit, MemberCount: f.MemberCount}
	for _, r := range f.Rows {
		row := targetRow{TargetRow: r, Criticality: f.DefCrit}
		if t := r.Target; t != nil {
			row.CoverageIn, row.DepthIn, row.Criticality = blankZero(t.Coverage), blankZero(t.Depth), t.Criticality
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func blankZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// PageTeamTargetsPost stores the form: a blank number means the default; a competency left
// entirely at the defaults gets no stored target. Errors re-show the form with what was typed.
func (s *Pages) PageTeamTargetsPost(c *fiber.Ctx) error {
	p, err := s.targetsForm(c)
	if err != nil {
		return err
	}
	id := p.Team.ID
	targets := []app.TeamTarget{}
	var badField, badMsg string
	for i := range p.Rows {
		r := &p.Rows[i]
		r.CoverageIn = strings.TrimSpace(c.FormValue("coverage_" + r.Key))
		r.DepthIn = strings.TrimSpace(c.FormValue("depth_" + r.Key))
		crit := strings.TrimSpace(c.FormValue("criticality_" + r.Key))
		t := app.TeamTarget{Competency: r.Key, Criticality: p.DefCrit}
		for _, f := range []struct {
			name, in string
			dst      *int
		}{{"coverage_", r.CoverageIn, &t.Coverage}, {"depth_", r.DepthIn, &t.Depth}, {"criticality_", crit, &t.Criticality}} {
			if f.in == "" {
				continue
			}
			n, err := strconv.Atoi(f.in)
			if err != nil && badField == "" {
				badField, badMsg = f.name+r.Key, "Enter a whole number for "+r.Name+"."
			}
			*f.dst = n
		}
		r.Criticality = t.Criticality
		if t.Coverage != 0 || t.Depth != 0 || t.Criticality != p.DefCrit {
			targets = append(targets, t)
		}
	}
	if badField == "" {
		_, err = s.Dashboards.SetTargets(c.UserContext(), kit.Actor(c), id, &targets)
		if app.ErrorCode(err) != app.EINVALID {
			if err != nil {
				return err
			}
			return c.Redirect("/teams/"+strconv.FormatInt(id, 10)+"?saved=targets", fiber.StatusSeeOther)
		}
		badField, badMsg = app.ErrorField(err), app.ErrorMessage(err)
		var i int
		var name string
		if n, _ := fmt.Sscanf(strings.NewReplacer("[", " ", "].", " ").Replace(badField), "targets %d %s", &i, &name); n == 2 && i < len(targets) {
			badField = name + "_" + targets[i].Competency
		}
	}
	p.ErrorField, p.ErrorMsg = badField, badMsg
	return s.RenderStatus(c, fiber.StatusUnprocessableEntity, "team_targets.html",
		kit.Page{Title: "Targets · " + p.Team.Name, Nav: "teams", Data: p, Error: badMsg})
}

// orgPage is the organisation view: every team's gaps and a competency × team matrix.
type orgPage struct {
	R          *dashboards.Rollup
	Teams      []dashboards.TeamSummary // highest total gap score first
	Bar        asOfBar
	GapChart   template.HTMLAttr // data-chart (cachedChart)
	GapHeight  int
	TeamsGap   int // teams with at least one gap
	ThinSpots  []dashboards.CompetencyRollup
	HasMembers bool
}

// PageOrg serves the organisation view from the view cache (kit/viewcache.go), built on a miss.
func (s *Pages) PageOrg(c *fiber.Ctx) error {
	return s.CachedPage(c, "org-page", "org.html", "org", func(asOf time.Time, date string) (string, any, bool, error) {
		o, err := s.Dashboards.Org(c.UserContext(), kit.Actor(c), asOf)
		if err != nil {
			return "", nil, false, err
		}
		p := orgPage{R: o.Rollup, Teams: o.ByScore, TeamsGap: o.TeamsGap, ThinSpots: o.ThinSpots, Bar: s.asOfBar(date),
			HasMembers: o.Members > 0}
		if p.HasMembers {
			var bd chart.BarsData
			bd.Name, bd.Counts = "Teams with a gap", true
			for _, cr := range p.ThinSpots {
				bd.Labels = append(bd.Labels, cr.Name)
				bd.Values = append(bd.Values, float64(dashboards.GapTeams(cr)))
			}
			if p.GapChart, err = cachedChart("bars", bd, chart.Bars); err != nil {
				return "", nil, false, err
			}
			p.GapHeight = chart.BarsHeight(len(bd.Labels))
		}
		return "Organisation", p, p.HasMembers, nil
	})
}

// PageHR is an HR partner's landing page: their partner teams with each team's gaps,
// served from the view cache (kit/viewcache.go), built on a miss.
func (s *Pages) PageHR(c *fiber.Ctx) error {
	return s.CachedPage(c, "hr-page", "hr.html", "hr", func(asOf time.Time, date string) (string, any, bool, error) {
		r, err := s.Dashboards.Partner(c.UserContext(), kit.Actor(c), asOf)
		if err != nil {
			return "", nil, false, err
		}
		return "Partner teams", fiber.Map{"R": r, "Bar": s.asOfBar(date)}, false, nil
	})
}
