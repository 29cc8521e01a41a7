package store

import (
	"strings"

	"github.com/wirewatch/wirewatch/rules"
)

// PostgreSQL's full-text index (migration 010, its postgres lines) is the
// table item_fts (id, doc): doc is a tsvector of the same three token
// strings as SQLite's FTS5 table, title weighted A, text B and facts C,
// made by to_tsvector('simple', …), which keeps our folded tokens as they
// are (they are a-z, 0-9 and letters beyond ASCII, which PostgreSQL takes
// for letters in every locale). A search renders the plan as a tsquery
// (renderTSQuery) that answers the same candidates as the FTS5 query:
// a phrase in some fields is the phrase in one of them (a:A <-> b:A |
// a:B <-> b:B), so no phrase runs from a title into its text. Two
// limits of tsvector: positions stop at 16383 and a lexeme keeps 256 of
// them, so a phrase deep in a very long text can be missed.

// searchQuery renders a plan in the dialect's full-text query language.
func (d Dialect) searchQuery(p *rules.Plan) string {
	if d == Postgres {
		return renderTSQuery(p)
	}
	return ftsQuery(p)
}

// renderTSQuery renders a plan as a tsquery over item_fts.doc.
func renderTSQuery(p *rules.Plan) string {
	var b strings.Builder
	writeTS(&b, p)
	return b.String()
}

func writeTS(b *strings.Builder, p *rules.Plan) {
	switch p.Op {
	case rules.PlanAnd, rules.PlanOr:
		op := " & "
		if p.Op == rules.PlanOr {
			op = " | "
		}
		b.WriteByte('(')
		for i, k := range p.Kids {
			if i > 0 {
				b.WriteString(op)
			}
			writeTS(b, k)
		}
		for i, k := range p.Not {
			if i > 0 || len(p.Kids) > 0 {
				b.WriteString(" & ")
			}
			b.WriteString("!")
			writeTS(b, k)
		}
		b.WriteByte(')')
	case rules.PlanPhrase:
		b.WriteByte('(')
		for i, w := range weights(p.Fields) {
			if i > 0 {
				b.WriteString(" | ")
			}
			writeTSPhrase(b, p, w)
		}
		b.WriteByte(')')
	case rules.PlanNear:
		// tsquery has no "within n words": every phrase, anywhere in the
		// fields (a superset; NEAR plans are never exact).
		b.WriteByte('(')
		for i, k := range p.Kids {
			if i > 0 {
				b.WriteString(" & ")
			}
			writeTS(b, &rules.Plan{Op: rules.PlanPhrase, Fields: p.Fields, Words: k.Words})
		}
		b.WriteByte(')')
	case rules.PlanFact:
		b.WriteString(tsLexeme(p.Fact) + ":C")
	}
}

// weights returns the tsvector weights of a phrase's fields.
func weights(f rules.PlanField) []string {
	switch f {
	case rules.PlanTitle:
		return []string{"A"}
	case rules.PlanText:
		return []string{"B"}
	}
	return []string{"A", "B"}
}

// writeTSPhrase writes a phrase's words in one field (weight w), joined
// by <->.
func writeTSPhrase(b *strings.Builder, p *rules.Plan, w string) {
	b.WriteByte('(')
	for i, word := range p.Words {
		if i > 0 {
			b.WriteString(" <-> ")
		}
		b.WriteString(tsLexeme(word.Tok) + ":")
		if word.Prefix {
			b.WriteByte('*')
		}
		b.WriteString(w)
	}
	b.WriteByte(')')
}

// tsLexeme quotes a token as a tsquery lexeme.
func tsLexeme(tok string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(tok) + "'"
}

// tsRank is the relevance ranking uses, lower for better matches as
// bm25 is: titles weigh 4 times the text, facts nothing
// (ts_rank's weights are D, C, B, A, at most 1).
const tsRank = `-ts_rank('{0, 0, 0.25, 1}', f.doc, CAST(CAST($1 AS TEXT) AS tsquery))`
