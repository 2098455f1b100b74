package shape

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Actions a Decision can suggest.
const (
	ActionDevelop = "develop" // coach members who sit one level below the threshold
	ActionHire    = "hire"    // coaching cannot close it: look for it in a hire
)

// Candidate is a member who could grow into a competency, at their current Level.
type Candidate struct {
	ID    int64
	Name  string
	Level int
}

// Decision says whether one competency that is not ok should be developed or hired for.
type Decision struct {
	Competency string // key
	Status     string
	Score      float64
	Action     string      // ActionDevelop or ActionHire
	Candidates []Candidate // for develop: members one level below the threshold with room for another goal, team order
	Teachers   []int64     // people at 5 who could teach, team order
	Reason     string      // names the people
	// Summary is Reason without names: people are counted ("2 members at 2 can grow …"), for
	// readers who may not see individuals (HR partners).
	Summary string
}

// HireProfile is one suggested hire: a spike where the team is weakest plus up to three
// must-haves, and the score the hire would remove.
type HireProfile struct {
	Spike     string         // competency key, wanted at max(D, its target depth)
	MustHaves []string       // competency keys, wanted at B; highest score first
	Levels    map[string]int // competency key → wanted level
	Lead      bool           // a leads-only competency is included, so the hire needs a lead title
	// Tags are suggested specialism tags, in the order the competencies suggest them.
	Tags []string
	// Backgrounds are the background keys whose usual strengths include the spike or a
	// must-have: most overlap first, then those with the spike, then the hint table's order.
	Backgrounds []string
	Title       string // e.g. "Data PM", "Technical PM", "Growth PM"; else "Product Manager"
	// ScoreBefore and ScoreAfter are the team's TotalScore without and with this hire (and the
	// hires before it); ScoreRemoved = ScoreBefore − ScoreAfter.
	ScoreBefore, ScoreAfter, ScoreRemoved float64
	Brief                                 string // plain text HR can paste into a job description; names nobody
}

// Plan is the develop-or-hire answer for a team.
type Plan struct {
	Decisions []Decision    // one per competency that is not ok, in Result.Gaps order
	Hires     []HireProfile // the greedy hiring plan, first hire first
}

// DevelopOrHire decides, for each competency that is not ok, whether coaching can close it, and
// builds a greedy hiring plan for the rest: each hire takes the highest-scoring unfixable
// competency as its spike and up to three more as must-haves; the hire is simulated, its removed
// score reported, and the plan repeats on the simulated team (whose hires count as members with
// room for goals) until nothing is unfixable, a hire removes nothing, or MaxHires is reached.
func DevelopOrHire(in Input) Plan {
	in.Settings = in.Settings.withDefaults()
	s := in.Settings
	res := Analyze(in)
	gaps := res.Gaps()
	plan := Plan{Decisions: decide(gaps, in.People, s)}

	team, decisions := in, plan.Decisions
	for len(plan.Hires) < s.MaxHires {
		var unfixable []CompetencyStat
		for i, d := range decisions {
			if d.Action == ActionHire {
				unfixable = append(unfixable, gaps[i])
			}
		}
		if len(unfixable) == 0 {
			break
		}
		h := newHire(unfixable, s)
		n := len(plan.Hires) + 1
		next := team
		next.People = append(slices.Clip(team.People), h.AsPerson(-int64(n), fmt.Sprintf("Hire %d", n)))
		after := Analyze(next)
		if after.TotalScore >= res.TotalScore-1e-9 {
			break // the hire removes nothing
		}
		h.ScoreBefore, h.ScoreAfter = res.TotalScore, after.TotalScore
		h.ScoreRemoved = res.TotalScore - after.TotalScore
		h.Brief = hireBrief(h, unfixable, s)
		plan.Hires = append(plan.Hires, h)

		team, res = next, after
		gaps = res.Gaps()
		decisions = decide(gaps, team.People, s)
	}
	return plan
}

// decide makes one Decision per competency in gaps, in the same order.
func decide(gaps []CompetencyStat, people []Person, s Settings) []Decision {
	decisions := make([]Decision, 0, len(gaps))
	for _, st := range gaps {
		decisions = append(decisions, decideOne(st, people, s))
	}
	return decisions
}

// decideOne applies the growable rule to one competency that is not ok: it is growable when
// shortDep ≤ 1 and, among the members with room for another goal (OpenGoals < MaxGoals), at least
// shortCov sit at B−1 and, if shortDep = 1, at least one sits at d−1 (one member may count for
// both). Otherwise the action is hire.
func decideOne(st CompetencyStat, people []Person, s Settings) Decision {
	d := Decision{Competency: st.Key, Status: st.Status, Score: st.Score, Action: ActionHire}
	c := Competency{Key: st.Key, LeadsOnly: st.LeadsOnly} // all inScope needs: archived ones never get here
	covLevel, depLevel := s.Breadth-1, st.Target.Depth-1
	var forCov, forDep, teachers []Candidate
	for _, p := range people {
		if !inScope(c, p) {
			continue
		}
		r, ok := p.rating(c.Key)
		if !ok {
			continue
		}
		me := Candidate{ID: p.ID, Name: p.Name, Level: r}
		if r == MaxLevel {
			teachers = append(teachers, me)
			d.Teachers = append(d.Teachers, p.ID)
		}
		if p.OpenGoals >= s.MaxGoals {
			continue
		}
		cov := st.ShortCov > 0 && r == covLevel
		dep := st.ShortDep == 1 && r == depLevel
		if cov {
			forCov = append(forCov, me)
		}
		if dep {
			forDep = append(forDep, me)
		}
		if cov || dep {
			d.Candidates = append(d.Candidates, me)
		}
	}

	tooDeep := st.ShortDep >= 2
	fewCov := len(forCov) < st.ShortCov
	noDep := st.ShortDep == 1 && len(forDep) == 0
	if tooDeep || fewCov || noDep {
		d.Candidates = nil // candidates only make sense when coaching can close the gap
	} else {
		d.Action = ActionDevelop
	}
	// explain writes the reason, listing people with who: by name, or counted.
	explain := func(who func([]Candidate) string) string {
		var why []string
		switch {
		case tooDeep:
			why = append(why, fmt.Sprintf("deepest is %d, target %d: too far to close by coaching", st.Depth, st.Target.Depth))
		case fewCov:
			why = append(why, fmt.Sprintf("needs %d more at %s level; members at %d with room for another goal: %s",
				st.ShortCov, levelName(s.Breadth), covLevel, who(forCov)))
		case noDep:
			why = append(why, fmt.Sprintf("deepest is %d, target %d; members at %d with room for another goal: none",
				st.Depth, st.Target.Depth, depLevel))
		default:
			if st.ShortCov > 0 {
				why = append(why, fmt.Sprintf("%s at %d can grow to %s level (%d needed)",
					who(forCov), covLevel, levelName(s.Breadth), st.ShortCov))
			}
			if st.ShortDep == 1 {
				why = append(why, fmt.Sprintf("%s at %d can grow to %d (deepest is %d)",
					who(forDep), depLevel, st.Target.Depth, st.Depth))
			}
		}
		if len(teachers) > 0 {
			why = append(why, who(teachers)+" can teach")
		}
		return strings.Join(why, "; ")
	}
	d.Reason, d.Summary = explain(names), explain(count)
	return d
}

// newHire builds the profile of the next hire from the unfixable competencies, highest score
// first: the first is the spike, the next three (at most) are must-haves. Scores and Brief are
// filled in by the caller once the hire is simulated.
func newHire(unfixable []CompetencyStat, s Settings) HireProfile {
	spike := unfixable[0]
	h := HireProfile{
		Spike:  spike.Key,
		Levels: map[string]int{spike.Key: min(MaxLevel, max(s.Depth, spike.Target.Depth))},
		Lead:   spike.LeadsOnly,
	}
	keys := []string{spike.Key}
	for _, st := range unfixable[1:min(4, len(unfixable))] {
		h.MustHaves = append(h.MustHaves, st.Key)
		h.Levels[st.Key] = s.Breadth
		h.Lead = h.Lead || st.LeadsOnly
		keys = append(keys, st.Key)
	}
	h.Tags = tagsFor(keys)
	h.Backgrounds = backgroundsFor(keys)
	h.Title = titleFor(h.Lead, h.Tags)
	return h
}

// AsPerson turns the profile into a hypothetical member, rated at the profile's levels, with the
// first suggested background and no open goals — e.g. to pass to WhatIf.
func (h HireProfile) AsPerson(id int64, name string) Person {
	p := Person{ID: id, Name: name, Lead: h.Lead, Ratings: maps.Clone(h.Levels), Tags: slices.Clone(h.Tags)}
	if len(h.Backgrounds) > 0 {
		p.Background = h.Backgrounds[0]
	}
	return p
}

// hireBrief writes the plain-text brief of h; stats are the unfixable competencies it was built
// from (for their names). It names no team member.
func hireBrief(h HireProfile, stats []CompetencyStat, s Settings) string {
	name := func(key string) string {
		for _, st := range stats {
			if st.Key == key && st.Name != "" {
				return st.Name
			}
		}
		return key
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: a product manager who is %s (%d+) in %s",
		h.Title, levelName(h.Levels[h.Spike]), h.Levels[h.Spike], name(h.Spike))
	if len(h.MustHaves) > 0 {
		must := make([]string, len(h.MustHaves))
		for i, k := range h.MustHaves {
			must[i] = name(k)
		}
		fmt.Fprintf(&b, " and at least %s level (%d+) in %s", levelName(s.Breadth), s.Breadth, strings.Join(must, ", "))
	}
	b.WriteString(".")
	if h.Lead {
		b.WriteString(" This is a lead role (Group PM).")
	}
	if len(h.Tags) > 0 {
		fmt.Fprintf(&b, " Specialisms that fit: %s.", strings.Join(h.Tags, ", "))
	}
	if len(h.Backgrounds) > 0 {
		labels := make([]string, len(h.Backgrounds))
		for i, k := range h.Backgrounds {
			labels[i] = backgroundLabel(k)
		}
		fmt.Fprintf(&b, " Backgrounds that often bring these strengths: %s.", strings.Join(labels, "; "))
	}
	fmt.Fprintf(&b, " This hire would remove %.2f of the team's %.2f gap score.", h.ScoreRemoved, h.ScoreBefore)
	return b.String()
}

// count counts people without naming them: "1 member", "2 members", "none" for nobody.
func count(people []Candidate) string {
	switch len(people) {
	case 0:
		return "none"
	case 1:
		return "1 member"
	}
	return fmt.Sprintf("%d members", len(people))
}

// names lists people by name, "none" for nobody.
func names(people []Candidate) string {
	if len(people) == 0 {
		return "none"
	}
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = displayName(p.ID, p.Name)
	}
	return strings.Join(out, ", ")
}
