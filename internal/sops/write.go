package sops

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
)

// Create creates an SOP in a team the actor leads (or any team, for an admin). Its first
// review is due today + its cadence.
func (s *Service) Create(ctx context.Context, a *app.Actor, teamID int64, f app.SOPFields) (*app.SOP, error) {
	if _, err := s.leadTeam(ctx, a, teamID); err != nil {
		return nil, err
	}
	if err := s.validate(ctx, a, teamID, &f); err != nil {
		return nil, err
	}
	today := s.today()
	sop, err := s.store.CreateSOP(ctx, a.OrgID, teamID, a.UserID, f, today)
	if err != nil {
		return nil, err
	}
	sop.SetReviewStatus(today)
	return sop, nil
}

// Edit is an edit of an SOP: its fields and the revision the edit is based on.
type Edit struct {
	Base   int
	Fields app.SOPFields
}

// Update saves an edit as the next revision of the SOP: if another save came in since the
// revision the edit is based on, ECONFLICT. Leaders of the team and admins only. read
// reads the edit (decodes the request) and is called only once the actor may edit the
// SOP, so that nobody else learns anything from how their input is judged.
func (s *Service) Update(ctx context.Context, a *app.Actor, id int64, read func() (Edit, error)) (*app.SOP, error) {
	sop, _, err := s.find(ctx, a, id, true)
	if err != nil {
		return nil, err
	}
	in, err := read()
	if err != nil {
		return nil, err
	}
	if in.Base < 1 {
		return nil, app.Invalid("revision", "Send the revision your edit is based on (from GET).")
	}
	return s.save(ctx, a, sop, in.Base, in.Fields, 0)
}

// Restore saves revision rev's content as the next revision of the SOP. Restoring the
// current revision is EINVALID; a revision that is not there (rev < 1 included) is
// ENOTFOUND. Leaders of the team and admins only. readBase reads the revision the caller
// saw as current (0: no check), once the actor may edit the SOP and rev is a revision
// number, as Update's read.
func (s *Service) Restore(ctx context.Context, a *app.Actor, id int64, rev int, readBase func() (int, error)) (*app.SOP, error) {
	sop, _, err := s.find(ctx, a, id, true)
	if err != nil {
		return nil, err
	}
	if rev < 1 {
		return nil, app.ErrNotFound("Revision")
	}
	base, err := readBase()
	if err != nil {
		return nil, err
	}
	old, err := s.store.FindSOPRevision(ctx, sop.ID, rev)
	if err != nil {
		return nil, err
	}
	if rev == sop.Revision {
		return nil, app.Invalid("revision", "Revision %d is the current one; there is nothing to restore.", rev)
	}
	return s.save(ctx, a, sop, base, old.SOPFields, rev)
}

// Review records a review today: the next review is today + the cadence. Leaders of the
// team and admins only.
func (s *Service) Review(ctx context.Context, a *app.Actor, id int64) (*app.SOP, error) {
	sop, _, err := s.find(ctx, a, id, true)
	if err != nil {
		return nil, err
	}
	today := s.today()
	saved, err := s.store.ReviewSOP(ctx, a.OrgID, sop.ID, a.UserID, today)
	if err != nil {
		return nil, err
	}
	saved.SetReviewStatus(today)
	return saved, nil
}

// save validates f and saves it as the next revision of the SOP, based on revision base
// (0: no check; restoredFrom > 0 marks a restore).
func (s *Service) save(ctx context.Context, a *app.Actor, sop *app.SOP, base int, f app.SOPFields, restoredFrom int) (*app.SOP, error) {
	if err := s.validate(ctx, a, sop.TeamID, &f); err != nil {
		return nil, err
	}
	upd := app.SOPUpdate{BaseRevision: base, AuthorID: a.UserID, Fields: f, RestoredFrom: restoredFrom}
	saved, err := s.store.UpdateSOP(ctx, a.OrgID, sop.ID, upd)
	if err != nil {
		return nil, err
	}
	saved.SetReviewStatus(s.today())
	return saved, nil
}

// validate checks the fields against the organisation's framework and the team's people.
func (s *Service) validate(ctx context.Context, a *app.Actor, teamID int64, f *app.SOPFields) error {
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return err
	}
	people, err := s.store.FindTeamPeople(ctx, teamID)
	if err != nil {
		return err
	}
	ids := map[int64]bool{}
	for _, p := range owners(people) {
		ids[p.UserID] = true
	}
	return app.ValidateSOP(f, fw, ids)
}

// owners are the people of a team who may own its SOPs: its leaders and members.
func owners(people []app.TeamPerson) []app.TeamPerson {
	var out []app.TeamPerson
	for _, p := range people {
		if p.TeamRole == app.TeamLeader || p.TeamRole == app.TeamMember {
			out = append(out, p)
		}
	}
	return out
}

// Editor is what the SOP editor offers: the fields to start from and what to choose from.
type Editor struct {
	Team     *app.Team
	SOP      *app.SOP      // the SOP edited, nil for a new one
	Fields   app.SOPFields // a new SOP's defaults, or the SOP's current fields
	Revision int           // the revision an edit is based on (0 for a new SOP)
	Owners   []app.TeamPerson
	Areas    []app.Area // the framework's areas with their competencies
}

// NewEditor is the editor of a new SOP of the team, in the category if one is given: a
// draft reviewed every 90 days, owned by the actor if they lead the team. Leaders of the
// team and admins only.
func (s *Service) NewEditor(ctx context.Context, a *app.Actor, teamID int64, category string) (*Editor, error) {
	acc, err := s.leadTeam(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	f := app.SOPFields{Category: category, Maturity: "draft", ReviewEveryDays: 90}
	if acc.Role == app.TeamLeader {
		me := a.UserID
		f.OwnerID = &me
	}
	return s.editor(ctx, a, teamID, nil, f, 0)
}

// Editor is the editor of an SOP at its current revision. Leaders of the team and
// admins only.
func (s *Service) Editor(ctx context.Context, a *app.Actor, id int64) (*Editor, error) {
	sop, _, err := s.find(ctx, a, id, true)
	if err != nil {
		return nil, err
	}
	return s.editor(ctx, a, sop.TeamID, sop, sop.SOPFields, sop.Revision)
}

func (s *Service) editor(ctx context.Context, a *app.Actor, teamID int64, sop *app.SOP, f app.SOPFields, revision int) (*Editor, error) {
	team, err := s.store.FindTeamByID(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	people, err := s.store.FindTeamPeople(ctx, teamID)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	return &Editor{Team: team, SOP: sop, Fields: f, Revision: revision, Owners: owners(people), Areas: fw.Areas}, nil
}
