package app

import "time"

// Team roles: leaders lead the team, members are the PMs whose shape is the team's,
// HR partners see aggregates and hiring gaps.
const (
	TeamLeader    = "leader"
	TeamMember    = "member"
	TeamHRPartner = "hr_partner"
)

// ValidTeamRole reports whether r is a known team role.
func ValidTeamRole(r string) bool {
	return r == TeamLeader || r == TeamMember || r == TeamHRPartner
}

// Team is a group of PMs with leaders and HR partners.
type Team struct {
	ID          int64     `db:"id" json:"id"`
	OrgID       int64     `db:"org_id" json:"-"`
	Name        string    `db:"name" json:"name"`
	Description string    `db:"description" json:"description"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
	// MyRole is the caller's role in the team ("" for an admin who is not in it).
	MyRole string `db:"my_role" json:"my_role,omitempty"`
	// Members counts the team's members (team role member).
	Members int `db:"members" json:"members"`
}

// TeamPerson is a person in a team with their team role.
type TeamPerson struct {
	UserID   int64   `db:"user_id" json:"user_id"`
	Name     string  `db:"name" json:"name"`
	Email    string  `db:"email" json:"email,omitempty"`
	Title    *string `db:"title" json:"title"`
	Role     string  `db:"role" json:"role"`
	TeamRole string  `db:"team_role" json:"team_role"`
	Active   bool    `db:"active" json:"active"`
}
