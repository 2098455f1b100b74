package transfer

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
)

// PlanInput is what a file is checked against.
type PlanInput struct {
	Actor *app.Actor
	// Team is the team imported into: everyone in the file becomes (or is) its member.
	// Nil: an organisation-wide import (admins), where the team column names each row's team.
	Team      *app.Team
	Framework *app.Framework
	State     *app.ImportState
	Hash      string
	// InviteUnknown: people without an account are invited (see Options).
	InviteUnknown bool
	// MayInvite is the invitations' rule for inviting a PM into a team (nil: none); it
	// is asked for each invited row.
	MayInvite func(teamID *int64) error
}

// compColumn is a competency column of the file.
type compColumn struct {
	index int
	comp  *app.Competency
}

// planner builds one plan.
type planner struct {
	in       PlanInput
	t        *Table
	plan     *app.ImportPlan
	col      map[string]int // fixed column → index, -1 if absent
	comps    []compColumn
	newCount int
}

// Plan checks a parsed file against the organisation and returns what importing it would
// do: new people, changed names, titles and backgrounds, team memberships and leader
// ratings that differ from the current effective ones, and every problem by row and column.
// A cell equal to the current rating changes nothing; an empty cell leaves it as it is.
func Plan(t *Table, in PlanInput) *app.ImportPlan {
	p := &planner{in: in, t: t, col: map[string]int{},
		plan: &app.ImportPlan{OrgID: in.Actor.OrgID, ImporterID: in.Actor.UserID, Hash: in.Hash,
			People: []app.ImportPersonPlan{}, Problems: []app.ImportProblem{}, InviteUnknown: in.InviteUnknown}}
	if in.Team != nil {
		p.plan.TeamID, p.plan.TeamName = &in.Team.ID, in.Team.Name
	}
	p.columns()
	seen := map[string]int{} // lower-case e-mail → row
	for _, row := range t.Rows {
		p.row(row, seen)
	}
	s := &p.plan.Summary
	s.Rows = len(t.Rows)
	for _, pp := range p.plan.People {
		switch {
		case pp.New:
			s.NewPeople++
		case pp.Invite:
			s.Invitations++
		case len(pp.Changes) > 0:
			s.ChangedPeople++
		}
		if pp.JoinTeamID != 0 && !pp.Invite {
			s.NewMemberships++
		}
		s.RatingChanges += len(pp.Ratings)
	}
	return p.plan
}

func (p *planner) problem(row int, column, format string, args ...any) {
	p.plan.Summary.Problems++
	if len(p.plan.Problems) < app.MaxImportProblems {
		p.plan.Problems = append(p.plan.Problems, app.ImportProblem{Row: row, Column: column, Message: fmt.Sprintf(format, args...)})
	}
}

// columns sorts the header into person columns and competency columns.
func (p *planner) columns() {
	for _, c := range FixedColumns {
		p.col[c] = p.t.Column(c)
	}
	fixed := map[string]bool{}
	for _, c := range FixedColumns {
		fixed[c] = true
	}
	for i, h := range p.t.Header {
		if fixed[h] {
			continue
		}
		c := p.in.Framework.ByKey(h)
		switch {
		case c == nil:
			p.problem(1, h, "Unknown column %q: use email, name, title, background, team and the competency keys of your framework (%s).",
				truncate(h, 40), strings.Join(activeKeys(p.in.Framework), ", "))
		case c.Archived:
			p.problem(1, h, "The competency %q (%s) is archived; remove its column.", h, c.Name)
		default:
			p.comps = append(p.comps, compColumn{index: i, comp: c})
		}
	}
}

func activeKeys(fw *app.Framework) []string {
	var keys []string
	for _, c := range fw.Active() {
		keys = append(keys, c.Key)
	}
	return keys
}

// text returns a person cell trimmed, without the quote an export adds against CSV
// injection; a cell that a spreadsheet would run as a formula is a problem.
func (p *planner) text(row Row, column string) (string, bool) {
	i := p.col[column]
	if i < 0 {
		return "", true
	}
	raw := strings.TrimSpace(row.Cell(i))
	if formulaStart(raw) {
		p.problem(row.Num, column, "%q looks like a spreadsheet formula, which is never run; remove it (or start the cell with ' to keep it as text).", truncate(raw, 40))
		return "", false
	}
	return Unneutralise(raw), true
}

func (p *planner) row(row Row, seen map[string]int) {
	n := p.plan.Summary.Problems
	for i := len(p.t.Header); i < len(row.Cells); i++ {
		if strings.TrimSpace(row.Cells[i]) != "" {
			p.problem(row.Num, fmt.Sprintf("column %d", i+1), "The row has more cells than the header has columns (%d).", len(p.t.Header))
			break
		}
	}
	email, ok := p.text(row, ColEmail)
	if !ok {
		return
	}
	if email == "" {
		p.problem(row.Num, ColEmail, "The e-mail is missing.")
		return
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		p.problem(row.Num, ColEmail, "%q is not a valid e-mail address.", truncate(email, 60))
		return
	}
	key := strings.ToLower(email)
	if first, dup := seen[key]; dup {
		p.problem(row.Num, ColEmail, "%s is also on row %d: one row per person.", email, first)
		return
	}
	seen[key] = row.Num
	person := p.in.State.People[key] // of this organisation: accounts elsewhere are never consulted
	invite := person == nil && p.in.InviteUnknown
	if person == nil && !invite && p.in.Actor.Role != app.RoleAdmin {
		// Creating accounts is an admin's alone, here as everywhere else.
		p.problem(row.Num, ColEmail, "%s is not in your organisation yet, and only admins add people: invite them with this import (tick \"Invite people without an account\"), or ask an admin to add them, then import again.", email)
		return
	}
	if invite && p.in.State.Invited[key] {
		p.problem(row.Num, ColEmail, "%s has a pending invitation already: resend it from the Invitations page, or remove the row.", email)
		return
	}
	pp := app.ImportPersonPlan{Row: row.Num, Email: email, New: person == nil && !invite, Invite: invite,
		Changes: []app.ImportFieldChange{}, Ratings: []app.ImportRatingChange{}}
	if person != nil {
		pp.UserID, pp.Email, pp.Name, pp.Title, pp.Background = person.ID, person.Email, person.Name, deref(person.Title), deref(person.Background)
		p.checkPerson(row, person)
	}
	p.fields(row, &pp)
	p.team(row, &pp, person)
	if pp.Invite {
		p.invitation(row, &pp)
	} else {
		p.ratings(row, &pp, person)
	}
	if pp.New || pp.Invite {
		p.newCount++
		if p.newCount == app.MaxImportNewPeople+1 {
			p.problem(row.Num, ColEmail, "More than %d new or invited people in one file; split it into several imports.", app.MaxImportNewPeople)
		}
	}
	if p.plan.Summary.Problems == n {
		p.plan.People = append(p.plan.People, pp)
	}
}

// checkPerson refuses people who cannot hold a skill profile here.
func (p *planner) checkPerson(row Row, person *app.ImportPerson) {
	switch {
	case person.Role == app.RoleHR:
		p.problem(row.Num, ColEmail, "%s is an HR partner; HR has no skill profile.", person.Email)
	case !person.Active:
		p.problem(row.Num, ColEmail, "%s is deactivated; an admin can reactivate them first.", person.Email)
	}
}

// fields reads the name, title and background, noting the changes for an existing person.
func (p *planner) fields(row Row, pp *app.ImportPersonPlan) {
	if name, ok := p.text(row, ColName); ok {
		switch {
		case name == "" && pp.New:
			p.problem(row.Num, ColName, "The name is missing: a new person needs one.")
		case utf8.RuneCountInString(name) > 200:
			p.problem(row.Num, ColName, "The name is longer than 200 characters.")
		case name != "" && name != pp.Name:
			p.change(pp, ColName, pp.Name, name)
			pp.Name = name
		}
	}
	if v, ok := p.text(row, ColTitle); ok && v != "" {
		if k, found := optionKey(app.Titles, v); !found {
			p.problem(row.Num, ColTitle, "Unknown title %q: use %s, or leave it empty.", truncate(v, 40), optionList(app.Titles))
		} else if k != pp.Title {
			p.change(pp, ColTitle, pp.Title, k)
			pp.Title = k
		}
	}
	if v, ok := p.text(row, ColBackground); ok && v != "" {
		if k, found := optionKey(app.Backgrounds, v); !found {
			p.problem(row.Num, ColBackground, "Unknown background %q: use %s, or leave it empty.", truncate(v, 40), optionList(app.Backgrounds))
		} else if k != pp.Background {
			p.change(pp, ColBackground, pp.Background, k)
			pp.Background = k
		}
	}
}

func (p *planner) change(pp *app.ImportPersonPlan, field, from, to string) {
	if !pp.New && !pp.Invite {
		pp.Changes = append(pp.Changes, app.ImportFieldChange{Field: field, From: from, To: to})
	}
}

// team decides the row's team membership. Into a team, everyone becomes its member; a
// leader (not an admin) imports members already in the team only (new people are an
// admin's to create, see row).
// Organisation-wide, the team column names the team, or none.
func (p *planner) team(row Row, pp *app.ImportPersonPlan, person *app.ImportPerson) {
	name, ok := p.text(row, ColTeam)
	if !ok {
		return
	}
	var team *app.Team
	if p.in.Team != nil {
		if name != "" && !strings.EqualFold(name, p.in.Team.Name) {
			p.problem(row.Num, ColTeam, "This import is into %s, but the row names %q; leave the cell empty or import it from the team's own page.",
				p.in.Team.Name, truncate(name, 60))
			return
		}
		team = p.in.Team
	} else if name != "" {
		for i := range p.in.State.Teams {
			if strings.EqualFold(p.in.State.Teams[i].Name, name) {
				team = &p.in.State.Teams[i]
			}
		}
		if team == nil {
			p.problem(row.Num, ColTeam, "Unknown team %q: create it first, or leave the cell empty.", truncate(name, 60))
			return
		}
	}
	if team == nil {
		return
	}
	role := ""
	if person != nil {
		role = person.Teams[team.ID]
	}
	switch {
	case role == app.TeamMember:
	case role != "":
		p.problem(row.Num, ColEmail, "%s is in %s as %s, not as a member; only members have their skills in the team's matrix.",
			pp.Email, team.Name, strings.ReplaceAll(role, "_", " "))
	case person != nil && p.in.Actor.Role != app.RoleAdmin:
		p.problem(row.Num, ColEmail, "%s is not a member of %s; an admin can add them to the team first.", pp.Email, team.Name)
	default:
		pp.JoinTeamID, pp.JoinTeam = team.ID, team.Name
	}
}

// ratings reads the level cells: 0–5 or empty. A level equal to the current effective
// rating is unchanged; leads-only competencies count for a lead title only.
func (p *planner) ratings(row Row, pp *app.ImportPersonPlan, person *app.ImportPerson) {
	var current map[string]int
	if person != nil {
		current = p.in.State.Effective[person.ID]
	}
	for _, cc := range p.comps {
		v := strings.TrimSpace(row.Cell(cc.index))
		if v == "" {
			continue
		}
		if len(v) != 1 || v[0] < '0' || v[0] > '5' {
			p.problem(row.Num, cc.comp.Key, "%q is not a level: use 0 to 5, or leave the cell empty for not assessed.", truncate(v, 20))
			continue
		}
		level := int(v[0] - '0')
		if !cc.comp.InScopeFor(pp.Title) {
			p.problem(row.Num, cc.comp.Key, "%s applies to leads (Group PM) only; this person's title is %s.",
				cc.comp.Name, orNone(app.OptionLabel(app.Titles, pp.Title)))
			continue
		}
		if cur, ok := current[cc.comp.Key]; ok && cur == level {
			p.plan.Summary.UnchangedRatings++
			continue
		}
		rc := app.ImportRatingChange{Competency: cc.comp.Key, To: level}
		if cur, ok := current[cc.comp.Key]; ok {
			rc.From = &cur
		}
		pp.Ratings = append(pp.Ratings, rc)
	}
	if len(pp.Ratings) > 0 && person != nil && person.ID == p.in.Actor.UserID {
		p.problem(row.Num, ColEmail, "You cannot give yourself leader ratings; leave your own row's levels as they are, or ask another leader.")
	}
}

// invitation checks an invited row: the invitations' rule admits it, and it holds
// nothing an invitation cannot carry. An invitation is a name, a role and a team; title,
// background and leader ratings need an account. They are refused rather than kept
// aside: ratings stored against an invitation that may be revoked or expire would be
// data about someone who never joined, and the file itself keeps them: importing it
// again once the person has joined records them (unchanged ratings are skipped).
func (p *planner) invitation(row Row, pp *app.ImportPersonPlan) {
	if pp.Name == "" {
		pp.Name = strings.SplitN(pp.Email, "@", 2)[0] // the e-mail's greeting; they may rename themselves
	}
	var team *int64
	if pp.JoinTeamID != 0 {
		team = &pp.JoinTeamID
	}
	if p.in.MayInvite != nil {
		if err := p.in.MayInvite(team); err != nil {
			p.problem(row.Num, ColEmail, "%s cannot be invited: %s", pp.Email, app.ErrorMessage(err))
			return
		}
	}
	for _, f := range []struct{ col, val string }{{ColTitle, pp.Title}, {ColBackground, pp.Background}} {
		if f.val != "" { // a valid one: fields has reported a bad one already
			p.problem(row.Num, f.col, "%s will be invited, and an invitation carries a name and a team only: leave the %s empty; it can be set once they have joined.", pp.Email, f.col)
		}
	}
	for _, cc := range p.comps {
		if strings.TrimSpace(row.Cell(cc.index)) != "" {
			p.problem(row.Num, cc.comp.Key, "%s will be invited, not added: leader ratings need an account. Leave this row's levels empty, and import the file again once they have joined.", pp.Email)
			return
		}
	}
}

// optionKey finds an option by key or label, ignoring case.
func optionKey(opts []app.Option, v string) (string, bool) {
	for _, o := range opts {
		if strings.EqualFold(o.Key, v) || strings.EqualFold(o.Label, v) {
			return o.Key, true
		}
	}
	return "", false
}

func optionList(opts []app.Option) string {
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.Key
	}
	return strings.Join(keys, ", ")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
