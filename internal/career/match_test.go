package career

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestMentorRefusal(t *testing.T) {
	base := Person{ID: 2, Active: true, PM: true, OptIn: true, Offers: true}
	tests := []struct {
		name string
		edit func(p *Person)
		want string
	}{
		{"offers it, with room", func(p *Person) {}, ""},
		{"one place left", func(p *Person) { p.Mentees = 2 }, ""},
		{"a leader can mentor", func(p *Person) { p.PM = false }, ""},
		{"the seeker themself", func(p *Person) { p.ID = 1 }, NotSelf},
		{"deactivated", func(p *Person) { p.Active = false }, NotActive},
		{"HR", func(p *Person) { p.PM, p.HR = false, true }, NotActive},
		{"not opted in", func(p *Person) { p.OptIn, p.Offers = false, false }, NotOffered},
		{"opted in, does not offer it", func(p *Person) { p.Offers = false }, NotOffered},
		{"at capacity", func(p *Person) { p.Mentees = 3 }, NotCapacity},
		{"no offer beats capacity", func(p *Person) { p.Offers, p.Mentees = false, 3 }, NotOffered},
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
	seeker := Person{ID: 1, Name: "Maya", Active: true, PM: true, Background: "development",
		Tags: []string{"technical", "b2c"}, Spikes: []string{"advancement_speed"}}
	pm := func(id int64, name string, mentees int, bg string, tags, spikes []string) Person {
		return Person{ID: id, Name: name, Active: true, PM: true, Mentees: mentees,
			Background: bg, Tags: tags, Spikes: spikes, OptIn: true, Offers: true}
	}
	with := func(p Person, edit func(p *Person)) Person { edit(&p); return p }
	people := []Person{
		seeker,
		pm(2, "Sofia", 0, "ux_design", []string{"b2c"}, []string{"social_impact"}), // mentor, 1 in common
		pm(3, "Jonas", 2, "qa", nil, nil),                                          // mentor, 1 place left
		pm(4, "Grace", 3, "qa", nil, nil),                                          // full, nothing in common
		with(pm(5, "Omar", 0, "development", nil, nil), func(p *Person) { p.OptIn, p.Offers = false, false }),
		with(pm(6, "Hana", 0, "development", nil, nil), func(p *Person) { p.PM, p.HR = false, true }),
		with(pm(7, "Ravi", 0, "development", []string{"technical"}, []string{"advancement_speed"}), // peer: 2+1+1
			func(p *Person) { p.Offers = false }),
		with(pm(8, "Paula", 0, "qa", []string{"b2c"}, nil), func(p *Person) { p.Offers = false }), // peer: 1
		with(pm(9, "Lena", 0, "development", nil, nil), func(p *Person) { p.PM = false }),
		with(pm(10, "Ida", 0, "development", nil, nil), func(p *Person) { p.Active = false }),
		pm(11, "Nils", 0, "marketing", []string{"edtech"}, []string{"compensation"}),                                            // mentor: nothing in common
		pm(12, "Tomas", 0, "development", []string{"b2c"}, nil),                                                                 // mentor: 2+1 in common
		with(pm(13, "Zoe", 0, "development", []string{"technical"}, nil), func(p *Person) { p.OptIn, p.Offers = false, false }), // not a peer either
	}
	m := Match(seeker, people, 3, "Delivery", Words{"development": "Development", "advancement_speed": "Advancement speed"})
	var mentors, labels, peers []string
	for _, s := range m.Mentors {
		mentors = append(mentors, s.Name)
		labels = append(labels, s.Label)
	}
	for _, s := range m.Peers {
		peers = append(peers, s.Name)
	}
	// Most in common first, then by name: Tomas shares the background and b2c, Lena the
	// background, Sofia b2c, Jonas and Nils nothing. (No rating is part of matching.)
	if want := []string{"Tomas", "Lena", "Sofia", "Jonas", "Nils"}; !slices.Equal(mentors, want) {
		t.Errorf("mentors = %v, want %v", mentors, want)
	}
	for _, l := range labels {
		if l != "offers mentoring in Delivery" {
			t.Errorf("labels = %v", labels)
			break
		}
	}
	if m.Mentors[3].Room != 1 || m.Mentors[1].Room != 3 {
		t.Errorf("room = %d, %d", m.Mentors[3].Room, m.Mentors[1].Room)
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
	if strings.Contains(string(js), "level") || strings.Contains(string(js), "score") || strings.Contains(string(js), "teach") {
		t.Errorf("suggestions leak ratings: %s", js)
	}
}

func TestMatchPeersCapped(t *testing.T) {
	seeker := Person{ID: 1, Background: "sales"}
	var people []Person
	for i := range 8 {
		people = append(people, Person{ID: int64(10 + i), Name: string(rune('A' + i)), Active: true, PM: true, Background: "sales", OptIn: true})
	}
	m := Match(seeker, people, 3, "Delivery", Words{"development": "Development", "advancement_speed": "Advancement speed"})
	if len(m.Peers) != MaxPeers || m.Peers[0].Name != "A" || len(m.Mentors) != 0 {
		t.Errorf("peers = %+v, mentors = %+v", m.Peers, m.Mentors)
	}
}
