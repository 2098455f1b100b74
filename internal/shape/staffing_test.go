package shape

import (
	"reflect"
	"testing"
)

func TestStaff(t *testing.T) {
	// A hand-worked team (ids 1..4): Dee is the only lead; Bob's coaching rating does not count
	// because coaching is leads-only; Dee is not assessed in analytics (never the same as 0).
	//
	//            spec  del  research  analytics  coaching
	//   Ann (1)    4    –      3          2          –
	//   Bob (2)    4    –      2          5          4
	//   Cy  (3)    3    4      4          4          –
	//   Dee (4)    –    –      –          –          3   (lead)
	in := Input{
		Competencies: smallFramework(),
		People: []Person{
			{ID: 1, Name: "Ann", Ratings: map[string]int{spec: 4, research: 3, ana: 2}},
			{ID: 2, Name: "Bob", Ratings: map[string]int{spec: 4, research: 2, ana: 5, coach: 4}},
			{ID: 3, Name: "Cy", Ratings: map[string]int{spec: 3, del: 4, research: 4, ana: 4}},
			{ID: 4, Name: "Dee", Lead: true, Ratings: map[string]int{coach: 3}},
		},
	}
	type row struct {
		key    string
		people []int64
		status string
	}
	tests := []struct {
		name   string
		reqs   []Requirement
		status string
		rows   []row
		sole   []SinglePoint
	}{
		{
			name: "nothing linked", reqs: nil, status: Unlinked,
		},
		{
			// spec ≥ 4: Ann, Bob; analytics ≥ 4: Bob (5), Cy (4) — two each.
			name: "staffed", reqs: []Requirement{{spec, 4}, {ana, 4}}, status: Staffed,
			rows: []row{{spec, []int64{1, 2}, Staffed}, {ana, []int64{2, 3}, Staffed}},
		},
		{
			// research ≥ 3: Ann (3), Cy (4); research ≥ 4: Cy alone.
			name: "fragile", reqs: []Requirement{{spec, 4}, {research, 4}}, status: Fragile,
			rows: []row{{spec, []int64{1, 2}, Staffed}, {research, []int64{3}, Fragile}},
			sole: []SinglePoint{{PersonID: 3, Name: "Cy", Competencies: []string{research}}},
		},
		{
			// Cy alone at research ≥ 4 and delivery ≥ 4: one person, two competencies.
			name: "one person holds two", reqs: []Requirement{{research, 4}, {del, 4}}, status: Fragile,
			rows: []row{{research, []int64{3}, Fragile}, {del, []int64{3}, Fragile}},
			sole: []SinglePoint{{PersonID: 3, Name: "Cy", Competencies: []string{research, del}}},
		},
		{
			// spec ≥ 5: nobody → unstaffed, worse than the fragile rows; Bob (analytics 5) and
			// Cy (research 4) are single points, listed in team order.
			name: "unstaffed", reqs: []Requirement{{research, 4}, {ana, 5}, {spec, 5}}, status: Unstaffed,
			rows: []row{{research, []int64{3}, Fragile}, {ana, []int64{2}, Fragile}, {spec, []int64{}, Unstaffed}},
			sole: []SinglePoint{{PersonID: 2, Name: "Bob", Competencies: []string{ana}}, {PersonID: 3, Name: "Cy", Competencies: []string{research}}},
		},
		{
			// coaching is leads-only: Bob's 4 does not count, Dee's 3 does.
			name: "leads only", reqs: []Requirement{{coach, 3}}, status: Fragile,
			rows: []row{{coach, []int64{4}, Fragile}},
			sole: []SinglePoint{{PersonID: 4, Name: "Dee", Competencies: []string{coach}}},
		},
		{
			// Level 1 in analytics: Ann, Bob, Cy; Dee is not assessed and does not count.
			name: "not assessed is not level 0", reqs: []Requirement{{ana, 1}}, status: Staffed,
			rows: []row{{ana, []int64{1, 2, 3}, Staffed}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Staff(in, tt.reqs)
			if got.Status != tt.status {
				t.Errorf("status %q, want %q", got.Status, tt.status)
			}
			if len(got.Requirements) != len(tt.rows) {
				t.Fatalf("%d requirement rows, want %d", len(got.Requirements), len(tt.rows))
			}
			for i, r := range tt.rows {
				g := got.Requirements[i]
				if g.Competency != r.key || !reflect.DeepEqual(g.People, r.people) || g.Status != r.status {
					t.Errorf("row %d: %s %v %s, want %s %v %s", i, g.Competency, g.People, g.Status, r.key, r.people, r.status)
				}
			}
			if !reflect.DeepEqual(got.SinglePoints, tt.sole) {
				t.Errorf("single points %+v, want %+v", got.SinglePoints, tt.sole)
			}
		})
	}
}
