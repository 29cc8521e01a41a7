// Package storyq reads, in one query, what an ingest needs to know of the
// story an item joins (four statements did), and keeps the alerts a
// transaction queued, which a query need not look for.
package storyq

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// selectFacts reads a story's row (where it was merged, if it was), whether
// it has an item of outlet $2, the channels it was alerted in and its
// rules. Each part is read from an index alone (items_story_source and the
// two tables' keys), and unsorted: sorting in SQL took a temporary tree
// per query, Read sorts the few names itself.
const selectFacts = selectFactsNoRules + `
	UNION ALL SELECT 2, rule, 0 FROM story_rules WHERE story_id = $1`

// selectFactsNoRules is selectFacts without the rules, which are most of
// its rows (a story gathers those of all its items): a story alerted
// everywhere its rules could alert needs none of them.
const selectFactsNoRules = `SELECT 0, '', merged_into FROM stories WHERE id = $1
	UNION ALL SELECT 1, '', CASE WHEN EXISTS (SELECT 1 FROM items WHERE story_id = $1 AND source = $2) THEN 1 ELSE 0 END
	UNION ALL SELECT 3, channel, 0 FROM story_alerts WHERE story_id = $1`

// selectRules reads a story's rules, unsorted as in selectFacts.
const selectRules = `SELECT rule FROM story_rules WHERE story_id = $1`

// Facts is what an ingest reads of the story an item joins.
type Facts struct {
	ID        int64    // the story, or the one it was merged into (repeatedly)
	HasSource bool     // it has an item of the outlet asked about
	Rules     []string // the rules that matched any of its items, sorted (when RulesRead)
	RulesRead bool     // Rules were read: Read's rules said they matter
	Alerted   []string // the channels an alert for it was queued in, sorted
}

// Read returns the facts of story id, following its merges as Resolve
// does (a story not found is its own). Its rules are read when rules is
// nil (in the same query), or when rules says they matter given the
// channels the story was alerted in (sorted), in a second query.
func Read(ctx context.Context, q sqlx.Queryer, id int64, source string, rules func(alerted []string) bool) (*Facts, error) {
	query := selectFacts
	if rules != nil {
		query = selectFactsNoRules
	}
	for range 100 {
		f := &Facts{ID: id, RulesRead: rules == nil}
		var into int64
		err := sqlx.Each(ctx, q, func(row sqlx.Scanner) (err error) {
			var kind int
			var s string
			var n int64
			err = row.Scan(&kind, &s, &n)
			switch kind {
			case 0:
				into = n
			case 1:
				f.HasSource = n > 0
			case 2:
				f.Rules = append(f.Rules, s)
			case 3:
				f.Alerted = append(f.Alerted, s)
			}
			return err
		}, query, id, source)
		if err != nil {
			return nil, fmt.Errorf("story %d: %w", id, err)
		}
		if into != 0 {
			id = into
			continue
		}
		slices.Sort(f.Alerted)
		if !f.RulesRead && rules(f.Alerted) {
			f.RulesRead = true
			if f.Rules, err = sqlx.All(ctx, q, sqlx.String, selectRules, id); err != nil {
				return nil, fmt.Errorf("story %d rules: %w", id, err)
			}
		}
		slices.Sort(f.Rules)
		return f, nil
	}
	return nil, fmt.Errorf("resolve story %d: merge chain too long", id)
}

// Queued holds the alerts a transaction queued (or, on SQLite, found
// waiting), by channel and story: each waits unsent until the transaction
// commits (no sender sees it before), unless a join of stories moves or
// drops it (Forget). The zero value holds none.
type Queued struct{ m map[queued]bool }

type queued struct {
	channel string
	story   int64
}

// Add records an alert waiting for story in channel.
func (q *Queued) Add(channel string, story int64) {
	if q.m == nil {
		q.m = map[queued]bool{}
	}
	q.m[queued{channel, story}] = true
}

// Has reports whether an alert for story waits in channel.
func (q *Queued) Has(channel string, story int64) bool { return q.m[queued{channel, story}] }

// Forget drops what q holds.
func (q *Queued) Forget() { q.m = nil }

// selectHead reads a story's row, whether an item of it was edited (has
// revisions), and its rules (unsorted: ReadHead sorts them, as Read does).
const selectHead = `SELECT 0, title, first_seen, updated, CASE WHEN EXISTS (SELECT 1 FROM item_revisions r
	JOIN items i ON i.id = r.item_id WHERE i.story_id = $1) THEN 1 ELSE 0 END FROM stories WHERE id = $1
	UNION ALL SELECT 1, rule, 0, 0, 0 FROM story_rules WHERE story_id = $1`

// Head is a story's row, its rules, and whether an item of it was edited.
type Head struct {
	Found              bool // the story exists
	Title              string
	FirstSeen, Updated int64 // Unix milliseconds
	Edited             bool
	Rules              []string // sorted
}

// ReadHead reads story id's head in one query (three did).
func ReadHead(ctx context.Context, q sqlx.Queryer, id int64) (*Head, error) {
	h := &Head{}
	_, err := sqlx.All(ctx, q, func(row sqlx.Scanner) (kind int, err error) {
		var text string
		var first, updated, edited int64
		err = row.Scan(&kind, &text, &first, &updated, &edited)
		if kind == 0 {
			h.Found, h.Title, h.FirstSeen, h.Updated, h.Edited = true, text, first, updated, edited != 0
		} else {
			h.Rules = append(h.Rules, text)
		}
		return kind, err
	}, selectHead, id)
	slices.Sort(h.Rules)
	return h, err
}

// selectUpdates reads a story's alerts and updates in a channel: each one's
// kind, its payload while it waits unsent and never handed to a sender,
// and when it was sent or started (0: neither).
const selectUpdates = `SELECT id, kind, CASE WHEN sent_at = 0 AND started_at = 0 THEN payload ELSE '' END,
	CASE WHEN sent_at > 0 THEN sent_at ELSE started_at END
	FROM deliveries WHERE channel = $1 AND story_id = $2 AND kind IN ('alert', 'update')`

// Updates is what queuing an update of a story in a channel reads of the
// alerts and updates there, in one query (three did).
type Updates struct {
	AlertWaits bool      // an alert waits unsent, never handed to a sender
	PendingID  int64     // the latest update waiting so (0: none): it is merged into
	Pending    []byte    // its payload
	LastSent   time.Time // when an alert or update was last sent or started (zero: never)
}

// ReadUpdates reads a story's alerts and updates in channel. A delivery
// that has started may be on its way (or have arrived, unrecorded) as it
// was: it is never merged into, and counts from its start.
func ReadUpdates(ctx context.Context, q sqlx.Queryer, channel string, storyID int64) (*Updates, error) {
	u, last := &Updates{}, int64(0)
	_, err := sqlx.All(ctx, q, func(row sqlx.Scanner) (struct{}, error) {
		var id, at int64
		var kind, payload string
		if err := row.Scan(&id, &kind, &payload, &at); err != nil {
			return struct{}{}, err
		}
		last = max(last, at)
		switch {
		case at != 0:
		case kind == "alert":
			u.AlertWaits = true
		case id > u.PendingID:
			u.PendingID, u.Pending = id, []byte(payload)
		}
		return struct{}{}, nil
	}, selectUpdates, channel, storyID)
	if err != nil {
		return nil, fmt.Errorf("updates of story %d in %s: %w", storyID, channel, err)
	}
	u.LastSent = sqlx.FromMS(last)
	return u, nil
}
