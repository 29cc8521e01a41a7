package bot

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store"
)

// refreshIndex rebuilds an in-memory grouper's index when a person merged
// or split stories since it was loaded (possibly from another process).
func (p *Pipeline) refreshIndex(ctx context.Context) error {
	r, ok := p.grouper.(interface{ Reset() })
	if !ok {
		return nil
	}
	n, err := p.db.Corrections(ctx)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n == p.corrections {
		return nil
	}
	r.Reset()
	if err := p.loadIndex(ctx); err != nil {
		return err
	}
	p.corrections = n
	return nil
}

// resetIndex empties an in-memory grouper's index, to be reloaded on
// demand, after an ingest whose changes to it did not commit.
func (p *Pipeline) resetIndex() {
	if r, ok := p.grouper.(interface{ Reset() }); ok {
		p.mu.Lock()
		r.Reset()
		p.mu.Unlock()
	}
}

// LoadIndex fills an in-memory grouper's index with the stored items of its
// window; groupers without an index, or that load on demand, need nothing.
// On PostgreSQL it marks where the store is: the index replays what other
// replicas store from then on.
func (p *Pipeline) LoadIndex(ctx context.Context) error {
	n, err := p.db.Corrections(ctx)
	if err != nil {
		return err
	}
	if err := p.caught.Start(ctx, p.db); err != nil { // replicas.go
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.corrections = n
	return p.loadIndex(ctx)
}

func (p *Pipeline) loadIndex(ctx context.Context) error {
	l, ok := p.grouper.(stories.Loader)
	if !ok {
		return nil
	}
	if _, ok := l.(stories.OnDemand); ok {
		return nil // it loads the dates each item calls for, by the items' dates
	}
	var items []*store.Item
	err := p.db.ScanItems(ctx, p.now().Add(-l.Window()), func(it *store.Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load story index: %w", err)
	}
	for i := len(items) - 1; i >= 0; i-- { // oldest first
		l.Load(items[i].StoryID, &items[i].Item)
	}
	p.log.Info("story index loaded", slog.Int("items", len(items)))
	return nil
}
