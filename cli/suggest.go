package cli

import (
	"fmt"
	"slices"
	"strings"
)

// unknownCommand is the usage error for a command name wirewatch does not
// know: the closest known name when one is near, and where the list is.
func unknownCommand(name string) error {
	msg := fmt.Sprintf("wirewatch: unknown command %q", name)
	if s := suggest(name); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usageErrorf("%s\nRun `wirewatch help` for the commands and their flags.", msg)
}

// suggest returns the command name closest to name — a prefix of it, or at
// most a third of its letters away (two for longer names) — or "".
func suggest(name string) string {
	names := []string{"help", "version"}
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names) // ties go to the first in order
	lower := strings.ToLower(strings.TrimLeft(name, "-"))
	if lower == "" {
		return ""
	}
	best, bestDist := "", 0
	for _, n := range names {
		if strings.HasPrefix(n, lower) && len(lower) >= 2 {
			return n
		}
		d := editDistance(lower, n)
		if limit := min(2, max(1, len(n)/3)); d <= limit && (best == "" || d < bestDist) {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance between a and b (an
// adjacent swap counts as one edit, as in "stroies").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j]: the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
