// Command wirewatch polls news feeds, groups coverage into stories, matches
// watch rules and posts alerts and digests to chat channels. The commands
// live in package cli.
package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	"github.com/wirewatch/wirewatch/cli"
	"github.com/wirewatch/wirewatch/cli/memlimit"
)

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is unset:
// the garbage collector works harder as the heap nears it, which keeps a
// process of 10,000 feeds under 300 MB (README, "Capacity"). It is no
// ceiling: once the live heap needs more, the limit follows it
// (memlimit.Follow), so that the collector does not run all the time.
const defaultMemoryLimit = 200 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		memlimit.Follow(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitStatus(err))
}

// exitStatus maps cli.Run's result to the process exit status: 0 done,
// 1 a command failed (or every feed did), 2 a usage or configuration error.
// cli.Run has printed the error already.
func exitStatus(err error) int {
	var exit *cli.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Status
	default:
		return cli.StatusFailed
	}
}
