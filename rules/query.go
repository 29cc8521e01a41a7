// Package rules parses and matches the watch-rule query language; the
// README's Rules section documents it for users.
//
// A query is made of:
//
//	kabulov              a word, matched on word boundaries
//	"zamir kabulov"      a phrase: the words consecutively, within one field
//	"kabulov csto"~10    a proximity: all the words within 10 words, any order
//	kabulov NEAR/10 csto the same with operands that may be phrases or aliases
//	kabul*               a prefix: kabul, kabulov, kabulov's …
//	=CSTO                case-sensitive (matching ignores case otherwise)
//	@CSTO                an alias: any of its terms (see Aliases)
//	/ta?jik/             a regular expression (RE2) on the original text, when enabled
//	title:x, text:x      x only in the title, or only in the text
//	source:tass.com      items of that outlet (or its subdomains) or of the feed so named
//	tag:central-asia     items of feeds with that tag
//	lang:ru              items in that language (the feed's lang, else detected)
//	a AND b, a b         both (juxtaposition means AND)
//	a OR b               either
//	NOT a, -a            not; -"phrase" and -(group) work too
//	( … )                grouping
//
// Precedence is NEAR > NOT > AND > OR: `a OR b c` is `a OR (b AND c)`, and
// `taliban NOT football` is `taliban AND NOT football`. The operators are
// recognised in upper case only, so that a lower-case "and", "or" or "not"
// stays an ordinary word. A minus makes a term negative only when it starts
// the term and is followed directly by it; inside a word it is a hyphen
// (`tajik-afghan` is the phrase "tajik afghan"). Phrases may be quoted with
// "…", “…”, „…“ or «…».
//
// Matching is case- and diacritic-insensitive (see text.Fold) and works on
// word tokens (see text.Tokens): a word in a query that splits into several
// tokens, like `covid-19`, is matched as a phrase, and the possessive 's is
// dropped (`Kabulov's` is `Kabulov`). With a Stem, words match their
// inflections (see stem.go).
//
// A query that would match an item containing none of its words, such as
// `-football` or `kabulov OR -football`, is rejected: it would match almost
// every item.
//
// Many rules are matched at once by a Matcher (see Compile).
package rules

import (
	"fmt"
	"strings"
	"sync"
)

// Query is a compiled rule query; it is safe for concurrent use.
type Query struct {
	src   string
	root  node
	atoms []atomSpec // the distinct words, prefixes and item facts it looks up
	trig  []int32    // atoms of which one occurs in every item it matches
	any   bool       // no such atoms: it must be tried on every item

	once sync.Once
	one  *Matcher // the query alone, for Match
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

// Match reports whether the item matches.
func (q *Query) Match(d *Doc) bool { return len(q.matcher().match(d, false)) > 0 }

// Spans returns where the query matches the item, or nil when it does not.
func (q *Query) Spans(d *Doc) []Span {
	if hs := q.matcher().match(d, true); len(hs) > 0 {
		return hs[0].Spans
	}
	return nil
}

// matcher returns the query compiled alone.
func (q *Query) matcher() *Matcher {
	q.once.Do(func() { q.one = Compile([]Rule{{Query: q}}) })
	return q.one
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
// folded terms (names with their capital when stemmed, case-sensitive terms
// as written), AND and OR groups in parentheses, NOT spelled out, aliases by
// name. Parsing it with the same Options gives the same tree.
func (q *Query) canonical() string {
	var b strings.Builder
	q.root.format(&b)
	return b.String()
}

// atomKind is the kind of an atom.
type atomKind uint8

const (
	aWord   atomKind = iota // a token equal to tok (and to cased, when set, in case)
	aPrefix                 // a token starting with tok that fits cased, stemmed or name, when set
	aMeta                   // an item fact: tok is a key from metaKey
)

// atomSpec is a word, prefix or item fact that queries look up in an
// item: the leaves of all the rules are compiled into one table of them.
type atomSpec struct {
	kind    atomKind
	tok     string
	cased   string // the case it (aWord) or its start (aPrefix) must have
	stem    Stem   // aPrefix: the language of stemmed or name
	stemmed string // aPrefix: the stem the token must have
	name    string // aPrefix: the name the token must be inflected from
}

// key identifies an atom among all rules' atoms.
func (a atomSpec) key() string {
	return fmt.Sprintf("%d\x00%s\x00%s\x00%d\x00%s\x00%s", a.kind, a.tok, a.cased, a.stem, a.stemmed, a.name)
}

// atomOf returns the atom that matches the element.
func atomOf(e elem) atomSpec {
	switch {
	case e.prefix:
		return atomSpec{kind: aPrefix, tok: e.tok, cased: e.cased}
	case e.cased != "":
		return atomSpec{kind: aWord, tok: e.tok, cased: e.cased}
	case e.stem == NoStem || e.name && e.stem == English: // English names are not inflected
		return atomSpec{kind: aWord, tok: e.tok}
	case e.name:
		return atomSpec{kind: aPrefix, tok: e.stem.nameBase(e.tok), stem: e.stem, name: e.tok}
	}
	s := e.stem.stem(e.tok)
	return atomSpec{kind: aPrefix, tok: stemKey(s), stem: e.stem, stemmed: s}
}

// newQuery numbers the atoms of the tree and finds its triggers.
func newQuery(src string, root node) *Query {
	q := &Query{src: src, root: root}
	index := map[string]int32{}
	add := func(a atomSpec) int32 {
		k := a.key()
		i, ok := index[k]
		if !ok {
			i = int32(len(q.atoms))
			index[k] = i
			q.atoms = append(q.atoms, a)
		}
		return i
	}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *termNode:
			for i := range n.elems {
				n.elems[i].atom = add(atomOf(n.elems[i]))
			}
		case *metaNode:
			n.atom = add(atomSpec{kind: aMeta, tok: metaKey(n.field, n.value)})
		case *aliasNode:
			walk(n.x)
		case *notNode:
			walk(n.x)
		case *andNode:
			for _, x := range n.xs {
				walk(x)
			}
		case *orNode:
			for _, x := range n.xs {
				walk(x)
			}
		case *nearNode:
			for _, x := range n.xs {
				walk(x)
			}
		}
	}
	walk(root)
	var ok bool
	q.trig, ok = q.triggers(root)
	q.any = !ok
	return q
}

// triggers returns atoms of which at least one occurs in every item that
// n matches, few and specific ones when it can choose; ok is false when
// there are none (n is negative, or a regular expression).
func (q *Query) triggers(n node) (atoms []int32, ok bool) {
	switch n := n.(type) {
	case *termNode:
		best := -1
		for i, e := range n.elems {
			if best < 0 || q.rarer(n.elems[best].atom, e.atom) == e.atom {
				best = i
			}
		}
		return []int32{n.elems[best].atom}, true
	case *metaNode:
		return []int32{n.atom}, true
	case *aliasNode:
		return q.triggers(n.x)
	case *notNode:
		if x, isNot := n.x.(*notNode); isNot {
			return q.triggers(x.x)
		}
		return nil, false
	case *orNode:
		var all []int32
		for _, x := range n.xs {
			ts, ok := q.triggers(x)
			if !ok {
				return nil, false
			}
			all = append(all, ts...)
		}
		return all, true
	case *andNode:
		return q.fewest(n.xs)
	case *nearNode:
		return q.fewest(n.xs)
	}
	return nil, false
}

// musts appends to atoms those that occur in every item n matches, as far
// as it tells without evaluating n: a query none of whose items holds one
// of them is false without a look at its tree.
func musts(atoms []int32, n node) []int32 {
	switch n := n.(type) {
	case *termNode:
		for _, e := range n.elems {
			atoms = append(atoms, e.atom)
		}
	case *metaNode:
		atoms = append(atoms, n.atom)
	case *aliasNode:
		return musts(atoms, n.x)
	case *notNode:
		if x, isNot := n.x.(*notNode); isNot {
			return musts(atoms, x.x)
		}
	case *andNode:
		for _, x := range n.xs {
			atoms = musts(atoms, x)
		}
	case *nearNode:
		for _, x := range n.xs {
			atoms = musts(atoms, x)
		}
	}
	return atoms
}

// fewest returns the triggers of the operand (all of which must match)
// with the fewest; of operands with as many, those whose likeliest atom
// (the one an item has most often) is rarer: "said kabulov" is triggered
// by kabulov.
func (q *Query) fewest(xs []node) (best []int32, found bool) {
	for _, x := range xs {
		ts, ok := q.triggers(x)
		if ok && (!found || len(ts) < len(best) || len(ts) == len(best) && q.rarer(q.likeliest(best), q.likeliest(ts)) == q.likeliest(ts)) {
			best, found = ts, true
		}
	}
	return best, found
}

// likeliest returns the atom of ts that is likely the commonest in items.
func (q *Query) likeliest(ts []int32) int32 {
	l := ts[0]
	for _, a := range ts[1:] {
		if q.rarer(l, a) == l {
			l = a
		}
	}
	return l
}

// rarer returns the atom of a and b that is likely rarer in items (a when
// it cannot tell): whole words before prefixes before item facts, longer
// before shorter.
func (q *Query) rarer(a, b int32) int32 {
	if ka, kb := q.atoms[a].kind, q.atoms[b].kind; ka != kb { // aWord < aPrefix < aMeta
		if ka < kb {
			return a
		}
		return b
	}
	if len(q.atoms[b].tok) > len(q.atoms[a].tok) {
		return b
	}
	return a
}

// matchesEmpty returns the column of the part of the query that makes it
// match an item without any words, or 0 when it does not.
func (q *Query) matchesEmpty() int {
	c := &evalCtx{d: NewItem(Item{}), s: newScratch(make([]bool, len(q.atoms)), 1), glob: identity(len(q.atoms))}
	n := q.root
	for c.eval(n) {
		switch m := n.(type) {
		case *andNode:
			n = m.xs[0] // all of them match
		case *orNode:
			for _, x := range m.xs {
				if c.eval(x) {
					n = x
					break
				}
			}
		case *aliasNode:
			n = m.x
		default:
			return n.column()
		}
	}
	return 0
}

// identity returns 0, 1, …, n-1.
func identity(n int) []int32 {
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(i)
	}
	return ids
}
