package shape

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Statuses of a competency for the team.
const (
	StatusGap  = "gap"  // nobody covers it, or the deepest person is 2+ levels short
	StatusRisk = "risk" // too few cover it, or the deepest person is 1 level short
	StatusOK   = "ok"
)

// Input is everything the analysis needs about one team.
type Input struct {
	Competencies []Competency      // the framework, in framework order
	People       []Person          // the team's members (not its leaders or HR partners)
	Targets      map[string]Target // per competency key; missing or zero fields use the defaults
	Settings     Settings          // zero fields use DefaultSettings
}

// CompetencyStat is the team's standing in one competency.
type CompetencyStat struct {
	Key, Name, Area, AreaName string
	LeadsOnly                 bool    // only leads count towards it
	Coverage                  int     // people with r ≥ B (also the bus factor)
	Depth                     int     // max r (0 if nobody is assessed)
	Assessed                  int     // people with a rating
	Teachers                  int     // people with r = 5
	CoveredBy                 []int64 // ids of the people with r ≥ B, team order
	Target                    Target  // effective target after defaults
	ShortCov, ShortDep        int     // max(0, k − coverage), max(0, d − depth)
	Status                    string  // one of the Status constants
	Score                     float64 // w · ½ · (shortCov/k + shortDep/d)
	Why                       string  // short human reason, e.g. "only Maya is proficient"
}

// KeyPersonRisk is a person who alone covers two or more competencies.
type KeyPersonRisk struct {
	PersonID     int64
	Name         string
	Competencies []string // keys, framework order
}

// Result is the analysis of one team.
type Result struct {
	People         []PersonShape    // team order
	Competencies   []CompetencyStat // team scope, framework order
	KeyPersonRisks []KeyPersonRisk  // most competencies first, then team order
	TotalScore     float64          // Σ score
	Counts         map[string]int   // status → number of competencies (all three statuses present)
}

// Analyze computes every person's shape and the team's coverage, depth, status and score per
// competency.
//
// The team's scope is the non-archived competencies; a leads-only competency is in it only if at
// least one member is a lead, and then only leads count towards it.
func Analyze(in Input) Result {
	s := in.Settings.withDefaults()
	res := Result{Counts: map[string]int{StatusGap: 0, StatusRisk: 0, StatusOK: 0}}
	for _, p := range in.People {
		res.People = append(res.People, shapeOf(p, in.Competencies, s))
	}
	hasLead := slices.ContainsFunc(in.People, func(p Person) bool { return p.Lead })
	for _, c := range in.Competencies {
		if c.Archived || (c.LeadsOnly && !hasLead) {
			continue
		}
		st := statOf(c, in.People, s.target(c, in.Targets[c.Key]), s)
		res.Competencies = append(res.Competencies, st)
		res.TotalScore += st.Score
		res.Counts[st.Status]++
	}
	res.KeyPersonRisks = keyPersonRisks(res.Competencies, in.People)
	return res
}

// Gaps returns the competencies that are not ok, highest score first; ties keep framework order.
func (r Result) Gaps() []CompetencyStat {
	var gaps []CompetencyStat
	for _, st := range r.Competencies {
		if st.Status != StatusOK {
			gaps = append(gaps, st)
		}
	}
	slices.SortStableFunc(gaps, func(a, b CompetencyStat) int { return cmp.Compare(b.Score, a.Score) })
	return gaps
}

// statOf computes the team's standing in c against the effective target t.
func statOf(c Competency, people []Person, t Target, s Settings) CompetencyStat {
	st := CompetencyStat{Key: c.Key, Name: c.Name, Area: c.Area, AreaName: c.AreaName, LeadsOnly: c.LeadsOnly, Target: t}
	var sole Candidate // the first person covering c; the only one when Coverage == 1
	for _, p := range people {
		if !inScope(c, p) {
			continue
		}
		r, ok := p.rating(c.Key)
		if !ok {
			continue
		}
		st.Assessed++
		st.Depth = max(st.Depth, r)
		if r >= s.Breadth {
			if st.Coverage == 0 {
				sole = Candidate{ID: p.ID, Name: p.Name, Level: r}
			}
			st.Coverage++
			st.CoveredBy = append(st.CoveredBy, p.ID)
		}
		if r == MaxLevel {
			st.Teachers++
		}
	}
	st.ShortCov = max(0, t.Coverage-st.Coverage)
	st.ShortDep = max(0, t.Depth-st.Depth)
	st.Status = status(st.Coverage, st.ShortCov, st.ShortDep)
	st.Score = score(t, st.ShortCov, st.ShortDep)
	st.Why = why(st, sole, s)
	return st
}

// status classifies a competency: gap if nobody covers it or depth is 2+ short; risk if coverage
// or depth falls short at all; else ok.
func status(coverage, shortCov, shortDep int) string {
	switch {
	case coverage == 0 || shortDep >= 2:
		return StatusGap
	case shortCov > 0 || shortDep == 1:
		return StatusRisk
	default:
		return StatusOK
	}
}

// score = w · ½ · (shortCov/k + shortDep/d); a zero k or d drops its term.
func score(t Target, shortCov, shortDep int) float64 {
	var sum float64
	if t.Coverage > 0 {
		sum += float64(shortCov) / float64(t.Coverage)
	}
	if t.Depth > 0 {
		sum += float64(shortDep) / float64(t.Depth)
	}
	return float64(t.Criticality) * sum / 2
}

// why explains a competency's status in a few words; sole is the first person covering it.
func why(st CompetencyStat, sole Candidate, s Settings) string {
	if st.Assessed == 0 {
		return "nobody assessed"
	}
	var parts []string
	switch {
	case st.Coverage == 0:
		parts = append(parts, "nobody at "+levelName(s.Breadth)+" level")
	case st.ShortCov > 0 && st.Coverage == 1:
		parts = append(parts, "only "+displayName(sole.ID, sole.Name)+" is "+levelPhrase(sole.Level))
	case st.ShortCov > 0:
		parts = append(parts, fmt.Sprintf("only %d at %s level, target %d", st.Coverage, levelName(s.Breadth), st.Target.Coverage))
	}
	if st.ShortDep > 0 {
		parts = append(parts, fmt.Sprintf("deepest is %d, target %d", st.Depth, st.Target.Depth))
	}
	if len(parts) == 0 {
		return "meets target"
	}
	return strings.Join(parts, "; ")
}

// keyPersonRisks finds the people who are the only coverage of two or more competencies.
func keyPersonRisks(stats []CompetencyStat, people []Person) []KeyPersonRisk {
	sole := map[int64][]string{} // person id → competencies they alone cover, framework order
	for _, st := range stats {
		if st.Coverage == 1 {
			sole[st.CoveredBy[0]] = append(sole[st.CoveredBy[0]], st.Key)
		}
	}
	var risks []KeyPersonRisk
	for _, p := range people {
		if keys := sole[p.ID]; len(keys) >= 2 {
			risks = append(risks, KeyPersonRisk{PersonID: p.ID, Name: p.Name, Competencies: keys})
			delete(sole, p.ID) // report a duplicated id once
		}
	}
	slices.SortStableFunc(risks, func(a, b KeyPersonRisk) int {
		return cmp.Compare(len(b.Competencies), len(a.Competencies))
	})
	return risks
}

// levelName names a level of the scale ("working", "proficient", …).
func levelName(level int) string {
	if level < MinLevel || level > MaxLevel {
		return fmt.Sprintf("level %d", level)
	}
	return levelNames[level]
}

// levelPhrase completes "Maya is …": "at working level", "proficient", "an expert".
func levelPhrase(level int) string {
	switch level {
	case 4:
		return "proficient"
	case MaxLevel:
		return "an expert"
	default:
		return "at " + levelName(level) + " level"
	}
}

// displayName is a person's name, or "#id" when they have none.
func displayName(id int64, name string) string {
	if name == "" {
		return fmt.Sprintf("#%d", id)
	}
	return name
}
