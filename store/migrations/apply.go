package migrations

import (
	"context"
	"database/sql"
	"fmt"
)

// Apply applies to db every step for dialect newer than the version it
// stores, each in its own transaction, on one connection (PostgreSQL:
// holding the migration lock, so that replicas starting together migrate
// once).
func Apply(ctx context.Context, db *sql.DB, dialect string) error {
	conn, unlock, err := lock(ctx, db, dialect)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	steps, err := For(dialect)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range steps {
		err := func() error {
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			var current int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
				return err
			}
			if m.Version <= current {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, m.Version); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// migrateLock is the advisory lock that serializes migrations on one
// PostgreSQL schema; it also names the schema, so that tests on schemas of
// one database do not wait for each other.
const migrateLock = `SELECT pg_advisory_lock(hashtext('wirewatch migrate ' || current_schema()))`
const migrateUnlock = `SELECT pg_advisory_unlock(hashtext('wirewatch migrate ' || current_schema()))`

// lock takes the migration lock on a connection of its own (PostgreSQL;
// SQLite has one writer), which the returned func releases.
func lock(ctx context.Context, db *sql.DB, dialect string) (conn *sql.Conn, unlock func(), err error) {
	conn, err = db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if dialect != "postgres" {
		return conn, func() { conn.Close() }, nil
	}
	if _, err := conn.ExecContext(ctx, migrateLock); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("migration lock: %w", err)
	}
	return conn, func() {
		conn.ExecContext(context.WithoutCancel(ctx), migrateUnlock)
		conn.Close()
	}, nil
}
