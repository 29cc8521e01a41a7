// Package rules parses and matches the watch-rule query language.
//
// A query is made of:
//
//	kabulov              a word, matched on word boundaries
//	"zamir kabulov"      a phrase: the words consecutively, within one field
//	kabul*               a prefix: kabul, kabulov, kabulov's …
//	a AND b, a b         both (juxtaposition means AND)
//	a OR b               either
//	NOT a, -a            not; -"phrase" and -(group) work too
//	( … )                grouping
//
// Precedence is NOT > AND > OR: `a OR b c` is `a OR (b AND c)`, and
// `taliban NOT football` is `taliban AND NOT football`. The operators are
// recognised in upper case only, so that a lower-case "and", "or" or "not"
// stays an ordinary word. A minus makes a term negative only when it starts
// the term and is followed directly by it; inside a word it is a hyphen
// (`tajik-afghan` is the phrase "tajik afghan"). Phrases may be quoted with
// "…", “…”, „…“ or «…».
//
// Matching is case- and diacritic-insensitive (see Fold) and works on word
// tokens (see Tokens): a word in a query that splits into several tokens,
// like `csto's` or `covid-19`, is matched as a phrase.
//
// A query that would match an item containing none of its words, such as
// `-football` or `kabulov OR -football`, is rejected: it would match almost
// every item.
package rules

import (
	"fmt"
	"strings"
)

// Query is a compiled rule query; it is safe for concurrent use.
type Query struct {
	src  string
	root node
}

// SyntaxError reports an invalid query and where it goes wrong.
type SyntaxError struct {
	Col int    // 1-based column, in runes of the query source
	Msg string // what is wrong, in lower case
}

// Error returns the error as "column N: msg".
func (e *SyntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// String returns the query as written.
func (q *Query) String() string { return q.src }

// Match reports whether the document matches.
func (q *Query) Match(d *Doc) bool {
	if d == nil {
		d = &Doc{}
	}
	return q.root.match(d)
}

// Terms returns the positive words and phrases of the query (folded), for
// highlighting matched terms in messages. A phrase's words are joined by one
// space and a prefix term keeps its trailing "*"; duplicates are removed.
func (q *Query) Terms() []string {
	var terms []string
	q.root.terms(&terms, false)
	return terms
}

// canonical returns the query's syntax tree as a query in canonical form:
// folded terms, AND and OR groups in parentheses, NOT spelled out. Parsing
// it gives the same tree.
func (q *Query) canonical() string {
	var b strings.Builder
	q.root.format(&b)
	return b.String()
}
