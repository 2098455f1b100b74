package http

import (
	"cmp"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// sopRoutes: leaders of the team and admins do everything; the team's PMs read; its HR
// partners see the board summary and the handshakes with HR. Outside the team: 404.
func (s *Server) sopRoutes() []Route {
	return []Route{
		{Method: get, Path: "/api/v1/teams/:id/sops", Roles: anyone, Handler: s.handleSOPBoard},
		{Method: post, Path: "/api/v1/teams/:id/sops", Roles: leaders, Handler: s.handleCreateSOP},
		{Method: get, Path: "/api/v1/sops/due", Roles: leadersPM, Handler: s.handleSOPsDue},
		{Method: get, Path: "/api/v1/sops/:id", Roles: leadersPM, Handler: s.handleGetSOP},
		{Method: put, Path: "/api/v1/sops/:id", Roles: leaders, Handler: s.handleUpdateSOP},
		{Method: get, Path: "/api/v1/sops/:id/revisions", Roles: leadersPM, Handler: s.handleSOPRevisions},
		{Method: get, Path: "/api/v1/sops/:id/revisions/:rev", Roles: leadersPM, Handler: s.handleSOPRevision},
		{Method: post, Path: "/api/v1/sops/:id/revisions/:rev/restore", Roles: leaders, Handler: s.handleRestoreSOP},
		{Method: post, Path: "/api/v1/sops/:id/review", Roles: leaders, Handler: s.handleReviewSOP},
		{Method: get, Path: "/teams/:id/sops", Roles: anyone, Handler: s.pageSOPBoard},
		{Method: get, Path: "/teams/:id/sops/new", Roles: leaders, Handler: s.pageNewSOP},
		{Method: post, Path: "/teams/:id/sops", Roles: leaders, Handler: s.pageCreateSOP},
		{Method: get, Path: "/sops/:id", Roles: leadersPM, Handler: s.pageSOP},
		{Method: get, Path: "/sops/:id/edit", Roles: leaders, Handler: s.pageEditSOP},
		{Method: post, Path: "/sops/:id/edit", Roles: leaders, Handler: s.pageUpdateSOP},
		{Method: get, Path: "/sops/:id/revisions/:rev", Roles: leadersPM, Handler: s.pageSOPRevision},
		{Method: post, Path: "/sops/:id/revisions/:rev/restore", Roles: leaders, Handler: s.pageRestoreSOP},
		{Method: post, Path: "/sops/:id/review", Roles: leaders, Handler: s.pageReviewSOP},
	}
}

// sopDoc is an SOP as the API returns it: GET gives it, PUT takes it back whole (the
// read-only fields, staffing included, are ignored).
type sopDoc struct {
	*app.SOP
	Staffing *staffingView `json:"staffing,omitempty"`
}

// staffingView is the staffing check of one SOP; names only for leaders and admins.
type staffingView struct {
	Status       string            `json:"status"` // staffed, fragile, unstaffed, unlinked
	Competencies []staffingRow     `json:"competencies"`
	SinglePoints []singlePointView `json:"single_points_of_failure,omitempty"`
}

type staffingRow struct {
	Competency string   `json:"competency"`
	Name       string   `json:"name"`
	Level      int      `json:"level"`
	Count      int      `json:"count"` // members at the level or above
	Status     string   `json:"status"`
	People     []string `json:"people,omitempty"`
	// Withheld: fewer than three team members are rated in the competency, so this viewer
	// gets no count (the disclosure rule); Count is 0 and Status "withheld".
	Withheld bool `json:"withheld,omitempty"`
}

// statusWithheld is the staffing status of a requirement (or of an SOP all of whose
// requirements are) withheld by the disclosure rule.
const statusWithheld = "withheld"

type singlePointView struct {
	Name         string   `json:"name"`
	Competencies []string `json:"competencies"`
}

// sopCategory is one category of a team's board. SOPs is for readers only.
type sopCategory struct {
	Category string         `json:"category"`
	Label    string         `json:"label"`
	Counts   map[string]int `json:"counts"` // by maturity, every maturity present
	Total    int            `json:"total"`
	InUse    bool           `json:"in_use"` // some SOP is adopted or measured
	SOPs     []sopDoc       `json:"-"`
}

// hrHandshake is a handshake with HR, all an HR partner sees of an SOP beyond the counts.
type hrHandshake struct {
	Category string `json:"category"`
	app.SOPHandshake
}

// sopBoard is a team's operating-model board.
type sopBoard struct {
	Team    *app.Team
	Access  app.TeamAccess
	Summary []sopCategory
	// For leaders, PMs and admins:
	SOPs []sopDoc
	Due  []sopDoc // next review within SOPDueListDays (or overdue), soonest first
	// For HR partners:
	HRHandshakes []hrHandshake
	// Counts for the headline.
	Total, InUse, Overdue, DueSoon int
	Covered                        int // categories with an SOP in use
}

// today is the server's calendar day.
func (s *Server) today() time.Time { return app.Day(s.now()) }

// loadBoard loads a team's board as the caller may see it.
func (s *Server) loadBoard(c *fiber.Ctx, teamID int64) (*sopBoard, error) {
	a, ctx := actor(c), c.UserContext()
	acc, err := s.store.TeamAccess(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	team, err := s.store.FindTeamByID(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	sops, err := s.store.FindSOPs(ctx, app.SOPFilter{OrgID: a.OrgID, TeamIDs: []int64{teamID}})
	if err != nil {
		return nil, err
	}
	b := &sopBoard{Team: team, Access: acc, Total: len(sops)}
	byCat := map[string]*sopCategory{}
	for _, o := range app.SOPCategories {
		b.Summary = append(b.Summary, sopCategory{Category: o.Key, Label: o.Label, Counts: map[string]int{}})
	}
	for i := range b.Summary {
		for _, m := range app.SOPMaturities {
			b.Summary[i].Counts[m.Key] = 0
		}
		byCat[b.Summary[i].Category] = &b.Summary[i]
	}
	for i := range sops {
		sop := &sops[i]
		cat := byCat[sop.Category]
		cat.Counts[sop.Maturity]++
		cat.Total++
		if app.SOPInUse(sop.Maturity) {
			cat.InUse = true
			b.InUse++
		}
	}
	for _, cat := range b.Summary {
		if cat.InUse {
			b.Covered++
		}
	}
	if !acc.CanReadSOPs() {
		for _, sop := range sops {
			for _, h := range sop.Handshakes {
				if h.Partner == app.SOPPartnerHR {
					b.HRHandshakes = append(b.HRHandshakes, hrHandshake{Category: sop.Category, SOPHandshake: h})
				}
			}
		}
		return b, nil
	}
	b.SOPs = make([]sopDoc, len(sops))
	for i := range sops {
		sops[i].SetReviewStatus(s.today())
		b.SOPs[i] = sopDoc{SOP: &sops[i]}
	}
	if err := s.staffSOPs(c, acc, teamID, b.SOPs); err != nil {
		return nil, err
	}
	dueBy := s.today().AddDate(0, 0, app.SOPDueListDays)
	for _, d := range b.SOPs {
		byCat[d.Category].SOPs = append(byCat[d.Category].SOPs, d)
		switch {
		case d.ReviewStatus == app.SOPReviewOverdue:
			b.Overdue++
		case d.ReviewStatus == app.SOPReviewDue:
			b.DueSoon++
		}
		if !app.Day(d.NextReviewOn).After(dueBy) {
			b.Due = append(b.Due, d)
		}
	}
	slices.SortStableFunc(b.Due, func(x, y sopDoc) int { return x.NextReviewOn.Compare(y.NextReviewOn) })
	return b, nil
}

// staffSOPs runs the staffing check of each SOP against the team's members and their
// effective ratings today. Names are only for those who may see individuals.
func (s *Server) staffSOPs(c *fiber.Ctx, acc app.TeamAccess, teamID int64, docs []sopDoc) error {
	if len(docs) == 0 {
		return nil
	}
	t, err := insight.LoadTeam(c.UserContext(), s.store, actor(c).OrgID, teamID, s.now())
	if err != nil {
		return err
	}
	withNames := acc.CanSeeIndividuals()
	// Viewers who may not see individuals are checked against the disclosed part of the
	// team only: a competency fewer than three are rated in is shown as withheld.
	view := t.For(withNames)
	hidden := view.WithheldKeys()
	names := map[int64]string{}
	for _, m := range t.Members {
		names[m.UserID] = m.Name
	}
	compName := func(key string) string {
		if comp := t.Framework.ByKey(key); comp != nil {
			return comp.Name
		}
		return key
	}
	for i := range docs {
		var reqs []shape.Requirement
		for _, l := range docs[i].Competencies {
			if !hidden[l.Competency] {
				reqs = append(reqs, shape.Requirement{Competency: l.Competency, Level: l.Level})
			}
		}
		st := shape.Staff(view.Input, reqs)
		v := &staffingView{Status: st.Status, Competencies: []staffingRow{}}
		if len(reqs) == 0 && len(docs[i].Competencies) > 0 {
			v.Status = statusWithheld
		}
		next := 0
		for _, l := range docs[i].Competencies {
			if hidden[l.Competency] {
				v.Competencies = append(v.Competencies, staffingRow{Competency: l.Competency, Name: compName(l.Competency),
					Level: l.Level, Status: statusWithheld, Withheld: true})
				continue
			}
			r := st.Requirements[next]
			next++
			row := staffingRow{Competency: r.Competency, Name: compName(r.Competency), Level: r.Level, Count: len(r.People), Status: r.Status}
			if withNames {
				row.People = []string{}
				for _, id := range r.People {
					row.People = append(row.People, names[id])
				}
			}
			v.Competencies = append(v.Competencies, row)
		}
		if withNames {
			for _, sp := range st.SinglePoints {
				p := singlePointView{Name: sp.Name}
				for _, k := range sp.Competencies {
					p.Competencies = append(p.Competencies, compName(k))
				}
				v.SinglePoints = append(v.SinglePoints, p)
			}
		}
		docs[i].Staffing = v
	}
	return nil
}

// findSOP loads an SOP the caller may read (lead: may edit). An SOP of a team the caller
// is not in is ENOTFOUND; its HR partners get EFORBIDDEN.
func (s *Server) findSOP(c *fiber.Ctx, lead bool) (*app.SOP, app.TeamAccess, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, app.TeamAccess{}, err
	}
	a, ctx := actor(c), c.UserContext()
	sop, err := s.store.FindSOPByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, app.TeamAccess{}, err
	}
	acc, err := s.store.TeamAccess(ctx, a, sop.TeamID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, acc, app.ErrNotFound("SOP")
	} else if err != nil {
		return nil, acc, err
	}
	if !acc.CanReadSOPs() || (lead && !acc.CanLead()) {
		return nil, acc, app.ErrForbidden
	}
	sop.SetReviewStatus(s.today())
	return sop, acc, nil
}

// findSOPDoc is findSOP with the staffing check.
func (s *Server) findSOPDoc(c *fiber.Ctx) (sopDoc, app.TeamAccess, error) {
	sop, acc, err := s.findSOP(c, false)
	if err != nil {
		return sopDoc{}, acc, err
	}
	docs := []sopDoc{{SOP: sop}}
	if err := s.staffSOPs(c, acc, sop.TeamID, docs); err != nil {
		return sopDoc{}, acc, err
	}
	return docs[0], acc, nil
}

// validateSOP checks the fields against the organisation's framework and the team's people.
func (s *Server) validateSOP(c *fiber.Ctx, teamID int64, f *app.SOPFields) error {
	ctx := c.UserContext()
	fw, err := s.store.FindFramework(ctx, actor(c).OrgID)
	if err != nil {
		return err
	}
	people, err := s.store.FindTeamPeople(ctx, teamID)
	if err != nil {
		return err
	}
	owners := map[int64]bool{}
	for _, p := range people {
		if p.TeamRole == app.TeamLeader || p.TeamRole == app.TeamMember {
			owners[p.UserID] = true
		}
	}
	return app.ValidateSOP(f, fw, owners)
}

// createSOP creates an SOP in a team the caller leads.
func (s *Server) createSOP(c *fiber.Ctx, teamID int64, f app.SOPFields) (*app.SOP, error) {
	a := actor(c)
	acc, err := s.store.TeamAccess(c.UserContext(), a, teamID)
	if err != nil {
		return nil, err
	}
	if !acc.CanLead() {
		return nil, app.ErrForbidden
	}
	if err := s.validateSOP(c, teamID, &f); err != nil {
		return nil, err
	}
	return s.store.CreateSOP(c.UserContext(), a.OrgID, teamID, a.UserID, f, s.today())
}

// updateSOP saves f as the next revision of the SOP, based on revision base (0: no check;
// restoredFrom > 0 marks a restore).
func (s *Server) updateSOP(c *fiber.Ctx, sop *app.SOP, base int, f app.SOPFields, restoredFrom int) (*app.SOP, error) {
	if err := s.validateSOP(c, sop.TeamID, &f); err != nil {
		return nil, err
	}
	a := actor(c)
	upd := app.SOPUpdate{BaseRevision: base, AuthorID: a.UserID, Fields: f, RestoredFrom: restoredFrom}
	return s.store.UpdateSOP(c.UserContext(), a.OrgID, sop.ID, upd)
}

// restoreSOP saves revision rev's content as a new revision.
func (s *Server) restoreSOP(c *fiber.Ctx, sop *app.SOP, rev, base int) (*app.SOP, error) {
	old, err := s.store.FindSOPRevision(c.UserContext(), sop.ID, rev)
	if err != nil {
		return nil, err
	}
	if rev == sop.Revision {
		return nil, app.Invalid("revision", "Revision %d is the current one; there is nothing to restore.", rev)
	}
	return s.updateSOP(c, sop, base, old.SOPFields, rev)
}

// sopHistory lists the revisions, newest first, each with the fields it changed.
func (s *Server) sopHistory(c *fiber.Ctx, sopID int64) ([]app.SOPRevision, error) {
	revs, err := s.store.FindSOPRevisions(c.UserContext(), sopID)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(revs); i++ {
		revs[i].Changed = app.SOPChangedFields(&revs[i+1], &revs[i])
	}
	return revs, nil
}

// sopRevisionDiff loads revision rev and how the current revision differs from it.
func (s *Server) sopRevisionDiff(c *fiber.Ctx, sop *app.SOP) (*app.SOPRevision, []app.SOPChange, *app.Framework, error) {
	rev, err := paramRevision(c)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx := c.UserContext()
	old, err := s.store.FindSOPRevision(ctx, sop.ID, rev)
	if err != nil {
		return nil, nil, nil, err
	}
	cur, err := s.store.FindSOPRevision(ctx, sop.ID, sop.Revision)
	if err != nil {
		return nil, nil, nil, err
	}
	fw, err := s.store.FindFramework(ctx, actor(c).OrgID)
	if err != nil {
		return nil, nil, nil, err
	}
	return old, app.DiffSOP(old, cur, fw), fw, nil
}

func paramRevision(c *fiber.Ctx) (int, error) {
	rev, err := paramID(c, "rev")
	if err != nil || rev > 1<<30 {
		return 0, app.ErrNotFound("Revision")
	}
	return int(rev), nil
}

func (s *Server) handleSOPBoard(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	b, err := s.loadBoard(c, id)
	if err != nil {
		return err
	}
	if !b.Access.CanReadSOPs() {
		hs := b.HRHandshakes
		if hs == nil {
			hs = []hrHandshake{}
		}
		return data(c, fiber.Map{"team_id": id, "summary": b.Summary, "hr_handshakes": hs})
	}
	due := b.Due
	if due == nil {
		due = []sopDoc{}
	}
	return data(c, fiber.Map{"team_id": id, "summary": b.Summary, "sops": b.SOPs, "due": due})
}

func (s *Server) handleCreateSOP(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f app.SOPFields
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	sop, err := s.createSOP(c, id, f)
	if err != nil {
		return err
	}
	sop.SetReviewStatus(s.today())
	return created(c, sop)
}

func (s *Server) handleGetSOP(c *fiber.Ctx) error {
	doc, _, err := s.findSOPDoc(c)
	if err != nil {
		return err
	}
	return data(c, doc)
}

func (s *Server) handleUpdateSOP(c *fiber.Ctx) error {
	sop, _, err := s.findSOP(c, true)
	if err != nil {
		return err
	}
	in := sopDoc{SOP: &app.SOP{}}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Revision < 1 {
		return app.Invalid("revision", "Send the revision your edit is based on (from GET).")
	}
	saved, err := s.updateSOP(c, sop, in.Revision, in.SOPFields, 0)
	if err != nil {
		return err
	}
	saved.SetReviewStatus(s.today())
	return data(c, saved)
}

func (s *Server) handleSOPRevisions(c *fiber.Ctx) error {
	sop, _, err := s.findSOP(c, false)
	if err != nil {
		return err
	}
	revs, err := s.sopHistory(c, sop.ID)
	if err != nil {
		return err
	}
	return data(c, revs)
}

func (s *Server) handleSOPRevision(c *fiber.Ctx) error {
	sop, _, err := s.findSOP(c, false)
	if err != nil {
		return err
	}
	old, diff, _, err := s.sopRevisionDiff(c, sop)
	if err != nil {
		return err
	}
	if diff == nil {
		diff = []app.SOPChange{}
	}
	return data(c, fiber.Map{"revision": old, "current_revision": sop.Revision, "diff_to_current": diff})
}

func (s *Server) handleRestoreSOP(c *fiber.Ctx) error {
	sop, _, err := s.findSOP(c, true)
	if err != nil {
		return err
	}
	rev, err := paramRevision(c)
	if err != nil {
		return err
	}
	// An optional body {"revision": n} names the revision the caller saw as current.
	var in struct {
		Revision int `json:"revision"`
	}
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	saved, err := s.restoreSOP(c, sop, rev, in.Revision)
	if err != nil {
		return err
	}
	saved.SetReviewStatus(s.today())
	return created(c, saved)
}

func (s *Server) handleReviewSOP(c *fiber.Ctx) error {
	sop, _, err := s.findSOP(c, true)
	if err != nil {
		return err
	}
	a := actor(c)
	saved, err := s.store.ReviewSOP(c.UserContext(), a.OrgID, sop.ID, a.UserID, s.today())
	if err != nil {
		return err
	}
	saved.SetReviewStatus(s.today())
	return data(c, saved)
}

// handleSOPsDue lists the SOPs of the caller's teams whose review is due within
// SOPDueListDays (or overdue), soonest first. HR partners' teams are left out.
func (s *Server) handleSOPsDue(c *fiber.Ctx) error {
	a, ctx := actor(c), c.UserContext()
	teams, err := s.store.FindTeams(ctx, a)
	if err != nil {
		return err
	}
	ids := []int64{}
	for _, t := range teams {
		if (app.TeamAccess{TeamID: t.ID, Role: t.MyRole, Admin: a.Role == app.RoleAdmin}).CanReadSOPs() {
			ids = append(ids, t.ID)
		}
	}
	by := s.today().AddDate(0, 0, app.SOPDueListDays)
	sops, err := s.store.FindSOPs(ctx, app.SOPFilter{OrgID: a.OrgID, TeamIDs: ids, DueBy: &by})
	if err != nil {
		return err
	}
	slices.SortStableFunc(sops, func(x, y app.SOP) int {
		return cmp.Or(x.NextReviewOn.Compare(y.NextReviewOn), cmp.Compare(x.ID, y.ID))
	})
	for i := range sops {
		sops[i].SetReviewStatus(s.today())
	}
	return data(c, sops)
}
