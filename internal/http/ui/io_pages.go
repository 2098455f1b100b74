package ui

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// ---- import pages: upload → preview → confirm ----

// Limits of the preview page.
const (
	previewPeopleShown = 300
	// A file up to this size travels back inside the confirm form; a bigger one is chosen
	// again (the page's script sends it again by itself).
	embedLimit = 2 << 20
)

type importPage struct {
	Stage        string // "form", "preview" or "done"
	Team         *app.Team
	Teams        []app.Team // an admin's choice of team
	SelectedTeam int64
	// InviteUnknown: people without an account are invited (the upload's checkbox,
	// carried to the confirm).
	InviteUnknown bool
	Action        string // the form's base path
	Keys          []string
	Sample        string // a header and an example row
	Plan          *app.ImportPlan
	People        []app.ImportPersonPlan // changed rows shown
	More          int                    // changed rows not shown
	Unchanged     int                    // rows that change nothing
	CSV64         string
	Result        *app.ImportResult
}

// importPageData loads what every stage of the page shows; the service checks access.
func (s *Pages) importPageData(c *fiber.Ctx) (*importPage, error) {
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = kit.ParamID(c, "id"); err != nil {
			return nil, err
		}
	}
	f, err := s.Transfers.ImportForm(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return nil, err
	}
	d := &importPage{Stage: "form", Action: "/admin/import", Team: f.Team, Teams: f.Teams, Keys: f.Keys, Sample: f.Sample}
	if id != 0 {
		d.Action, d.SelectedTeam = "/teams/"+strconv.FormatInt(id, 10)+"/import", id
	}
	return d, nil
}

func (s *Pages) renderImport(c *fiber.Ctx, status int, d *importPage, formErr error) error {
	title := "Import a skill matrix"
	if d.Team != nil {
		title = "Import into " + d.Team.Name
	}
	p := kit.Page{Title: title, Nav: "teams", Data: d}
	if d.Team == nil {
		p.Nav = "audit"
	}
	if formErr != nil {
		p.Error = app.ErrorMessage(formErr)
		if f := app.ErrorField(formErr); f != "" && f != "file" {
			p.Error = f + ": " + p.Error
		}
	}
	return s.RenderStatus(c, status, "import.html", p)
}

// userError reports whether the page shows err on its form (bad input) rather than as
// an error page (access, server faults).
func userError(err error) bool {
	switch app.ErrorCode(err) {
	case app.EINVALID, app.EBADREQUEST, app.ETOOLARGE, app.ECONFLICT:
		return true
	}
	return false
}

func (s *Pages) PageImport(c *fiber.Ctx) error {
	d, err := s.importPageData(c)
	if err != nil {
		return err
	}
	return s.renderImport(c, fiber.StatusOK, d, nil)
}

func (s *Pages) PageImportPreview(c *fiber.Ctx) error {
	d, err := s.importPageData(c)
	if err != nil {
		return err
	}
	teamID, file, opt, err := s.ImportRequest(c)
	d.InviteUnknown = opt.InviteUnknown
	if err == nil {
		d.SelectedTeam = teamID
		var plan *app.ImportPlan
		if plan, err = s.Transfers.Preview(c.UserContext(), kit.Actor(c), teamID, file, opt); err == nil {
			d.showPlan(plan, file)
			return s.renderImport(c, fiber.StatusOK, d, nil)
		}
	}
	if !userError(err) {
		return err
	}
	return s.renderImport(c, kit.StatusOf[app.ErrorCode(err)], d, err)
}

// showPlan fills the preview stage.
func (d *importPage) showPlan(plan *app.ImportPlan, file []byte) {
	d.Stage, d.Plan = "preview", plan
	for _, pp := range plan.People {
		switch {
		case !pp.Changed():
			d.Unchanged++
		case len(d.People) < previewPeopleShown:
			d.People = append(d.People, pp)
		default:
			d.More++
		}
	}
	if len(file) <= embedLimit {
		d.CSV64 = base64.StdEncoding.EncodeToString(file)
	}
}

func (s *Pages) PageImportPost(c *fiber.Ctx) error {
	d, err := s.importPageData(c)
	if err != nil {
		return err
	}
	teamID, file, opt, err := s.ImportRequest(c)
	d.InviteUnknown = opt.InviteUnknown
	if err == nil {
		d.SelectedTeam = teamID
		ctx, cancel := s.LongContext(c, kit.ImportTimeout)
		defer cancel()
		var plan *app.ImportPlan
		var res *app.ImportResult
		plan, res, err = s.Transfers.Import(ctx, kit.Actor(c), teamID, file, c.FormValue("hash"), opt)
		switch {
		case err == nil:
			d.Stage, d.Result = "done", res
			return s.renderImport(c, fiber.StatusCreated, d, nil)
		case plan != nil:
			d.showPlan(plan, file)
			return s.renderImport(c, fiber.StatusUnprocessableEntity, d, nil)
		}
	}
	if !userError(err) {
		return err
	}
	return s.renderImport(c, kit.StatusOf[app.ErrorCode(err)], d, err)
}

// ---- audit log pages ----

type auditPageData struct {
	Team     *app.Team // a team's log; nil: the organisation's
	Entries  []auditView
	Filter   app.AuditFilter
	FromText string
	ToText   string
	Users    []app.User
	Teams    []app.Team
	Actions  []string
	Entities []string
	Older    string // the link to older entries, "" at the end
}

// auditView is an entry with its before and after laid out for reading.
type auditView struct {
	app.AuditEntry
	BeforeText, AfterText string
}

func prettyJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}

func (s *Pages) PageAudit(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), kit.Actor(c)
	d := auditPageData{Actions: app.AuditActions, Entities: app.AuditEntities}
	f, ferr := kit.AuditFilter(c, a.OrgID)
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = kit.ParamID(c, "id"); err != nil {
			return err
		}
	}
	ch, err := s.Audit.Choices(ctx, a, id)
	if err != nil {
		return err
	}
	d.Team, d.Users, d.Teams = ch.Team, ch.Users, ch.Teams
	if id != 0 {
		f.TeamID = id // a team's log keeps to the team
	}
	p := kit.Page{Title: "Audit log", Nav: "audit", Data: &d}
	if d.Team != nil {
		p.Title, p.Nav = "Audit log of "+d.Team.Name, "teams"
	}
	if ferr != nil {
		p.Error = app.ErrorField(ferr) + ": " + app.ErrorMessage(ferr)
		f = app.AuditFilter{OrgID: a.OrgID, TeamID: f.TeamID, Limit: 100}
	}
	d.Filter, d.FromText, d.ToText = f, c.Query("from"), c.Query("to")
	res, err := s.Audit.Find(ctx, a, id, f)
	if err != nil {
		return err
	}
	for _, e := range res.Entries {
		d.Entries = append(d.Entries, auditView{AuditEntry: e, BeforeText: prettyJSON(e.Before), AfterText: prettyJSON(e.After)})
	}
	if res.NextBeforeID != nil {
		q := url.Values{}
		for k, v := range c.Context().QueryArgs().All() {
			q.Set(string(k), string(v))
		}
		q.Set("before_id", strconv.FormatInt(*res.NextBeforeID, 10))
		d.Older = c.Path() + "?" + q.Encode()
	}
	status := fiber.StatusOK
	if ferr != nil {
		status = fiber.StatusUnprocessableEntity
	}
	return s.RenderStatus(c, status, "audit.html", p)
}
