package http

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/chart"
	"github.com/teamshape/teamshape/internal/markdown"
)

// hiringPage is /teams/{id}/hiring.
type hiringPage struct {
	View         hiringView
	Chart        chart.Option
	CanLead      bool // names, coaching links, what-if
	CanManage    bool // opens requisitions
	Requisitions []app.Requisition
	Brief        template.HTML // the shared brief, rendered
}

// hiringTabs is the tab bar of the team's pages.
type hiringTabs struct {
	ID      int64
	Tab     string
	CanLead bool
}

// Tabs is the hiring page's tab bar.
func (p hiringPage) Tabs() hiringTabs {
	return hiringTabs{ID: p.View.Team.ID, Tab: "hiring", CanLead: p.CanLead}
}

// Tabs is the what-if page's tab bar (only leaders and admins get there).
func (p whatIfPage) Tabs() hiringTabs {
	return hiringTabs{ID: p.Team.ID, Tab: "what-if", CanLead: true}
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
	View    hiringView
	Chart   chart.Option
}

func (s *Server) pageHiring(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, err := s.loadHiringTeam(c, id)
	if err != nil {
		return err
	}
	v := t.plan()
	opt, err := v.tshape()
	if err != nil {
		return err
	}
	reqs, err := s.store.FindRequisitions(c.UserContext(), actor(c), app.RequisitionFilter{TeamID: id})
	if err != nil {
		return err
	}
	p := hiringPage{View: v, Chart: opt, CanLead: t.Access.CanLead(), CanManage: t.Access.CanManageRequisitions(), Requisitions: reqs}
	if v.SharedBrief != nil {
		p.Brief = markdown.Render(v.SharedBrief.Brief)
	}
	var flash string
	if c.Query("done") == "shared" {
		flash = "Shared with the team's HR partners: they now see these hiring gaps, without names, as of today."
	}
	return s.render(c, "hiring.html", page{Title: "Hiring gaps · " + v.Team.Name, Nav: hiringNav(actor(c)), Charts: true, Data: p, Flash: flash})
}

// pageShareHiringBrief is the "Share with HR" button of the hiring page.
func (s *Server) pageShareHiringBrief(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.shareHiringBrief(c, id); err != nil {
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
	Team      hiringTeamRef
	Slots     []candidateSlot
	Members   []memberChoice
	FromHires []hireLink
	Levels    []app.ScaleLevel
	Result    *whatIfView
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

func (s *Server) pageWhatIf(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, err := s.loadWhatIfTeam(c, id)
	if err != nil {
		return err
	}
	before := t.plan()
	p := whatIfPage{Team: t.Ref, Levels: app.Scale}
	in := p.readForm(c, t, before)

	status, errMsg := fiber.StatusOK, ""
	v, err := whatIf(t, in)
	if code := app.ErrorCode(err); code == app.EINVALID {
		status, errMsg = fiber.StatusUnprocessableEntity, app.ErrorMessage(err)
		v, _ = whatIf(t, whatIfInput{})
	} else if err != nil {
		return err
	}
	p.Result, p.Changed = v, len(v.Added)+len(v.Removed) > 0
	if p.Before, err = v.Before.tshape(); err != nil {
		return err
	}
	if p.After, err = v.After.tshape(); err != nil {
		return err
	}
	return s.renderStatus(c, status, "whatif.html", page{Title: "What-if · " + t.Ref.Name, Nav: "teams", Charts: true, Error: errMsg, Data: p})
}

// readForm reads the scenario from the query string into the form's slots and returns it as a
// what-if input. A slot counts when it has a name or a level; a nameless one is called
// "Candidate N". One empty slot follows the used ones while there is room.
func (p *whatIfPage) readForm(c *fiber.Ctx, t *hiringTeam, before hiringView) whatIfInput {
	var in whatIfInput
	comps := t.Loaded.Framework.Active()
	slot := func(n int, name string, value func(key string) string) candidateSlot {
		sl := candidateSlot{Number: n, Name: name}
		for i, comp := range comps {
			sl.Fields = append(sl.Fields, levelField{
				Input: fmt.Sprintf("c%d_%s", n-1, comp.Key), Name: comp.Name, AreaName: comp.AreaName,
				NewArea: i == 0 || comps[i-1].AreaKey != comp.AreaKey, LeadsOnly: comp.LeadsOnly, Value: value(comp.Key),
			})
		}
		return sl
	}
	addSlot := func(name string, value func(key string) string) {
		n := len(p.Slots) + 1
		if name == "" {
			name = fmt.Sprintf("Candidate %d", n)
		}
		sl := slot(n, name, value)
		cand := candidateInput{Name: name}
		for i, f := range sl.Fields {
			if f.Value == "" {
				continue
			}
			level, err := strconv.Atoi(f.Value)
			if err != nil {
				level = -1 // refused with the field named
			}
			cand.Ratings = append(cand.Ratings, candidateRating{Competency: comps[i].Key, Level: &level})
		}
		p.Slots = append(p.Slots, sl)
		in.Add = append(in.Add, cand)
	}

	for i := range maxCandidates {
		name := c.Query(fmt.Sprintf("c%d_name", i))
		value := func(key string) string { return c.Query(fmt.Sprintf("c%d_%s", i, key)) }
		used := name != ""
		for _, comp := range comps {
			used = used || value(comp.Key) != ""
		}
		if used {
			addSlot(name, value)
		}
	}
	// "Start from hire profile N": a new candidate rated as the profile, through AsPerson.
	if n, err := strconv.Atoi(c.Query("from")); err == nil && n >= 1 && n <= len(before.Hires) && len(p.Slots) < maxCandidates {
		h := before.Hires[n-1]
		levels := h.profile.AsPerson(0, "").Ratings
		addSlot(fmt.Sprintf("Hire %d: %s", n, h.Title), func(key string) string {
			if l, ok := levels[key]; ok {
				return strconv.Itoa(l)
			}
			return ""
		})
	}

	removed := map[int64]bool{}
	for _, raw := range c.Context().QueryArgs().PeekMulti("remove") {
		id, _ := strconv.ParseInt(string(raw), 10, 64) // not a number: refused as user 0
		in.Remove = append(in.Remove, id)
		removed[id] = true
	}
	for _, m := range t.Loaded.Members {
		p.Members = append(p.Members, memberChoice{ID: m.UserID, Name: m.Name, Title: m.Title, Checked: removed[m.UserID]})
	}

	// Links that add a suggested hire to the scenario as it stands.
	q := url.Values{}
	for i, cand := range in.Add {
		q.Set(fmt.Sprintf("c%d_name", i), cand.Name)
		for _, r := range cand.Ratings {
			q.Set(fmt.Sprintf("c%d_%s", i, r.Competency), strconv.Itoa(*r.Level))
		}
	}
	for _, id := range in.Remove {
		q.Add("remove", strconv.FormatInt(id, 10))
	}
	if len(in.Add) < maxCandidates {
		for _, h := range before.Hires {
			q.Set("from", strconv.Itoa(h.Number()))
			p.FromHires = append(p.FromHires, hireLink{Number: h.Number(), Title: h.Title,
				URL: fmt.Sprintf("/teams/%d/what-if?%s", t.Ref.ID, q.Encode())})
		}
	}
	if len(p.Slots) < maxCandidates {
		p.Slots = append(p.Slots, slot(len(p.Slots)+1, "", func(string) string { return "" }))
	}
	return in
}
