package ftsquery

import "strings"

// pgTokensMax is how many bytes of an item's tokens PostgreSQL indexes:
// to_tsvector refuses a vector over 1 MB, and the index row is written
// with the poll's items, so one such item failed its feed's every poll.
// 128 KiB of tokens stays well below it whatever the words; an article is
// seldom a tenth of it (a search may miss a word past it, as it may a
// phrase deep in a long text).
const pgTokensMax = 128 << 10

// CapTokens returns the tokens of s (separated by spaces) that PostgreSQL
// indexes: those within pgTokensMax bytes.
func CapTokens(s string) string {
	if len(s) <= pgTokensMax {
		return s
	}
	if i := strings.LastIndexByte(s[:pgTokensMax+1], ' '); i > 0 {
		return s[:i]
	}
	return "" // one token longer than the cap: PostgreSQL skips such a word anyway
}
