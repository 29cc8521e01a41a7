// Package ftsquery renders a search plan (rules.Plan) in the full-text
// query languages of the store's two databases: SQLite's FTS5 and
// PostgreSQL's tsquery. Both answer the same candidates. It also keeps
// SQLite's index in shape (merge.go).
package ftsquery

import (
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/rules"
)

// FTS5 renders a plan as an SQLite FTS5 query over the index's columns
// title, body and facts.
func FTS5(p *rules.Plan) string {
	var b strings.Builder
	writeFTS(&b, p)
	return b.String()
}

// writeFTS writes p in FTS5's syntax.
func writeFTS(b *strings.Builder, p *rules.Plan) {
	switch p.Op {
	case rules.PlanAnd, rules.PlanOr:
		op := " AND "
		if p.Op == rules.PlanOr {
			op = " OR "
		}
		b.WriteString(strings.Repeat("(", len(p.Not)+1))
		for i, k := range p.Kids {
			if i > 0 {
				b.WriteString(op)
			}
			writeFTS(b, k)
		}
		b.WriteByte(')')
		for _, k := range p.Not {
			b.WriteString(" NOT ")
			writeFTS(b, k)
			b.WriteByte(')')
		}
	case rules.PlanPhrase, rules.PlanNear:
		switch p.Fields {
		case rules.PlanTitle:
			b.WriteString("{title} : ")
		case rules.PlanText:
			b.WriteString("{body} : ")
		default:
			b.WriteString("{title body} : ")
		}
		if p.Op == rules.PlanPhrase {
			writePhrase(b, p)
			return
		}
		b.WriteString("NEAR(")
		for i, k := range p.Kids {
			if i > 0 {
				b.WriteByte(' ')
			}
			writePhrase(b, k)
		}
		b.WriteString(", " + strconv.Itoa(p.Dist) + ")")
	case rules.PlanFact:
		b.WriteString(`{facts} : "` + p.Fact + `"`)
	}
}

// writePhrase writes a phrase's words, joined by FTS5's +.
func writePhrase(b *strings.Builder, p *rules.Plan) {
	for i, w := range p.Words {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(`"` + strings.ReplaceAll(w.Tok, `"`, `""`) + `"`)
		if w.Prefix {
			b.WriteString(" *")
		}
	}
}

// TSQuery renders a plan as a PostgreSQL tsquery over a tsvector of the
// title (weight A), text (B) and facts (C): a phrase in some fields is the
// phrase in one of them, so no phrase runs from a title into its text.
func TSQuery(p *rules.Plan) string {
	var b strings.Builder
	writeTS(&b, p)
	return b.String()
}

// writeTS writes p in tsquery's syntax.
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
