// Package unchanged remembers, per feed, the digests of the entries of its
// last poll whose items were stored (feeds.Parsed.Digests), for the next
// poll to pass over the entries it stored unchanged.
package unchanged

import (
	"sync"
	"time"
)

// TTL is how long a feed's entries are passed over as unchanged before a
// poll normalizes them all again, as it does after a restart: an item
// pruned while its feed still carries it keeps its tombstone only while a
// poll sees it (TouchTombstone), which one every hour does.
const TTL = time.Hour

// Digests is what one poll gave: the digests of its entries, from polls
// since one that normalized every entry (Since). The zero value is a poll
// that gave none (not modified).
type Digests struct {
	Sums  []uint64
	Since time.Time
}

// Memory holds the feeds' digests; the zero value is empty and ready.
type Memory struct {
	mu    sync.Mutex
	feeds map[string]Digests
}

// Last returns the digests a poll of feed at now passes over: those of its
// last stored poll, unless a poll normalized every entry TTL ago or more
// (then none, Since now).
func (m *Memory) Last(feed string, now time.Time) Digests {
	m.mu.Lock()
	d, ok := m.feeds[feed]
	m.mu.Unlock()
	if !ok || now.Sub(d.Since) >= TTL {
		return Digests{Since: now}
	}
	return d
}

// Stored remembers the digests of a poll of feed whose items were stored;
// a poll that gave none (not modified) leaves the last ones.
func (m *Memory) Stored(feed string, d Digests) {
	if d.Since.IsZero() {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.feeds == nil {
		m.feeds = map[string]Digests{}
	}
	m.feeds[feed] = d
}
