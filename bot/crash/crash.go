// Package crash kills the process at a chosen point of its work, for the
// tests that check what a restart recovers.
package crash

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/wirewatch/wirewatch/bot"
)

// Env names the environment variable that makes the process kill
// itself at a point of its work, for the tests that check what a restart
// recovers: "POINT:N" is the N-th time it passes POINT (bot.CrashHook's
// names), "any:N" the N-th point of any name. It says where on stderr.
const Env = "WIREWATCH_CRASH"

// Hook returns the hook spec (the value of Env) asks for, or nil.
func Hook(spec string) bot.CrashHook {
	point, count, ok := strings.Cut(spec, ":")
	n, err := strconv.ParseInt(count, 10, 64)
	if !ok || err != nil || n < 1 {
		return nil
	}
	var passed atomic.Int64
	return func(at string) {
		if (point == "any" || point == at) && passed.Add(1) == n {
			fmt.Fprintf(os.Stderr, "crash: killed at %s\n", at)
			// SIGKILL on Unix, TerminateProcess on Windows: no deferred
			// call, no flush, as a power cut.
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Kill()
			}
		}
	}
}
