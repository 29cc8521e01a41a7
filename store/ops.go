package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// The ops channel hears of problems once and of their recovery once; what
// it was told lives in ops_problems, so that a restart repeats neither.

const (
	insertProblem   = `INSERT INTO ops_problems (subject, since, detail) VALUES ($1, $2, $3) ON CONFLICT (subject) DO NOTHING`
	updateDetail    = `UPDATE ops_problems SET detail = $2 WHERE subject = $1`
	selectProblems  = `SELECT subject, since, detail, reported FROM ops_problems ORDER BY subject`
	markReported    = `UPDATE ops_problems SET reported = $2 WHERE subject = $1 AND reported = 0`
	deleteProblem   = `DELETE FROM ops_problems WHERE subject = $1 RETURNING reported`
	selectNoticeSeq = `SELECT COALESCE(MAX(seq), 0) + 1 FROM deliveries WHERE channel = $1 AND kind = 'notice' AND rule = $2`
)

// KindNotice is a delivery of a plain text notice (to the ops channel).
const KindNotice = "notice"

// NoticePayload is the payload of a notice delivery.
type NoticePayload struct {
	Text string `json:"text"`
}

// OpsProblem is a problem the ops channel is (or will be) told about.
type OpsProblem struct {
	Subject  string    // "feed:NAME", "channel:NAME", "config"
	Since    time.Time // when it was first seen
	Detail   string    // the latest error
	Reported time.Time // when its notice was queued; zero: not yet
}

func scanProblem(row sqlx.Scanner) (*OpsProblem, error) {
	var p OpsProblem
	var since, reported int64
	if err := row.Scan(&p.Subject, &since, &p.Detail, &reported); err != nil {
		return nil, err
	}
	p.Since, p.Reported = sqlx.FromMS(since), sqlx.FromMS(reported)
	return &p, nil
}

// OpsProblems returns the problems recorded, by subject.
func (db *DB) OpsProblems(ctx context.Context) ([]*OpsProblem, error) {
	out, err := sqlx.All(ctx, db.q, scanProblem, selectProblems)
	return named(out, err, "ops problems")
}

// NoteProblem records a problem of subject seen since a time, unless it is
// recorded already (then only its detail changes).
func (db *DB) NoteProblem(ctx context.Context, subject, detail string, since time.Time) error {
	n, err := sqlx.Count(ctx, db.q, insertProblem, subject, sqlx.MS(since), detail)
	if err == nil && n == 0 {
		_, err = db.q.ExecContext(ctx, updateDetail, subject, detail)
	}
	if err != nil {
		return fmt.Errorf("note problem %s: %w", subject, err)
	}
	return nil
}

// ReportProblem marks a recorded problem reported and queues its notice to
// channel, in one transaction; it reports whether it did (false: reported
// already, or not recorded).
func (db *DB) ReportProblem(ctx context.Context, subject, channel, text string, now time.Time) (bool, error) {
	done := false
	err := db.InTx(ctx, func(tx *Tx) error {
		n, err := sqlx.Count(ctx, tx.q, markReported, subject, sqlx.MS(now))
		if err != nil || n == 0 {
			return err
		}
		done = true
		return tx.enqueueNotice(ctx, subject, channel, text, now)
	})
	if err != nil {
		return false, fmt.Errorf("report problem %s: %w", subject, err)
	}
	return done, nil
}

// ResolveProblem forgets a recorded problem; when it had been reported,
// text (the recovery) is queued to channel in the same transaction. It
// reports whether a recovery notice was queued.
func (db *DB) ResolveProblem(ctx context.Context, subject, channel, text string, now time.Time) (bool, error) {
	queued := false
	err := db.InTx(ctx, func(tx *Tx) error {
		reported, err := sqlx.One(ctx, tx.q, sqlx.Int64, deleteProblem, subject)
		if errors.Is(err, ErrNotFound) || (err == nil && reported == 0) {
			return nil
		}
		if err != nil {
			return err
		}
		queued = true
		return tx.enqueueNotice(ctx, subject, channel, text, now)
	})
	if err != nil {
		return false, fmt.Errorf("resolve problem %s: %w", subject, err)
	}
	return queued, nil
}

// enqueueNotice queues a notice about subject to channel: its rule column
// holds the subject, its seq counts the subject's notices there.
func (tx *Tx) enqueueNotice(ctx context.Context, subject, channel, text string, now time.Time) error {
	seq, err := sqlx.One(ctx, tx.q, sqlx.Int64, selectNoticeSeq, channel, subject)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(NoticePayload{Text: text})
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, &Delivery{Channel: channel, Kind: KindNotice, Rule: subject, Seq: int(seq),
		Payload: payload, Created: now})
}
