// Package stories groups items that report the same event into stories:
// Similar (similar.go), the near-duplicate grouper wirewatch runs, and
// Exact, which groups by canonical URL and headline alone.
package stories

import (
	"context"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/text"
)

// Lookup finds existing stories; the store's transaction implements it.
type Lookup interface {
	// StoryByURL returns the story holding an item with this canonical URL,
	// updated at or after since, or 0.
	StoryByURL(ctx context.Context, url string, since time.Time) (int64, error)
	// StoryByTitleKey returns the latest story with this title key, updated
	// at or after since, or 0.
	StoryByTitleKey(ctx context.Context, key string, since time.Time) (int64, error)
	// ItemsBetween calls fn, in the order the items were stored, for every
	// stored item dated (published, else first seen) at or after from and
	// before to, with the story it belongs to, until fn returns an error,
	// which it returns. Stored order, not date order: the index reloaded
	// after a restart (or an eviction, or a Reset) then holds each story's
	// members, and each bucket's latest item per key, as the index that
	// grouped them did, and decides as it did.
	ItemsBetween(ctx context.Context, from, to time.Time, fn func(storyID int64, it *feeds.Item) error) error
}

// Grouper decides which story a new item joins. The pipeline calls Assign,
// stores the item in the story it chose (or a new one), then calls Added;
// if the transaction holding those items rolls back, it calls Forget for
// them. Calls come from one ingest at a time per grouper but may come from
// several goroutines: implementations lock what they share.
type Grouper interface {
	// Assign returns the story the item joins, or 0 when it starts a new one.
	Assign(ctx context.Context, l Lookup, it *feeds.Item) (int64, error)
	// Added records that the item is now part of the story.
	Added(storyID int64, it *feeds.Item)
	// Forget drops items whose ingest did not commit.
	Forget(items []*feeds.Item)
}

// Joiner is a Grouper that joins stories later: when an item links two or
// more stories strongly, they report one event, and the pipeline merges
// them. Right after Added, the caller asks Joins for the stories the item
// links to the one it was added to, merges each it may (never a story a
// person split) into that one in the transaction that stores the item,
// and reports each merge with Merged. So an item that came before the
// evidence linking it to its story joins it when that evidence comes.
type Joiner interface {
	Grouper
	// Joins returns the stories the item last assigned and added links to
	// the story it was added to; the slice is valid until the next call.
	Joins() []int64
	// Merged records that story from was merged into story into.
	Merged(into, from int64)
}

// Loader is a Grouper that keeps an index in memory: at start it is loaded
// with the stored items of the recent past, oldest first.
type Loader interface {
	Grouper
	// Window is how far back the index must reach.
	Window() time.Duration
	// Load adds one stored item of a story to the index.
	Load(storyID int64, it *feeds.Item)
}

// OnDemand is a Loader that loads the stored items an item's dates call for
// itself, through Lookup.ItemsBetween, when it assigns the item: it needs no
// loading at start, and an archive, a backlog or a restart meet their
// stored coverage.
type OnDemand interface {
	Loader
	// LoadsOnDemand marks the Loader; it does nothing.
	LoadsOnDemand()
}

// Exact groups items with the same canonical URL or the same title key
// whose story had an item within Window of the new item.
type Exact struct {
	Window time.Duration
}

var _ Grouper = Exact{}

// Added implements Grouper; Exact keeps no state of its own.
func (Exact) Added(int64, *feeds.Item) {}

// Forget implements Grouper.
func (Exact) Forget([]*feeds.Item) {}

// Assign implements Grouper.
func (g Exact) Assign(ctx context.Context, l Lookup, it *feeds.Item) (int64, error) {
	since := it.Published.Add(-g.Window)
	if it.URL != "" {
		id, err := l.StoryByURL(ctx, it.URL, since)
		if err != nil || id != 0 {
			return id, err
		}
	}
	key := TitleKey(it.Title)
	if key == "" {
		return 0, nil
	}
	return l.StoryByTitleKey(ctx, key, since)
}

// TitleKey normalizes a headline for exact comparison: folded as rules
// fold it (text.Fold: case, diacritics, apostrophes), apostrophes dropped
// ("Russia's" and "Russias" are the same headline), punctuation dropped,
// whitespace folded. Headlines of fewer than three words give "" (too
// generic to group on: "Live updates", "Briefing").
func TitleKey(title string) string {
	f := strings.ReplaceAll(text.Fold(title), "'", "")
	spans := text.AppendSpans(f, nil)
	if len(spans) < 3 {
		return ""
	}
	var b strings.Builder
	for i, sp := range spans {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f[sp.Start:sp.End])
	}
	return b.String()
}
