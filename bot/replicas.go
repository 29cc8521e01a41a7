package bot

import (
	"context"

	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store"
)

// Replicas on one PostgreSQL group items as one process would: each
// ingest, its consolidation pass with it, takes the store's grouping lock
// first (LockGrouping, held until its transaction ends),
// then its grouper's index replays what other replicas stored since it
// last looked (ChangesAfter): their items, by id, and their joins of
// stories, each after the items stored before it, before any item is
// assigned or stories compared. Items and joins are stored only under the
// lock, so their ids commit in order and "since it last looked" misses
// none.

// serialize waits for this process's other ingests (PostgreSQL; SQLite
// has one connection) and returns what ends the wait for the next.
func (p *Pipeline) serialize() (done func()) {
	if p.db.Dialect() != store.Postgres {
		return func() {}
	}
	p.one.Lock()
	return p.one.Unlock
}

// lockAndCatchUp takes the grouping lock and replays into the grouper
// what others stored since the last ingest, or since the replica started
// (LoadIndex). Without a mark (a pipeline never loaded), the first ingest
// only notes where the store is: an on-demand index loads by date, under
// the lock, what it needs.
func (p *Pipeline) lockAndCatchUp(ctx context.Context, tx *store.Tx) error {
	if err := tx.LockGrouping(ctx); err != nil {
		return err
	}
	if p.db.Dialect() != store.Postgres {
		return nil // one process: its index has every item
	}
	l, ok := p.grouper.(stories.Loader)
	seen, known := p.caught.Seen()
	if !ok || !known {
		return nil
	}
	j, _ := p.grouper.(stories.Joiner)
	return tx.ChangesAfter(ctx, seen, l.Load, func(into, from int64) {
		if j != nil {
			j.Merged(into, from) // nothing when the index had from's items joined already
		}
	})
}

// noteSeen records, at the end of a transaction that caught up (the lock
// still held), the last item and join stored: the index holds them once
// it commits.
func (p *Pipeline) noteSeen(ctx context.Context, tx *store.Tx) error {
	if p.db.Dialect() != store.Postgres {
		return nil
	}
	s, err := tx.Latest(ctx)
	if err != nil {
		return err
	}
	p.caught.Note(s)
	return nil
}
