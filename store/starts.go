package store

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

const markStarted = `UPDATE deliveries SET started_at = $2 WHERE id = $1 AND started_at = 0`

// StartDelivery records that a delivery is being handed to its sender and
// reports whether an earlier attempt was started already: that attempt may
// have reached the channel without being marked sent (a crash after the
// post), so a sender that can should look for it before posting again.
func (db *DB) StartDelivery(ctx context.Context, id int64, at time.Time) (bool, error) {
	n, err := sqlx.Count(ctx, db.q, markStarted, id, sqlx.MS(at))
	if err != nil {
		return false, fmt.Errorf("start delivery %d: %w", id, err)
	}
	return n == 0, nil
}
