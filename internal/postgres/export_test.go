package postgres

// RollupStatement is a statement of the organisation view with its arguments by name
// (org, admin, true, teams, members, as-of, as-ofs), for BenchmarkOrgRollup, which runs
// them bare next to the view that runs them.
type RollupStatement struct {
	Name, SQL string
	Args      []string
}

// RollupStatements are the statements of the organisation view, in the order it runs them.
var RollupStatements = []RollupStatement{
	{"teams", findTeamsForActor, []string{"org", "admin", "true"}},
	{"areas", findAreas, []string{"org"}},
	{"competencies", findCompetencies, []string{"org"}},
	{"teams people", findTeamsPeople, []string{"org", "teams"}},
	{"ratings", findEffectiveRatings, []string{"org", "members", "as-ofs"}},
	{"teams targets", findTeamsTargets, []string{"org", "teams"}},
}
