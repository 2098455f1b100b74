package http

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// asOfBar is the "as of" date form of a dashboard page.
type asOfBar struct {
	AsOf  string // the date shown, YYYY-MM-DD
	Today string
	Past  bool   // AsOf is before today
	View  string // the heatmap view to keep, if any
}

func (s *Server) asOfBar(date string) asOfBar {
	today := s.dashboardDay()
	return asOfBar{AsOf: date, Today: today, Past: date != today}
}

// teamPage is the team dashboard: leaders and admins see everything; members and HR
// partners see the aggregate shape (no heatmap, no names against ratings).
type teamPage struct {
	Team    *teamView
	Access  app.TeamAccess
	F       insight.Figures
	Heatmap *insight.Heatmap // leaders and admins only
	// HeatRows is the heatmap as table cells (text and CSS class), laid out in Go.
	HeatRows []heatRow
	View     string
	Bar      asOfBar
	Leaders  []string
	Partner  []string
	Charts   teamCharts
	// Sparks is each competency's depth and coverage over the trend's quarters, by key
	// (the gaps table).
	Sparks map[string]chart.Spark
}

type teamCharts struct {
	TShape, Radar, Trend, Heatmap chart.Option
	HeatmapHeight, TShapeHeight   int
}

func (s *Server) pageTeam(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	view, err := viewParam(c)
	if err != nil {
		return err
	}
	asOf, date, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	v, err := s.views.get(s.viewKey(c, "team-page", id, view, date), func() (cachedView, error) {
		p, err := s.teamPageOf(c, id, view, asOf, date)
		if err != nil {
			return cachedView{}, err
		}
		body, err := s.renderContent(c, "team.html", page{Data: p})
		return cachedView{Title: p.Team.Name, Charts: p.F.HasShape(), Body: string(body)}, err
	})
	if err != nil {
		return err
	}
	flash := ""
	if c.Query("saved") == "targets" {
		flash = "Targets saved: the figures below use them."
	}
	return s.render(c, "team.html", page{Title: v.Title, Nav: "teams", Body: v.Body, Packed: v.Packed, Charts: v.Charts, Flash: flash})
}

// teamPageOf loads and lays out the team dashboard as the caller may see it.
func (s *Server) teamPageOf(c *fiber.Ctx, id int64, view string, asOf time.Time, date string) (*teamPage, error) {
	// The access check (with the people the caller may see) and the figures load at once; the
	// figures are dropped unless the check passes.
	var (
		v    *teamView
		acc  app.TeamAccess
		verr error
	)
	checked := make(chan struct{})
	go func() {
		defer close(checked)
		v, acc, verr = s.loadTeamView(c, id)
	}()
	d, err := insight.LoadDashboard(c.UserContext(), s.store, actor(c).OrgID, id, asOf, trendPoints(asOf, true))
	<-checked
	if verr != nil {
		return nil, verr
	}
	if err != nil {
		return nil, err
	}
	f := d.Figures(acc.CanSeeIndividuals())
	p := &teamPage{Team: v, Access: acc, F: f, View: view, Bar: s.asOfBar(date)}
	if acc.CanSeeIndividuals() && view != insight.ViewEffective {
		p.Bar.View = view
	}
	for _, person := range v.People {
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
	if p.Charts, err = teamChartsOf(f); err != nil {
		return nil, err
	}
	p.Sparks = sparksOf(d.Columns(), f.Trend)
	if acc.CanSeeIndividuals() {
		h, err := s.heatmap(c, d, view)
		if err != nil {
			return nil, err
		}
		p.Heatmap, p.HeatRows = &h, heatRows(h)
		if p.Charts.Heatmap, err = heatmapChart(h); err != nil {
			return nil, err
		}
		p.Charts.HeatmapHeight = chart.HeatmapHeight(len(h.People))
	}
	return p, nil
}

// teamChartsOf builds the T-shape, radar and trend charts of the figures.
func teamChartsOf(f insight.Figures) (teamCharts, error) {
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
func sparksOf(cols []insight.HeatmapColumn, trend []insight.TrendPoint) map[string]chart.Spark {
	labels := make([]string, len(trend))
	for i, p := range trend {
		labels[i] = p.Label
	}
	out := map[string]chart.Spark{}
	for _, s := range insight.SeriesOf(cols, trend) {
		out[s.Competency] = chart.Sparkline(labels, s.Depth, s.Coverage, shape.MaxLevel)
	}
	return out
}

type heatRow struct {
	Name  string
	Cells []heatCell
}

type heatCell struct{ Text, Class string }

// heatRows lays the heatmap out as table cells: the level with its colour class, faded when
// stale, "–" for not assessed.
func heatRows(h insight.Heatmap) []heatRow {
	rows := make([]heatRow, len(h.People))
	for i, p := range h.People {
		rows[i] = heatRow{Name: p.Name, Cells: make([]heatCell, len(p.Cells))}
		for j, c := range p.Cells {
			switch {
			case c.Level == nil:
				rows[i].Cells[j] = heatCell{Text: "–", Class: "level na"}
			case c.Stale:
				rows[i].Cells[j] = heatCell{Text: strconv.Itoa(*c.Level), Class: "level stale l" + strconv.Itoa(*c.Level)}
			default:
				rows[i].Cells[j] = heatCell{Text: strconv.Itoa(*c.Level), Class: "level l" + strconv.Itoa(*c.Level)}
			}
		}
	}
	return rows
}

// heatmapChart draws the heatmap, grouped by area, stale ratings faded.
func heatmapChart(h insight.Heatmap) (chart.Option, error) {
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

// targetRow is one competency on the targets form.
type targetRow struct {
	Key, Name, AreaName string
	LeadsOnly           bool
	InScope             bool // in the team's scope (leads-only needs a lead among the members)
	Coverage, Depth     int  // the team's standing now
	Status              string
	// What the form shows: the stored value ("" for the default) and the default.
	CoverageIn, DepthIn string
	Criticality         int
	DefCoverage         int
	DefDepth            int
}

type targetsPage struct {
	Team        *teamView
	Rows        []targetRow
	DefCrit     int
	ErrorField  string
	ErrorMsg    string
	MemberCount int
}

// pageTeamTargets shows the team's targets as a form: blank fields use the defaults.
func (s *Server) pageTeamTargets(c *fiber.Ctx) error {
	id, err := s.leadAccess(c)
	if err != nil {
		return err
	}
	p, err := s.targetsForm(c, id)
	if err != nil {
		return err
	}
	return s.render(c, "team_targets.html", page{Title: "Targets · " + p.Team.Name, Nav: "teams", Data: p})
}

// targetsForm loads the form's rows: the stored targets, the defaults and today's standing.
func (s *Server) targetsForm(c *fiber.Ctx, id int64) (*targetsPage, error) {
	v, _, err := s.loadTeamView(c, id)
	if err != nil {
		return nil, err
	}
	d, err := insight.LoadDashboard(c.UserContext(), s.store, actor(c).OrgID, id, s.now(), nil)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.FindTeamTargets(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	set := d.Input.Settings
	standing := map[string]shape.CompetencyStat{}
	for _, st := range d.Result.Competencies {
		standing[st.Key] = st
	}
	p := &targetsPage{Team: v, DefCrit: set.DefaultCriticality, MemberCount: len(d.Members)}
	for _, comp := range d.Framework.Active() {
		r := targetRow{Key: comp.Key, Name: comp.Name, AreaName: comp.AreaName, LeadsOnly: comp.LeadsOnly,
			Criticality: set.DefaultCriticality, DefCoverage: set.DefaultCoverage, DefDepth: set.DefaultDepth}
		if comp.LeadsOnly {
			r.DefCoverage = set.LeadsOnlyCoverage
		}
		if st, ok := standing[comp.Key]; ok {
			r.InScope, r.Coverage, r.Depth, r.Status = true, st.Coverage, st.Depth, st.Status
		}
		if t, ok := stored[comp.Key]; ok {
			r.CoverageIn, r.DepthIn, r.Criticality = blankZero(t.Coverage), blankZero(t.Depth), t.Criticality
		}
		p.Rows = append(p.Rows, r)
	}
	return p, nil
}

func blankZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// pageTeamTargetsPost stores the form: a blank number means the default; a competency left
// entirely at the defaults gets no stored target. Errors re-show the form with what was typed.
func (s *Server) pageTeamTargetsPost(c *fiber.Ctx) error {
	id, err := s.leadAccess(c)
	if err != nil {
		return err
	}
	p, err := s.targetsForm(c, id)
	if err != nil {
		return err
	}
	var targets []app.TeamTarget
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
		err = s.setTargets(c, id, targets)
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
	return s.renderStatus(c, fiber.StatusUnprocessableEntity, "team_targets.html",
		page{Title: "Targets · " + p.Team.Name, Nav: "teams", Data: p, Error: badMsg})
}

// orgPage is the organisation view: every team's gaps and a competency × team matrix.
type orgPage struct {
	R          *insight.Rollup
	Teams      []insight.TeamSummary // highest total gap score first
	Bar        asOfBar
	GapChart   chart.Option
	GapHeight  int
	TeamsGap   int // teams with at least one gap
	ThinSpots  []insight.CompetencyRollup
	HasMembers bool
}

func (s *Server) pageOrg(c *fiber.Ctx) error {
	teams, err := s.store.FindTeams(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	r, date, err := s.rollup(c, teams)
	if err != nil {
		return err
	}
	p := orgPage{R: r, Bar: s.asOfBar(date), HasMembers: r.Members > 0}
	p.Teams = slices.Clone(r.Teams)
	slices.SortStableFunc(p.Teams, func(a, b insight.TeamSummary) int { return cmp.Compare(b.TotalScore, a.TotalScore) })
	for _, t := range r.Teams {
		if t.Counts[shape.StatusGap] > 0 {
			p.TeamsGap++
		}
	}
	// Where the organisation is thin: competencies by the number of teams with a gap, then a risk.
	p.ThinSpots = slices.Clone(r.Competencies)
	slices.SortStableFunc(p.ThinSpots, func(a, b insight.CompetencyRollup) int {
		return cmp.Or(cmp.Compare(b.Teams[shape.StatusGap], a.Teams[shape.StatusGap]),
			cmp.Compare(b.Teams[shape.StatusRisk], a.Teams[shape.StatusRisk]))
	})
	if p.HasMembers {
		var bd chart.BarsData
		bd.Name = "Teams with a gap"
		for _, cr := range p.ThinSpots {
			bd.Labels = append(bd.Labels, cr.Name)
			bd.Values = append(bd.Values, float64(cr.Teams[shape.StatusGap]))
		}
		if p.GapChart, err = cachedChart("bars", bd, chart.Bars); err != nil {
			return err
		}
		p.GapHeight = chart.BarsHeight(len(bd.Labels))
	}
	return s.render(c, "org.html", page{Title: "Organisation", Nav: "org", Data: p, Charts: p.HasMembers})
}

// pageHR is an HR partner's landing page: their partner teams with each team's gaps.
func (s *Server) pageHR(c *fiber.Ctx) error {
	a := actor(c)
	all, err := s.store.FindTeams(c.UserContext(), a)
	if err != nil {
		return err
	}
	var teams []app.Team
	for _, t := range all {
		if a.Role == app.RoleAdmin || t.MyRole == app.TeamHRPartner {
			teams = append(teams, t)
		}
	}
	r, date, err := s.rollup(c, teams)
	if err != nil {
		return err
	}
	return s.render(c, "hr.html", page{Title: "Partner teams", Nav: "hr", Data: fiber.Map{"R": r, "Bar": s.asOfBar(date)}})
}
