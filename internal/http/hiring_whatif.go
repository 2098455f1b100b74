package http

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// maxCandidates is how many hypothetical candidates one what-if may add.
const maxCandidates = 5

// firstCandidateID is the id of the first what-if candidate; the next ones count down. Negative
// ids never meet a user, and these stay clear of the plan's simulated hires (-1, -2, …).
const firstCandidateID = -1001

// whatIfInput is a what-if: hypothetical candidates to add and members to take out.
type whatIfInput struct {
	Add    []candidateInput `json:"add"`
	Remove []int64          `json:"remove"`
}

// candidateInput is a hypothetical candidate with levels per competency. Rating a leads-only
// competency makes the candidate a lead.
type candidateInput struct {
	Name    string            `json:"name"`
	Ratings []candidateRating `json:"ratings"`
}

type candidateRating struct {
	Competency string `json:"competency"`
	Level      *int   `json:"level"`
}

// changes validates the what-if against the team, naming the first wrong field, and returns
// the candidates as hypothetical members and the ids to take out.
func (in *whatIfInput) changes(team *insight.Team) (add []shape.Person, remove []int64, err error) {
	if len(in.Add) > maxCandidates {
		return nil, nil, app.Invalid("add", "Add at most %d candidates at a time (got %d).", maxCandidates, len(in.Add))
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
func (c *candidateInput) person(fw *app.Framework, i int) (shape.Person, error) {
	field := func(f string, args ...any) string { return fmt.Sprintf("add[%d]."+f, append([]any{i}, args...)...) }
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 100 {
		return shape.Person{}, app.Invalid(field("name"), "Give the candidate a name of 1 to 100 characters.")
	}
	p := shape.Person{ID: firstCandidateID - int64(i), Name: c.Name, Ratings: map[string]int{}}
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

// whatIfView shows the team today and with the changes, side by side.
type whatIfView struct {
	Before  hiringView         `json:"before"`
	After   hiringView         `json:"after"`
	Added   []string           `json:"added"`   // candidates' names
	Removed []hiringPerson     `json:"removed"` // members taken out
	Changes []competencyChange `json:"changes"` // competencies whose standing changes
}

// competencyChange is one competency before and after; nil when it is out of the team's scope
// (leads-only competencies count only while the team has a lead).
type competencyChange struct {
	Key    string        `json:"key"`
	Name   string        `json:"name"`
	Before *standingView `json:"before"`
	After  *standingView `json:"after"`
}

// whatIf plans the team today and with the changes. Nothing is stored.
func whatIf(t *hiringTeam, in whatIfInput) (*whatIfView, error) {
	add, remove, err := in.changes(t.Loaded)
	if err != nil {
		return nil, err
	}
	named := t.Access.CanSeeIndividuals()
	v := &whatIfView{
		Before:  t.plan(),
		After:   planHiring(t.Ref, t.Loaded.AsOf, insight.Disclosed(t.Loaded.Input.With(add, remove), named), named),
		Added:   []string{},
		Removed: []hiringPerson{},
		Changes: []competencyChange{},
	}
	for _, p := range add {
		v.Added = append(v.Added, p.Name)
	}
	for _, m := range t.Loaded.Members {
		if slices.Contains(remove, m.UserID) {
			v.Removed = append(v.Removed, hiringPerson{ID: m.UserID, Name: m.Name})
		}
	}
	find := func(list []standingView, key string) *standingView {
		if i := slices.IndexFunc(list, func(c standingView) bool { return c.Key == key }); i >= 0 {
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
			v.Changes = append(v.Changes, competencyChange{Key: c.Key, Name: c.Name, Before: b, After: a})
		}
	}
	return v, nil
}
