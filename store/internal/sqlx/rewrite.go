package sqlx

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Rewriting runs each query through Q in the text Rewrite gives for it
// (PostgreSQL's, where it differs from SQLite's).
type Rewriting struct {
	Q       Queryer
	Rewrite func(query string) string
}

// ExecContext runs a statement.
func (r Rewriting) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.Q.ExecContext(ctx, r.Rewrite(query), args...)
}

// QueryContext runs a query.
func (r Rewriting) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.Q.QueryContext(ctx, r.Rewrite(query), args...)
}

// QueryRowContext runs a query of one row.
func (r Rewriting) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.Q.QueryRowContext(ctx, r.Rewrite(query), args...)
}

// Redact replaces secret (a DSN, which may hold a password) in an error's
// text with shown.
func Redact(err error, secret, shown string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, shown))
}
