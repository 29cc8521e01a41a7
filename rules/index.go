package rules

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// A full-text index (the store's) answers a query in two steps: the index
// narrows the items to candidates, a superset of the matches, and the
// query's matcher confirms each candidate, so that a search and an alert
// always agree. This file defines both sides of that contract in terms of
// the matcher's own tokens: IndexDoc says what an item puts in the index,
// Query.Plan what a query asks of it. A store renders a Plan in its own
// syntax (SQLite FTS5 MATCH; PostgreSQL tsquery over a tsvector of the same
// tokens), so every store narrows alike.

// IndexDoc is what the index holds of an item: the folded tokens of its
// title and text, separated by single spaces, and its facts (outlet and
// its parent domains, feed) as tokens that cannot be confused with words.
type IndexDoc struct {
	Title, Text, Facts string
}

// NewIndexDoc returns what the index holds of an item; Tags and Lang are
// not indexed (they come from the configuration, which may change).
func NewIndexDoc(it Item) IndexDoc {
	return NewItem(Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed}).IndexDoc()
}

// IndexDoc returns what the index holds of the document's item: NewIndexDoc
// of it, without folding and splitting its text again.
func (d *Doc) IndexDoc() IndexDoc {
	join := func(from, to int32) string {
		if from == to {
			return ""
		}
		f := d.folded[1]
		if from < d.split {
			f = d.folded[0]
		}
		// Tokens one space apart are copied as one stretch of the
		// folded text, and a field that is nothing else is that text.
		var b strings.Builder
		run := from // the first token of the stretch being extended
		for i := from + 1; i <= to; i++ {
			if i < to && d.toks[i].Start == d.toks[i-1].End+1 && f[d.toks[i-1].End] == ' ' {
				continue
			}
			if run == from && i == to {
				return f[d.toks[from].Start:d.toks[to-1].End]
			}
			if run == from {
				b.Grow(int(d.toks[to-1].End - d.toks[from].Start)) // about the stretch of text they cover
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(f[d.toks[run].Start:d.toks[i-1].End])
			run = i
		}
		return b.String()
	}
	doc := IndexDoc{Title: join(0, d.split), Text: join(d.split, int32(len(d.toks)))}
	var b strings.Builder
	for _, key := range d.meta {
		if strings.HasPrefix(key, tagPrefix) {
			continue // tags come last; they are not indexed
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(factToken(key))
	}
	doc.Facts = b.String()
	return doc
}

// factToken spells an item fact (a metaKey) as one index token: "x" and
// its bytes in hex, so that it is one token in any word tokenizer and no
// query word looks for it (facts are a column of their own besides).
func factToken(key string) string { return "x" + hex.EncodeToString([]byte(key)) }

// PlanOp is the kind of a Plan node.
type PlanOp uint8

// The kinds of Plan nodes.
const (
	PlanAll    PlanOp = iota // the index cannot narrow: every item is a candidate
	PlanAnd                  // all of Kids, and none of Not
	PlanOr                   // any of Kids
	PlanPhrase               // Words consecutively in one of Fields
	PlanNear                 // all of Kids (phrases) within Dist other words, any order, in one of Fields
	PlanFact                 // the item fact Fact
)

// PlanField is a bit set of the indexed text fields.
type PlanField uint8

// The text fields a phrase looks in.
const (
	PlanTitle PlanField = 1 << iota
	PlanText
)

// PlanWord is one word of a phrase: a folded token, or a prefix of one.
type PlanWord struct {
	Tok    string
	Prefix bool
}

// Plan is what an index can answer of a query: a boolean expression whose
// matches are a superset of the query's. Not holds, under PlanAnd, exact
// expressions (the index answers them exactly) whose items are left out.
type Plan struct {
	Op     PlanOp
	Kids   []*Plan
	Not    []*Plan
	Words  []PlanWord
	Fields PlanField
	Dist   int
	Fact   string // PlanFact: its index token (see IndexDoc.Facts)
	Exact  bool   // the index answers this node exactly
}

// Plan returns what the index can answer of the query; Op PlanAll means it
// cannot narrow it at all (a regular expression, tag:, lang:, a negation
// alone), and the items must be scanned.
func (q *Query) Plan() *Plan { return plan(q.root) }

var planAll = &Plan{Op: PlanAll}

func plan(n node) *Plan {
	switch n := n.(type) {
	case *termNode:
		p := &Plan{Op: PlanPhrase, Fields: PlanField(n.in), Exact: true}
		for _, e := range n.elems {
			a := atomOf(e)
			p.Words = append(p.Words, PlanWord{Tok: a.tok, Prefix: a.kind == aPrefix})
			// A stemmed word is a prefix that the matcher confirms; a
			// case-sensitive one is found folded.
			if e.cased != "" || a.stem != NoStem {
				p.Exact = false
			}
		}
		if n.prox >= 0 && len(n.elems) > 1 {
			// The matcher's window holds at most prox other words: the
			// words between the first and the last are at most
			// prox + len - 2, so this distance is never narrower.
			near := &Plan{Op: PlanNear, Fields: p.Fields, Dist: n.prox + len(n.elems) - 1}
			for _, w := range p.Words {
				near.Kids = append(near.Kids, &Plan{Op: PlanPhrase, Fields: p.Fields, Words: []PlanWord{w}})
			}
			return near
		}
		return p
	case *metaNode:
		if n.field != "source" {
			return planAll // tag: and lang: come from the configuration
		}
		// Exact: the index holds the very keys the matcher compares.
		return &Plan{Op: PlanFact, Fact: factToken(metaKey(n.field, n.value)), Exact: true}
	case *aliasNode:
		return plan(n.x)
	case *notNode:
		if x, ok := n.x.(*notNode); ok {
			return plan(x.x)
		}
		return planAll // handled by the AND above it when exact
	case *orNode:
		p := &Plan{Op: PlanOr, Exact: true}
		for _, x := range n.xs {
			k := plan(x)
			if k.Op == PlanAll {
				return planAll
			}
			p.Exact = p.Exact && k.Exact
			p.Kids = append(p.Kids, k)
		}
		return p
	case *andNode:
		return planAnd(n.xs, true)
	case *nearNode:
		if p := planNear(n); p != nil {
			return p
		}
		p := planAnd(n.xs, false)
		p.Exact = false
		return p
	}
	return planAll // regular expressions
}

// planNear plans a NEAR of phrases in the same fields as an index NEAR;
// nil for others (ORs, aliases, fields that differ), which are ANDs. The
// matcher wants every operand within dist words of the first: the words
// between the first and the last are then at most 2×dist plus the
// operands' own, which is the distance asked of the index.
func planNear(n *nearNode) *Plan {
	p := &Plan{Op: PlanNear, Dist: 2 * n.dist}
	for i, x := range n.xs {
		t, ok := x.(*termNode)
		if !ok || t.prox >= 0 || i > 0 && PlanField(t.in) != p.Fields {
			return nil
		}
		k := plan(t)
		p.Fields = k.Fields
		p.Dist += len(k.Words)
		p.Kids = append(p.Kids, k)
	}
	return p
}

// planAnd plans the AND of xs: the operands the index can narrow, less the
// exact negated ones (when nots allows).
func planAnd(xs []node, nots bool) *Plan {
	p := &Plan{Op: PlanAnd, Exact: true}
	for _, x := range xs {
		if not, ok := x.(*notNode); ok && nots {
			if _, double := not.x.(*notNode); !double {
				if k := plan(not.x); k.Exact {
					p.Not = append(p.Not, k)
				} else {
					p.Exact = false
				}
				continue
			}
		}
		k := plan(x)
		if k.Op == PlanAll {
			p.Exact = false
			continue
		}
		p.Exact = p.Exact && k.Exact
		p.Kids = append(p.Kids, k)
	}
	switch {
	case len(p.Kids) == 0:
		return planAll // nothing to narrow with (and NOT alone cannot)
	case len(p.Kids) == 1 && len(p.Not) == 0:
		k := p.Kids[0]
		k.Exact = k.Exact && p.Exact
		return k
	}
	return p
}

// String returns the plan in a readable form, for tests and logs.
func (p *Plan) String() string {
	var b strings.Builder
	p.format(&b)
	return b.String()
}

func (p *Plan) format(b *strings.Builder) {
	switch p.Op {
	case PlanAll:
		b.WriteString("ALL")
	case PlanAnd, PlanOr:
		op := " AND "
		if p.Op == PlanOr {
			op = " OR "
		}
		b.WriteByte('(')
		for i, k := range p.Kids {
			if i > 0 {
				b.WriteString(op)
			}
			k.format(b)
		}
		for _, k := range p.Not {
			b.WriteString(" NOT ")
			k.format(b)
		}
		b.WriteByte(')')
	case PlanPhrase:
		switch p.Fields {
		case PlanTitle:
			b.WriteString("title:")
		case PlanText:
			b.WriteString("text:")
		}
		b.WriteByte('"')
		for i, w := range p.Words {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w.Tok)
			if w.Prefix {
				b.WriteByte('*')
			}
		}
		b.WriteByte('"')
	case PlanNear:
		b.WriteString("NEAR(")
		for i, k := range p.Kids {
			if i > 0 {
				b.WriteByte(' ')
			}
			k.format(b)
		}
		b.WriteString(", " + strconv.Itoa(p.Dist) + ")")
	case PlanFact:
		b.WriteString("fact:" + p.Fact)
	}
}
