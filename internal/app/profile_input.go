package app

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Limits of a profile.
const (
	MaxSpecialisms = 10
	MaxSpikes      = 2
	// A role is worth RoleWindowMin to RoleWindowMax months.
	RoleWindowMin = 18
	RoleWindowMax = 36
)

// DateLayout is how dates travel in the API and forms.
const DateLayout = "2006-01-02"

var tagPattern = regexp.MustCompile(`^[a-z0-9_-]{1,30}$`)

// ProfileInput is what a person may set about themself (their title is an admin's).
// Nil or empty background and start date clear them.
type ProfileInput struct {
	Background    *string  `json:"background"`
	RoleStartedOn *string  `json:"role_started_on"` // YYYY-MM-DD
	Specialisms   []string `json:"specialisms"`
	Spikes        []string `json:"spikes"`
}

// Profile validates the input and returns the profile to store, naming the first
// wrong field. Repeated tags and spikes count once.
func (in ProfileInput) Profile(userID int64, today time.Time) (*Profile, error) {
	p := &Profile{UserID: userID, Specialisms: []string{}, Spikes: []string{}}
	if in.Background != nil && *in.Background != "" {
		if !ValidOption(Backgrounds, *in.Background) {
			return nil, Invalid("background", "Background must be one of %s.", optionKeys(Backgrounds))
		}
		b := *in.Background
		p.Background = &b
	}
	if in.RoleStartedOn != nil && strings.TrimSpace(*in.RoleStartedOn) != "" {
		d, err := time.Parse(DateLayout, strings.TrimSpace(*in.RoleStartedOn))
		if err != nil {
			return nil, Invalid("role_started_on", "Give the start date in your role as YYYY-MM-DD.")
		}
		if d.After(today) || d.Year() < 1950 {
			return nil, Invalid("role_started_on", "The start date in your role must be a past date.")
		}
		p.RoleStartedOn = &d
	}
	for i, t := range in.Specialisms {
		t = strings.TrimSpace(t)
		if !tagPattern.MatchString(t) {
			return nil, Invalid(fmt.Sprintf("specialisms[%d]", i),
				"Tag %q: use 1 to 30 lowercase letters, digits, - or _.", t)
		}
		if !slices.Contains(p.Specialisms, t) {
			p.Specialisms = append(p.Specialisms, t)
		}
	}
	if len(p.Specialisms) > MaxSpecialisms {
		return nil, Invalid("specialisms", "Choose at most %d specialism tags.", MaxSpecialisms)
	}
	for i, s := range in.Spikes {
		if !ValidOption(CareerSpikes, s) {
			return nil, Invalid(fmt.Sprintf("spikes[%d]", i), "Career spike must be one of %s.", optionKeys(CareerSpikes))
		}
		if !slices.Contains(p.Spikes, s) {
			p.Spikes = append(p.Spikes, s)
		}
	}
	if len(p.Spikes) > MaxSpikes {
		return nil, Invalid("spikes", "Pursue one or two career spikes at a time, not %d.", len(p.Spikes))
	}
	return p, nil
}

// Role window statuses: how long someone has been in their current role against the
// 18–36-month window a role is worth.
const (
	WindowEarly       = "early"       // under 18 months: too early to move
	WindowIn          = "in_window"   // 18 to 36 months
	WindowOverstaying = "overstaying" // over 36 months
)

// RoleWindow returns the full months from start to today and where that sits in the window.
func RoleWindow(start, today time.Time) (months int, status string) {
	months = (today.Year()-start.Year())*12 + int(today.Month()) - int(start.Month())
	if today.Day() < start.Day() {
		months--
	}
	months = max(months, 0)
	switch {
	case months < RoleWindowMin:
		return months, WindowEarly
	case months <= RoleWindowMax:
		return months, WindowIn
	}
	return months, WindowOverstaying
}

// RoleWindowLabel is the words for a window status.
func RoleWindowLabel(status string) string {
	switch status {
	case WindowEarly:
		return "too early to move"
	case WindowIn:
		return "in the window"
	case WindowOverstaying:
		return "overstaying"
	}
	return ""
}
