package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
	"github.com/wirewatch/wirewatch/store/internal/storyq"
)

const (
	insertStory       = `INSERT INTO stories (title, title_key, first_seen, updated) VALUES ($1, $2, $3, $3)`
	selectStoriesFrom = `SELECT id, title, first_seen, updated FROM stories WHERE updated >= $1 AND merged_into = 0
		ORDER BY updated DESC, id DESC`
	selectByURL = `SELECT s.id FROM items i JOIN stories s ON s.id = i.story_id
		WHERE i.url = $1 AND s.updated >= $2 ORDER BY s.updated DESC LIMIT 1`
	// A merged story still answers (callers Resolve it to where it went).
	selectByTitleKey = `SELECT id FROM stories WHERE title_key = $1 AND updated >= $2 ORDER BY updated DESC LIMIT 1`
	selectMergedInto = `SELECT merged_into FROM stories WHERE id = $1`
	selectOrigins    = `SELECT COUNT(DISTINCT origin) FROM items WHERE story_id = $1`
	selectSourceURLs = `SELECT source, url FROM items WHERE story_id = $1 ORDER BY published, id`
	selectOutlets    = `SELECT COUNT(DISTINCT source) FROM items WHERE story_id = $1 AND source <> ''`
	selectFeedLatest = `SELECT feed, MAX(published) FROM items WHERE story_id = $1 GROUP BY feed`
	insertStoryRule  = `INSERT INTO story_rules (story_id, rule, matched_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	// The rules of a JSON array ("WHERE true": SQLite's grammar, before ON CONFLICT).
	insertStoryRules = `INSERT INTO story_rules (story_id, rule, matched_at)
		SELECT CAST($1 AS BIGINT), value, CAST($2 AS BIGINT) FROM json_each($3) WHERE true ON CONFLICT DO NOTHING`
	selectStoryRules   = `SELECT rule FROM story_rules WHERE story_id = $1 ORDER BY rule`
	selectAlerted      = `SELECT channel FROM story_alerts WHERE story_id = $1 ORDER BY channel`
	selectUnsentAlerts = `SELECT channel FROM deliveries WHERE story_id = $1 AND kind = 'alert' AND sent_at = 0 AND started_at = 0`
	insertAlerted      = `INSERT INTO story_alerts (story_id, channel, alerted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	bumpUpdates        = `UPDATE story_alerts SET updates = updates + 1 WHERE story_id = $1 AND channel = $2 RETURNING updates`
)

// Story is a group of items that report the same event.
type Story struct {
	ID        int64
	Title     string
	FirstSeen time.Time // the earliest item's time
	Updated   time.Time // the latest item's time
	Items     []*Item   // oldest first
	Rules     []string  // rules that matched any of its items
}

// Origins returns the story's independent sources, in order of first
// report: wire agencies for their own and credited reports, else outlets.
func (s *Story) Origins() []string { return s.distinct(func(it *Item) string { return it.Origin }) }

// Sources returns the story's distinct outlets, in order of first report.
func (s *Story) Sources() []string { return s.distinct(func(it *Item) string { return it.Source }) }

// distinct returns the items' distinct non-empty keys, in order of first
// report.
func (s *Story) distinct(key func(*Item) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range s.Items {
		if k := key(it); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// CreateStory starts a story with its first item's title and time.
func (tx *Tx) CreateStory(ctx context.Context, title, titleKey string, at time.Time) (int64, error) {
	id, err := sqlx.InsertID(ctx, tx.q, tx.dialect == SQLite, insertStory, title, titleKey, sqlx.MS(at))
	if err != nil {
		return 0, fmt.Errorf("create story: %w", err)
	}
	tx.fresh = freshStory{id, sqlx.MS(at), title}
	return id, nil
}

// freshStory is a story as CreateStory made it.
type freshStory struct {
	id, at int64
	title  string
}

// StoryByURL returns the story holding an item with this canonical URL and
// updated at or after since, or 0.
func (tx *Tx) StoryByURL(ctx context.Context, url string, since time.Time) (int64, error) {
	if tx.refs.NoURL(url) { // LoadItemRefs found none, and none was added since
		return 0, nil
	}
	return tx.oneID(ctx, selectByURL, url, sqlx.MS(since))
}

// StoryByTitleKey returns the latest story with this normalized title and
// updated at or after since, or 0.
func (tx *Tx) StoryByTitleKey(ctx context.Context, key string, since time.Time) (int64, error) {
	return tx.oneID(ctx, selectByTitleKey, key, sqlx.MS(since))
}

func (tx *Tx) oneID(ctx context.Context, query string, args ...any) (int64, error) {
	id, err := sqlx.One(ctx, tx.q, sqlx.Int64, query, args...)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find story: %w", err)
	}
	return id, nil
}

// Resolve follows corrections: the story a merged story was merged into
// (repeatedly), else the story itself.
func (tx *Tx) Resolve(ctx context.Context, storyID int64) (int64, error) {
	return resolve(ctx, tx.q, storyID)
}

// Resolve is Tx.Resolve outside a transaction (a digest's stories, merged
// after the digest was queued).
func (db *DB) Resolve(ctx context.Context, storyID int64) (int64, error) {
	return resolve(ctx, db.q, storyID)
}

func resolve(ctx context.Context, q queryer, storyID int64) (int64, error) {
	for range 100 {
		into, err := sqlx.One(ctx, q, sqlx.Int64, selectMergedInto, storyID)
		if errors.Is(err, ErrNotFound) || (err == nil && into == 0) {
			return storyID, nil
		}
		if err != nil {
			return 0, fmt.Errorf("resolve story %d: %w", storyID, err)
		}
		storyID = into
	}
	return 0, fmt.Errorf("resolve story %d: merge chain too long", storyID)
}

// StoryFacts is what an ingest reads of the story an item joins.
type StoryFacts = storyq.Facts

// StoryFacts resolves the story (Resolve) and reads, in one query, what an
// ingest needs of the live one: whether it has an item of source, its
// rules and the channels it was alerted in. With rules set, its rules are
// read only when rules, given those channels (sorted), says they matter,
// in a second query (Facts.RulesRead says whether they were).
func (tx *Tx) StoryFacts(ctx context.Context, storyID int64, source string, rules func(alerted []string) bool) (*StoryFacts, error) {
	return storyq.Read(ctx, tx.q, storyID, source, rules)
}

// IndependentSources counts the story's independent sources (see
// Story.Origins).
func (tx *Tx) IndependentSources(ctx context.Context, storyID int64) (int, error) {
	var n int
	if err := tx.q.QueryRowContext(ctx, selectOrigins, storyID).Scan(&n); err != nil {
		return 0, fmt.Errorf("story %d sources: %w", storyID, err)
	}
	return n, nil
}

// Outlets counts the story's distinct outlets (see Story.Sources).
func (tx *Tx) Outlets(ctx context.Context, storyID int64) (int, error) {
	var n int
	if err := tx.q.QueryRowContext(ctx, selectOutlets, storyID).Scan(&n); err != nil {
		return 0, fmt.Errorf("story %d outlets: %w", storyID, err)
	}
	return n, nil
}

// LatestByFeed returns the time of the story's latest item of each feed,
// by feed.
func (tx *Tx) LatestByFeed(ctx context.Context, storyID int64) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	_, err := sqlx.All(ctx, tx.q, func(row sqlx.Scanner) (struct{}, error) {
		var feed string
		var at int64
		err := row.Scan(&feed, &at)
		out[feed] = sqlx.FromMS(at)
		return struct{}{}, err
	}, selectFeedLatest, storyID)
	if err != nil {
		return nil, fmt.Errorf("story %d feeds: %w", storyID, err)
	}
	return out, nil
}

// StoryItems returns the story's items, oldest first, without their
// revisions.
func (tx *Tx) StoryItems(ctx context.Context, storyID int64) ([]*Item, error) {
	items, err := sqlx.All(ctx, tx.q, scanItem, selectStoryItems, storyID)
	return named(items, err, "story %d items", storyID)
}

// FirstReports returns the URL of the first report of each outlet of the
// story, by outlet, in order of publication.
func (tx *Tx) FirstReports(ctx context.Context, storyID int64) (map[string]string, error) {
	rows, err := sqlx.All(ctx, tx.q, func(row sqlx.Scanner) ([2]string, error) {
		var v [2]string
		err := row.Scan(&v[0], &v[1])
		return v, err
	}, selectSourceURLs, storyID)
	if err != nil {
		return nil, fmt.Errorf("story %d reports: %w", storyID, err)
	}
	out := map[string]string{}
	for _, r := range rows {
		if _, ok := out[r[0]]; !ok {
			out[r[0]] = r[1]
		}
	}
	return out, nil
}

// AddStoryRule records that a rule matched an item of the story.
func (tx *Tx) AddStoryRule(ctx context.Context, storyID int64, rule string, at time.Time) error {
	return exec(ctx, tx.q, fmt.Sprintf("story %d rule %s", storyID, rule), insertStoryRule, storyID, rule, sqlx.MS(at))
}

// AddStoryRules records that rules matched an item of the story, in one
// statement.
func (tx *Tx) AddStoryRules(ctx context.Context, storyID int64, rules []string, at time.Time) error {
	if len(rules) == 1 {
		return tx.AddStoryRule(ctx, storyID, rules[0], at)
	}
	list, _ := json.Marshal(rules) // strings always marshal
	return exec(ctx, tx.q, fmt.Sprintf("story %d rules", storyID), insertStoryRules, storyID, sqlx.MS(at), string(list))
}

// AlertedChannels returns the channels an alert for the story was queued in.
func (tx *Tx) AlertedChannels(ctx context.Context, storyID int64) ([]string, error) {
	return sqlx.All(ctx, tx.q, sqlx.String, selectAlerted, storyID)
}

// UnsentAlerts returns the channels whose alert of the story is queued,
// not yet handed to its sender.
func (tx *Tx) UnsentAlerts(ctx context.Context, storyID int64) ([]string, error) {
	return sqlx.All(ctx, tx.q, sqlx.String, selectUnsentAlerts, storyID)
}

// MarkAlerted records that an alert for the story was queued in a channel.
func (tx *Tx) MarkAlerted(ctx context.Context, storyID int64, channel string, at time.Time) error {
	return exec(ctx, tx.q, fmt.Sprintf("story %d alerted in %s", storyID, channel), insertAlerted, storyID, channel, sqlx.MS(at))
}

// NextUpdate counts one more update of the story in a channel and returns
// its sequence number (1, 2, …).
func (tx *Tx) NextUpdate(ctx context.Context, storyID int64, channel string) (int, error) {
	var n int
	if err := tx.q.QueryRowContext(ctx, bumpUpdates, storyID, channel).Scan(&n); err != nil {
		return 0, fmt.Errorf("story %d update in %s: %w", storyID, channel, err)
	}
	return n, nil
}

// Story returns a story with its items and rules, or ErrNotFound.
func (db *DB) Story(ctx context.Context, id int64) (*Story, error) {
	return db.story(ctx, id, selectStoryItems)
}

// StoryOutline is Story without its items' texts (each Text is ""): all a
// message shows but its snippet, read without the bulk of each item.
func (db *DB) StoryOutline(ctx context.Context, id int64) (*Story, error) {
	return db.story(ctx, id, selectStoryOutline)
}

// story is Story with the items read by itemsQuery.
func (db *DB) story(ctx context.Context, id int64, itemsQuery string) (*Story, error) {
	h, err := storyq.ReadHead(ctx, db.q, id)
	if err == nil && !h.Found {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("story %d: %w", id, err)
	}
	s := &Story{ID: id, Title: h.Title, FirstSeen: sqlx.FromMS(h.FirstSeen), Updated: sqlx.FromMS(h.Updated), Rules: h.Rules}
	if err := db.fill(ctx, s, itemsQuery, h.Edited); err != nil {
		return nil, err
	}
	return s, nil
}

// Stories returns the stories updated at or after since, latest first, with
// their items and rules; limit <= 0 means all.
func (db *DB) Stories(ctx context.Context, since time.Time, limit int) ([]*Story, error) {
	rows, err := db.q.QueryContext(ctx, selectStoriesFrom, sqlx.MS(since))
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	var out []*Story
	for rows.Next() && (limit <= 0 || len(out) < limit) {
		s, err := scanStory(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("stories: %w", err)
		}
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	for _, s := range out {
		if err := db.fill(ctx, s, selectStoryItems, true); err != nil {
			return nil, err
		}
		if s.Rules, err = sqlx.All(ctx, db.q, sqlx.String, selectStoryRules, s.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fill loads a story's items with itemsQuery, and their revisions when
// edited says an item has some.
func (db *DB) fill(ctx context.Context, s *Story, itemsQuery string, edited bool) error {
	var err error
	if s.Items, err = sqlx.All(ctx, db.q, scanItem, itemsQuery, s.ID); err != nil {
		return fmt.Errorf("story %d items: %w", s.ID, err)
	}
	if !edited { // no item has revisions to read
		return nil
	}
	return db.fillRevisions(ctx, s)
}

// fillRevisions attaches the earlier versions of the story's edited items.
func (db *DB) fillRevisions(ctx context.Context, s *Story) error {
	byID := make(map[int64]*Item, len(s.Items))
	for _, it := range s.Items {
		byID[it.RowID] = it
	}
	_, err := sqlx.All(ctx, db.q, func(row sqlx.Scanner) (r Revision, err error) {
		var id, replaced int64
		if err = row.Scan(&id, &r.Rev, &r.Title, &r.Text, &replaced); err == nil && byID[id] != nil {
			r.Replaced = sqlx.FromMS(replaced)
			byID[id].Revisions = append(byID[id].Revisions, r)
		}
		return r, err
	}, selectRevisions, s.ID)
	if err != nil {
		return fmt.Errorf("story %d revisions: %w", s.ID, err)
	}
	return nil
}

func scanStory(row sqlx.Scanner) (*Story, error) {
	var s Story
	var first, updated int64
	if err := row.Scan(&s.ID, &s.Title, &first, &updated); err != nil {
		return nil, err
	}
	s.FirstSeen, s.Updated = sqlx.FromMS(first), sqlx.FromMS(updated)
	return &s, nil
}
