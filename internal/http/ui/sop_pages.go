package ui

import (
	"errors"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/markdown"
	"github.com/teamshape/teamshape/internal/sops"
)

// sopUI holds the labels and badge classes the SOP templates share.
type sopUI struct {
	Labels     map[string]string // category, maturity, partner, staffing and review keys → label
	Badges     map[string]string // the same keys → badge class
	Fields     map[string]string // SOP field (JSON name) → label
	Categories []app.Option
	Maturities []app.Option
	Partners   []app.Option
}

var sopUIData = func() sopUI {
	ui := sopUI{
		Labels: map[string]string{
			sops.StatusStaffed: "Staffed", sops.StatusFragile: "Fragile staffing", sops.StatusUnstaffed: "Unstaffed",
			sops.StatusUnlinked: "No competencies linked", sops.StatusWithheld: "Withheld: fewer than 3 assessed", app.SOPReviewOK: "On schedule",
			app.SOPReviewDue: "Review due", app.SOPReviewOverdue: "Review overdue",
		},
		Badges: map[string]string{
			sops.StatusStaffed: "ok", sops.StatusFragile: "risk", sops.StatusUnstaffed: "gap",
			app.SOPReviewDue: "risk", app.SOPReviewOverdue: "gap", "adopted": "ok", "measured": "ok", "documented": "flag",
		},
		Fields:     map[string]string{},
		Categories: app.SOPCategories, Maturities: app.SOPMaturities, Partners: app.SOPPartners,
	}
	for _, f := range app.SOPFieldNames {
		ui.Fields[f.Key] = strings.ToLower(f.Label)
	}
	for _, opts := range [][]app.Option{app.SOPCategories, app.SOPMaturities, app.SOPPartners} {
		for _, o := range opts {
			ui.Labels[o.Key] = o.Label
		}
	}
	return ui
}()

// sopHTML is an SOP's Markdown rendered safely.
type sopHTML struct {
	Purpose, Trigger, Outputs, DecisionRights, Escalation, Metrics template.HTML
	Steps                                                          []template.HTML
}

func renderSOP(f *app.SOPFields) sopHTML {
	h := sopHTML{
		Purpose: markdown.Render(f.Purpose), Trigger: markdown.Render(f.Trigger), Outputs: markdown.Render(f.Outputs),
		DecisionRights: markdown.Render(f.DecisionRights), Escalation: markdown.Render(f.Escalation),
		Metrics: markdown.Render(f.Metrics),
	}
	for _, s := range f.Steps {
		h.Steps = append(h.Steps, markdown.RenderInline(s))
	}
	return h
}

func sopPath(id int64) string { return "/sops/" + strconv.FormatInt(id, 10) }

// sopFlash turns the query of a redirect after a save into a message.
func (s *Pages) sopFlash(c *fiber.Ctx, sop *app.SOP) string {
	switch {
	case c.Query("created") != "":
		return "SOP created."
	case c.Query("restored") != "":
		return "Revision " + c.Query("restored") + " restored as revision " + strconv.Itoa(sop.Revision) + "."
	case c.Query("saved") != "":
		return "Saved as revision " + strconv.Itoa(sop.Revision) + "."
	case c.Query("reviewed") != "":
		return "Marked as reviewed. The next review is on " + sop.NextReviewOn.Format("2 Jan 2006") + "."
	}
	return ""
}

func (s *Pages) PageSOPBoard(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	b, err := s.Sops.Board(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	return s.Render(c, "sop_board.html", kit.Page{Title: "Operating model · " + b.Team.Name, Nav: "teams",
		Data: struct {
			sopUI
			*sops.Board
		}{sopUIData, b}})
}

func (s *Pages) PageSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.Sops.Detail(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	return s.Render(c, "sop.html", kit.Page{Title: d.Doc.Title, Nav: "teams", Flash: s.sopFlash(c, d.Doc.SOP),
		Data: struct {
			sopUI
			Doc       sops.Doc
			HTML      sopHTML
			Revisions []app.SOPRevision
			CanLead   bool
		}{sopUIData, d.Doc, renderSOP(&d.Doc.SOPFields), d.Revisions, d.Access.CanLead()}})
}

func (s *Pages) PageSOPRevision(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.Sops.Revision(c.UserContext(), kit.Actor(c), id, kit.ParamRevision(c))
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, comp := range d.Framework.Competencies {
		names[comp.Key] = comp.Name
	}
	return s.Render(c, "sop_revision.html", kit.Page{Title: d.SOP.Title + " · revision " + strconv.Itoa(d.Revision.Revision), Nav: "teams",
		Data: struct {
			sopUI
			SOP       *app.SOP
			Rev       *app.SOPRevision
			HTML      sopHTML
			Diff      []app.SOPChange
			CompNames map[string]string
			CanLead   bool
		}{sopUIData, d.SOP, d.Revision, renderSOP(&d.Revision.SOPFields), d.Diff, names, d.Access.CanLead()}})
}

func (s *Pages) PageReviewSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Sops.Review(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect(sopPath(id)+"?reviewed=1", fiber.StatusSeeOther)
}

func (s *Pages) PageRestoreSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	rev := kit.ParamRevision(c)
	base := func() (int, error) {
		base, _ := strconv.Atoi(c.FormValue("revision"))
		return base, nil
	}
	if _, err := s.Sops.Restore(c.UserContext(), kit.Actor(c), id, rev, base); err != nil {
		return err
	}
	return c.Redirect(sopPath(id)+"?restored="+strconv.Itoa(rev), fiber.StatusSeeOther)
}

// sopForm is the editor: the fields as entered, with spare rows for more competencies and
// handshakes, and what to choose from.
type sopForm struct {
	sopUI
	Team     *app.Team
	SOP      *app.SOP // nil for a new SOP
	Action   string
	F        app.SOPFields
	OwnerID  int64
	Steps    string
	Revision int
	Comps    []app.SOPCompetency
	Hands    []app.SOPHandshake
	Owners   []app.TeamPerson
	Areas    []app.Area
	Levels   []app.ScaleLevel
	Error    string
	ErrField string
	Conflict bool
}

// Spare empty rows the editor shows below the filled ones (more need JS or a save).
const spareCompRows, spareHandRows = 3, 2

// isFormError reports whether err is shown above the editor (invalid input or a conflicting
// save); any other error is answered as such.
func isFormError(err error) bool {
	code := app.ErrorCode(err)
	return code == app.EINVALID || code == app.ECONFLICT
}

// renderSOPForm renders the editor with f, based on revision; formErr, if any, is shown
// above the form.
func (s *Pages) renderSOPForm(c *fiber.Ctx, ed *sops.Editor, f app.SOPFields, revision int, formErr error) error {
	v := sopForm{sopUI: sopUIData, Team: ed.Team, SOP: ed.SOP, F: f, Steps: strings.Join(f.Steps, "\n"),
		Revision: revision, Owners: ed.Owners, Areas: ed.Areas, Levels: app.Scale[1:]}
	v.Action = "/teams/" + strconv.FormatInt(ed.Team.ID, 10) + "/sops"
	title := "New SOP · " + ed.Team.Name
	if ed.SOP != nil {
		v.Action, title = sopPath(ed.SOP.ID)+"/edit", "Edit · "+ed.SOP.Title
	}
	if f.OwnerID != nil {
		v.OwnerID = *f.OwnerID
	}
	v.Comps = append(append(v.Comps, f.Competencies...), make([]app.SOPCompetency, spareCompRows)...)
	v.Hands = append(append(v.Hands, f.Handshakes...), make([]app.SOPHandshake, spareHandRows)...)
	status := fiber.StatusOK
	if formErr != nil {
		code := app.ErrorCode(formErr)
		status = kit.StatusOf[code]
		v.Error, v.ErrField, v.Conflict = app.ErrorMessage(formErr), app.ErrorField(formErr), code == app.ECONFLICT
	}
	return s.RenderStatus(c, status, "sop_form.html", kit.Page{Title: title, Nav: "teams", Data: v})
}

func (s *Pages) PageNewSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	ed, err := s.Sops.NewEditor(c.UserContext(), kit.Actor(c), id, c.Query("category"))
	if err != nil {
		return err
	}
	return s.renderSOPForm(c, ed, ed.Fields, ed.Revision, nil)
}

func (s *Pages) PageCreateSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	f, _, err := sopFromForm(c)
	if err == nil {
		var sop *app.SOP
		if sop, err = s.Sops.Create(c.UserContext(), kit.Actor(c), id, f); err == nil {
			return c.Redirect(sopPath(sop.ID)+"?created=1", fiber.StatusSeeOther)
		}
	}
	if !isFormError(err) {
		return err
	}
	ed, edErr := s.Sops.NewEditor(c.UserContext(), kit.Actor(c), id, "")
	if edErr != nil {
		return edErr
	}
	return s.renderSOPForm(c, ed, f, 0, err)
}

func (s *Pages) PageEditSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	ed, err := s.Sops.Editor(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	return s.renderSOPForm(c, ed, ed.Fields, ed.Revision, nil)
}

func (s *Pages) PageUpdateSOP(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	f, base, formErr := sopFromForm(c)
	if formErr == nil && base < 1 {
		formErr = app.Invalid("revision", "The form lacks the revision it was based on; reload the editor.")
	}
	_, err = s.Sops.Update(c.UserContext(), kit.Actor(c), id, func() (sops.Edit, error) {
		return sops.Edit{Base: base, Fields: f}, formErr
	})
	if err == nil {
		return c.Redirect(sopPath(id)+"?saved=1", fiber.StatusSeeOther)
	}
	if !isFormError(err) {
		return err
	}
	ed, edErr := s.Sops.Editor(c.UserContext(), kit.Actor(c), id)
	if edErr != nil {
		return edErr
	}
	// On a conflict the form keeps what was typed and is now based on the current revision:
	// saving again overwrites the other edit knowingly, after looking at it.
	if app.ErrorCode(err) == app.ECONFLICT {
		base = ed.Revision
	}
	return s.renderSOPForm(c, ed, f, base, err)
}

// sopFromForm reads the editor's fields: steps one per line, competencies and handshakes as
// repeated row inputs (blank rows skipped). It returns the revision the edit is based on.
func sopFromForm(c *fiber.Ctx) (app.SOPFields, int, error) {
	f := app.SOPFields{
		Category: c.FormValue("category"), Title: c.FormValue("title"), Purpose: c.FormValue("purpose"),
		Trigger: c.FormValue("trigger"), Steps: strings.Split(c.FormValue("steps"), "\n"),
		Outputs: c.FormValue("outputs"), DecisionRights: c.FormValue("decision_rights"),
		Escalation: c.FormValue("escalation"), Metrics: c.FormValue("metrics"), Maturity: c.FormValue("maturity"),
	}
	var errs []error
	if v := strings.TrimSpace(c.FormValue("owner_id")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs = append(errs, app.Invalid("owner_id", "Choose the owner from the list."))
		}
		f.OwnerID = &id
	}
	var err error
	if f.ReviewEveryDays, err = strconv.Atoi(strings.TrimSpace(c.FormValue("review_every_days"))); err != nil {
		errs = append(errs, app.Invalid("review_every_days", "Enter the review cadence as a number of days (1 to %d).", app.SOPMaxCadence))
	}
	args := c.Request().PostArgs()
	multi := func(name string, i int) string {
		vs := args.PeekMulti(name)
		if i < len(vs) {
			return strings.TrimSpace(string(vs[i]))
		}
		return ""
	}
	for i := range args.PeekMulti("competency") {
		key, lv := multi("competency", i), multi("level", i)
		if key == "" && lv == "" {
			continue
		}
		level, _ := strconv.Atoi(lv) // not a number: level 0, refused by validation
		f.Competencies = append(f.Competencies, app.SOPCompetency{Competency: key, Level: level})
	}
	for i := range args.PeekMulti("hs_partner") {
		h := app.SOPHandshake{Partner: multi("hs_partner", i), Purpose: multi("hs_purpose", i),
			Expectations: multi("hs_expectations", i), Contact: multi("hs_contact", i)}
		if h != (app.SOPHandshake{}) {
			f.Handshakes = append(f.Handshakes, h)
		}
	}
	revision, _ := strconv.Atoi(c.FormValue("revision"))
	return f, revision, errors.Join(errs...)
}
