package store

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// Coordination of replicas on one PostgreSQL (migration 011). On SQLite one
// process runs (runlock): the grouping lock is its one writer, and nothing
// here is called but LockGrouping.

const (
	// A feed gets a row before its first poll, so that it can be claimed.
	insertFeedRow = `INSERT INTO feeds (name, url) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`
	// A feed is claimed when it is due (by its stored next poll: another
	// replica may have polled it this tick; or at once when that is a
	// backoff after failures at another URL than the one claimed, $5: the
	// old URL's failures say nothing of the new one, FeedState.At) and no
	// other replica's lease on it runs. PostgreSQL adds FOR UPDATE SKIP
	// LOCKED (pgQueries): a feed another replica is claiming is not waited
	// for but left to it.
	claimFeed = `UPDATE feeds SET lease_holder = $2, lease_until = $3 WHERE name = (
		SELECT name FROM feeds WHERE name = $1 AND (next_poll <= $4 OR (url <> $5 AND failures > 0))
		AND (lease_until < $4 OR lease_holder = $2))`
	selectFeedLease = `SELECT next_poll, lease_holder, lease_until FROM feeds WHERE name = $1`
	// A release moves the next poll no earlier, only later ($3: 0 leaves it).
	releaseFeed = `UPDATE feeds SET lease_holder = '', lease_until = 0,
		next_poll = CASE WHEN next_poll < $3 THEN $3 ELSE next_poll END WHERE name = $1 AND lease_holder = $2`
	// A lease is taken when free, run out, or the holder's own (renewed).
	holdLease = `INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE leases.until < $4 OR leases.holder = excluded.holder`
	releaseLease = `UPDATE leases SET until = 0 WHERE name = $1 AND holder = $2`
	// The grouping lock, per schema (tests share a database).
	lockGrouping = `SELECT pg_advisory_xact_lock(hashtext('wirewatch grouping ' || current_schema()))`
	selectLatest = `SELECT (SELECT COALESCE(MAX(id), 0) FROM items), (SELECT COALESCE(MAX(id), 0) FROM story_joins)`
	selectAfter  = `SELECT ` + itemColumns + ` FROM items WHERE id > $1 ORDER BY id`
	// The grouper's joins of stories (migration 012), each after the item
	// it followed: JoinStories records them.
	insertJoin = `INSERT INTO story_joins (into_id, from_id, after_item, joined_at)
		VALUES ($1, $2, (SELECT COALESCE(MAX(id), 0) FROM items), $3)`
	selectJoinsAfter = `SELECT into_id, from_id, after_item FROM story_joins WHERE id > $1 ORDER BY id`
)

// leaseQ is what leases and claims go through: on PostgreSQL a pool of
// their own (DB.leaseDB), so that a renewal never waits for a connection
// behind the ingests of the polls it keeps claimed (they queue for the
// grouping lock): its lease would run out and another replica fetch the
// feed again. On SQLite, the store's one connection.
func (db *DB) leaseQ() queryer {
	if db.leaseDB != nil {
		return Postgres.wrap(db.leaseDB)
	}
	return db.q
}

// ClaimFeed claims the feed name (at url) for holder until until, when it
// is due at now (or backing off after failures at another URL than url)
// and no other holder's lease on it runs. When it is not
// claimed, retry says when to try again: its next poll, or when the lease
// that holds it runs out, whichever is later.
func (db *DB) ClaimFeed(ctx context.Context, name, url, holder string, now, until time.Time) (ok bool, retry time.Time, err error) {
	q := db.leaseQ()
	if err := exec(ctx, q, "claim feed "+name, insertFeedRow, name, url); err != nil {
		return false, time.Time{}, err
	}
	n, err := sqlx.Count(ctx, q, claimFeed, name, holder, sqlx.MS(until), sqlx.MS(now), url)
	if err != nil {
		return false, time.Time{}, fmt.Errorf("claim feed %s: %w", name, err)
	}
	if n == 1 {
		return true, time.Time{}, nil
	}
	var next, leaseUntil int64
	var leaseHolder string
	if err := q.QueryRowContext(ctx, selectFeedLease, name).Scan(&next, &leaseHolder, &leaseUntil); err != nil {
		return false, time.Time{}, fmt.Errorf("claim feed %s: %w", name, err)
	}
	retry = sqlx.FromMS(max(next, leaseUntil+1))
	if !retry.After(now) {
		// Locked by a replica claiming it this instant: look again soon.
		retry = now.Add(time.Second)
	}
	return false, retry, nil
}

// ReleaseFeed ends holder's lease on a feed (its poll ended), and moves
// its next poll to notBefore when that is later (zero: no move): a failed
// poll whose state the store did not take must not leave it due at once.
func (db *DB) ReleaseFeed(ctx context.Context, name, holder string, notBefore time.Time) error {
	return exec(ctx, db.leaseQ(), fmt.Sprintf("release feed %s", name), releaseFeed, name, holder, sqlx.MS(notBefore))
}

// HoldLease takes or renews the lease name for holder until until, and
// reports whether holder has it: false while another holder's runs at now.
func (db *DB) HoldLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	n, err := sqlx.Count(ctx, db.leaseQ(), holdLease, name, holder, sqlx.MS(until), sqlx.MS(now))
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, err)
	}
	return n == 1, nil
}

// ReleaseLease gives up holder's lease name, for another to take at once.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	return exec(ctx, db.leaseQ(), fmt.Sprintf("release lease %s", name), releaseLease, name, holder)
}

// LockGrouping serializes assigning items to stories across replicas: on
// PostgreSQL a transaction-scoped advisory lock, held until the
// transaction ends (SQLite's one writer does as much by itself).
func (tx *Tx) LockGrouping(ctx context.Context) error {
	if tx.dialect != Postgres {
		return nil
	}
	return exec(ctx, tx.q, "grouping lock", lockGrouping)
}

// Seen is how far a grouper's index reflects what replicas stored: the
// last item and the last join of stories (their ids).
type Seen struct{ Item, Join int64 }

// Latest returns the last item and join of stories stored.
func (tx *Tx) Latest(ctx context.Context) (Seen, error) {
	var s Seen
	if err := tx.q.QueryRowContext(ctx, selectLatest).Scan(&s.Item, &s.Join); err != nil {
		return Seen{}, fmt.Errorf("latest item: %w", err)
	}
	return s, nil
}

// ChangesAfter replays what replicas stored since seen, in the order they
// stored it: item for every item stored after seen.Item, with its story
// now, and join for every join of stories made after seen.Join, each
// after the items stored before it.
func (tx *Tx) ChangesAfter(ctx context.Context, seen Seen, item func(storyID int64, it *feeds.Item), join func(into, from int64)) error {
	items, err := sqlx.All(ctx, tx.q, scanItem, selectAfter, seen.Item)
	if err != nil {
		return fmt.Errorf("items after %d: %w", seen.Item, err)
	}
	joins, err := sqlx.All(ctx, tx.q, func(r sqlx.Scanner) (j [3]int64, err error) {
		err = r.Scan(&j[0], &j[1], &j[2]) // into, from, after_item
		return
	}, selectJoinsAfter, seen.Join)
	if err != nil {
		return fmt.Errorf("joins after %d: %w", seen.Join, err)
	}
	for _, it := range items {
		for ; len(joins) > 0 && joins[0][2] < it.RowID; joins = joins[1:] {
			join(joins[0][0], joins[0][1])
		}
		item(it.StoryID, &it.Item)
	}
	for _, j := range joins {
		join(j[0], j[1])
	}
	return nil
}

const renewFeed = `UPDATE feeds SET lease_until = $3 WHERE name = $1 AND lease_holder = $2`

// RenewFeed extends holder's lease on a feed to until, and reports whether
// holder still had it.
func (db *DB) RenewFeed(ctx context.Context, name, holder string, until time.Time) (bool, error) {
	n, err := sqlx.Count(ctx, db.leaseQ(), renewFeed, name, holder, sqlx.MS(until))
	if err != nil {
		return false, fmt.Errorf("renew feed %s: %w", name, err)
	}
	return n == 1, nil
}
