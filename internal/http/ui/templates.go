package ui

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/assets"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/web"
)

var templateFuncs = template.FuncMap{
	"levelName": app.LevelName,
	"titleLabel": func(t *string) string {
		if t == nil {
			return ""
		}
		return app.OptionLabel(app.Titles, *t)
	},
	"optLabel": func(kind, key string) string {
		switch kind {
		case "title":
			return app.OptionLabel(app.Titles, key)
		case "background":
			return app.OptionLabel(app.Backgrounds, key)
		case "spike":
			return app.OptionLabel(app.CareerSpikes, key)
		}
		return key
	},
	"teamRoleLabel": func(r string) string {
		switch r {
		case app.TeamLeader:
			return "Leader"
		case app.TeamMember:
			return "Member"
		case app.TeamHRPartner:
			return "HR partner"
		}
		return ""
	},
	"initials": func(name string) string {
		var b strings.Builder
		for _, f := range strings.Fields(name) {
			for _, r := range f {
				b.WriteRune(r)
				break
			}
			if b.Len() >= 2 {
				break
			}
		}
		return strings.ToUpper(b.String())
	},
	"add": func(a, b int) int { return a + b },
	"pct": pct,
	"f1":  func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"f2":  f2,
	"deref": func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	},
	"isNil": func(p *int) bool { return p == nil },
	"deref64": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
	// minAggregate is the fewest PMs an aggregate view shows figures for.
	"minAggregate": func() int { return dashboards.MinAggregate },
	"teamNav":      teamNav,
	"tagLabel":     tagLabel,
	"scaleLevels":  func() []app.ScaleLevel { return app.Scale },
	"quickRate":    quickRate,
	"statusBadge":  statusBadge,
	"shapeLabel":   shapeLabel,
}

// f2 is a number with two decimals.
func f2(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// statusBadge is a competency's status (shape's gap, risk, ok) as a badge; a function
// rather than a partial, which costs a dozen times more on a page of many rows.
func statusBadge(status string) template.HTML {
	switch status {
	case "gap":
		return `<span class="badge gap">Gap</span>`
	case "risk":
		return `<span class="badge risk">Risk</span>`
	case "ok":
		return `<span class="badge ok">OK</span>`
	}
	return `<span class="badge">n/a</span>`
}

// shapeLabel is how a person's shape (shape.ShapeT, …) reads.
func shapeLabel(s string) string {
	switch s {
	case "T":
		return "T-shaped"
	case "M":
		return "M-shaped"
	case "I":
		return "I-shaped"
	case "generalist":
		return "Generalist"
	}
	return "Developing"
}

// pct is a share as a whole percentage: 0.645 → "65%".
func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" }

// quickRateData is the "profQuickRate" form: one competency's level and evidence, posted
// to action (the rating form's route, which takes one competency as well as all).
type quickRateData struct {
	Action, CSRF, Key, Name, Level string
	Evidence, Saved                bool
}

func quickRate(action, csrf string, row ratingRow, evidence bool, rated string) quickRateData {
	return quickRateData{Action: action, CSRF: csrf, Key: row.Competency, Name: row.Name, Level: row.FormLevel,
		Evidence: evidence, Saved: rated == row.Competency}
}

// tagLabels are how the suggested specialism tags (app.SpecialismTags) read on a page;
// other tags read as typed.
var tagLabels = map[string]string{"technical": "Technical", "data": "Data", "platform": "Platform", "growth": "Growth",
	"ai_ml": "AI/ML", "blockchain": "Blockchain", "fintech": "Fintech", "edtech": "Edtech", "healthtech": "Healthtech",
	"b2b": "B2B", "b2c": "B2C"}

func tagLabel(key string) string {
	if l, ok := tagLabels[key]; ok {
		return l
	}
	return key
}

// teamTab is one tab of a team's navigation.
type teamTab struct {
	Key, Label, Href string
}

// teamNavData is what the "teamNav" partial draws: the tabs and the current one.
type teamNavData struct {
	Tabs    []teamTab
	Current string
}

// teamNav gives the same tabs in the same order on every page of a team, for the viewer's
// role: leaders and admins get every team page, HR the dashboard, operating model, hiring
// gaps and requisitions, a PM the dashboard and operating model (a route's own access
// check still decides).
func teamNav(a *app.Actor, teamID int64, current string) teamNavData {
	base := "/teams/" + strconv.FormatInt(teamID, 10)
	all := []struct {
		teamTab
		roles []string
	}{
		{teamTab{"dashboard", "Dashboard", base}, kit.Anyone},
		{teamTab{"sops", "Operating model", base + "/sops"}, kit.Anyone},
		{teamTab{"coaching", "Coaching", base + "/coaching"}, kit.Leaders},
		{teamTab{"hiring", "Hiring gaps", base + "/hiring"}, kit.LeadersHR},
		{teamTab{"what-if", "What-if", base + "/what-if"}, kit.Leaders},
		{teamTab{"requisitions", "Requisitions", "/requisitions?team_id=" + strconv.FormatInt(teamID, 10)}, kit.LeadersHR},
		{teamTab{"targets", "Targets", base + "/targets"}, kit.Leaders},
		{teamTab{"import", "Import & export", base + "/import"}, kit.Leaders},
		{teamTab{"audit", "Audit log", base + "/audit"}, kit.Leaders},
	}
	d := teamNavData{Current: current}
	for _, t := range all {
		if a != nil && slices.Contains(t.roles, a.Role) {
			d.Tabs = append(d.Tabs, t.teamTab)
		}
	}
	return d
}

// ParsePages parses each page with the layout and the partials (files starting with "_");
// {{asset "css/app.css"}} writes a static file's content-hashed URL.
func ParsePages(static *assets.Set) (map[string]*template.Template, error) {
	files, err := fs.Glob(web.FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var partials []string
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "_") {
			partials = append(partials, f)
		}
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		base := path.Base(f)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		names := append([]string{"templates/layout.html"}, partials...)
		names = append(names, f)
		t, err := template.New("layout.html").Funcs(templateFuncs).Funcs(template.FuncMap{"asset": static.URL}).ParseFS(web.FS, names...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		pages[base] = t
	}
	return pages, nil
}
