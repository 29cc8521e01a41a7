//go:build unix

package main

import (
	"testing"
	"time"
)

// TestRealNamesRanked: every real name the queries look for is among the
// generated names once, at its rank (3, 48, … 588).
func TestRealNamesRanked(t *testing.T) {
	g := newGen(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	for i, n := range realNames {
		var at []int
		for r, m := range g.names {
			if m == n {
				at = append(at, r)
			}
		}
		if want := 3 + i*45; len(at) != 1 || at[0] != want {
			t.Errorf("%q at ranks %v, want [%d]", n, at, want)
		}
	}
}
