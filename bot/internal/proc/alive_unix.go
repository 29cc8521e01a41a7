//go:build unix

package proc

import "syscall"

// alive reports whether a process with this pid runs (or may: one we may
// not signal is taken as running).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
