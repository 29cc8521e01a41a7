// Package words splits a text into words as snippets show them, each with
// the folded tokens the rule matcher sees in it, and drops a title a text
// repeats.
package words

import (
	"slices"
	"strings"
	"unicode"

	fold "github.com/wirewatch/wirewatch/text"
)

// DropTitle returns text without its first run of words that repeats
// title (three words at least), and the punctuation after it.
func DropTitle(text, title string) string {
	want := fold.Tokens(title)
	if len(want) < 3 || text == "" {
		return text
	}
	// Most texts do not repeat their title: folding the text in one pass
	// shows that without splitting it into words.
	folded := fold.Fold(text)
	for _, w := range want {
		if !strings.Contains(folded, w) {
			return text
		}
	}
	runes := []rune(text)
	ws := Split(runes)
	toks := Stream(ws)
	for i := 0; i+len(want) <= len(toks); i++ {
		if !slices.EqualFunc(toks[i:i+len(want)], want, func(a Token, b string) bool { return a.Text == b }) {
			continue
		}
		from, to := ws[toks[i].Word].Start, ws[toks[i+len(want)-1].Word].End
		for to < len(runes) && (unicode.IsSpace(runes[to]) || unicode.IsPunct(runes[to])) {
			to++
		}
		return strings.TrimSpace(string(runes[:from]) + string(runes[to:]))
	}
	return text
}

// Word is one word of a text: its runes [Start, End) and the folded
// tokens the matcher sees in it.
type Word struct {
	Start, End int
	Tokens     []string
}

// Split splits text into words: runs of letters, digits and marks,
// with apostrophes inside them ("Kabulov's" is one word, token "kabulov").
func Split(text []rune) []Word {
	var out []Word
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
	isApos := func(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }
	start := -1
	for i := 0; i <= len(text); i++ {
		in := i < len(text) && (isWord(text[i]) ||
			start >= 0 && isApos(text[i]) && i+1 < len(text) && isWord(text[i+1]))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			if toks := tokens(text[start:i]); len(toks) > 0 {
				out = append(out, Word{Start: start, End: i, Tokens: toks})
			}
			start = -1
		}
	}
	return out
}

// tokens is fold.Tokens of one word; a word of ASCII letters and
// digits, the common case, is one token, lower-cased.
func tokens(w []rune) []string {
	b := make([]byte, len(w))
	for i, r := range w {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			b[i] = byte(r)
		case 'A' <= r && r <= 'Z':
			b[i] = byte(r) + 'a' - 'A'
		default:
			return fold.Tokens(string(w))
		}
	}
	return []string{string(b)}
}

// Token is a folded token and the word it came from.
type Token struct {
	Text string
	Word int
}

// Stream is the tokens of words, in order.
func Stream(ws []Word) []Token {
	var out []Token
	for i, w := range ws {
		for _, t := range w.Tokens {
			out = append(out, Token{t, i})
		}
	}
	return out
}
