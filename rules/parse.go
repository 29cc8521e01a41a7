package rules

import (
	"fmt"
	"github.com/wirewatch/wirewatch/text"
	"unicode/utf8"
)

const (
	// maxNesting bounds the parser's recursion: parentheses and NOTs.
	maxNesting = 200
	// maxDepth bounds the AND, OR and NOT nodes on one path of the tree,
	// and so the nesting of the canonical form (below maxNesting).
	maxDepth = 100
	// minPrefix is the fewest characters a prefix term may have.
	minPrefix = 2
)

// Parse compiles a query.
func Parse(src string) (*Query, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tEOF {
		return nil, &SyntaxError{Col: 1, Msg: "empty query"}
	}
	p := &parser{toks: toks}
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
	if col := matchesEmpty(root); col > 0 {
		return nil, &SyntaxError{Col: col, Msg: "only negative terms: the query would match almost every item"}
	}
	return &Query{src: src, root: root}, nil
}

// parser is a recursive-descent parser over the tokens of one query.
type parser struct {
	toks    []token
	i       int
	nesting int
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
	case tWord, tPhrase, tLParen, tNot, tMinus:
		return true
	}
	return false
}

// missingAfter reports an operator without its right-hand operand.
func missingAfter(op token) error {
	name := map[tokKind]string{tAnd: "AND", tOr: "OR", tNot: "NOT", tMinus: "-"}[op.kind]
	return &SyntaxError{Col: op.col, Msg: "missing term after " + name}
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
	if len(xs) == 1 {
		return xs[0], nil
	}
	return &orNode{xs: flatten(xs, func(x node) []node {
		if o, ok := x.(*orNode); ok {
			return o.xs
		}
		return nil
	})}, nil
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

// parseUnary parses: NOT unary | -primary | primary. The minus must touch
// its operand, which must be a word, a phrase or a group.
func (p *parser) parseUnary() (node, error) {
	t := p.peek()
	switch t.kind {
	case tNot:
		p.next()
		if !startsTerm(p.peek().kind) {
			return nil, missingAfter(t)
		}
		if p.nesting++; p.nesting > maxNesting {
			return nil, &SyntaxError{Col: t.col, Msg: "query too deeply nested"}
		}
		x, err := p.parseUnary()
		p.nesting--
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, col: t.col}, nil
	case tMinus:
		p.next()
		switch n := p.peek(); {
		case n.kind != tWord && n.kind != tPhrase && n.kind != tLParen:
			return nil, missingAfter(t)
		case n.col != t.col+1:
			return nil, &SyntaxError{Col: t.col, Msg: "space after -: write -word to exclude a word"}
		}
		x, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, col: t.col}, nil
	}
	return p.parsePrimary()
}

// parsePrimary parses: word | phrase | ( or ).
func (p *parser) parsePrimary() (node, error) {
	t := p.next()
	switch t.kind {
	case tWord, tPhrase:
		return compileTerm(t)
	case tLParen:
		switch p.peek().kind {
		case tEOF:
			return nil, &SyntaxError{Col: t.col, Msg: "unclosed parenthesis"}
		case tRParen:
			return nil, &SyntaxError{Col: t.col, Msg: "empty parentheses"}
		}
		if p.nesting++; p.nesting > maxNesting {
			return nil, &SyntaxError{Col: t.col, Msg: "query too deeply nested"}
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
	case tAnd:
		return nil, &SyntaxError{Col: t.col, Msg: "missing term before AND"}
	case tOr:
		return nil, &SyntaxError{Col: t.col, Msg: "missing term before OR"}
	case tRParen:
		return nil, &SyntaxError{Col: t.col, Msg: "unexpected )"}
	}
	return nil, &SyntaxError{Col: t.col, Msg: "missing term"}
}

// compileTerm turns a word or phrase token into a word, prefix or phrase
// node. Its text is tokenised like a document; a "*" right after a word
// makes that word a prefix.
func compileTerm(t token) (node, error) {
	col := t.col // column of text[0]
	if t.kind == tPhrase {
		col++
	}
	var elems []elem
	start := 0 // the part of text after the last *
	for i, r := range t.text {
		if r != '*' {
			continue
		}
		starCol := col + utf8.RuneCountInString(t.text[:i])
		part := text.Fold(t.text[start:i])
		spans := text.AppendSpans(part, nil)
		next, _ := utf8.DecodeRuneInString(t.text[i+1:])
		if len(spans) == 0 || spans[len(spans)-1].End != len(part) || next == '*' || text.IsWordStart(next) {
			return nil, &SyntaxError{Col: starCol, Msg: "* must come right after a word, at its end"}
		}
		for j, sp := range spans {
			elems = append(elems, elem{tok: part[sp.Start:sp.End], prefix: j == len(spans)-1})
		}
		if utf8.RuneCountInString(elems[len(elems)-1].tok) < minPrefix {
			return nil, &SyntaxError{Col: starCol, Msg: fmt.Sprintf("a prefix needs at least %d letters before *", minPrefix)}
		}
		start = i + 1
	}
	for _, tok := range text.Tokens(t.text[start:]) {
		elems = append(elems, elem{tok: tok})
	}
	switch {
	case len(elems) == 0 && t.kind == tPhrase:
		return nil, &SyntaxError{Col: t.col, Msg: "empty phrase"}
	case len(elems) == 0:
		return nil, &SyntaxError{Col: t.col, Msg: fmt.Sprintf("%q has no letters or digits", t.text)}
	case len(elems) > 1:
		return &phraseNode{elems: elems, col: t.col}, nil
	case elems[0].prefix:
		return &prefixNode{pre: elems[0].tok, col: t.col}, nil
	}
	return &wordNode{tok: elems[0].tok, col: t.col}, nil
}
