// Package migrations holds the store's numbered schema steps, one set for
// SQLite and PostgreSQL: a line marked "-- only: sqlite" or "-- only:
// postgres" belongs to that dialect alone. Apply brings a database up to
// date.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed *.sql
var files embed.FS

// Step is one numbered schema step.
type Step struct {
	Version int
	Name    string // its file's name
	SQL     string // its statements for the dialect asked for
}

// For returns the steps for a dialect ("sqlite", "postgres"), in order.
func For(dialect string) ([]Step, error) {
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Step
	for _, name := range names {
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", name)
		}
		raw, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, Step{Version: n, Name: name, SQL: forDialect(string(raw), dialect)})
	}
	return out, nil
}

// forDialect drops the lines marked for the other dialect.
func forDialect(src, dialect string) string {
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, "-- only: "); i >= 0 {
			if strings.TrimSpace(line[i+len("-- only: "):]) != dialect {
				continue
			}
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
