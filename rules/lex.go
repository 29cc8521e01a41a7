package rules

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token of a query.
type tokKind int

const (
	tEOF    tokKind = iota
	tWord           // a bare word: text is the word as written
	tPhrase         // a quoted phrase: text is the part between the quotes; n is its ~N, or -1
	tLParen         // (
	tRParen         // )
	tAnd            // AND
	tOr             // OR
	tNot            // NOT
	tMinus          // - at the start of a term
	tNear           // NEAR/N: n is N
	tField          // title:, text:, source:, tag: or lang:, text is the field
	tCased          // = at the start of a term: match it case-sensitively
	tAlias          // @NAME: text is NAME
	tRegexp         // /re/: text is re, with \/ unescaped
)

// token is one lexical token of a query.
type token struct {
	kind tokKind
	text string
	n    int // tPhrase: proximity (-1: none); tNear: distance
	col  int // 1-based rune column of the token's first character
	end  int // 1-based rune column just after the token
}

// fields are the field names a term may be scoped with, as in title:word.
var fields = []string{"title", "text", "source", "tag", "lang"}

// defaultNear is the distance of a NEAR written without /N.
const defaultNear = 10

// maxDistance bounds a proximity's distance in words.
const maxDistance = 1000

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
	emit := func(k tokKind, text string, n, start, end int) {
		toks = append(toks, token{kind: k, text: text, n: n, col: start, end: end})
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
			col++
		case r == '(' || r == ')' || r == '-' || r == '=':
			k := map[rune]tokKind{'(': tLParen, ')': tRParen, '-': tMinus, '=': tCased}[r]
			emit(k, "", 0, col, col+1)
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
					body := src[start:i]
					i += m
					col++
					prox := -1
					if i < len(src) && src[i] == '~' {
						j := i + 1
						for j < len(src) && '0' <= src[j] && src[j] <= '9' {
							j++
						}
						v, err := strconv.Atoi(src[i+1 : j])
						if err != nil || v > maxDistance {
							return nil, &SyntaxError{Col: col, Msg: "~ needs a number of words, 0 to 1000, like \"a b\"~10"}
						}
						prox = v
						col += j - i
						i = j
					}
					emit(tPhrase, body, prox, startCol, col)
					break
				}
				i += m
				col++
			}
		case r == '/':
			startCol := col
			var b strings.Builder
			i, col = i+1, col+1
			for {
				if i >= len(src) {
					return nil, &SyntaxError{Col: startCol, Msg: "unterminated regular expression: end it with /"}
				}
				q, m := utf8.DecodeRuneInString(src[i:])
				if q == '\\' && strings.HasPrefix(src[i+1:], "/") {
					b.WriteByte('/')
					i, col = i+2, col+2
					continue
				}
				i += m
				col++
				if q == '/' {
					break
				}
				b.WriteString(src[i-m : i])
			}
			emit(tRegexp, b.String(), 0, startCol, col)
		case r == '@':
			start, startCol := i+n, col
			i, col = start, col+1
			for i < len(src) {
				q, m := utf8.DecodeRuneInString(src[i:])
				if endsWord(q) {
					break
				}
				i += m
				col++
			}
			emit(tAlias, src[start:i], 0, startCol, col)
		default:
			if f := fieldPrefix(src[i:]); f != "" {
				emit(tField, f, 0, col, col+len(f)+1)
				i += len(f) + 1
				col += len(f) + 1
				continue
			}
			start, startCol := i, col
			for i < len(src) {
				q, m := utf8.DecodeRuneInString(src[i:])
				if endsWord(q) {
					break
				}
				i += m
				col++
			}
			t := token{kind: tWord, text: src[start:i], col: startCol, end: col}
			switch {
			case t.text == "AND":
				t.kind = tAnd
			case t.text == "OR":
				t.kind = tOr
			case t.text == "NOT":
				t.kind = tNot
			case t.text == "NEAR":
				t.kind, t.n = tNear, defaultNear
			case strings.HasPrefix(t.text, "NEAR/"):
				v, err := strconv.Atoi(t.text[len("NEAR/"):])
				if err != nil || v < 0 || v > maxDistance || t.text[len("NEAR/")] == '+' {
					return nil, &SyntaxError{Col: startCol, Msg: "NEAR/ needs a number of words, 0 to 1000, like NEAR/10"}
				}
				t.kind, t.n = tNear, v
			}
			toks = append(toks, t)
		}
	}
	return append(toks, token{kind: tEOF, col: col, end: col}), nil
}

// fieldPrefix returns the field s starts with, as in "title:…", or "".
func fieldPrefix(s string) string {
	for _, f := range fields {
		if len(s) > len(f) && s[len(f)] == ':' && s[:len(f)] == f {
			return f
		}
	}
	return ""
}
