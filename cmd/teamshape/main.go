// Command teamshape serves the Teamshape dashboard; see internal/cli for the subcommands.
package main

import (
	"os"

	"github.com/teamshape/teamshape/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
