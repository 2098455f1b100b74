// Package demo creates the demo organisation (slug "demo"): idempotent, safe to re-run.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

// Slug is the demo organisation's slug.
const Slug = "demo"

// Person is a demo account.
type Person struct {
	Email, Name, Role, Title, Background string
}

// People are the demo accounts; the contract in PRODUCT.md names the first seven.
var People = []Person{
	{"admin@demo.test", "Alex Admin", app.RoleAdmin, "", ""},
	{"leader@demo.test", "Lena Leader", app.RoleLeader, "group_pm", "development"},
	{"pm@demo.test", "Maya Chen", app.RolePM, "senior_pm", "development"},
	{"pm2@demo.test", "Omar Haddad", app.RolePM, "pm", "sales"},
	{"other-leader@demo.test", "Olu Okafor", app.RoleLeader, "group_pm", "project_management"},
	{"other-pm@demo.test", "Paula Rossi", app.RolePM, "pm", "qa"},
	{"hr@demo.test", "Hana Reyes", app.RoleHR, "", ""},
	{"pm3@demo.test", "Sofia Lindqvist", app.RolePM, "pm", "ux_design"},
	{"pm4@demo.test", "Ravi Kumar", app.RolePM, "apm", "marketing"},
	{"pm5@demo.test", "Jonas Weber", app.RolePM, "principal_pm", "business_analysis"},
	{"pm6@demo.test", "Grace Liu", app.RolePM, "group_pm", "project_management"},
}

// Teams maps each demo team to its people and their team roles.
var Teams = []struct {
	Name, Description string
	Members           map[string]string
}{
	{"Growth", "Acquisition, activation and monetisation of the self-serve product.", map[string]string{
		"leader@demo.test": app.TeamLeader, "hr@demo.test": app.TeamHRPartner,
		"pm@demo.test": app.TeamMember, "pm2@demo.test": app.TeamMember, "pm3@demo.test": app.TeamMember,
		"pm4@demo.test": app.TeamMember, "pm5@demo.test": app.TeamMember, "pm6@demo.test": app.TeamMember,
	}},
	{"Platform", "APIs, data platform and developer experience.", map[string]string{
		"other-leader@demo.test": app.TeamLeader, "hr@demo.test": app.TeamHRPartner,
		"other-pm@demo.test": app.TeamMember,
	}},
}

// Seeder is what seeding needs from storage.
type Seeder interface {
	app.OrgStore
	app.UserStore
	app.TeamStore
	app.TeamHistoryStore
	app.SkillStore
	app.ProfileStore
	app.SOPStore
	app.CoachingStore
	app.CareerStore
	app.SkillProfileStore
	app.CycleStore
	app.InvitationStore
}

// Options say what Seed does with the demo accounts' passwords (they all share one).
type Options struct {
	// Password is the password of the accounts Seed creates and, with Reset, of every
	// demo account. Empty (only without Reset): the accounts Seed creates get the
	// password of an existing demo account, so that they keep sharing one.
	Password string
	// Reset sets every existing demo account's password to Password. Without it, existing
	// accounts keep theirs.
	Reset bool
}

// Seed creates or completes the demo organisation and sets every demo account's password.
func Seed(ctx context.Context, st Seeder, password string) (*app.Organisation, error) {
	return SeedWith(ctx, st, Options{Password: password, Reset: true})
}

// Admin returns the demo organisation's admin account (admin@demo.test), or nil when the
// demo has not been seeded yet.
func Admin(ctx context.Context, st interface {
	app.OrgStore
	app.UserStore
}) (*app.User, error) {
	org, err := st.FindOrganisationBySlug(ctx, Slug)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u, err := st.FindUserByEmail(ctx, org.ID, People[0].Email)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, nil
	}
	return u, err
}

// SeedWith creates or completes the demo organisation; o says what happens to passwords.
func SeedWith(ctx context.Context, st Seeder, o Options) (*app.Organisation, error) {
	if o.Password != "" || o.Reset {
		if err := auth.CheckPasswordPolicy(o.Password); err != nil {
			return nil, fmt.Errorf("demo password: %s", app.ErrorMessage(err))
		}
	}
	org, err := st.FindOrganisationBySlug(ctx, Slug)
	if app.ErrorCode(err) == app.ENOTFOUND {
		org, err = st.CreateOrganisation(ctx, Slug, "Demo Co")
	}
	if err != nil {
		return nil, err
	}
	users := make([]*app.User, len(People)) // nil: to be created
	missing, existingHash := false, ""
	for i, p := range People {
		u, err := st.FindUserByEmail(ctx, org.ID, p.Email)
		switch {
		case app.ErrorCode(err) == app.ENOTFOUND:
			missing = true
		case err != nil:
			return nil, fmt.Errorf("demo user %s: %w", p.Email, err)
		default:
			users[i] = u
			if existingHash == "" {
				existingHash = u.PasswordHash
			}
		}
	}
	var hash string
	switch {
	case !missing && !o.Reset:
	case o.Password != "":
		if hash, err = auth.HashPassword(o.Password); err != nil {
			return nil, err
		}
	case existingHash != "":
		hash = existingHash
	default:
		return nil, errors.New("demo: no password for the new demo accounts")
	}
	ids := map[string]int64{}
	for i, p := range People {
		u := users[i]
		if u == nil {
			u = &app.User{OrgID: org.ID, Email: p.Email, Name: p.Name, Role: p.Role, PasswordHash: hash}
			if p.Title != "" {
				t := p.Title
				u.Title = &t
			}
			err = st.CreateUser(ctx, u)
		} else if o.Reset {
			err = st.SetPassword(ctx, u.ID, hash)
		}
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", p.Email, err)
		}
		ids[p.Email] = u.ID
	}
	admin := &app.Actor{UserID: ids["admin@demo.test"], OrgID: org.ID, Role: app.RoleAdmin}
	existing, err := st.FindTeams(ctx, admin)
	if err != nil {
		return nil, err
	}
	for _, t := range Teams {
		var teamID int64
		for _, e := range existing {
			if e.Name == t.Name {
				teamID = e.ID
			}
		}
		if teamID == 0 {
			nt, err := st.CreateTeam(ctx, org.ID, t.Name, t.Description)
			if err != nil {
				return nil, err
			}
			teamID = nt.ID
		}
		for email, role := range t.Members {
			if err := st.SetTeamMember(ctx, org.ID, teamID, ids[email], role); err != nil {
				return nil, fmt.Errorf("demo team %s: %w", t.Name, err)
			}
		}
		// The demo's ratings go back seven months (seedRatings): its people were in their
		// teams before that, so the trends have quarters to show.
		if err := st.BackdateTeamHistory(ctx, teamID, time.Now().AddDate(-1, 0, 0)); err != nil {
			return nil, fmt.Errorf("demo team %s: %w", t.Name, err)
		}
		ids["team:"+t.Name] = teamID
	}
	if err := seedRatings(ctx, st, org, ids); err != nil {
		return nil, fmt.Errorf("demo ratings: %w", err)
	}
	if err := seedProfiles(ctx, st, ids); err != nil {
		return nil, fmt.Errorf("demo profiles: %w", err)
	}
	if err := seedSOPs(ctx, st, org, ids); err != nil {
		return nil, fmt.Errorf("demo SOPs: %w", err)
	}
	if err := seedCoaching(ctx, st, org, ids); err != nil {
		return nil, fmt.Errorf("demo coaching: %w", err)
	}
	if err := seedCareer(ctx, st, org, ids); err != nil {
		return nil, fmt.Errorf("demo career: %w", err)
	}
	if err := seedCycles(ctx, st, org, ids); err != nil {
		return nil, fmt.Errorf("demo cycles: %w", err)
	}
	if err := seedInvitation(ctx, st, org, ids); err != nil {
		return nil, fmt.Errorf("demo invitation: %w", err)
	}
	return org, nil
}

// Invited is the demo organisation's pending invitation: a PM the Growth leader invited.
var Invited = Person{Email: "new-pm@demo.test", Name: "Nadia Novak", Role: app.RolePM}

// seedInvitation leaves one invitation pending (once: a re-run finds it, or the account
// it became). Its link was never sent (no e-mail is queued) and its token is thrown away:
// it shows on the Invitations page, where an admin or the leader may resend it.
func seedInvitation(ctx context.Context, st Seeder, org *app.Organisation, ids map[string]int64) error {
	if _, err := st.FindUserByEmail(ctx, org.ID, Invited.Email); err == nil {
		return nil
	} else if app.ErrorCode(err) != app.ENOTFOUND {
		return err
	}
	open, err := st.FindInvitations(ctx, org.ID, 0)
	if err != nil {
		return err
	}
	for _, inv := range open {
		if inv.Email == Invited.Email {
			return nil
		}
	}
	leader, team := ids["leader@demo.test"], ids["team:Growth"]
	_, hash := auth.NewToken()
	return st.CreateInvitation(ctx, &app.Invitation{OrgID: org.ID, Email: Invited.Email, Name: Invited.Name, Role: Invited.Role,
		TeamID: &team, InvitedBy: &leader, ExpiresAt: time.Now().Add(7 * 24 * time.Hour)}, hash, nil)
}
