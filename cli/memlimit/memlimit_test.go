package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		name             string
		base, live, want int64
	}{
		{"live heap well under the base", 200 * mb, 100 * mb, 200 * mb},
		{"at base/Headroom", 200 * mb, 160 * mb, 200 * mb},
		{"past it", 200 * mb, 240 * mb, 300 * mb},
		{"past the base", 200 * mb, 400 * mb, 500 * mb},
	} {
		if got := For(c.base, c.live); got != c.want {
			t.Errorf("%s: For(%d, %d) = %d, want %d", c.name, c.base, c.live, got, c.want)
		}
	}
}

// TestFollow holds a live heap of 16 MB under a base of 1 MB: after a
// collection the limit is Headroom times the live heap, and once stopped
// it is left alone.
func TestFollow(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	const base = 1 << 20
	held := make([]byte, 16<<20)
	for i := range held {
		held[i] = byte(i)
	}
	stop := Follow(base)
	limit := int64(base)
	// The finalizer runs on its own goroutine after a collection: collect
	// until it has run (it has once the limit moved), a bounded number of
	// times.
	for i := 0; i < 1000 && limit == base; i++ {
		runtime.GC()
		limit = debug.SetMemoryLimit(-1)
	}
	if want := int64(float64(len(held)) * Headroom); limit < want {
		t.Errorf("limit after a collection with %d bytes live = %d, want at least %d", len(held), limit, want)
	}
	runtime.KeepAlive(held)

	stop()
	const set = 3 << 30
	debug.SetMemoryLimit(set)
	for range 20 {
		runtime.GC()
	}
	if got := debug.SetMemoryLimit(-1); got != set {
		t.Errorf("limit after stop = %d, want %d (left alone)", got, set)
	}
}
