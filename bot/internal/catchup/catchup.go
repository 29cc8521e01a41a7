// Package catchup keeps how far a replica's story index reflects what the
// replicas on one PostgreSQL stored (see bot/replicas.go).
package catchup

import (
	"context"
	"sync"

	"github.com/wirewatch/wirewatch/store"
)

// Mark is the last item and join of stories an index reflects. It moves
// only when a transaction that caught up commits: what it noted then
// (Note) becomes the mark (Committed). The zero Mark knows nothing yet. It
// is safe for concurrent use.
type Mark struct {
	mu    sync.Mutex
	known bool       // seen is known: a transaction that caught up committed
	seen  store.Seen // the last item and join the index reflects
	next  store.Seen // seen once the transaction under way commits
	noted bool       // next is set
}

// Start marks where db is as a replica starts (PostgreSQL): what is
// stored from then on is replayed in the order it was stored; what was
// stored before, an on-demand index loads by date as it needs it.
func (m *Mark) Start(ctx context.Context, db *store.DB) error {
	if db.Dialect() != store.Postgres {
		return nil
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		s, err := tx.Latest(ctx)
		if err == nil {
			m.mu.Lock()
			m.seen, m.known = s, true
			m.mu.Unlock()
		}
		return err
	})
}

// Seen returns the mark, and whether it is known.
func (m *Mark) Seen() (store.Seen, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.seen, m.known
}

// Note records where the store is at the end of a transaction that caught
// up (the grouping lock still held): the index reflects it once that
// transaction commits.
func (m *Mark) Note(s store.Seen) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next, m.noted = s, true
}

// Committed ends the transaction: the mark moves to what it noted when it
// committed (ok), and stays otherwise.
func (m *Mark) Committed(ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok && m.noted && m.next.Item >= m.seen.Item && m.next.Join >= m.seen.Join {
		m.seen, m.known = m.next, true
	}
	m.next, m.noted = store.Seen{}, false
}
