//go:build unix

package runlock

import (
	"os"
	"syscall"
)

// errHeld is the error lockFile returns when another process holds the lock.
var errHeld = syscall.EWOULDBLOCK

// lockFile takes an advisory lock on f without waiting: flock, which the
// kernel releases when the process ends.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// unlockFile releases lockFile.
func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
