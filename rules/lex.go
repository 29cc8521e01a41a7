package rules

import (
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token of a query.
type tokKind int

const (
	tEOF    tokKind = iota
	tWord           // a bare word: text is the word as written
	tPhrase         // a quoted phrase: text is the part between the quotes
	tLParen         // (
	tRParen         // )
	tAnd            // AND
	tOr             // OR
	tNot            // NOT
	tMinus          // - at the start of a term
)

// token is one lexical token of a query.
type token struct {
	kind tokKind
	text string
	col  int // 1-based rune column of the token's first character
}

// isQuote reports whether r opens or closes a phrase. Besides ASCII "
// the typographic quotes that phones and chat clients substitute are
// accepted: “…”, „…“ and «…».
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

// endsWord reports whether r ends a bare word.
func endsWord(r rune) bool {
	return r == '(' || r == ')' || isQuote(r) || unicode.IsSpace(r)
}

// lex splits a query into tokens, ending with a tEOF token.
func lex(src string) ([]token, error) {
	var toks []token
	col := 1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
			col++
		case r == '(':
			toks = append(toks, token{kind: tLParen, col: col})
			i += n
			col++
		case r == ')':
			toks = append(toks, token{kind: tRParen, col: col})
			i += n
			col++
		case r == '-':
			toks = append(toks, token{kind: tMinus, col: col})
			i += n
			col++
		case isQuote(r):
			start, startCol := i+n, col
			i, col = start, col+1
			for {
				if i >= len(src) {
					return nil, &SyntaxError{Col: startCol, Msg: "unterminated quote"}
				}
				q, m := utf8.DecodeRuneInString(src[i:])
				if isQuote(q) {
					toks = append(toks, token{kind: tPhrase, text: src[start:i], col: startCol})
					i += m
					col++
					break
				}
				i += m
				col++
			}
		default:
			start, startCol := i, col
			for i < len(src) {
				q, m := utf8.DecodeRuneInString(src[i:])
				if endsWord(q) {
					break
				}
				i += m
				col++
			}
			t := token{kind: tWord, text: src[start:i], col: startCol}
			switch t.text {
			case "AND":
				t.kind = tAnd
			case "OR":
				t.kind = tOr
			case "NOT":
				t.kind = tNot
			}
			toks = append(toks, t)
		}
	}
	return append(toks, token{kind: tEOF, col: col}), nil
}
