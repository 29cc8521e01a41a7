package lex

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"flag"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/text"
)

var updateTables = flag.Bool("update", false, "write tables.bin from vocab.txt and names.txt")

// TestTables checks that tables.bin holds what vocab.txt, names.txt, the
// tokenizer and the match keys give (-update writes it so).
func TestTables(t *testing.T) {
	l, w := buildListed(), buildCJK()
	want := encodeTables(l, w)
	if *updateTables {
		if err := os.WriteFile("tables.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(tablesBin, want) {
		t.Fatal("tables.bin is not what vocab.txt, names.txt and the tokenizer give: go test ./feeds/stories/lex -run TestTables -update")
	}
	// What a process decodes is what was built.
	if got := listedOf().words; len(got) != len(l) {
		t.Fatalf("%d listed words decoded, %d built", len(got), len(l))
	}
	for h, v := range l {
		if listedOf().words[h] != v {
			t.Fatalf("word %x: %x decoded, %x built", h, listedOf().words[h], v)
		}
	}
	if got := cjkWords(); got.maxRunes != w.maxRunes || len(got.hashes) != len(w.hashes) {
		t.Fatalf("Chinese words: %d (%d characters at most) decoded, %d (%d) built", len(got.hashes), got.maxRunes, len(w.hashes), w.maxRunes)
	}
}

// encodeTables lays out tables.bin (tables.go).
func encodeTables(l map[uint64]uint64, w cjkWord) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(l)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(w.hashes)))
	b = binary.LittleEndian.AppendUint32(b, uint32(w.maxRunes))
	for _, h := range slices.Sorted(maps.Keys(l)) {
		b = binary.LittleEndian.AppendUint64(b, h)
		b = binary.LittleEndian.AppendUint64(b, l[h])
	}
	for _, h := range slices.Sorted(maps.Keys(w.hashes)) {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	return b
}

// buildListed reads the listed words (listed.words) from the two files.
func buildListed() map[uint64]uint64 {
	// Tokenizing them joins Chinese characters into the words the files
	// list: those the files give, not those of tables.bin.
	saved, w := cjkWords, buildCJK()
	cjkWords = func() cjkWord { return w }
	defer func() { cjkWords = saved }()
	vocab := readVocab()
	names := readNames(vocab)
	words := make(map[uint64]uint64, len(vocab)+len(names))
	for h, c := range names {
		words[h] = uint64(c)
	}
	for h, c := range writtenConcepts { // a name written so stays the name
		if _, ok := words[h]; !ok {
			words[h] = uint64(c) | 1<<32
		}
	}
	for h, c := range vocab {
		words[h] = uint64(c) | 1<<32
	}
	return words
}

// buildCJK reads the Chinese words of the two files.
func buildCJK() cjkWord {
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
}

// vocabText lists more words of the news (vocab.txt): about 1,400 English
// words of diplomacy, security, disasters, the economy and politics, one a
// line, each followed by its words in Russian, Ukrainian, Bulgarian,
// Macedonian, Serbian (both scripts), German, French, Spanish, Italian,
// Portuguese, Persian (Iranian and Dari), Pashto, Arabic, Urdu, Turkish,
// Greek, Polish, Czech, Hindi and Bengali, in the forms news writes them
// (cases, plurals, past tenses), folded as text.Fold folds them. They
// were written for wirewatch by its developers, not taken from a
// dictionary. Unlike conceptText's, these words are matched as written,
// not by their skeleton: listed with their inflected forms they need no
// stemming, and common words' skeletons meet too often. A line's key is
// its English word's, or the key of the conceptText line that word
// belongs to, so English texts keep their keys; two English words of one
// skeleton ("police", "place") share a key there already, and so their
// lines do. A word is listed once; a word another language writes the
// same way in English texts is left out (TestVocabLines).
//
//go:embed vocab.txt
var vocabText string

// readVocab maps the hash of a folded word (Token.H) listed in vocabText
// to its concept's key.
func readVocab() map[uint64]uint32 {
	return readLines(vocabText, func(_ *Token, word []byte, key uint32) uint32 {
		c, _ := skeletonConcept(key, word)
		return c
	})
}

// readLines maps the hash of each folded word of the lines of src to the
// key of the line: keyOf's, given the line's first word and its match key.
// A word listed twice keeps its first line's key.
func readLines(src string, keyOf func(first *Token, word []byte, key uint32) uint32) map[uint64]uint32 {
	var z Tokenizer
	m := make(map[uint64]uint32)
	var toks []Token
	for _, line := range strings.Split(src, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		toks = z.Tokenize(f[0], toks[:0])
		key := keyOf(&toks[0], z.Word(&toks[0]), z.MatchKey(z.Word(&toks[0]), false))
		for _, w := range f {
			if toks = z.Tokenize(w, toks[:0]); len(toks) == 1 {
				if _, ok := m[toks[0].H]; !ok {
					m[toks[0].H] = key
				}
			}
		}
	}
	return m
}

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
