package app

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzProfileInput: whatever a person sends as their profile, the answer is a valid
// profile or an EINVALID error naming a field — never a panic, never an invalid profile.
func FuzzProfileInput(f *testing.F) {
	f.Add("development", "2024-03-01", "payments,growth", "management")
	f.Add("", "", "", "")
	f.Add("astronaut", "2024-02-30", "Bad Tag", "management,management,compensation")
	f.Add("qa", " 1949-12-31 ", strings.Repeat("a,", 12), "social_impact,x")
	f.Add("sales", "9999-01-01", "ok,ok", "")
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, background, started, tags, spikes string) {
		in := ProfileInput{Background: &background, RoleStartedOn: &started}
		if tags != "" {
			in.Specialisms = strings.Split(tags, ",")
		}
		if spikes != "" {
			in.Spikes = strings.Split(spikes, ",")
		}
		p, err := in.Profile(7, today)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorField(err) == "" || p != nil {
				t.Fatalf("%+v: %v (code %s, field %q)", in, err, ErrorCode(err), ErrorField(err))
			}
			return
		}
		if p.Background != nil && !ValidOption(Backgrounds, *p.Background) {
			t.Fatalf("background %q accepted", *p.Background)
		}
		if p.RoleStartedOn != nil && (p.RoleStartedOn.After(today) || p.RoleStartedOn.Year() < 1950) {
			t.Fatalf("start date %s accepted", p.RoleStartedOn)
		}
		if len(p.Specialisms) > MaxSpecialisms || len(p.Spikes) > MaxSpikes {
			t.Fatalf("too many: %v %v", p.Specialisms, p.Spikes)
		}
		for _, s := range p.Specialisms {
			if !tagPattern.MatchString(s) {
				t.Fatalf("tag %q accepted", s)
			}
		}
		for i, s := range p.Spikes {
			if !ValidOption(CareerSpikes, s) || slices.Index(p.Spikes, s) != i {
				t.Fatalf("spikes %v accepted", p.Spikes)
			}
		}
	})
}

// FuzzParseQuarter: a quarter that parses prints back as the same text.
func FuzzParseQuarter(f *testing.F) {
	for _, s := range []string{"2026-Q4", "2026-Q0", "2026-Q5", "+202-Q1", "02026-Q1", "1999-Q1", "2026-Q+1", "2026Q1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuarter(s)
		if err != nil {
			return
		}
		if q.String() != s || q.Start().After(q.End().Time) || !q.Contains(q.Start()) || !q.Contains(q.End()) {
			t.Fatalf("ParseQuarter(%q) = %v (%s to %s)", s, q, q.Start(), q.End())
		}
	})
}

// FuzzWebURL: a link a person types (coaching resources, learning hit-lists) is rendered as href; whatever passes must
// be an http or https address to a browser too (which drops tabs, newlines and leading
// or trailing spaces and control characters before it reads the scheme).
func FuzzWebURL(f *testing.F) {
	for _, s := range []string{"https://example.com/a?b=c", "http://x", "javascript:alert(1)", "java\tscript://x",
		"https://user:pw@x.example", " https://x.example", "https:x", "//x.example", "HTTPS://X.EXAMPLE", "https://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !WebURL(s) {
			return
		}
		seen := strings.ToLower(strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })))
		if !strings.HasPrefix(seen, "http://") && !strings.HasPrefix(seen, "https://") {
			t.Fatalf("WebURL(%q) accepted what a browser reads as %q", s, seen)
		}
	})
}
