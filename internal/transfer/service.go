package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/invitations"
)

// Service imports and exports skill matrices for the HTTP layer (API and pages alike).
type Service struct {
	store   app.Store
	invites *invitations.Service
	now     func() time.Time
	// Workers bounds the parallel hashing of new people's passwords (0: one per CPU).
	Workers int
}

// New returns the service over the store; invites prepares the invitations of imports
// that invite people without an account.
func New(store app.Store, invites *invitations.Service, now func() time.Time) *Service {
	return &Service{store: store, invites: invites, now: now}
}

// Options are the choices of an import beyond its file and team.
type Options struct {
	// InviteUnknown: people the file names who have no account in the organisation are
	// invited by e-mail (role PM, into the row's team), in the import's transaction,
	// instead of being refused (a leader's import) or created with one-time passwords
	// (an admin's). Their rows must leave title, background and levels empty.
	InviteUnknown bool
}

// Hash is the SHA-256 of a file, hex: the preview returns it and the import checks it.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// team returns the team a leader imports into or exports: the caller must lead it (or
// be an admin). Without a team (teamID 0), only an admin imports organisation-wide.
func (s *Service) team(ctx context.Context, a *app.Actor, teamID int64) (*app.Team, error) {
	if teamID == 0 {
		if a.Role != app.RoleAdmin {
			return nil, app.Invalid("team_id", "Choose the team you lead: leaders import into their own team.")
		}
		return nil, nil
	}
	if err := app.RequireLead(ctx, s.store, a, teamID); err != nil {
		return nil, err
	}
	return s.store.FindTeamByID(ctx, a, teamID)
}

// Preview parses and plans a file without writing anything.
func (s *Service) Preview(ctx context.Context, a *app.Actor, teamID int64, data []byte, opt Options) (*app.ImportPlan, error) {
	team, err := s.team(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	t, err := ParseMatrix(data)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	var emails []string
	if i := t.Column(ColEmail); i >= 0 {
		for _, r := range t.Rows {
			if e := strings.ToLower(Unneutralise(strings.TrimSpace(r.Cell(i)))); e != "" {
				emails = append(emails, e)
			}
		}
	}
	st, err := s.store.FindImportState(ctx, a.OrgID, emails)
	if err != nil {
		return nil, err
	}
	in := PlanInput{Actor: a, Team: team, Framework: fw, State: st, Hash: Hash(data), InviteUnknown: opt.InviteUnknown}
	var failed error // a fault (not a refusal) while asking the rule
	if opt.InviteUnknown {
		in.MayInvite = s.mayInvite(ctx, a, &failed)
	}
	plan := Plan(t, in)
	if failed != nil {
		return nil, failed
	}
	return plan, nil
}

// mayInvite is the invitations' rule for inviting a PM into a team (nil: none), asked
// once per team of a file. A refusal is the row's problem; a fault (the database) is
// kept in *failed and fails the preview.
func (s *Service) mayInvite(ctx context.Context, a *app.Actor, failed *error) func(teamID *int64) error {
	seen := map[int64]error{}
	return func(teamID *int64) error {
		var key int64
		if teamID != nil {
			key = *teamID
		}
		err, ok := seen[key]
		if !ok {
			err = s.invites.MayInvite(ctx, a, app.RolePM, teamID)
			seen[key] = err
			switch app.ErrorCode(err) {
			case "", app.EINVALID, app.EFORBIDDEN, app.ENOTFOUND:
			default:
				if *failed == nil {
					*failed = err
				}
			}
		}
		return err
	}
}

// ProblemsError is the error of an import whose file has problems; the plan lists them.
func ProblemsError(p *app.ImportPlan) error {
	first := p.Problems[0]
	return app.Invalid(fmt.Sprintf("row %d, column %s", first.Row, first.Column),
		"The file has %d problem(s); nothing was imported. Row %d, column %s: %s", p.Summary.Problems, first.Row, first.Column, first.Message)
}

// Import applies a previewed file all or nothing. hash must be the preview's: a file that
// changed since is refused. New people get one-time passwords, returned once here;
// invited people (opt.InviteUnknown) get their e-mails through the outbox once the
// import has committed. On problems it returns the plan with ProblemsError.
func (s *Service) Import(ctx context.Context, a *app.Actor, teamID int64, data []byte, hash string, opt Options) (*app.ImportPlan, *app.ImportResult, error) {
	if strings.TrimSpace(hash) == "" {
		return nil, nil, app.Invalid("hash", "Preview the file first, then confirm with the hash the preview returned.")
	}
	if !strings.EqualFold(strings.TrimSpace(hash), Hash(data)) {
		return nil, nil, &app.Error{Code: app.ECONFLICT, Field: "hash", Message: "This file differs from the one previewed; preview it again before importing."}
	}
	plan, err := s.Preview(ctx, a, teamID, data, opt)
	if err != nil {
		return nil, nil, err
	}
	if !plan.OK() {
		return plan, nil, ProblemsError(plan)
	}
	var otps []string
	var newPeople []*app.ImportPersonPlan
	for i := range plan.People {
		if plan.People[i].New {
			newPeople = append(newPeople, &plan.People[i])
			otps = append(otps, auth.RandomPassword())
		}
	}
	hashes, err := auth.HashPasswords(ctx, otps, s.Workers)
	if err != nil {
		return nil, nil, err
	}
	for i, pp := range newPeople {
		pp.PasswordHash = hashes[i]
	}
	if plan.Invitations, err = s.prepareInvitations(ctx, a, plan); err != nil {
		return nil, nil, err
	}
	if err := s.store.ApplyImport(ctx, plan); err != nil {
		return nil, nil, err
	}
	res := &app.ImportResult{Summary: plan.Summary, TeamID: plan.TeamID, TeamName: plan.TeamName,
		Credentials: []app.ImportCredential{}, Invitations: []app.ImportInvitation{}}
	for i, pp := range newPeople {
		res.Credentials = append(res.Credentials, app.ImportCredential{UserID: pp.UserID, Email: pp.Email, Name: pp.Name, OneTimePassword: otps[i]})
	}
	for _, ni := range plan.Invitations {
		inv := ni.Invitation
		res.Invitations = append(res.Invitations, app.ImportInvitation{ID: inv.ID, Email: inv.Email, Name: inv.Name,
			TeamID: inv.TeamID, TeamName: deref(inv.TeamName)})
	}
	return plan, res, nil
}

// prepareInvitations turns the plan's Invite rows into invitations (role PM, the row's
// team) through the invitations service, which checks the actor's right again.
func (s *Service) prepareInvitations(ctx context.Context, a *app.Actor, plan *app.ImportPlan) ([]app.NewInvitation, error) {
	var ins []invitations.Input
	for _, pp := range plan.People {
		if !pp.Invite {
			continue
		}
		in := invitations.Input{Email: pp.Email, Name: pp.Name, Role: app.RolePM}
		if pp.JoinTeamID != 0 {
			team := pp.JoinTeamID
			in.TeamID = &team
		}
		ins = append(ins, in)
	}
	if len(ins) == 0 {
		return nil, nil
	}
	return s.invites.Prepare(ctx, a, ins)
}

// ExportMatrix writes the team's matrix of effective ratings as CSV in the import format
// (active members, active competencies; a competency out of a person's scope is empty),
// so that the file imports back without change. Leaders of the team and admins only.
func (s *Service) ExportMatrix(ctx context.Context, a *app.Actor, teamID int64, w io.Writer) (*app.Team, error) {
	team, err := s.team(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	if team == nil {
		return nil, app.ErrNotFound("Team")
	}
	lt, err := insight.LoadTeam(ctx, s.store, a.OrgID, teamID, s.now())
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(lt.Members))
	for i, m := range lt.Members {
		ids[i] = m.UserID
	}
	profiles, err := s.store.FindProfiles(ctx, ids)
	if err != nil {
		return nil, err
	}
	levels := map[int64]map[string]int{}
	for _, r := range lt.Ratings {
		if levels[r.UserID] == nil {
			levels[r.UserID] = map[string]int{}
		}
		levels[r.UserID][r.Competency] = r.Level
	}
	comps := lt.Framework.Active()
	header := append([]string{}, FixedColumns...)
	for _, c := range comps {
		header = append(header, c.Key)
	}
	rows := make([][]string, 0, len(lt.Members))
	for _, m := range lt.Members {
		title := deref(m.Title)
		row := []string{m.Email, m.Name, title, profiles[m.UserID].BackgroundKey(), team.Name}
		for _, c := range comps {
			cell := ""
			if l, ok := levels[m.UserID][c.Key]; ok && c.InScopeFor(title) {
				cell = fmt.Sprint(l)
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	return team, WriteMatrix(w, header, rows)
}
