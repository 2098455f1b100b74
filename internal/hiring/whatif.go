package hiring

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// MaxCandidates is how many hypothetical candidates one what-if may add.
const MaxCandidates = 5

// firstCandidateID is the id of the first what-if candidate; the next ones count down. Negative
// ids never meet a user, and these stay clear of the plan's simulated hires (-1, -2, …).
const firstCandidateID = -1001

// WhatIfInput is a what-if: hypothetical candidates to add and members to take out.
type WhatIfInput struct {
	Add    []Candidate `json:"add"`
	Remove []int64     `json:"remove"`
}

// Candidate is a hypothetical candidate with levels per competency. Rating a leads-only
// competency makes the candidate a lead.
type Candidate struct {
	Name    string            `json:"name"`
	Ratings []CandidateRating `json:"ratings"`
}

// CandidateRating is a candidate's level in one competency.
type CandidateRating struct {
	Competency string `json:"competency"`
	Level      *int   `json:"level"`
}

// changes validates the what-if against the team, naming the first wrong field, and returns
// the candidates as hypothetical members and the ids to take out.
func (in WhatIfInput) changes(team *insight.Team) (add []shape.Person, remove []int64, err error) {
	if len(in.Add) > MaxCandidates {
		return nil, nil, app.Invalid("add", "Add at most %d candidates at a time (got %d).", MaxCandidates, len(in.Add))
	}
	for i := range in.Add {
		p, err := in.Add[i].person(team.Framework, i)
		if err != nil {
			return nil, nil, err
		}
		add = append(add, p)
	}
	for i, id := range in.Remove {
		isMember := slices.ContainsFunc(team.Members, func(m app.TeamPerson) bool { return m.UserID == id })
		if !isMember {
			return nil, nil, app.Invalid(fmt.Sprintf("remove[%d]", i), "User %d is not a member of this team.", id)
		}
		if !slices.Contains(remove, id) {
			remove = append(remove, id)
		}
	}
	return add, remove, nil
}

// person checks the i-th candidate and turns it into a hypothetical member.
func (c Candidate) person(fw *app.Framework, i int) (shape.Person, error) {
	field := func(f string, args ...any) string { return fmt.Sprintf("add[%d]."+f, append([]any{i}, args...)...) }
	name := strings.TrimSpace(c.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return shape.Person{}, app.Invalid(field("name"), "Give the candidate a name of 1 to 100 characters.")
	}
	p := shape.Person{ID: firstCandidateID - int64(i), Name: name, Ratings: map[string]int{}}
	for j, r := range c.Ratings {
		comp := fw.ByKey(r.Competency)
		switch {
		case comp == nil || comp.Archived:
			return shape.Person{}, app.Invalid(field("ratings[%d].competency", j), "Unknown competency %q.", r.Competency)
		case r.Level == nil || *r.Level < shape.MinLevel || *r.Level > shape.MaxLevel:
			return shape.Person{}, app.Invalid(field("ratings[%d].level", j), "Level must be a number from 0 to 5.")
		}
		if _, twice := p.Ratings[r.Competency]; twice {
			return shape.Person{}, app.Invalid(field("ratings[%d].competency", j), "%q is rated twice.", r.Competency)
		}
		p.Ratings[r.Competency] = *r.Level
		p.Lead = p.Lead || comp.LeadsOnly
	}
	return p, nil
}

// WhatIf shows the team today and with the changes, side by side.
type WhatIf struct {
	Before  View     `json:"before"`
	After   View     `json:"after"`
	Added   []string `json:"added"`   // candidates' names
	Removed []Person `json:"removed"` // members taken out
	Changes []Change `json:"changes"` // competencies whose standing changes
}

// Change is one competency before and after; nil when it is out of the team's scope
// (leads-only competencies count only while the team has a lead).
type Change struct {
	Key    string    `json:"key"`
	Name   string    `json:"name"`
	Before *Standing `json:"before"`
	After  *Standing `json:"after"`
}

// WhatIf plans the team today and with the changes; nothing is stored. The team's leaders
// and admins only: its HR partners get EFORBIDDEN.
func (s *Service) WhatIf(ctx context.Context, a *app.Actor, teamID int64, in WhatIfInput) (*WhatIf, error) {
	t, err := s.loadLead(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	return whatIf(t, in)
}

// whatIf plans the loaded team today and with the changes.
func whatIf(t *team, in WhatIfInput) (*WhatIf, error) {
	add, remove, err := in.changes(t.Loaded)
	if err != nil {
		return nil, err
	}
	named := t.Access.CanSeeIndividuals()
	v := &WhatIf{
		Before:  t.plan(),
		After:   planHiring(t.Ref, t.Loaded.AsOf, insight.Disclosed(t.Loaded.Input.With(add, remove), named), named),
		Added:   []string{},
		Removed: []Person{},
		Changes: []Change{},
	}
	for _, p := range add {
		v.Added = append(v.Added, p.Name)
	}
	for _, m := range t.Loaded.Members {
		if slices.Contains(remove, m.UserID) {
			v.Removed = append(v.Removed, Person{ID: m.UserID, Name: m.Name})
		}
	}
	find := func(list []Standing, key string) *Standing {
		if i := slices.IndexFunc(list, func(c Standing) bool { return c.Key == key }); i >= 0 {
			return &list[i]
		}
		return nil
	}
	for _, c := range t.Loaded.Framework.Active() {
		b, a := find(v.Before.Competencies, c.Key), find(v.After.Competencies, c.Key)
		if b == nil && a == nil {
			continue
		}
		if b == nil || a == nil || b.Status != a.Status || b.Coverage != a.Coverage || b.Depth != a.Depth {
			v.Changes = append(v.Changes, Change{Key: c.Key, Name: c.Name, Before: b, After: a})
		}
	}
	return v, nil
}

// ScenarioForm is a what-if as the page's form holds it, as typed: candidates in form order
// (at most MaxCandidates count), members to take out, and From, the number (1-based) of a
// suggested hire to start a new candidate from (0: none).
type ScenarioForm struct {
	Candidates []CandidateForm
	Remove     []int64
	From       int
}

// CandidateForm is one candidate of the form: a name ("" for none given) and levels by
// competency key, as typed ("" or absent: not assessed).
type CandidateForm struct {
	Name   string
	Levels map[string]string
}

// Scenario is the what-if page's answer: the form as it stands and the comparison.
type Scenario struct {
	Team TeamRef
	// Competencies are the framework's active competencies, in order: a candidate's fields.
	Competencies []app.Competency
	Members      []app.TeamPerson // the members who may be taken out
	// Candidates are the form's candidates that count, in order, each named (a nameless one
	// "Candidate N", one started from a hire "Hire N: title") with the levels of active
	// competencies only; Input is the what-if they make.
	Candidates []CandidateForm
	Input      WhatIfInput
	Result     *WhatIf
	// Refused is why the scenario was refused (EINVALID, naming the field); Result is then
	// the team today, unchanged.
	Refused error
}

// Scenario reads a what-if from the page's form and plans it. A candidate counts when it has
// a name or a level of an active competency; a level that is not a number is refused with
// its field named. The team's leaders and admins only.
func (s *Service) Scenario(ctx context.Context, a *app.Actor, teamID int64, f ScenarioForm) (*Scenario, error) {
	t, err := s.loadLead(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	comps := t.Loaded.Framework.Active()
	sc := &Scenario{Team: t.Ref, Competencies: comps, Members: t.Loaded.Members, Input: WhatIfInput{Remove: f.Remove}}
	add := func(name string, levels map[string]string) {
		if name == "" {
			name = fmt.Sprintf("Candidate %d", len(sc.Candidates)+1)
		}
		form, cand := CandidateForm{Name: name, Levels: map[string]string{}}, Candidate{Name: name}
		for _, comp := range comps {
			value := levels[comp.Key]
			if value == "" {
				continue
			}
			form.Levels[comp.Key] = value
			level, err := strconv.Atoi(value)
			if err != nil {
				level = -1 // refused with the field named
			}
			cand.Ratings = append(cand.Ratings, CandidateRating{Competency: comp.Key, Level: &level})
		}
		sc.Candidates = append(sc.Candidates, form)
		sc.Input.Add = append(sc.Input.Add, cand)
	}
	for _, cf := range f.Candidates[:min(len(f.Candidates), MaxCandidates)] {
		used := cf.Name != ""
		for _, comp := range comps {
			used = used || cf.Levels[comp.Key] != ""
		}
		if used {
			add(cf.Name, cf.Levels)
		}
	}
	// "Start from hire profile N": a new candidate rated as the profile, through AsPerson.
	if hires := t.plan().Hires; f.From >= 1 && f.From <= len(hires) && len(sc.Candidates) < MaxCandidates {
		h := hires[f.From-1]
		levels := map[string]string{}
		for k, l := range h.profile.AsPerson(0, "").Ratings {
			levels[k] = strconv.Itoa(l)
		}
		add(fmt.Sprintf("Hire %d: %s", f.From, h.Title), levels)
	}
	sc.Result, err = whatIf(t, sc.Input)
	if app.ErrorCode(err) == app.EINVALID {
		sc.Refused = err
		sc.Result, err = whatIf(t, WhatIfInput{})
	}
	if err != nil {
		return nil, err
	}
	return sc, nil
}
