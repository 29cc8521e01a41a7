package rules

import (
	"fmt"
)

const (
	// maxNesting bounds the parser's recursion: parentheses, NOTs, scopes
	// and aliases.
	maxNesting = 200
	// maxDepth bounds the AND, OR, NOT, NEAR and alias nodes on one path of
	// the tree, and so the nesting of the canonical form (below maxNesting).
	maxDepth = 100
	// minPrefix is the fewest characters a prefix term may have.
	minPrefix = 2
	// maxRegexp bounds a regular expression's length, and maxRegexpInsts
	// its compiled size.
	maxRegexp      = 256
	maxRegexpInsts = 2000
)

// Options are how a query is parsed.
type Options struct {
	Aliases Aliases // what @NAME stands for
	Stem    Stem    // the language whose inflections words match
	Regexp  bool    // allow /regular expressions/
}

// Parse compiles a query without aliases, stemming or regular expressions.
func Parse(src string) (*Query, error) { return ParseWith(src, Options{}) }

// ParseWith compiles a query.
func ParseWith(src string, opts Options) (*Query, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tEOF {
		return nil, &SyntaxError{Col: 1, Msg: "empty query"}
	}
	p := &parser{toks: toks, opts: opts, in: inBoth}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF { // only ) stops parseOr early
		return nil, &SyntaxError{Col: t.col, Msg: "unexpected )"}
	}
	if depth(root) > maxDepth {
		return nil, &SyntaxError{Col: 1, Msg: "query too deeply nested"}
	}
	q := newQuery(src, root)
	if col := q.matchesEmpty(); col > 0 {
		return nil, &SyntaxError{Col: col, Msg: "only negative terms: the query would match almost every item"}
	}
	return q, nil
}

// parser is a recursive-descent parser over the tokens of one query.
type parser struct {
	toks    []token
	i       int
	nesting int
	opts    Options
	in      field    // the fields terms look in: a title: or text: scope
	cased   bool     // terms match case-sensitively: an = marker
	aliases []string // the aliases being expanded, for cycles
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	p.i++
	return t
}

// startsTerm reports whether a token of kind k can start an operand.
func startsTerm(k tokKind) bool {
	switch k {
	case tWord, tPhrase, tLParen, tNot, tMinus, tField, tCased, tAlias, tRegexp:
		return true
	}
	return false
}

// opName names an operator token in messages.
func opName(op token) string {
	switch op.kind {
	case tAnd:
		return "AND"
	case tOr:
		return "OR"
	case tNot:
		return "NOT"
	case tMinus:
		return "-"
	case tCased:
		return "="
	case tNear:
		return "NEAR"
	case tField:
		return op.text + ":"
	}
	return "operator"
}

// missingAfter reports an operator without its right-hand operand.
func missingAfter(op token) error {
	return &SyntaxError{Col: op.col, Msg: "missing term after " + opName(op)}
}

// nest enters a nested part of the query at column col.
func (p *parser) nest(col int) error {
	if p.nesting++; p.nesting > maxNesting {
		return &SyntaxError{Col: col, Msg: "query too deeply nested"}
	}
	return nil
}

// parseOr parses: and { OR and }.
func (p *parser) parseOr() (node, error) {
	x, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	xs := []node{x}
	for p.peek().kind == tOr {
		op := p.next()
		if !startsTerm(p.peek().kind) {
			return nil, missingAfter(op)
		}
		if x, err = p.parseAnd(); err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
	return orOf(xs), nil
}

// orOf returns the OR of xs, nested ORs flattened.
func orOf(xs []node) node {
	if len(xs) == 1 {
		return xs[0]
	}
	return &orNode{xs: flatten(xs, func(x node) []node {
		if o, ok := x.(*orNode); ok {
			return o.xs
		}
		return nil
	})}
}

// parseAnd parses: unary { [AND] unary }.
func (p *parser) parseAnd() (node, error) {
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	xs := []node{x}
	for {
		if t := p.peek(); t.kind == tAnd {
			p.next()
			if !startsTerm(p.peek().kind) {
				return nil, missingAfter(t)
			}
		} else if !startsTerm(t.kind) {
			break
		}
		if x, err = p.parseUnary(); err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
	if len(xs) == 1 {
		return xs[0], nil
	}
	return &andNode{xs: flatten(xs, func(x node) []node {
		if a, ok := x.(*andNode); ok {
			return a.xs
		}
		return nil
	})}, nil
}

// flatten lifts the operands of nested nodes of the same operator (those
// for which inner returns them) into one list: a OR (b OR c) is a OR b OR c.
func flatten(xs []node, inner func(node) []node) []node {
	var flat []node
	for _, x := range xs {
		if in := inner(x); in != nil {
			flat = append(flat, in...)
		} else {
			flat = append(flat, x)
		}
	}
	return flat
}

// parseUnary parses: NOT unary | -near | near. The minus must touch its
// operand.
func (p *parser) parseUnary() (node, error) {
	t := p.peek()
	switch t.kind {
	case tNot, tMinus:
		p.next()
		n := p.peek()
		switch {
		case !startsTerm(n.kind) || t.kind == tMinus && (n.kind == tNot || n.kind == tMinus):
			return nil, missingAfter(t)
		case t.kind == tMinus && n.col != t.end:
			return nil, &SyntaxError{Col: t.col, Msg: "space after -: write -word to exclude a word"}
		}
		if err := p.nest(t.col); err != nil {
			return nil, err
		}
		var x node
		var err error
		if t.kind == tNot {
			x, err = p.parseUnary()
		} else {
			x, err = p.parseNear()
		}
		p.nesting--
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, col: t.col}, nil
	}
	return p.parseNear()
}

// parseNear parses: primary { NEAR/N primary }.
func (p *parser) parseNear() (node, error) {
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tNear {
		return x, nil
	}
	near := &nearNode{xs: []node{x}, dist: p.peek().n, col: x.column()}
	for p.peek().kind == tNear {
		op := p.next()
		if op.n != near.dist {
			return nil, &SyntaxError{Col: op.col, Msg: "use one distance in a chain of NEARs"}
		}
		if !startsTerm(p.peek().kind) || p.peek().kind == tNot || p.peek().kind == tMinus {
			return nil, missingAfter(op)
		}
		y, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		near.xs = append(near.xs, y)
	}
	for _, x := range near.xs {
		if !positional(x) {
			return nil, &SyntaxError{Col: x.column(), Msg: "NEAR joins words, phrases, aliases or ORs of them"}
		}
	}
	return near, nil
}

// positional reports whether n matches at positions in the text: a term,
// an alias or an OR of them.
func positional(n node) bool {
	switch n := n.(type) {
	case *termNode:
		return true
	case *aliasNode:
		return positional(n.x)
	case *orNode:
		for _, x := range n.xs {
			if !positional(x) {
				return false
			}
		}
		return true
	}
	return false
}

// parsePrimary parses: [field:] [=] (word | phrase[~N] | @alias | /re/ | ( or )).
func (p *parser) parsePrimary() (node, error) {
	t := p.next()
	switch t.kind {
	case tWord, tPhrase:
		return p.compileTerm(t)
	case tField, tCased:
		n := p.peek()
		switch {
		case n.kind == tEOF || n.kind == tRParen || n.kind == tAnd || n.kind == tOr || n.kind == tNear:
			return nil, missingAfter(t)
		case n.col != t.end:
			return nil, &SyntaxError{Col: t.col, Msg: fmt.Sprintf("space after %s: write it right before its term", opName(t))}
		}
		if t.kind == tField && (t.text == "source" || t.text == "tag" || t.text == "lang") {
			return p.meta(t)
		}
		if t.kind == tCased && n.kind != tWord && n.kind != tPhrase && n.kind != tAlias && n.kind != tRegexp {
			return nil, &SyntaxError{Col: t.col, Msg: "= goes before a word, a phrase, an alias or a regular expression"}
		}
		if t.kind == tField && p.cased {
			return nil, &SyntaxError{Col: t.col, Msg: "write the field first, as in title:=CSTO"}
		}
		if err := p.nest(t.col); err != nil {
			return nil, err
		}
		in, cased := p.in, p.cased
		if t.kind == tCased {
			p.cased = true
		} else if t.text == "title" {
			p.in = inTitle
		} else {
			p.in = inText
		}
		x, err := p.parsePrimary()
		p.in, p.cased = in, cased
		p.nesting--
		if err != nil {
			return nil, err
		}
		if t.kind == tField {
			if x, ok := x.(*termNode); ok {
				x.col = t.col
			}
		}
		return x, nil
	case tAlias:
		return p.alias(t)
	case tRegexp:
		return p.regexp(t)
	case tLParen:
		if p.cased {
			return nil, &SyntaxError{Col: t.col, Msg: "= goes before a word, a phrase, an alias or a regular expression"}
		}
		switch p.peek().kind {
		case tEOF:
			return nil, &SyntaxError{Col: t.col, Msg: "unclosed parenthesis"}
		case tRParen:
			return nil, &SyntaxError{Col: t.col, Msg: "empty parentheses"}
		}
		if err := p.nest(t.col); err != nil {
			return nil, err
		}
		x, err := p.parseOr()
		p.nesting--
		if err != nil {
			return nil, err
		}
		if p.next().kind != tRParen { // parseOr stops only at ) or the end
			return nil, &SyntaxError{Col: t.col, Msg: "unclosed parenthesis"}
		}
		return x, nil
	case tAnd, tOr, tNear:
		return nil, &SyntaxError{Col: t.col, Msg: "missing term before " + opName(t)}
	case tRParen:
		return nil, &SyntaxError{Col: t.col, Msg: "unexpected )"}
	}
	return nil, &SyntaxError{Col: t.col, Msg: "missing term"}
}
