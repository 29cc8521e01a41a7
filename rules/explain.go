package rules

import "strings"

// Why returns why the query matches the item, in query syntax: of an OR,
// only the alternatives that match; an alias as @NAME→ the entries of it
// that match (@CSTO→одкб); the rest as Query.String's canonical form
// writes it (folded words). It returns "" when the query does not match.
func (q *Query) Why(d *Doc) string {
	if d == nil {
		d = NewItem(Item{})
	}
	m := q.matcher()
	s := m.pool.Get().(*scratch)
	defer func() { s.reset(); m.pool.Put(s) }()
	m.scan(d, s)
	c := &evalCtx{d: d, s: s, glob: m.queries[0].glob}
	if !c.eval(q.root) {
		return ""
	}
	var b strings.Builder
	c.why(&b, q.root, true)
	return b.String()
}

// why writes the part of n that matches (n does); top tells that n is
// the whole query, which needs no parentheses.
func (c *evalCtx) why(b *strings.Builder, n node, top bool) {
	switch n := n.(type) {
	case *andNode:
		c.list(b, n.xs, " AND ", top)
	case *orNode:
		var matched []node
		for _, x := range n.xs {
			if c.eval(x) {
				matched = append(matched, x)
			}
		}
		c.list(b, matched, " OR ", top)
	case *aliasNode:
		scope(b, n.in)
		if n.cased {
			b.WriteByte('=')
		}
		b.WriteString("@" + n.name + "→")
		c.why(b, n.x, false)
	default: // a term, a regular expression, an item fact, NEAR, NOT
		n.format(b)
	}
}

// list writes xs joined by op, in parentheses when there are several and
// they are not the whole query.
func (c *evalCtx) list(b *strings.Builder, xs []node, op string, top bool) {
	if len(xs) == 1 {
		c.why(b, xs[0], top)
		return
	}
	if !top {
		b.WriteByte('(')
	}
	for i, x := range xs {
		if i > 0 {
			b.WriteString(op)
		}
		c.why(b, x, false)
	}
	if !top {
		b.WriteByte(')')
	}
}
