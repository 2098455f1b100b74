package auth

import (
	"context"
	"errors"
	"testing"
)

func TestHashPasswords(t *testing.T) {
	pws := []string{"first-password-1", "second-password-2", "third-password-3", "fourth-password-4", "fifth-password-5"}
	hashes, err := HashPasswords(context.Background(), pws, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hashes {
		if !verify(pws[i], h) {
			t.Errorf("hash %d does not check against its password", i)
		}
		if verify(pws[(i+1)%len(pws)], h) {
			t.Errorf("hash %d checks against another password", i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashPasswords(ctx, pws, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("an ended context: %v, want context.Canceled", err)
	}
}
