package store

import (
	"context"
	"database/sql"
	"net/url"
	"time"
)

// Checkpoints: in WAL mode SQLite copies the log's pages back into the
// database (a checkpoint, with its fsyncs) from within the commit that
// takes the log past 1,000 pages, so one poll in every few paid for the
// writes of others — during a prune, a fifth of a second. A connection of
// its own copies them ahead, PASSIVE (it waits for no reader or writer,
// and no writer waits for it), after commits, at most one a
// checkpointEvery, so the commit's checkpoint has little left to copy.
// That one stays: only a checkpoint between two of the writer's
// transactions can let the next one start the log afresh (a checkpoint
// beside a stream of commits never catches up with them, and the log grew
// to gigabytes).

// checkpointEvery is the least time between two checkpoints.
const checkpointEvery = time.Second

// checkpointer runs the checkpoints of a database.
type checkpointer struct {
	db    *sql.DB
	wrote chan struct{} // a commit happened (buffered: one is enough)
	done  chan struct{} // closed when the loop has stopped
	stop  context.CancelFunc
}

// startCheckpointer opens the checkpointing connection to the SQLite
// database at path and starts its loop.
func startCheckpointer(path string) (*checkpointer, error) {
	cdb, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	cdb.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{db: cdb, wrote: make(chan struct{}, 1), done: make(chan struct{}), stop: stop}
	go c.loop(ctx)
	return c, nil
}

func (c *checkpointer) loop(ctx context.Context) {
	defer close(c.done)
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wrote:
		}
		if wait := checkpointEvery - time.Since(last); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		last = time.Now()
		// An error (the database busy or closing) leaves the pages for
		// the next checkpoint; a checkpoint does not change what is
		// committed.
		c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
	}
}

// committed tells the checkpointer that a transaction committed.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
	select {
	case c.wrote <- struct{}{}:
	default:
	}
}

// close stops the loop and closes the connection.
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	c.stop()
	<-c.done
	return c.db.Close()
}
