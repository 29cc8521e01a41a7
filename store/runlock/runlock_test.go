package runlock_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/store/runlock"
)

// TestLockRunIsExclusive: a second run lock on one database is refused,
// naming the holder; once released it can be taken again.
func TestLockRunIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	unlock, err := runlock.Take(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = runlock.Take(path)
	if !errors.Is(err, runlock.ErrLocked) || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second lock: err = %v, want ErrLocked naming this process", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	unlock, err = runlock.Take(path)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock()
}
