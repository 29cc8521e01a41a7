package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// field is a bit set of the text fields a term looks in.
type field uint8

const (
	inTitle field = 1 << iota
	inText
	inBoth = inTitle | inText // unscoped terms
)

// node is a node of a query's syntax tree.
type node interface {
	// format writes the node in canonical query syntax.
	format(b *strings.Builder)
	// terms appends the node's positive terms to *dst; neg tells that the
	// node is under an odd number of NOTs.
	terms(dst *[]string, neg bool)
	// column returns the 1-based column where the node starts in the source.
	column() int
}

// elem is one word of a term.
type elem struct {
	tok    string // folded token, or prefix
	prefix bool   // tok is a prefix (written with a trailing *)
	cased  string // the word as written when it must match case-sensitively (=word), else ""
	stem   Stem   // the language it is inflected in, or NoStem
	name   bool   // with stem: written capitalized, so inflected as a name
	atom   int32  // index of its atom in the query's atoms
}

// termNode is a word, a phrase (its words consecutive, in one field) or a
// proximity ("a b"~N: all of them within N words, in any order).
type termNode struct {
	elems []elem
	prox  int   // -1: consecutive; else the proximity's N
	in    field // fields it looks in
	col   int
}

// nearNode matches when its operands (terms, or ORs of terms) occur within
// dist words of an occurrence of the first one, in one field.
type nearNode struct {
	xs   []node
	dist int
	col  int
}

// regexpNode matches a regular expression against the original text.
type regexpNode struct {
	re  *regexp.Regexp
	src string // as written between the slashes
	in  field
	col int
}

// metaNode matches the item's outlet or feed (source:), a feed tag (tag:)
// or its language (lang:).
type metaNode struct {
	field string // source, tag or lang
	value string // folded
	atom  int32  // index of its atom in the query's atoms
	col   int
}

// aliasNode is @NAME: the OR of the alias's terms.
type aliasNode struct {
	name  string
	x     node
	in    field
	cased bool
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

// scope writes the field prefix of a term looking in in.
func scope(b *strings.Builder, in field) {
	switch in {
	case inTitle:
		b.WriteString("title:")
	case inText:
		b.WriteString("text:")
	}
}

func (n *termNode) format(b *strings.Builder) {
	scope(b, n.in)
	cased := n.elems[0].cased != ""
	if cased {
		b.WriteByte('=')
	}
	if len(n.elems) == 1 && n.prox < 0 && !cased {
		b.WriteString(n.elems[0].written())
		return
	}
	b.WriteString(`"` + n.text() + `"`)
	if n.prox >= 0 {
		b.WriteString("~" + strconv.Itoa(n.prox))
	}
}

func (n *nearNode) format(b *strings.Builder) {
	b.WriteByte('(')
	for i, x := range n.xs {
		if i > 0 {
			b.WriteString(" NEAR/" + strconv.Itoa(n.dist) + " ")
		}
		x.format(b)
	}
	b.WriteByte(')')
}

func (n *regexpNode) format(b *strings.Builder) {
	scope(b, n.in)
	b.WriteString("/" + strings.ReplaceAll(n.src, "/", `\/`) + "/")
}

func (n *metaNode) format(b *strings.Builder) {
	b.WriteString(n.field + `:"` + n.value + `"`)
}

func (n *aliasNode) format(b *strings.Builder) {
	scope(b, n.in)
	if n.cased {
		b.WriteByte('=')
	}
	b.WriteString("@" + n.name)
}

func (n *notNode) format(b *strings.Builder) { b.WriteString("NOT "); n.x.format(b) }
func (n *andNode) format(b *strings.Builder) { formatList(b, n.xs, " AND ") }
func (n *orNode) format(b *strings.Builder)  { formatList(b, n.xs, " OR ") }

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

// written returns the element as a query writes it: folded, a name
// capitalized, a case-sensitive word as written, a prefix with its "*".
func (e elem) written() string {
	s := e.tok
	switch {
	case e.cased != "":
		s = e.cased
	case e.name:
		r, n := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	if e.prefix {
		s += "*"
	}
	return s
}

// text returns the term's words joined by spaces, as written.
func (n *termNode) text() string {
	var b strings.Builder
	for i, e := range n.elems {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.written())
	}
	return b.String()
}

// folded returns the term's folded words joined by spaces, prefixes with "*".
func (n *termNode) folded() string {
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

func (n *termNode) terms(dst *[]string, neg bool) {
	if n.prox >= 0 {
		for _, e := range n.elems {
			addTerm(dst, (&termNode{elems: []elem{e}}).folded(), neg)
		}
		return
	}
	addTerm(dst, n.folded(), neg)
}

func (n *nearNode) terms(dst *[]string, neg bool) {
	for _, x := range n.xs {
		x.terms(dst, neg)
	}
}

func (n *regexpNode) terms(dst *[]string, neg bool) {}
func (n *metaNode) terms(dst *[]string, neg bool)   {}
func (n *aliasNode) terms(dst *[]string, neg bool)  { n.x.terms(dst, neg) }
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

func (n *termNode) column() int   { return n.col }
func (n *nearNode) column() int   { return n.col }
func (n *regexpNode) column() int { return n.col }
func (n *metaNode) column() int   { return n.col }
func (n *aliasNode) column() int  { return n.col }
func (n *notNode) column() int    { return n.col }
func (n *andNode) column() int    { return n.xs[0].column() }
func (n *orNode) column() int     { return n.xs[0].column() }

// depth returns the number of AND, OR, NOT, NEAR and alias nodes on the
// longest path from n down to a term.
func depth(n node) int {
	var xs []node
	switch n := n.(type) {
	case *notNode:
		return 1 + depth(n.x)
	case *aliasNode:
		return 1 + depth(n.x)
	case *andNode:
		xs = n.xs
	case *orNode:
		xs = n.xs
	case *nearNode:
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

// shape writes n in a form that tells what it matches, with the atoms of a
// Matcher (glob: the query's atoms → the Matcher's): queries of one shape
// match the same items at the same places, however written, whatever
// their aliases are called.
func shape(b *strings.Builder, n node, glob []int32) {
	list := func(op string, xs []node) {
		b.WriteString(op + "(")
		for _, x := range xs {
			shape(b, x, glob)
		}
		b.WriteByte(')')
	}
	switch n := n.(type) {
	case *termNode:
		fmt.Fprintf(b, "t(%d %d", n.prox, n.in)
		for _, e := range n.elems {
			fmt.Fprintf(b, " %d", glob[e.atom])
		}
		b.WriteByte(')')
	case *nearNode:
		list("n"+strconv.Itoa(n.dist), n.xs)
	case *regexpNode:
		fmt.Fprintf(b, "r(%d %q)", n.in, n.re.String())
	case *metaNode:
		fmt.Fprintf(b, "m(%d)", glob[n.atom])
	case *aliasNode:
		shape(b, n.x, glob)
	case *notNode:
		list("!", []node{n.x})
	case *andNode:
		list("&", n.xs)
	case *orNode:
		list("|", n.xs)
	}
}
