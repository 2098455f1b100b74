package shape

import "slices"

// Staffing statuses of a procedure: can the team run it with the people it has?
const (
	Staffed   = "staffed"   // every linked competency has at least StaffedMin people at level
	Fragile   = "fragile"   // none has nobody, but some has exactly one
	Unstaffed = "unstaffed" // some linked competency has nobody at level
	Unlinked  = "unlinked"  // no competencies linked: nothing to check
)

// StaffedMin is how many people at level make a competency safely staffed.
const StaffedMin = 2

// Requirement is a competency a procedure needs at a level.
type Requirement struct {
	Competency string
	Level      int
}

// RequirementStaffing is who can meet one requirement.
type RequirementStaffing struct {
	Requirement
	People []int64 // members rated ≥ Level, team order
	Status string  // Staffed, Fragile or Unstaffed for this requirement alone
}

// SinglePoint is a person who alone meets one or more requirements.
type SinglePoint struct {
	PersonID     int64
	Name         string
	Competencies []string // requirement order
}

// Staffing is whether the team can run a procedure.
type Staffing struct {
	Status       string
	Requirements []RequirementStaffing // requirement order
	SinglePoints []SinglePoint         // team order
}

// Staff checks a procedure's requirements against the team in.People: for each requirement the
// members whose effective rating is ≥ its level. A leads-only competency counts only leads (as in
// Analyze). The procedure is Staffed if every requirement has ≥ StaffedMin people, Unstaffed if
// some has none, else Fragile; a person who alone meets a requirement is a single point of
// failure.
func Staff(in Input, reqs []Requirement) Staffing {
	if len(reqs) == 0 {
		return Staffing{Status: Unlinked}
	}
	leadsOnly := map[string]bool{}
	for _, c := range in.Competencies {
		leadsOnly[c.Key] = c.LeadsOnly
	}
	out := Staffing{Status: Staffed}
	sole := map[int64][]string{}
	for _, r := range reqs {
		rs := RequirementStaffing{Requirement: r, People: []int64{}}
		for _, p := range in.People {
			if l, ok := p.rating(r.Competency); ok && l >= r.Level && (p.Lead || !leadsOnly[r.Competency]) {
				rs.People = append(rs.People, p.ID)
			}
		}
		switch n := len(rs.People); {
		case n == 0:
			rs.Status = Unstaffed
		case n < StaffedMin:
			rs.Status = Fragile
			sole[rs.People[0]] = append(sole[rs.People[0]], r.Competency)
		default:
			rs.Status = Staffed
		}
		out.Status = worse(out.Status, rs.Status)
		out.Requirements = append(out.Requirements, rs)
	}
	for _, p := range in.People {
		if comps := sole[p.ID]; len(comps) > 0 {
			out.SinglePoints = append(out.SinglePoints, SinglePoint{PersonID: p.ID, Name: p.Name, Competencies: comps})
		}
	}
	return out
}

// worse returns the worse of two staffing statuses.
func worse(a, b string) string {
	order := []string{Staffed, Fragile, Unstaffed}
	return order[max(slices.Index(order, a), slices.Index(order, b))]
}
