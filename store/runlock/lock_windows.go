//go:build windows

package runlock

import (
	"os"

	"golang.org/x/sys/windows"
)

// errHeld is the error lockFile returns when another process holds the lock.
var errHeld = windows.ERROR_LOCK_VIOLATION

// lockOffset is where the locked byte lies: far past the holder's pid,
// which a locked range would keep others from reading.
const lockOffset = 1 << 62

// lockFile takes an exclusive lock on one byte of f without waiting;
// Windows releases it when the process ends.
func lockFile(f *os.File) error {
	ol := windows.Overlapped{OffsetHigh: lockOffset >> 32}
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
}

// unlockFile releases lockFile.
func unlockFile(f *os.File) error {
	ol := windows.Overlapped{OffsetHigh: lockOffset >> 32}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}
