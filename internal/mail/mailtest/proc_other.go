//go:build !linux

package mailtest

import "os/exec"

// setParentDeathSignal does nothing outside Linux: Cleanup stops Mailpit.
func setParentDeathSignal(*exec.Cmd) {}
