// Package proc names the processes that claim deliveries and tells which
// of them stopped: a claimant is "host:pid:start:random".
package proc

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// processStart tells this process from an earlier one with the same pid
// (a container restarted: pid 1 again). Set once, never changed.
var processStart = strconv.FormatInt(time.Now().UnixNano(), 36)

// host is this machine's name, read once: every claimant is checked
// against it.
var host, _ = os.Hostname()

// NewOwner names a dispatcher's claims: "host:pid:start:random". The host,
// pid and start let a later process on the same machine see that the
// claimant died; the random part tells dispatchers of one process apart.
func NewOwner() string {
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s:%s", host, os.Getpid(), processStart, hex.EncodeToString(b[:]))
}

// Stopped reports whether owner is a process of this machine that no
// longer runs (an earlier process with this one's pid included). Claimants
// of other machines, and names not made by NewOwner, are not known to have
// stopped.
func Stopped(owner string) bool {
	parts := strings.Split(owner, ":")
	if len(parts) != 4 || parts[0] != host {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil {
		return false
	}
	if pid == os.Getpid() {
		return parts[2] != processStart
	}
	return !alive(pid)
}
