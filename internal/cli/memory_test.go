package cli

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestLimitMemory: serve sets a soft memory limit of 96 MiB unless GOMEMLIMIT is given, in
// which case the runtime's reading of it stands.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	if v, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		t.Cleanup(func() { os.Setenv("GOMEMLIMIT", v) })
	} else {
		t.Cleanup(func() { os.Unsetenv("GOMEMLIMIT") })
	}

	os.Unsetenv("GOMEMLIMIT")
	if got := limitMemory(); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT: limit %d, want %d", got, defaultMemoryLimit)
	}
	debug.SetMemoryLimit(300 << 20) // as the runtime would have read GOMEMLIMIT=300MiB
	os.Setenv("GOMEMLIMIT", "300MiB")
	if got := limitMemory(); got != 300<<20 {
		t.Errorf("with GOMEMLIMIT=300MiB: limit %d, want it kept", got)
	}
}
