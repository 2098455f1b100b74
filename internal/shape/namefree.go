package shape

// NameFreeWhy explains st's status like CompetencyStat.Why, but never names a person: where Why
// says "only Maya is proficient" it says "only one person is proficient". Aggregate views (team
// members, HR partners) show this text.
//
// With a coverage of one, the sole person covering c is the deepest (everyone else is below B),
// so their level is st.Depth.
func NameFreeWhy(st CompetencyStat, s Settings) string {
	return why(st, Candidate{ID: 0, Name: "one person", Level: st.Depth}, s.withDefaults())
}
