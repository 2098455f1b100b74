package shape

import (
	"reflect"
	"testing"
)

// trio builds Ann (1), Bob (2) and Cy (3) rated levels[i] in key; a negative level means "not
// assessed".
func trio(key string, levels ...int) []Person {
	names := []string{"Ann", "Bob", "Cy"}
	var people []Person
	for i, l := range levels {
		p := Person{ID: int64(i + 1), Name: names[i]}
		if l >= 0 {
			p.Ratings = map[string]int{key: l}
		}
		people = append(people, p)
	}
	return people
}

func TestCompetencyStatus(t *testing.T) {
	// One competency; defaults k = 2, d = 4, w = 2 unless the row sets a target.
	// score = w · ½ · (shortCov/k + shortDep/d).
	const no = -1 // not assessed
	tests := []struct {
		name      string
		target    Target
		levels    []int // Ann, Bob, Cy
		want      Target
		coverage  int
		depth     int
		assessed  int
		teachers  int
		coveredBy []int64
		shortCov  int
		shortDep  int
		status    string
		score     float64
		why       string
	}{
		{
			// cov 3 ≥ 2, depth 4 ≥ 4.
			name: "ok", levels: []int{3, 3, 4}, want: Target{2, 4, 2},
			coverage: 3, depth: 4, assessed: 3, coveredBy: []int64{1, 2, 3},
			status: StatusOK, score: 0, why: "meets target",
		},
		{
			// cov 2 = k exactly, depth 4 = d exactly.
			name: "ok at both boundaries", levels: []int{3, 4}, want: Target{2, 4, 2},
			coverage: 2, depth: 4, assessed: 2, coveredBy: []int64{1, 2},
			status: StatusOK, score: 0, why: "meets target",
		},
		{
			// cov 1 → shortCov 1; 2·½·(1/2 + 0/4) = 0.5.
			name: "risk: one short on coverage", levels: []int{4, 2}, want: Target{2, 4, 2},
			coverage: 1, depth: 4, assessed: 2, coveredBy: []int64{1},
			shortCov: 1, status: StatusRisk, score: 0.5, why: "only Ann is proficient",
		},
		{
			// depth 3 → shortDep 1; 2·½·(0/2 + 1/4) = 0.25.
			name: "risk: one short on depth", levels: []int{3, 3}, want: Target{2, 4, 2},
			coverage: 2, depth: 3, assessed: 2, coveredBy: []int64{1, 2},
			shortDep: 1, status: StatusRisk, score: 0.25, why: "deepest is 3, target 4",
		},
		{
			// The brief's example: k=2, cov=1, d=4, depth=3, w=2 → 2·½·(1/2 + 1/4) = 0.75.
			name: "risk: short on both", levels: []int{3, 2}, want: Target{2, 4, 2},
			coverage: 1, depth: 3, assessed: 2, coveredBy: []int64{1},
			shortCov: 1, shortDep: 1, status: StatusRisk, score: 0.75,
			why: "only Ann is at working level; deepest is 3, target 4",
		},
		{
			// cov 0 → gap; shortCov 2, shortDep 4−2 = 2; 2·½·(2/2 + 2/4) = 1.5.
			name: "gap: nobody covers", levels: []int{2, 2}, want: Target{2, 4, 2},
			coverage: 0, depth: 2, assessed: 2,
			shortCov: 2, shortDep: 2, status: StatusGap, score: 1.5,
			why: "nobody at working level; deepest is 2, target 4",
		},
		{
			// d = 3: shortDep 1 alone would be a risk, but coverage 0 makes it a gap;
			// 2·½·(2/2 + 1/3) = 4/3.
			name: "gap: coverage 0 with depth one short", target: Target{Depth: 3}, levels: []int{2}, want: Target{2, 3, 2},
			coverage: 0, depth: 2, assessed: 1,
			shortCov: 2, shortDep: 1, status: StatusGap, score: 4.0 / 3,
			why: "nobody at working level; deepest is 2, target 3",
		},
		{
			// d = 5, depth 3 → shortDep 2 → gap though coverage is met; 2·½·(0 + 2/5) = 0.4.
			name: "gap: depth two short", target: Target{Depth: 5}, levels: []int{3, 3}, want: Target{2, 5, 2},
			coverage: 2, depth: 3, assessed: 2, coveredBy: []int64{1, 2},
			shortDep: 2, status: StatusGap, score: 0.4, why: "deepest is 3, target 5",
		},
		{
			// cov 0, depth 0 → 2·½·(2/2 + 4/4) = 2.
			name: "nobody assessed", levels: []int{no, no}, want: Target{2, 4, 2},
			shortCov: 2, shortDep: 4, status: StatusGap, score: 2, why: "nobody assessed",
		},
		{
			// A 0 is assessed: same numbers as above, a different reason.
			name: "unexposed is assessed", levels: []int{0}, want: Target{2, 4, 2},
			assessed: 1, shortCov: 2, shortDep: 4, status: StatusGap, score: 2,
			why: "nobody at working level; deepest is 0, target 4",
		},
		{
			// w = 3: 3·½·(1/2) = 0.75.
			name: "criticality 3", target: Target{Criticality: 3}, levels: []int{4}, want: Target{2, 4, 3},
			coverage: 1, depth: 4, assessed: 1, coveredBy: []int64{1},
			shortCov: 1, status: StatusRisk, score: 0.75, why: "only Ann is proficient",
		},
		{
			// w = 9 is clamped to 3: 0.75 as above.
			name: "criticality clamped to 3", target: Target{Criticality: 9}, levels: []int{4}, want: Target{2, 4, 3},
			coverage: 1, depth: 4, assessed: 1, coveredBy: []int64{1},
			shortCov: 1, status: StatusRisk, score: 0.75, why: "only Ann is proficient",
		},
		{
			// w = 1: 1·½·(1/2) = 0.25; Ann at 5 is a teacher.
			name: "criticality 1", target: Target{Criticality: 1}, levels: []int{5, 1}, want: Target{2, 4, 1},
			coverage: 1, depth: 5, assessed: 2, teachers: 1, coveredBy: []int64{1},
			shortCov: 1, status: StatusRisk, score: 0.25, why: "only Ann is an expert",
		},
		{
			// k = 3: shortCov 1, shortDep 1 → 2·½·(1/3 + 1/4) = 7/12.
			name: "coverage target 3", target: Target{Coverage: 3}, levels: []int{3, 3}, want: Target{3, 4, 2},
			coverage: 2, depth: 3, assessed: 2, coveredBy: []int64{1, 2},
			shortCov: 1, shortDep: 1, status: StatusRisk, score: 7.0 / 12,
			why: "only 2 at working level, target 3; deepest is 3, target 4",
		},
		{
			// k = 1, d = 3: one person at 3 meets both.
			name: "lower targets met", target: Target{Coverage: 1, Depth: 3}, levels: []int{3}, want: Target{1, 3, 2},
			coverage: 1, depth: 3, assessed: 1, coveredBy: []int64{1},
			status: StatusOK, score: 0, why: "meets target",
		},
		{
			// 7 is clamped to 5: depth 5, a teacher; 2·½·(1/2) = 0.5.
			name: "out-of-range rating clamped", levels: []int{7}, want: Target{2, 4, 2},
			coverage: 1, depth: 5, assessed: 1, teachers: 1, coveredBy: []int64{1},
			shortCov: 1, status: StatusRisk, score: 0.5, why: "only Ann is an expert",
		},
		{
			// Two teachers; the unassessed Cy counts nowhere.
			name: "teachers", levels: []int{5, 5, no}, want: Target{2, 4, 2},
			coverage: 2, depth: 5, assessed: 2, teachers: 2, coveredBy: []int64{1, 2},
			status: StatusOK, score: 0, why: "meets target",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{
				Competencies: []Competency{{Key: spec, Name: "Specification", Area: "execution"}},
				People:       trio(spec, tt.levels...),
				Targets:      map[string]Target{spec: tt.target},
			}
			res := Analyze(in)
			got := stat(t, res, spec)
			want := CompetencyStat{
				Key: spec, Name: "Specification", Area: "execution",
				Coverage: tt.coverage, Depth: tt.depth, Assessed: tt.assessed, Teachers: tt.teachers,
				CoveredBy: tt.coveredBy, Target: tt.want, ShortCov: tt.shortCov, ShortDep: tt.shortDep,
				Status: tt.status, Score: tt.score, Why: tt.why,
			}
			if !near(got.Score, want.Score) {
				t.Errorf("score = %v, want %v", got.Score, want.Score)
			}
			got.Score = want.Score
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			if !near(res.TotalScore, tt.score) {
				t.Errorf("total = %v, want %v", res.TotalScore, tt.score)
			}
		})
	}
}

func TestAnalyzeEmptyTeam(t *testing.T) {
	// No members: no lead, so coaching is out; retired is archived. Each of the four remaining
	// competencies is a gap scored 2·½·(2/2 + 4/4) = 2; total 4·2 = 8.
	res := Analyze(Input{Competencies: smallFramework()})
	if got, want := keys(res.Competencies), []string{spec, del, research, ana}; !reflect.DeepEqual(got, want) {
		t.Fatalf("competencies = %v, want %v", got, want)
	}
	for _, st := range res.Competencies {
		if st.Status != StatusGap || st.Score != 2 || st.Why != "nobody assessed" {
			t.Errorf("%s: %s %v %q, want gap 2 \"nobody assessed\"", st.Key, st.Status, st.Score, st.Why)
		}
	}
	if res.TotalScore != 8 {
		t.Errorf("total = %v, want 8", res.TotalScore)
	}
	if want := map[string]int{StatusGap: 4, StatusRisk: 0, StatusOK: 0}; !reflect.DeepEqual(res.Counts, want) {
		t.Errorf("counts = %v, want %v", res.Counts, want)
	}
	if res.People != nil || res.KeyPersonRisks != nil || res.Gaps() == nil {
		t.Errorf("people %v, risks %v, gaps %v", res.People, res.KeyPersonRisks, res.Gaps())
	}

	// No framework either: nothing to score.
	res = Analyze(Input{})
	if res.Competencies != nil || res.TotalScore != 0 || res.Gaps() != nil {
		t.Errorf("empty input: %+v", res)
	}
}

func TestAnalyzeNobodyAssessed(t *testing.T) {
	// Two members without ratings: the same four gaps as an empty team (total 8), and both
	// members are "developing" with n = 4, nothing assessed.
	in := Input{Competencies: smallFramework(), People: []Person{{ID: 1, Name: "Ann"}, {ID: 2, Name: "Bob"}}}
	res := Analyze(in)
	if res.TotalScore != 8 || res.Counts[StatusGap] != 4 {
		t.Errorf("total %v, counts %v; want 8 and 4 gaps", res.TotalScore, res.Counts)
	}
	for _, p := range res.People {
		if p.Shape != ShapeDeveloping || p.Assessed != 0 || p.InScope != 4 || p.Breadth != 0 {
			t.Errorf("%s: %+v", p.Name, p)
		}
	}
}

func TestAnalyzeOnePerson(t *testing.T) {
	// Ann alone: coverage is 1 wherever she is ≥ 3, so shortCov = 1 everywhere.
	//   spec  4: shortDep 0 → 2·½·(1/2)       = 0.5  risk
	//   del   3: shortDep 1 → 2·½·(1/2 + 1/4) = 0.75 risk
	//   resch 3: as del                        = 0.75 risk
	//   ana   5: shortDep 0                    = 0.5  risk, 1 teacher
	// total 2.5. She alone covers all four: a key-person risk. Her shape: 12/12 = 1, spikes in
	// execution and insight → M.
	ann := Person{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 4, del: 3, research: 3, ana: 5}}
	res := Analyze(Input{Competencies: smallFramework(), People: []Person{ann}})
	wantScores := map[string]float64{spec: 0.5, del: 0.75, research: 0.75, ana: 0.5}
	for _, st := range res.Competencies {
		if st.Status != StatusRisk || !near(st.Score, wantScores[st.Key]) {
			t.Errorf("%s: %s %v, want risk %v", st.Key, st.Status, st.Score, wantScores[st.Key])
		}
	}
	if got := stat(t, res, ana).Teachers; got != 1 {
		t.Errorf("analytics teachers = %d, want 1", got)
	}
	if !near(res.TotalScore, 2.5) {
		t.Errorf("total = %v, want 2.5", res.TotalScore)
	}
	want := []KeyPersonRisk{{PersonID: 1, Name: "Ann", Competencies: []string{spec, del, research, ana}}}
	if !reflect.DeepEqual(res.KeyPersonRisks, want) {
		t.Errorf("key-person risks = %+v, want %+v", res.KeyPersonRisks, want)
	}
	if p := res.People[0]; p.Shape != ShapeM || p.Breadth != 1 {
		t.Errorf("Ann: %+v, want M with breadth 1", p)
	}
}

func TestAnalyzeAllExperts(t *testing.T) {
	// Two experts everywhere (Bob's coaching 5 is ignored: nobody is a lead): coverage 2,
	// depth 5, 2 teachers, all ok, total 0; nobody is the only coverage of anything.
	all5 := map[string]int{spec: 5, del: 5, research: 5, ana: 5, coach: 5, retired: 5}
	res := Analyze(Input{Competencies: smallFramework(), People: []Person{
		{ID: 1, Name: "Ann", Ratings: all5}, {ID: 2, Name: "Bob", Ratings: all5},
	}})
	if got, want := keys(res.Competencies), []string{spec, del, research, ana}; !reflect.DeepEqual(got, want) {
		t.Fatalf("competencies = %v, want %v", got, want)
	}
	for _, st := range res.Competencies {
		if st.Status != StatusOK || st.Score != 0 || st.Coverage != 2 || st.Depth != 5 || st.Teachers != 2 ||
			!reflect.DeepEqual(st.CoveredBy, []int64{1, 2}) {
			t.Errorf("%s: %+v", st.Key, st)
		}
	}
	if res.TotalScore != 0 || res.Counts[StatusOK] != 4 || res.KeyPersonRisks != nil || res.Gaps() != nil {
		t.Errorf("total %v, counts %v, risks %v, gaps %v", res.TotalScore, res.Counts, res.KeyPersonRisks, res.Gaps())
	}
	for _, p := range res.People {
		if p.Shape != ShapeM {
			t.Errorf("%s: shape %s, want M", p.Name, p.Shape)
		}
	}
}

func TestAnalyzeLeadsOnly(t *testing.T) {
	ann := Person{ID: 1, Name: "Ann", Ratings: map[string]int{coach: 5}}
	lea := Person{ID: 2, Name: "Lea", Lead: true, Ratings: map[string]int{coach: 3}}

	t.Run("without a lead", func(t *testing.T) {
		res := Analyze(Input{Competencies: smallFramework(), People: []Person{ann}})
		if got, want := keys(res.Competencies), []string{spec, del, research, ana}; !reflect.DeepEqual(got, want) {
			t.Errorf("competencies = %v, want %v (no coaching)", got, want)
		}
	})
	t.Run("with a lead", func(t *testing.T) {
		// Only Lea counts: coverage 1, depth 3 (Ann's 5 ignored, so no teacher). Target coverage
		// defaults to 1 → shortCov 0; shortDep 4−3 = 1 → risk, 2·½·(0/1 + 1/4) = 0.25.
		res := Analyze(Input{Competencies: smallFramework(), People: []Person{ann, lea}})
		if got, want := keys(res.Competencies), []string{spec, del, research, ana, coach}; !reflect.DeepEqual(got, want) {
			t.Fatalf("competencies = %v, want %v", got, want)
		}
		got := stat(t, res, coach)
		want := CompetencyStat{
			Key: coach, Name: "Coaching", Area: "leadership", AreaName: "Product leadership", LeadsOnly: true,
			Coverage: 1, Depth: 3, Assessed: 1, CoveredBy: []int64{2}, Target: Target{1, 4, 2},
			ShortDep: 1, Status: StatusRisk, Score: 0.25, Why: "deepest is 3, target 4",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	})
	t.Run("with a lead and an explicit coverage target", func(t *testing.T) {
		// k = 2 → shortCov 1: 2·½·(1/2 + 1/4) = 0.75.
		res := Analyze(Input{Competencies: smallFramework(), People: []Person{ann, lea},
			Targets: map[string]Target{coach: {Coverage: 2}}})
		if got := stat(t, res, coach); got.Score != 0.75 || got.Why != "only Lea is at working level; deepest is 3, target 4" {
			t.Errorf("got %v %q", got.Score, got.Why)
		}
	})
}

func TestAnalyzeArchivedExcluded(t *testing.T) {
	// retired is archived: not in the result and not in anyone's n, however it is rated or targeted.
	res := Analyze(Input{
		Competencies: smallFramework(),
		People:       []Person{{ID: 1, Ratings: map[string]int{retired: 5}}},
		Targets:      map[string]Target{retired: {Coverage: 3}},
	})
	for _, st := range res.Competencies {
		if st.Key == retired {
			t.Fatal("archived competency in the result")
		}
	}
	if p := res.People[0]; p.InScope != 4 || p.Assessed != 0 || p.Spikes != nil {
		t.Errorf("person: %+v", p)
	}
}

func TestKeyPersonRisks(t *testing.T) {
	t.Run("one key person", func(t *testing.T) {
		// spec: only Ann (4); del: only Ann (3); research: only Bob (3); analytics: Ann and Bob.
		// Ann alone covers two → a risk; Bob alone covers one → not.
		res := Analyze(Input{Competencies: smallFramework(), People: []Person{
			{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 4, del: 3, research: 2, ana: 3}},
			{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 2, del: 2, research: 3, ana: 3}},
		}})
		want := []KeyPersonRisk{{PersonID: 1, Name: "Ann", Competencies: []string{spec, del}}}
		if !reflect.DeepEqual(res.KeyPersonRisks, want) {
			t.Errorf("got %+v, want %+v", res.KeyPersonRisks, want)
		}
	})
	t.Run("most competencies first", func(t *testing.T) {
		// Ann alone covers spec and del (2), Cy alone covers research, analytics and vision (3):
		// Cy comes first although Ann comes first in the team.
		comps := append(smallFramework(), Competency{Key: vision, Area: "strategy"})
		res := Analyze(Input{Competencies: comps, People: []Person{
			{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 3, del: 3}},
			{ID: 3, Name: "Cy", Ratings: map[string]int{research: 3, ana: 3, vision: 3}},
		}})
		want := []KeyPersonRisk{
			{PersonID: 3, Name: "Cy", Competencies: []string{research, ana, vision}},
			{PersonID: 1, Name: "Ann", Competencies: []string{spec, del}},
		}
		if !reflect.DeepEqual(res.KeyPersonRisks, want) {
			t.Errorf("got %+v, want %+v", res.KeyPersonRisks, want)
		}
	})
}

func TestGapsOrder(t *testing.T) {
	// Scores: spec 0.5 (Ann alone, depth 4), del 0.5 (Ann alone, depth 5), research 0.75
	// (Ann alone at 3), analytics 0 (ok). Gaps: research first, then the 0.5 tie in framework
	// order (spec before del); analytics left out.
	res := Analyze(Input{Competencies: smallFramework(), People: []Person{
		{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 4, del: 5, research: 3, ana: 4}},
		{ID: 2, Name: "Bob", Ratings: map[string]int{ana: 3}},
	}})
	if got, want := keys(res.Gaps()), []string{research, spec, del}; !reflect.DeepEqual(got, want) {
		t.Errorf("gaps = %v, want %v", got, want)
	}
}

func TestZeroSettingsMeanDefaults(t *testing.T) {
	in := Input{Competencies: smallFramework(), People: []Person{
		{ID: 1, Name: "Ann", Lead: true, Ratings: map[string]int{spec: 4, del: 2, coach: 3}, OpenGoals: 1},
		{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 2, research: 3, ana: 5}},
	}}
	zero := Analyze(in)
	in.Settings = DefaultSettings()
	if def := Analyze(in); !reflect.DeepEqual(zero, def) {
		t.Errorf("zero settings:\n%+v\ndefault settings:\n%+v", zero, def)
	}
	// A partial setting keeps the other defaults: B = 2 makes Bob's 2 in spec count.
	in.Settings = Settings{Breadth: 2}
	if got := stat(t, Analyze(in), spec).Coverage; got != 2 {
		t.Errorf("coverage at B = 2: %d, want 2", got)
	}
}

func TestDeterministic(t *testing.T) {
	in := benchInput(40, 1)
	a, b := Analyze(in), Analyze(in)
	if !reflect.DeepEqual(a, b) {
		t.Error("Analyze differs between runs")
	}
	if !reflect.DeepEqual(DevelopOrHire(in), DevelopOrHire(in)) {
		t.Error("DevelopOrHire differs between runs")
	}
}
