package mailtest

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal has Linux kill Mailpit if the test process dies without cleaning up.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
