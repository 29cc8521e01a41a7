package rules

import (
	"slices"
	"strings"
)

// node is a node of a query's syntax tree.
type node interface {
	// match reports whether the document matches the node.
	match(d *Doc) bool
	// format writes the node in canonical query syntax.
	format(b *strings.Builder)
	// terms appends the node's positive terms to *dst; neg tells that the
	// node is under an odd number of NOTs.
	terms(dst *[]string, neg bool)
	// column returns the 1-based column where the node starts in the source.
	column() int
}

// wordNode matches one token.
type wordNode struct {
	tok string
	col int
}

// prefixNode matches any token that starts with pre.
type prefixNode struct {
	pre string
	col int
}

// elem is one word of a phrase.
type elem struct {
	tok    string
	prefix bool // tok is a prefix (written with a trailing *)
}

// phraseNode matches consecutive tokens of one field.
type phraseNode struct {
	elems []elem
	col   int
}

// notNode matches when x does not.
type notNode struct {
	x   node
	col int
}

// andNode matches when all of xs do.
type andNode struct{ xs []node }

// orNode matches when any of xs does.
type orNode struct{ xs []node }

func (n *wordNode) format(b *strings.Builder)   { b.WriteString(n.tok) }
func (n *prefixNode) format(b *strings.Builder) { b.WriteString(n.pre + "*") }
func (n *phraseNode) format(b *strings.Builder) { b.WriteString(`"` + n.text() + `"`) }
func (n *notNode) format(b *strings.Builder)    { b.WriteString("NOT "); n.x.format(b) }
func (n *andNode) format(b *strings.Builder)    { formatList(b, n.xs, " AND ") }
func (n *orNode) format(b *strings.Builder)     { formatList(b, n.xs, " OR ") }

// formatList writes xs joined by op, in parentheses.
func formatList(b *strings.Builder, xs []node, op string) {
	b.WriteByte('(')
	for i, x := range xs {
		if i > 0 {
			b.WriteString(op)
		}
		x.format(b)
	}
	b.WriteByte(')')
}

// text returns the phrase's words joined by spaces, prefixes with their "*".
func (n *phraseNode) text() string {
	var b strings.Builder
	for i, e := range n.elems {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.tok)
		if e.prefix {
			b.WriteByte('*')
		}
	}
	return b.String()
}

func (n *wordNode) terms(dst *[]string, neg bool)   { addTerm(dst, n.tok, neg) }
func (n *prefixNode) terms(dst *[]string, neg bool) { addTerm(dst, n.pre+"*", neg) }
func (n *phraseNode) terms(dst *[]string, neg bool) { addTerm(dst, n.text(), neg) }
func (n *notNode) terms(dst *[]string, neg bool)    { n.x.terms(dst, !neg) }

func (n *andNode) terms(dst *[]string, neg bool) {
	for _, x := range n.xs {
		x.terms(dst, neg)
	}
}

func (n *orNode) terms(dst *[]string, neg bool) {
	for _, x := range n.xs {
		x.terms(dst, neg)
	}
}

// addTerm appends t to *dst unless neg is set or t is there already.
func addTerm(dst *[]string, t string, neg bool) {
	if !neg && !slices.Contains(*dst, t) {
		*dst = append(*dst, t)
	}
}

func (n *wordNode) column() int   { return n.col }
func (n *prefixNode) column() int { return n.col }
func (n *phraseNode) column() int { return n.col }
func (n *notNode) column() int    { return n.col }
func (n *andNode) column() int    { return n.xs[0].column() }
func (n *orNode) column() int     { return n.xs[0].column() }

// depth returns the number of AND, OR and NOT nodes on the longest path
// from n down to a term.
func depth(n node) int {
	var xs []node
	switch n := n.(type) {
	case *notNode:
		return 1 + depth(n.x)
	case *andNode:
		xs = n.xs
	case *orNode:
		xs = n.xs
	default:
		return 0
	}
	d := 0
	for _, x := range xs {
		d = max(d, depth(x))
	}
	return 1 + d
}

// matchesEmpty returns the column of the part of n that makes n match a
// document without any words, or 0 when n does not.
func matchesEmpty(n node) int {
	empty := &Doc{}
	for n.match(empty) {
		switch m := n.(type) {
		case *andNode:
			n = m.xs[0] // all of them match
		case *orNode:
			for _, x := range m.xs {
				if x.match(empty) {
					n = x
					break
				}
			}
		default:
			return n.column()
		}
	}
	return 0
}
