// Package sqlx holds the store's helpers for running a statement and
// scanning its rows, the same for SQLite and PostgreSQL.
package sqlx

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// Queryer is what *sql.DB and *sql.Tx have in common.
type Queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Scanner is a *sql.Row or *sql.Rows.
type Scanner interface{ Scan(...any) error }

// All runs a query and scans every row with scan.
func All[T any](ctx context.Context, q Queryer, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := Each(ctx, q, func(row Scanner) error {
		v, err := scan(row)
		out = append(out, v)
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Each runs a query and calls scan on every row, keeping nothing: for a
// scan that files each row where it belongs.
func Each(ctx context.Context, q Queryer, scan func(Scanner) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// InsertID runs an INSERT (without RETURNING) of one row and returns its
// id: with lastInsertID (SQLite) the id the result says it made, else
// through RETURNING id. A statement that returns rows costs database/sql a
// goroutine in a transaction, and waking it costs more.
func InsertID(ctx context.Context, q Queryer, lastInsertID bool, query string, args ...any) (id int64, err error) {
	if !lastInsertID {
		err = q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
		return id, err
	}
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Count runs a statement and returns how many rows it changed.
func Count(ctx context.Context, q Queryer, query string, args ...any) (int64, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// One runs a query that returns at most one row and scans it with scan;
// no row is ErrNotFound.
func One[T any](ctx context.Context, q Queryer, scan func(Scanner) (T, error), query string, args ...any) (T, error) {
	v, err := scan(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		var zero T
		return zero, ErrNotFound
	}
	return v, err
}

// Int64 and String scan a one-column row.
func Int64(row Scanner) (v int64, err error)   { err = row.Scan(&v); return }
func String(row Scanner) (v string, err error) { err = row.Scan(&v); return }

// MS converts a time to the stored Unix milliseconds (0 for the zero time).
func MS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromMS converts stored Unix milliseconds back to a UTC time.
func FromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// Plan returns SQLite's plan of query with args (EXPLAIN QUERY PLAN), a
// line a step: tests check with it that statements search indexes.
func Plan(ctx context.Context, q Queryer, query string, args ...any) ([]string, error) {
	return All(ctx, q, func(row Scanner) (string, error) {
		var id, parent, unused int
		var detail string
		err := row.Scan(&id, &parent, &unused, &detail)
		return detail, err
	}, "EXPLAIN QUERY PLAN "+query, args...)
}
