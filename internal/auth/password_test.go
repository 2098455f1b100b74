package auth

import (
	"context"
	"errors"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestVerifyPassword(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword("a-long-enough-password")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pw, hash string
		want     bool
	}{
		{"a-long-enough-password", h, true},
		{"a-long-enough-passwore", h, false},
		{"a-long-enough-password", "", false},
		{"a-long-enough-password", "$argon2id$v=19$m=999999999,t=1,p=1$c2FsdA$a2V5", false}, // memory cap
	} {
		if got, err := VerifyPassword(ctx, c.pw, c.hash); got != c.want || err != nil {
			t.Errorf("VerifyPassword(%q, %.20q) = %v, %v; want %v", c.pw, c.hash, got, err, c.want)
		}
	}
	if ok, err := VerifyDummy(ctx, "anything-at-all"); ok || err != nil {
		t.Errorf("VerifyDummy = %v, %v", ok, err)
	}
}

// With every hashing slot taken, a sign-in waits only as long as its request may, then
// gets ErrBusy (503) instead of queueing without end; a freed slot lets it through.
func TestVerifyPasswordWaitsForASlot(t *testing.T) {
	h, _ := HashPassword("a-long-enough-password")
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := VerifyPassword(ctx, "a-long-enough-password", h); !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("gave up after %s", d)
	}
	done := make(chan bool)
	go func() {
		ok, _ := VerifyPassword(context.Background(), "a-long-enough-password", h)
		done <- ok
	}()
	select {
	case <-done:
		t.Fatal("verified while every slot was taken")
	case <-time.After(100 * time.Millisecond):
	}
	<-hashSlots // free one slot
	if !<-done {
		t.Fatal("did not verify once a slot was free")
	}
	for range cap(hashSlots) - 1 {
		<-hashSlots
	}
}

// TestSignInMemoryGivenBack: when the last hashing slot is left, the computation's memory
// goes back to the system (leaveSlot), so a burst of sign-ins does not leave the server's
// resident memory raised while it serves views.
func TestSignInMemoryGivenBack(t *testing.T) {
	held := func() uint64 { // the Go memory mapped and not given back: about its resident part
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64() - s[1].Value.Uint64()
	}
	debug.FreeOSMemory()
	before := held()
	if _, err := HashPassword("a long enough password"); err != nil {
		t.Fatal(err)
	}
	limit := before + uint64(DefaultParams.Memory)*1024/4
	deadline := time.Now().Add(5 * time.Second)
	for held() > limit {
		if time.Now().After(deadline) {
			t.Fatalf("5 s after hashing, %d MiB held (%d MiB before): the computation's %d MiB were not given back",
				held()>>20, before>>20, DefaultParams.Memory>>10)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
