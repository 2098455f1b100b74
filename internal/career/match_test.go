package career

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

func TestMentorRefusal(t *testing.T) {
	base := Person{ID: 2, Active: true, Role: app.RolePM, Level: lvl(4)}
	tests := []struct {
		name string
		edit func(p *Person)
		want string
	}{
		{"proficient with room", func(p *Person) {}, ""},
		{"expert with one place left", func(p *Person) { p.Level, p.Mentees = lvl(5), 2 }, ""},
		{"a leader can mentor", func(p *Person) { p.Role = app.RoleLeader }, ""},
		{"the seeker themself", func(p *Person) { p.ID = 1 }, NotSelf},
		{"deactivated", func(p *Person) { p.Active = false }, NotActive},
		{"HR", func(p *Person) { p.Role = app.RoleHR }, NotActive},
		{"opted out", func(p *Person) { p.OptOut = true }, NotOptedIn},
		{"working level", func(p *Person) { p.Level = lvl(3) }, NotExpert},
		{"not assessed", func(p *Person) { p.Level = nil }, NotExpert},
		{"at capacity", func(p *Person) { p.Mentees = 3 }, NotCapacity},
		{"opted out beats capacity", func(p *Person) { p.OptOut, p.Mentees = true, 3 }, NotOptedIn},
	}
	for _, tt := range tests {
		p := base
		tt.edit(&p)
		if got := MentorRefusal(1, p, 3); got != tt.want {
			t.Errorf("%s: refusal %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	seeker := Person{ID: 1, Name: "Maya", Active: true, Role: app.RolePM, Level: lvl(2), Background: "development",
		Tags: []string{"technical", "b2c"}, Spikes: []string{"advancement_speed"}}
	pm := func(id int64, name string, level *int, mentees int, bg string, tags, spikes []string) Person {
		return Person{ID: id, Name: name, Active: true, Role: app.RolePM, Level: level, Mentees: mentees,
			Background: bg, Tags: tags, Spikes: spikes}
	}
	people := []Person{
		seeker,
		pm(2, "Sofia", lvl(4), 0, "ux_design", []string{"b2c"}, []string{"social_impact"}), // coach, 1 in common
		pm(3, "Jonas", lvl(5), 2, "qa", nil, nil),                                          // teach, 1 place left
		pm(4, "Grace", lvl(5), 3, "qa", nil, nil),                                          // full, nothing in common
		func() Person { p := pm(5, "Omar", lvl(5), 0, "development", nil, nil); p.OptOut = true; return p }(),
		func() Person { p := pm(6, "Hana", lvl(5), 0, "development", nil, nil); p.Role = app.RoleHR; return p }(),
		pm(7, "Ravi", lvl(3), 0, "development", []string{"technical"}, []string{"advancement_speed"}), // peer: 2+1+1
		pm(8, "Paula", nil, 0, "qa", []string{"b2c"}, nil),                                            // peer: 1
		func() Person {
			p := pm(9, "Lena", lvl(4), 0, "development", nil, nil)
			p.Role = app.RoleLeader
			return p
		}(),
		func() Person { p := pm(10, "Ida", lvl(5), 0, "development", nil, nil); p.Active = false; return p }(),
		pm(11, "Nils", lvl(1), 0, "marketing", []string{"edtech"}, []string{"compensation"}), // nothing in common
	}
	m := Match(seeker, people, 3)
	var mentors, labels, peers []string
	for _, s := range m.Mentors {
		mentors = append(mentors, s.Name)
		labels = append(labels, s.Label)
	}
	for _, s := range m.Peers {
		peers = append(peers, s.Name)
	}
	// Jonas can teach (first, whatever his room); Lena and Sofia can coach with three places,
	// Lena sharing more (the background) with Maya.
	if want := []string{"Jonas", "Lena", "Sofia"}; !slices.Equal(mentors, want) {
		t.Errorf("mentors = %v, want %v", mentors, want)
	}
	if want := []string{"can teach", "can coach", "can coach"}; !slices.Equal(labels, want) {
		t.Errorf("labels = %v, want %v", labels, want)
	}
	if m.Mentors[0].Room != 1 || m.Mentors[1].Room != 3 {
		t.Errorf("room = %d, %d", m.Mentors[0].Room, m.Mentors[1].Room)
	}
	if want := []string{"Ravi", "Paula"}; !slices.Equal(peers, want) {
		t.Errorf("peers = %v, want %v", peers, want)
	}
	if want := []string{"also from Development", "also technical", "also pursues Advancement speed"}; !slices.Equal(m.Peers[0].Shared, want) {
		t.Errorf("shared with Ravi = %v, want %v", m.Peers[0].Shared, want)
	}
	// What goes out never carries a level.
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "level") || strings.Contains(string(js), "score") {
		t.Errorf("suggestions leak ratings: %s", js)
	}
}

func TestMatchPeersCapped(t *testing.T) {
	seeker := Person{ID: 1, Background: "sales"}
	var people []Person
	for i := range 8 {
		people = append(people, Person{ID: int64(10 + i), Name: string(rune('A' + i)), Active: true, Role: app.RolePM, Background: "sales"})
	}
	m := Match(seeker, people, 3)
	if len(m.Peers) != MaxPeers || m.Peers[0].Name != "A" || len(m.Mentors) != 0 {
		t.Errorf("peers = %+v, mentors = %+v", m.Peers, m.Mentors)
	}
}
