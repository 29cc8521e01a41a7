package lex

import (
	_ "embed"
	"strings"
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

// namesText lists names (names.txt) in the forms other languages' news
// writes them where the match key does not reach the English word, one
// name a line: the English word English news writes, then its forms: its
// Chinese forms (the usual Xinhua transliterations; no key reaches Han
// characters), then the Russian, Ukrainian, Bulgarian, Macedonian,
// Serbian (both scripts), Greek, German, French, Spanish, Italian,
// Portuguese, Turkish, Polish and Czech forms, and the Persian (Iranian
// and Dari), Pashto, Urdu and Arabic ones, whose transliteration, stemming
// and skeleton miss it: exonyms ("Niemczech", "Londres", "Μόσχα",
// "Kahire", "دهلی"), the long vowels Arabic writes ("کابولوف"), the
// article al- ("العراق"), cases
// and articles ("Русията", "Putinowi", "Putins", "Ουκρανίας"), plurals and
// adjectives that stand for the name ("талибов", "израильского"),
// acronyms ("ОБСЕ", "OTAN"). All were written for wirewatch by its
// developers from how each language's press writes the names, not taken
// from a list, and each was kept only if its own key missed the English
// word's: a form that already meets is not listed (TestNameLines), nor
// is a common word of its language; a form whose own key is another
// name's (Польша and Pelosi, Дамаск and Duma) or a concept's (مصر and
// مسيرة, "drone") is, for its line gives it the right one: a name listed
// as written comes before a concept its skeleton meets (Concept).
// A listed form takes the key of its English word, so 普京 meets "Putin"
// and "Путин", "Putinowi" meets both, and each stays a name.
//
//go:embed names.txt
var namesText string

// cjkWord holds the hashes of the folded Chinese words of vocabText and
// namesText (read only), and the most characters one has.
type cjkWord struct {
	hashes   map[uint64]bool
	maxRunes int
}

// cjkWords is built when a text with a Han character is first tokenized.
var cjkWords = sync.OnceValue(func() cjkWord {
	w := cjkWord{hashes: make(map[uint64]bool)}
	for _, src := range []string{vocabText, namesText} {
		for _, line := range strings.Split(src, "\n") {
			for _, f := range strings.Fields(line) {
				if r, _ := utf8.DecodeRuneInString(f); !isHan(r) {
					continue
				}
				folded := text.AppendFold(nil, f)
				w.hashes[hashBytes(folded)] = true
				w.maxRunes = max(w.maxRunes, utf8.RuneCount(folded))
			}
		}
	}
	return w
})

// readNames maps the hash of a folded name namesText lists to the key its
// English word has in a text: the vocabulary's (readVocab), else that of
// the concept line that lists it, else its skeleton's concept, else its
// match key.
func readNames(vocab map[uint64]uint32) map[uint64]uint32 {
	return readLines(namesText, func(first *Token, _ []byte, key uint32) uint32 {
		if c, ok := vocab[first.H]; ok {
			return c // the key the English word has in a text
		}
		if c, ok := writtenConcepts[first.H]; ok {
			return c // "russia": the key of its concept's line, as "россия" has
		}
		c, _ := skeletonConcept(key, nil)
		return c
	})
}

// isHan reports whether r is a Han character.
func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

// hanSpan reports whether span sp of folded is one Han character.
func hanSpan(folded []byte, sp text.Span) bool {
	if sp.End-sp.Start < 3 || folded[sp.Start] < 0xE2 {
		return false
	}
	r, n := utf8.DecodeRune(folded[sp.Start:sp.End])
	return n == sp.End-sp.Start && isHan(r)
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
