// Package runlock keeps one `wirewatch run` per SQLite database.
package runlock

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrLocked means another process holds the run lock of a database.
var ErrLocked = errors.New("database in use")

// Take takes the run lock of the SQLite database at path: one `wirewatch
// run` per database, so that two daemons never poll and send side by side.
// It is an advisory lock on path+".lock" (which holds the holder's pid),
// released by unlock or when the process ends, however it ends. A lock
// held by another process is ErrLocked, naming its pid.
func Take(path string) (unlock func() error, err error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := lockFile(f); err != nil {
		b := make([]byte, 32)
		n, _ := f.Read(b)
		f.Close()
		if errors.Is(err, errHeld) {
			holder := strings.TrimSpace(string(b[:n]))
			if _, perr := strconv.Atoi(holder); perr != nil {
				holder = "another process"
			} else {
				holder = "process " + holder
			}
			return nil, fmt.Errorf("%w: %s is already running wirewatch on %s (one `run` per database; stop it first)", ErrLocked, holder, path)
		}
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() error {
		defer f.Close()
		return unlockFile(f)
	}, nil
}
