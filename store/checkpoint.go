package store

import (
	"context"
	"database/sql"
	"net/url"
)

// Checkpoints: in WAL mode SQLite copies the log's pages back into the
// database (a checkpoint, with its fsyncs) from within the commit that
// takes the log past 1,000 pages, so one poll in every few paid for the
// writes of others — during a prune, a fifth of a second. The writer
// connection never checkpoints (wal_autocheckpoint 0); a connection of
// its own does, PASSIVE (it waits for no reader or writer, and no writer
// waits for it), after commits, one at a time: commits that come while it
// works are copied by the next one.

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
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wrote:
		}
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
