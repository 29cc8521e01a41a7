package bot

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store"
)

// consolidate runs the grouper's consolidation pass at the end of an
// ingest, in its transaction, if it consolidates: each pair of stories it
// finds to report one event is merged (joinStories: alerts and digests
// move, nothing is alerted twice, the outlets a channel has not heard of
// come as an update, a story a person split stays apart), the grouper
// told, until it finds none; the merged story is alerted as an ingest
// would (the rules' min_sources, min_outlets). In the ingest's transaction,
// a crash loses the pass only with the ingest, which the next poll redoes,
// and no flush sees the alert of a story the pass merges away. It returns
// the merges and the alerts they queued.
func (p *Pipeline) consolidate(ctx context.Context, b *batch) (n, alerts int, err error) {
	c, ok := p.grouper.(stories.Consolidator)
	if !ok {
		return 0, 0, nil
	}
	for {
		into, from, found := c.NextJoin()
		if !found {
			return n, alerts, nil
		}
		x, err := b.tx.Resolve(ctx, into)
		if err != nil {
			return n, alerts, err
		}
		y, err := b.tx.Resolve(ctx, from)
		if err != nil {
			return n, alerts, err
		}
		merged, _, err := joinStories(ctx, b.tx, x, y, false, "", b.now)
		if err != nil {
			return n, alerts, err
		}
		if !merged {
			c.Declined(into, from)
			continue
		}
		*b.joined = true
		c.Merged(into, from)
		alerted, err := alertStory(ctx, b.tx, x, b.rules, p.feedSet(), b.now)
		if err != nil {
			return n, alerts, err
		}
		n++
		alerts += alerted
		p.log.Info("stories consolidated", slog.Int64("into", x), slog.Int64("from", y))
	}
}

// join merges into story storyID, which the item just joined, the other
// stories the grouper found the item links to it, if the grouper joins
// stories: their items, rule matches and alerts move, so a channel alerted
// of either is not alerted again. A story a person split stays apart
// (JoinStories declines). It returns the channels that, through a joined
// story, have heard of the outlet source (the item's), or are told of it by
// the join's update (joinStories).
func (p *Pipeline) join(ctx context.Context, b *batch, storyID int64, source string) (told []string, err error) {
	j, ok := p.grouper.(stories.Joiner)
	if !ok {
		return nil, nil
	}
	for _, from := range j.Joins() {
		id, err := b.tx.Resolve(ctx, from)
		if err != nil {
			return told, err
		}
		ok, heard, err := joinStories(ctx, b.tx, storyID, id, false, source, b.now)
		if err != nil {
			return told, err
		}
		if !ok {
			continue
		}
		told = append(told, heard...)
		*b.joined = true
		j.Merged(storyID, from)
		b.res.Joined++
		p.log.Info("stories joined", slog.Int64("into", storyID), slog.Int64("from", id))
	}
	return told, nil
}

// joinStories merges story from into story into (JoinStories: items,
// matches, alerts and digests move; a story a person split stays apart;
// MergeStories when a person merges them) and tells each channel that was
// alerted of one of them only of the outlets the other brings: an update,
// held and merged as any other. A channel alerted of both has seen both,
// unless its alert of from has not gone yet: that alert goes (into's
// stands for it), and from's outlets come as an update.
// It returns whether it merged them and, when source is set (an outlet of
// into), the channels alerted of from that have heard of that outlet: from
// had it, or the update tells them of it.
func joinStories(ctx context.Context, tx *store.Tx, into, from int64, person bool, source string, now time.Time) (bool, []string, error) {
	var alerted [2][]string
	var reports [2]map[string]string
	for i, id := range []int64{into, from} {
		var err error
		if alerted[i], err = tx.AlertedChannels(ctx, id); err != nil {
			return false, nil, err
		}
		if reports[i], err = tx.FirstReports(ctx, id); err != nil {
			return false, nil, err
		}
	}
	unsent, err := tx.UnsentAlerts(ctx, from)
	if err != nil {
		return false, nil, err
	}
	ok := true
	if person {
		err = tx.MergeStories(ctx, into, from)
	} else {
		ok, err = tx.JoinStories(ctx, into, from, now)
	}
	if err != nil || !ok {
		return ok, nil, err
	}
	for i := range 2 {
		other := 1 - i
		for _, ch := range alerted[i] {
			// Alerted of both, it has seen the other's outlets, unless the
			// other is from and its alert there goes unsent.
			if slices.Contains(alerted[other], ch) && (other == 0 || !slices.Contains(unsent, ch)) {
				continue
			}
			for _, source := range slices.Sorted(maps.Keys(reports[other])) {
				if _, seen := reports[i][source]; seen {
					continue
				}
				if _, err := queueUpdate(ctx, tx, into, ch, reports[other][source], now); err != nil {
					return false, nil, err
				}
			}
		}
	}
	var heard []string
	if source != "" {
		_, had := reports[1][source]
		for _, ch := range alerted[1] {
			if had || !slices.Contains(alerted[0], ch) {
				heard = append(heard, ch)
			}
		}
	}
	return true, heard, nil
}
