// Package human formats and parses what people read and type: durations
// with days and weeks, times, counts and shortened text. It is the one home
// of these helpers for the CLI, the chat command set and the adapters, so
// they say the same thing everywhere. It imports no package of wirewatch.
package human

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Time formats t for people in loc (UTC when nil): "2026-11-23 06:15 UTC",
// or "never" for the zero time.
func Time(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "never"
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// Plural returns one or many as n asks.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count says "1 story", "3 stories": n and one or many as n asks.
func Count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, Plural(n, one, many))
}

// Truncate shortens s to at most n runes, ending it with "…" when cut.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// CollapseSpace returns s with each run of white space as a single space
// (kept at the ends, as one space).
func CollapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
