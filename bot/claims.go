package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// processStart tells this process from an earlier one with the same pid
// (a container restarted: pid 1 again). Set once, never changed.
var processStart = strconv.FormatInt(time.Now().UnixNano(), 36)

// newOwner names a dispatcher's claims: "host:pid:start:random". The host,
// pid and start let a later process on the same machine see that the
// claimant died; the random part tells dispatchers of one process apart.
func newOwner() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s:%s", host, os.Getpid(), processStart, hex.EncodeToString(b[:]))
}

// releaseDeadClaims ends the claims of processes on this machine that are
// no longer running (killed while sending): their deliveries need not wait
// for the lease to run out. Claims of other machines run out by themselves.
func (d *Dispatcher) releaseDeadClaims(ctx context.Context) error {
	owners, err := d.db.Claimants(ctx, d.now())
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	for _, o := range owners {
		parts := strings.Split(o, ":")
		if len(parts) != 4 || parts[0] != host {
			continue
		}
		pid, err := strconv.Atoi(parts[1])
		if err != nil {
			continue
		}
		if pid == os.Getpid() {
			if parts[2] == processStart {
				continue // this process's
			}
		} else if processAlive(pid) {
			continue
		}
		if err := d.db.ReleaseClaimant(ctx, o); err != nil {
			return err
		}
		d.log.Info("released the deliveries of a process that stopped", slog.String("claimant", o))
	}
	return nil
}

// processAlive reports whether a process with this pid runs (or may: one
// we may not signal is taken as running).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
