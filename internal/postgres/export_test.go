package postgres

// The statements of the organisation view, for the benchmarks of package postgres_test
// (BenchmarkOrgRollup runs them bare, next to the view that runs them).
var RollupStatements = map[string]string{
	"teams":         findTeamsForActor,
	"areas":         findAreas,
	"competencies":  findCompetencies,
	"teams people":  findTeamsPeople,
	"ratings":       findEffectiveRatings,
	"teams targets": findTeamsTargets,
}
