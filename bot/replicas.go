package bot

import (
	"context"
	"sync"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store"
)

// Replicas on one PostgreSQL group items as one process would: each
// ingest takes the store's grouping lock first (LockGrouping, held until
// its transaction ends), then its grouper's index catches up with the
// items other replicas stored since it last looked, by id, before any
// item is assigned. Items are stored only under the lock, so their ids
// commit in order and "since it last looked" misses none.

// catchUp is an ingest's first step in its transaction.
type catchUp struct {
	// one lets one ingest of this process at a time take a connection
	// (PostgreSQL): the others would hold theirs waiting for the lock,
	// and leave none to renew leases and send deliveries.
	one   sync.Mutex
	mu    sync.Mutex
	known bool  // seen is known: an ingest committed
	seen  int64 // the highest item id the index reflects
	next  int64 // seen after the transaction under way, once it commits
}

// serialize waits for this process's other ingests (PostgreSQL; SQLite
// has one connection) and returns what ends the wait for the next.
func (p *Pipeline) serialize() (done func()) {
	if p.db.Dialect() != store.Postgres {
		return func() {}
	}
	p.caught.one.Lock()
	return p.caught.one.Unlock
}

// lockAndCatchUp takes the grouping lock and loads into the grouper the
// items stored by others since the last ingest. The first ingest only
// notes where the store is: an on-demand index loads by date, under the
// lock, what it needs.
func (p *Pipeline) lockAndCatchUp(ctx context.Context, tx *store.Tx) error {
	if err := tx.LockGrouping(ctx); err != nil {
		return err
	}
	if p.db.Dialect() != store.Postgres {
		return nil // one process: its index has every item
	}
	l, ok := p.grouper.(stories.Loader)
	p.caught.mu.Lock()
	seen, known := p.caught.seen, p.caught.known
	p.caught.mu.Unlock()
	if ok && known {
		err := tx.ItemsAfter(ctx, seen, func(storyID int64, it *feeds.Item) error {
			l.Load(storyID, it)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// noteSeen records, at the end of an ingest's transaction (the lock still
// held), the highest item id: the index holds it once the ingest commits.
func (p *Pipeline) noteSeen(ctx context.Context, tx *store.Tx) error {
	if p.db.Dialect() != store.Postgres {
		return nil
	}
	id, err := tx.MaxItemID(ctx)
	if err != nil {
		return err
	}
	p.caught.mu.Lock()
	p.caught.next = id
	p.caught.mu.Unlock()
	return nil
}

// committed ends an ingest: it commits (ok) or not.
func (p *Pipeline) committed(ok bool) {
	p.caught.mu.Lock()
	defer p.caught.mu.Unlock()
	if ok && p.caught.next >= p.caught.seen {
		p.caught.seen, p.caught.known = p.caught.next, true
	}
	p.caught.next = 0
}
