package app

import "context"

// TeamAccess is what the caller is to one team: its team role there, and whether
// the caller is an admin of the team's organisation.
type TeamAccess struct {
	TeamID int64
	Role   string // the caller's team role, "" if not in the team
	Admin  bool
}

// CanLead: leaders of the team and admins may rate, set targets, edit SOPs and plans.
func (t TeamAccess) CanLead() bool { return t.Admin || t.Role == TeamLeader }

// CanSeeAggregate: anyone in the team (or an admin) sees its aggregate shape.
func (t TeamAccess) CanSeeAggregate() bool { return t.Admin || t.Role != "" }

// CanSeeIndividuals: only leaders and admins see names against ratings.
func (t TeamAccess) CanSeeIndividuals() bool { return t.CanLead() }

// PersonAccess is what the caller is to one person.
type PersonAccess struct {
	PersonID int64
	Self     bool // the caller is the person
	Leads    bool // the caller leads a team the person is a member of
	Admin    bool // the caller is an admin of the person's organisation
}

// CanSeeRatings: the person, their leaders and admins. Never another PM, never HR.
func (p PersonAccess) CanSeeRatings() bool { return p.Self || p.Leads || p.Admin }

// CanRateAsLeader: a leader of a team the person is in, or an admin.
func (p PersonAccess) CanRateAsLeader() bool { return (p.Leads || p.Admin) && !p.Self }

// RequireAdmin is EFORBIDDEN unless the actor is an admin of their organisation: services
// say again what the route table admits.
func RequireAdmin(a *Actor) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	return nil
}

// TeamAccessor tells what an actor is to a team (storage implements it).
type TeamAccessor interface {
	TeamAccess(ctx context.Context, a *Actor, teamID int64) (TeamAccess, error)
}

// RequireLead checks the actor leads the team or is an admin: ENOTFOUND when the team is
// not theirs to see, EFORBIDDEN when they see it but do not lead it.
func RequireLead(ctx context.Context, st TeamAccessor, a *Actor, teamID int64) error {
	acc, err := st.TeamAccess(ctx, a, teamID)
	if err != nil {
		return err
	}
	if !acc.CanLead() {
		return ErrForbidden
	}
	return nil
}
