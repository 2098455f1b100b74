package ui

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/markdown"
)

// hiringPage is /teams/{id}/hiring.
type hiringPage struct {
	View         hiring.View
	Chart        chart.Option
	CanLead      bool // names, coaching links, what-if
	CanManage    bool // opens requisitions
	Requisitions []app.Requisition
	Brief        template.HTML // the shared brief, rendered
}

// Column is one side of the comparison: "Today" or "With the changes".
func (p whatIfPage) Column(after bool) whatIfColumn {
	if after {
		return whatIfColumn{Heading: "With the changes", View: p.Result.After, Chart: p.After}
	}
	return whatIfColumn{Heading: "Today", View: p.Result.Before, Chart: p.Before}
}

type whatIfColumn struct {
	Heading string
	View    hiring.View
	Chart   chart.Option
}

// hiringTShape draws the team's combined T-shape.
func hiringTShape(v hiring.View) (chart.Option, error) {
	var d chart.TShapeData
	for _, c := range v.Competencies {
		d.Competencies = append(d.Competencies, c.Name)
		d.Depth = append(d.Depth, c.Depth)
		d.TargetDepth = append(d.TargetDepth, c.TargetDepth)
		d.Coverage = append(d.Coverage, c.Coverage)
		d.TargetCoverage = append(d.TargetCoverage, c.TargetCoverage)
		d.Status = append(d.Status, c.Status)
	}
	return chart.TShape(d)
}

func (s *Pages) PageHiring(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	ov, err := s.Hiring.Overview(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	v := ov.View
	opt, err := hiringTShape(v)
	if err != nil {
		return err
	}
	p := hiringPage{View: v, Chart: opt, CanLead: ov.Access.CanLead(), CanManage: ov.Access.CanManageRequisitions(), Requisitions: ov.Requisitions}
	if v.SharedBrief != nil {
		p.Brief = markdown.Render(v.SharedBrief.Brief)
	}
	var flash string
	if c.Query("done") == "shared" {
		flash = "Shared with the team's HR partners: they now see these hiring gaps, without names, as of today."
	}
	return s.Render(c, "hiring.html", kit.Page{Title: "Hiring gaps · " + v.Team.Name, Nav: hiringNav(kit.Actor(c)), Charts: true, Data: p, Flash: flash})
}

// PageShareHiringBrief is the "Share with HR" button of the hiring page.
func (s *Pages) PageShareHiringBrief(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Hiring.ShareBrief(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/teams/%d/hiring?done=shared", id), fiber.StatusSeeOther)
}

// hiringNav is the main-nav item the hiring pages belong to.
func hiringNav(a *app.Actor) string {
	if a.Role == app.RoleHR {
		return "hr"
	}
	return "teams"
}

// whatIfPage is /teams/{id}/what-if. The scenario travels in the query string (nothing is
// stored): c0_name, c0_<competency key>=level, … for up to five candidates, remove=<user id>
// for each leaver, and from=<hire number> to start a new candidate from a suggested hire.
type whatIfPage struct {
	Team      hiring.TeamRef
	Slots     []candidateSlot
	Members   []memberChoice
	FromHires []hireLink
	Levels    []app.ScaleLevel
	Result    *hiring.WhatIf
	Changed   bool // the scenario adds or removes someone
	Before    chart.Option
	After     chart.Option
}

// candidateSlot is one candidate's part of the form.
type candidateSlot struct {
	Number int // 1-based
	Name   string
	Fields []levelField
}

type levelField struct {
	Input, Name, AreaName string
	NewArea, LeadsOnly    bool
	Value                 string // "" for not assessed
}

type memberChoice struct {
	ID      int64
	Name    string
	Title   *string
	Checked bool
}

type hireLink struct {
	Number int
	Title  string
	URL    string
}

func (s *Pages) PageWhatIf(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	sc, err := s.Hiring.Scenario(c.UserContext(), kit.Actor(c), id, scenarioForm(c))
	if err != nil {
		return err
	}
	status, errMsg := fiber.StatusOK, ""
	if sc.Refused != nil {
		status, errMsg = fiber.StatusUnprocessableEntity, app.ErrorMessage(sc.Refused)
	}
	v := sc.Result
	p := whatIfPage{Team: sc.Team, Levels: app.Scale, Result: v, Changed: len(v.Added)+len(v.Removed) > 0}
	p.fill(sc)
	if p.Before, err = hiringTShape(v.Before); err != nil {
		return err
	}
	if p.After, err = hiringTShape(v.After); err != nil {
		return err
	}
	return s.RenderStatus(c, status, "whatif.html", kit.Page{Title: "What-if · " + sc.Team.Name, Nav: "teams", Charts: true, Error: errMsg, Data: p})
}

// scenarioForm reads the scenario from the query string: c<i>_name and c<i>_<competency key>
// for the candidates i = 0…4, remove (repeated) and from. A remove that is not a number is
// refused as user 0; a from that is not a number is none.
func scenarioForm(c *fiber.Ctx) hiring.ScenarioForm {
	f := hiring.ScenarioForm{Candidates: make([]hiring.CandidateForm, hiring.MaxCandidates)}
	for i := range f.Candidates {
		f.Candidates[i] = hiring.CandidateForm{Name: c.Query(fmt.Sprintf("c%d_name", i)), Levels: map[string]string{}}
	}
	for k, v := range c.Request().URI().QueryArgs().All() {
		for i := range f.Candidates {
			key, ok := strings.CutPrefix(string(k), fmt.Sprintf("c%d_", i))
			if _, seen := f.Candidates[i].Levels[key]; ok && key != "name" && !seen { // the first value counts
				f.Candidates[i].Levels[key] = string(v)
			}
		}
	}
	for _, raw := range c.Context().QueryArgs().PeekMulti("remove") {
		id, _ := strconv.ParseInt(string(raw), 10, 64)
		f.Remove = append(f.Remove, id)
	}
	f.From, _ = strconv.Atoi(c.Query("from"))
	return f
}

// fill lays out the form: a slot per candidate (and one empty slot while there is room), the
// members with the leavers checked, and links that add a suggested hire to the scenario as it
// stands.
func (p *whatIfPage) fill(sc *hiring.Scenario) {
	comps := sc.Competencies
	slot := func(n int, cand hiring.CandidateForm) candidateSlot {
		sl := candidateSlot{Number: n, Name: cand.Name}
		for i, comp := range comps {
			sl.Fields = append(sl.Fields, levelField{
				Input: fmt.Sprintf("c%d_%s", n-1, comp.Key), Name: comp.Name, AreaName: comp.AreaName,
				NewArea: i == 0 || comps[i-1].AreaKey != comp.AreaKey, LeadsOnly: comp.LeadsOnly, Value: cand.Levels[comp.Key],
			})
		}
		return sl
	}
	for i, cand := range sc.Candidates {
		p.Slots = append(p.Slots, slot(i+1, cand))
	}

	removed := map[int64]bool{}
	for _, id := range sc.Input.Remove {
		removed[id] = true
	}
	for _, m := range sc.Members {
		p.Members = append(p.Members, memberChoice{ID: m.UserID, Name: m.Name, Title: m.Title, Checked: removed[m.UserID]})
	}

	q := url.Values{}
	for i, cand := range sc.Input.Add {
		q.Set(fmt.Sprintf("c%d_name", i), cand.Name)
		for _, r := range cand.Ratings {
			q.Set(fmt.Sprintf("c%d_%s", i, r.Competency), strconv.Itoa(*r.Level))
		}
	}
	for _, id := range sc.Input.Remove {
		q.Add("remove", strconv.FormatInt(id, 10))
	}
	if len(sc.Input.Add) < hiring.MaxCandidates {
		for _, h := range sc.Result.Before.Hires {
			q.Set("from", strconv.Itoa(h.Number()))
			p.FromHires = append(p.FromHires, hireLink{Number: h.Number(), Title: h.Title,
				URL: fmt.Sprintf("/teams/%d/what-if?%s", sc.Team.ID, q.Encode())})
		}
	}
	if len(p.Slots) < hiring.MaxCandidates {
		p.Slots = append(p.Slots, slot(len(p.Slots)+1, hiring.CandidateForm{}))
	}
}
