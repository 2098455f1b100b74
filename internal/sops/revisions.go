package sops

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
)

// Revisions lists the revisions of an SOP the actor may read, newest first, each with the
// fields it changed.
func (s *Service) Revisions(ctx context.Context, a *app.Actor, id int64) ([]app.SOPRevision, error) {
	sop, _, err := s.find(ctx, a, id, false)
	if err != nil {
		return nil, err
	}
	return s.history(ctx, sop.ID)
}

// history lists the revisions, newest first, each with the fields it changed.
func (s *Service) history(ctx context.Context, sopID int64) ([]app.SOPRevision, error) {
	revs, err := s.store.FindSOPRevisions(ctx, sopID)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(revs); i++ {
		revs[i].Changed = app.SOPChangedFields(&revs[i+1], &revs[i])
	}
	return revs, nil
}

// RevisionDiff is an old revision of an SOP and how the current revision differs from it.
type RevisionDiff struct {
	SOP       *app.SOP // at its current revision
	Access    app.TeamAccess
	Revision  *app.SOPRevision
	Diff      []app.SOPChange // from Revision to the current one, field by field
	Framework *app.Framework  // the competencies the diff names by key
}

// Revision returns revision rev of an SOP the actor may read and how the current revision
// differs from it. A revision that is not there (rev < 1 included) is ENOTFOUND.
func (s *Service) Revision(ctx context.Context, a *app.Actor, id int64, rev int) (*RevisionDiff, error) {
	sop, acc, err := s.find(ctx, a, id, false)
	if err != nil {
		return nil, err
	}
	if rev < 1 {
		return nil, app.ErrNotFound("Revision")
	}
	old, err := s.store.FindSOPRevision(ctx, sop.ID, rev)
	if err != nil {
		return nil, err
	}
	cur, err := s.store.FindSOPRevision(ctx, sop.ID, sop.Revision)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	return &RevisionDiff{SOP: sop, Access: acc, Revision: old, Diff: app.DiffSOP(old, cur, fw), Framework: fw}, nil
}
