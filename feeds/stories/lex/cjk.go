package lex

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/text"
)

// Chinese: words of several characters, and names no transliteration rule
// reaches.
//
// Chinese is written without spaces, and text.AppendSpans makes each Han
// character a token (a phrase of them matches a rule as a substring). A
// character alone seldom names anything (布 of 卡布洛夫, Kabulov, is
// "cloth"), so Tokenize joins the characters of a word vocabText or
// namesText lists into one token, the longest listed first: 停火 is
// matched as "ceasefire", 拉夫罗夫 as "Lavrov".

// cjkWord holds the hashes of the folded Chinese words of vocabText and
// namesText (read only), and the most characters one has.
type cjkWord struct {
	hashes   map[uint64]bool
	maxRunes int
}

// cjkWords is decoded from tables.bin when a text with a Han character
// is first tokenized.
var cjkWords = sync.OnceValue(func() cjkWord {
	w := cjkWord{hashes: make(map[uint64]bool, tables.cjk()), maxRunes: tables.cjkMaxRunes()}
	for i := range tables.cjk() {
		w.hashes[tables.cjkAt(i)] = true
	}
	return w
})

// isHan reports whether r is a Han character.
func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

// hanSpan reports whether span sp of folded is one Han character.
func hanSpan(folded []byte, sp text.Span) bool {
	if sp.End-sp.Start < 3 || folded[sp.Start] < 0xE2 {
		return false
	}
	r, n := utf8.DecodeRune(folded[sp.Start:sp.End])
	return n == int(sp.End-sp.Start) && isHan(r)
}

// cjkRun returns how many spans, from spans[0] on, make the longest word
// cjkWords lists (1 when none does): spans of one Han character each,
// adjacent in folded.
func cjkRun(folded []byte, spans []text.Span) int {
	if !hanSpan(folded, spans[0]) {
		return 1
	}
	n := 1
	for n < len(spans) && spans[n].Start == spans[n-1].End && hanSpan(folded, spans[n]) {
		n++
	}
	if n == 1 {
		return 1 // a character alone: no need to build cjkWords (stopText's are)
	}
	words := cjkWords()
	for n = min(n, words.maxRunes); n > 1; n-- {
		if words.hashes[hashBytes(folded[spans[0].Start:spans[n-1].End])] {
			return n
		}
	}
	return 1
}
