package mail

import (
	"strings"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	b := DefaultBackoff
	var total time.Duration
	var waits []string
	for n := 1; ; n++ {
		w, giveUp := b.Next(n)
		if giveUp {
			if n != 10 {
				t.Fatalf("gave up at failure %d, want 10", n)
			}
			break
		}
		total += w
		waits = append(waits, w.String())
	}
	if got := strings.Join(waits, " "); got != "30s 1m0s 2m0s 4m0s 8m0s 16m0s 32m0s 1h0m0s 1h0m0s" {
		t.Errorf("waits %s", got)
	}
	if total != 3*time.Hour+3*time.Minute+30*time.Second {
		t.Errorf("total %v", total)
	}
	if w, giveUp := (Backoff{First: time.Second, Max: time.Hour, Attempts: 1000}).Next(500); giveUp || w != time.Hour {
		t.Errorf("a late attempt: %v %v (want the cap, no overflow)", w, giveUp)
	}
}
