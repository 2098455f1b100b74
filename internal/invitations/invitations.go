// Package invitations lets admins invite people by e-mail (any role, optionally into a
// team) and leaders invite PMs into the teams they lead. The invited person gets a
// one-time link, valid for TTL, through the e-mail outbox; accepting it sets their
// password, creates their account and signs them in. Pending invitations are listed,
// resent (a new link, the old one dead) and revoked. Tokens are stored only hashed.
package invitations

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

// TTL is how long an invitation's link works.
const TTL = 7 * 24 * time.Hour

// Store is what the service needs from storage.
type Store interface {
	app.InvitationStore
	FindOrganisationByID(ctx context.Context, id int64) (*app.Organisation, error)
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
	FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error)
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
}

// Service answers invitation requests.
type Service struct {
	store Store
	mails app.Mailer
	now   func() time.Time
}

// New returns the service over the store; mails renders the e-mails, now is the clock.
func New(store Store, mails app.Mailer, now func() time.Time) *Service {
	return &Service{store: store, mails: mails, now: now}
}

// ErrLink answers an invitation link that is unknown, used, revoked or expired.
var ErrLink = app.Errorf(app.ENOTFOUND, "This invitation link has expired, was already used or was withdrawn. Ask the person who invited you to send a new one; if you joined already, sign in.")

// Input is an invitation as an admin or leader fills it in.
type Input struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	Role   string `json:"role" enum:"admin,leader,pm,hr" description:"The role of the account; leaders invite pm only."`
	TeamID *int64 `json:"team_id" description:"The team the person joins; a leader must give a team they lead."`
}

// validate checks the fields, naming the first that is wrong.
func (in *Input) validate() error {
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		return app.Invalid("email", "Enter a valid e-mail address.")
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		return app.Invalid("name", "Name must be 1 to 200 characters.")
	}
	if !app.ValidRole(in.Role) {
		return app.Invalid("role", "Role must be one of admin, leader, pm, hr.")
	}
	if in.TeamID != nil && *in.TeamID <= 0 {
		in.TeamID = nil
	}
	return nil
}

// Invite creates an invitation and e-mails its link. An admin invites anyone, into any
// team of the organisation or none; a leader invites PMs only, into a team they lead.
// An address with an account in the organisation, or a pending invitation, is ECONFLICT.
func (s *Service) Invite(ctx context.Context, a *app.Actor, in Input) (*app.Invitation, error) {
	prepared, err := s.Prepare(ctx, a, []Input{in})
	if err != nil {
		return nil, err
	}
	p := prepared[0]
	if err := s.store.CreateInvitation(ctx, p.Invitation, p.TokenHash, &p.Mail); err != nil {
		return nil, err
	}
	return s.store.FindInvitationByID(ctx, a.OrgID, p.Invitation.ID)
}

// Prepare checks invitations (the fields, and the actor's right to each, as Invite) and
// returns them ready to store, each with a new token's hash and its e-mail, without
// writing anything: Invite stores one, a CSV import stores many in its own transaction.
// The first bad one's error is returned.
func (s *Service) Prepare(ctx context.Context, a *app.Actor, ins []Input) ([]app.NewInvitation, error) {
	out := make([]app.NewInvitation, 0, len(ins))
	var org *app.Organisation
	type grant struct {
		role string
		team int64
	}
	allowed := map[grant]bool{} // checked already: an import's rows share a role and a few teams
	teamNames := map[int64]string{}
	for _, in := range ins {
		if err := in.validate(); err != nil {
			return nil, err
		}
		g := grant{role: in.Role}
		if in.TeamID != nil {
			g.team = *in.TeamID
		}
		if !allowed[g] {
			if err := s.MayInvite(ctx, a, in.Role, in.TeamID); err != nil {
				return nil, err
			}
			allowed[g] = true
		}
		if org == nil {
			var err error
			if org, err = s.store.FindOrganisationByID(ctx, a.OrgID); err != nil {
				return nil, err
			}
		}
		inv := &app.Invitation{OrgID: a.OrgID, Email: in.Email, Name: in.Name, Role: in.Role, TeamID: in.TeamID,
			InvitedBy: &a.UserID, ExpiresAt: s.now().Add(TTL)}
		if in.TeamID != nil {
			name, ok := teamNames[*in.TeamID]
			if !ok {
				var err error
				if name, err = s.teamName(ctx, a, *in.TeamID); err != nil {
					return nil, err
				}
				teamNames[*in.TeamID] = name
			}
			inv.TeamName = &name
		}
		token, hash := auth.NewToken()
		m, err := s.mail(ctx, a, org, inv, token)
		if err != nil {
			return nil, err
		}
		out = append(out, app.NewInvitation{Invitation: inv, TokenHash: hash, Mail: m})
	}
	return out, nil
}

// MayInvite checks the actor's right to invite someone with the role into the team (nil:
// none): admins invite anyone anywhere, leaders PMs into the teams they lead. This is
// the one rule for invitations, by hand or by a CSV import.
func (s *Service) MayInvite(ctx context.Context, a *app.Actor, role string, teamID *int64) error {
	if a.Role != app.RoleAdmin && a.Role != app.RoleLeader {
		return app.ErrForbidden
	}
	if a.Role == app.RoleLeader {
		if role != app.RolePM {
			return app.Invalid("role", "Leaders invite PMs; ask an admin to invite someone with another role.")
		}
		if teamID == nil {
			return app.Invalid("team_id", "Choose one of the teams you lead.")
		}
	}
	if teamID == nil {
		return nil
	}
	acc, err := s.store.TeamAccess(ctx, a, *teamID)
	if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && !acc.CanLead()) {
		return app.Invalid("team_id", "Choose a team you lead (or, as an admin, any team of the organisation).")
	}
	return err
}

// mail renders the invitation's e-mail with its link.
func (s *Service) mail(ctx context.Context, a *app.Actor, org *app.Organisation, inv *app.Invitation, token string) (app.Mail, error) {
	var err error
	team := ""
	if inv.TeamID != nil {
		if inv.TeamName != nil {
			team = *inv.TeamName
		} else if team, err = s.teamName(ctx, a, *inv.TeamID); err != nil {
			return app.Mail{}, err
		}
	}
	return s.mails.Render("invitation", (&mail.Address{Name: inv.Name, Address: inv.Email}).String(), map[string]any{
		"Name": inv.Name, "Inviter": a.Name, "Org": org.Name, "Role": roleLabel(inv.Role), "Team": team, "Token": token,
		"Expires": inv.ExpiresAt.UTC().Format("2 January 2006, 15:04 UTC"),
	})
}

// teamName is a team's name for the e-mail (a new invitation has only its id).
func (s *Service) teamName(ctx context.Context, a *app.Actor, id int64) (string, error) {
	t, err := s.store.FindTeamByID(ctx, a, id)
	if err != nil {
		return "", err
	}
	return t.Name, nil
}

// roleLabel is how an e-mail names a role.
func roleLabel(role string) string {
	switch role {
	case app.RoleAdmin:
		return "an admin"
	case app.RoleLeader:
		return "a product leader"
	case app.RoleHR:
		return "an HR partner"
	}
	return "a product manager"
}

// List returns the pending invitations: every one for an admin, a leader's own for a leader.
func (s *Service) List(ctx context.Context, a *app.Actor) ([]app.Invitation, error) {
	return s.store.FindInvitations(ctx, a.OrgID, s.scope(a))
}

// Overview is what the Invitations page shows: the pending invitations the actor manages,
// and what they may invite: the roles, and the teams (an admin's: every team; a
// leader's: those they lead).
type Overview struct {
	Invitations []app.Invitation
	Roles       []string
	Teams       []app.Team
}

// Overview returns the actor's invitations and what they may invite.
func (s *Service) Overview(ctx context.Context, a *app.Actor) (*Overview, error) {
	list, err := s.List(ctx, a)
	if err != nil {
		return nil, err
	}
	teams, err := s.store.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	o := &Overview{Invitations: list, Roles: app.Roles}
	if a.Role != app.RoleAdmin {
		o.Roles = []string{app.RolePM}
	}
	for _, t := range teams {
		if a.Role == app.RoleAdmin || t.MyRole == app.TeamLeader {
			o.Teams = append(o.Teams, t)
		}
	}
	return o, nil
}

// scope is whose invitations the actor manages: 0 (everyone's) for an admin, else their own.
func (s *Service) scope(a *app.Actor) int64 {
	if a.Role == app.RoleAdmin {
		return 0
	}
	return a.UserID
}

// find returns a pending invitation the actor manages, else ENOTFOUND.
func (s *Service) find(ctx context.Context, a *app.Actor, id int64) (*app.Invitation, error) {
	inv, err := s.store.FindInvitationByID(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	if by := s.scope(a); by != 0 && (inv.InvitedBy == nil || *inv.InvitedBy != by) {
		return nil, app.ErrNotFound("Invitation")
	}
	return inv, nil
}

// Resend sends a pending invitation again with a new link (the old one stops working)
// valid for another TTL.
func (s *Service) Resend(ctx context.Context, a *app.Actor, id int64) (*app.Invitation, error) {
	inv, err := s.find(ctx, a, id)
	if err != nil {
		return nil, err
	}
	inv.ExpiresAt = s.now().Add(TTL)
	org, err := s.store.FindOrganisationByID(ctx, inv.OrgID)
	if err != nil {
		return nil, err
	}
	token, hash := auth.NewToken()
	m, err := s.mail(ctx, a, org, inv, token)
	if err != nil {
		return nil, err
	}
	if err := s.store.ResendInvitation(ctx, a.OrgID, id, hash, inv.ExpiresAt, m); err != nil {
		return nil, err
	}
	return s.store.FindInvitationByID(ctx, a.OrgID, id)
}

// Revoke withdraws a pending invitation: its link stops working at once.
func (s *Service) Revoke(ctx context.Context, a *app.Actor, id int64) error {
	if _, err := s.find(ctx, a, id); err != nil {
		return err
	}
	return s.store.RevokeInvitation(ctx, a.OrgID, id)
}

// Open returns the pending invitation a link's token opens (the accept page greets the
// person), or ErrLink.
func (s *Service) Open(ctx context.Context, token string) (*app.Invitation, error) {
	if token == "" {
		return nil, ErrLink
	}
	inv, err := s.store.FindInvitationByToken(ctx, auth.HashToken(token))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, ErrLink
	}
	return inv, err
}

// AcceptInput is an invited person's answer: the link's token and their password.
type AcceptInput struct {
	Token     string `json:"token"`
	Password  string `json:"password"`
	IP        string `json:"-"`
	UserAgent string `json:"-"`
	// TTL is the session's.
	TTL time.Duration `json:"-"`
}

// Accept creates the invited person's account with their password (the password rules
// apply), joins them to the invitation's team and starts their session. The link works
// once.
func (s *Service) Accept(ctx context.Context, in AcceptInput) (*app.User, *app.Session, error) {
	if _, err := s.Open(ctx, in.Token); err != nil {
		return nil, nil, err
	}
	if err := auth.CheckNewPassword("password", in.Password); err != nil {
		return nil, nil, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, nil, err
	}
	u, sess, err := s.store.AcceptInvitation(ctx, auth.HashToken(in.Token), hash, in.TTL, in.IP, in.UserAgent)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, nil, ErrLink // accepted by a concurrent request since Open
	}
	return u, sess, err
}
