package shape

// MinContributors is the disclosure rule's threshold: a figure is shown to a viewer who may
// not see individuals (a PM looking at their team, an HR partner, a mentor) only if at least
// this many people contribute to it. With one contributor a team's depth in a competency is
// that person's rating; with two, either of them reads the other's from it.
const MinContributors = 3

// Disclosure is the part of a team's input that a viewer who may not see individuals is
// analysed on, and what was withheld from it.
type Disclosure struct {
	// Input holds only the disclosed competencies, and its people hold ratings in those
	// alone. Everything computed from it (statuses, scores, totals, gaps, key-person risks,
	// staffing, hiring suggestions) is computed from disclosed figures only.
	Input Input
	// Withheld are the competencies of the team's scope that fewer than MinContributors
	// people are rated in, framework order.
	Withheld []Competency
}

// Disclose applies the disclosure rule to a team: a competency of the team's scope (as in
// Analyze: not archived; leads-only ones count only leads, and are out of scope without a
// lead) is disclosed when at least MinContributors people in scope are rated in it. The
// others are withheld, and every rating in them is dropped from the input, so no figure
// computed from it can depend on them.
//
// This is the one place the rule is decided; insight.Team.For applies it to every view.
func Disclose(in Input) Disclosure {
	hasLead := false
	for _, p := range in.People {
		hasLead = hasLead || p.Lead
	}
	shown := map[string]bool{}
	out := Disclosure{Input: in}
	out.Input.Competencies = nil
	for _, c := range in.Competencies {
		if c.Archived || (c.LeadsOnly && !hasLead) {
			continue
		}
		n := 0
		for _, p := range in.People {
			if _, ok := p.rating(c.Key); ok && inScope(c, p) {
				n++
			}
		}
		if n < MinContributors {
			out.Withheld = append(out.Withheld, c)
			continue
		}
		shown[c.Key] = true
		out.Input.Competencies = append(out.Input.Competencies, c)
	}
	out.Input.People = make([]Person, len(in.People))
	for i, p := range in.People {
		kept := make(map[string]int, len(p.Ratings))
		for k, r := range p.Ratings {
			if shown[k] {
				kept[k] = r
			}
		}
		p.Ratings = kept
		out.Input.People[i] = p
	}
	return out
}

// WithheldKeys returns the keys of the withheld competencies, as a set.
func (d Disclosure) WithheldKeys() map[string]bool {
	out := make(map[string]bool, len(d.Withheld))
	for _, c := range d.Withheld {
		out[c.Key] = true
	}
	return out
}
