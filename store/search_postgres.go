package store

import (
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store/internal/ftsquery"
)

// PostgreSQL's full-text index (migration 010, its postgres lines) is the
// table item_fts (id, doc): doc is a tsvector of the same three token
// strings as SQLite's FTS5 table, title weighted A, text B and facts C,
// made by to_tsvector('simple', …), which keeps our folded tokens as they
// are (they are a-z, 0-9 and letters beyond ASCII, which PostgreSQL takes
// for letters in every locale). A search renders the plan as a tsquery
// (ftsquery.TSQuery) that answers the same candidates as the FTS5 query:
// a phrase in some fields is the phrase in one of them (a:A <-> b:A |
// a:B <-> b:B), so no phrase runs from a title into its text. Two
// limits of tsvector: positions stop at 16383 and a lexeme keeps 256 of
// them, so a phrase deep in a very long text can be missed.

// searchQuery renders a plan in the dialect's full-text query language.
func (d Dialect) searchQuery(p *rules.Plan) string {
	if d == Postgres {
		return ftsquery.TSQuery(p)
	}
	return ftsquery.FTS5(p)
}

// tsRank is the relevance ranking uses, lower for better matches as
// bm25 is: titles weigh 4 times the text, facts nothing
// (ts_rank's weights are D, C, B, A, at most 1).
const tsRank = `-ts_rank('{0, 0, 0.25, 1}', f.doc, CAST(CAST($1 AS TEXT) AS tsquery))`
