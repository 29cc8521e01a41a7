package stories

import (
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/wirewatch/wirewatch/text"
)

// token is one word of a text, folded: lower-case, diacritics stripped.
type token struct {
	h          uint64 // hash of the folded word; shingles are built from it
	start, end int32  // the folded word in the tokenizer's arena
	flag       uint8
}

// Token flags.
const (
	tokCap    uint8 = 1 << iota // first letter upper-case in the original
	tokStart                    // first word of a sentence, a paragraph or the text
	tokQuote                    // inside quotation marks
	tokQBreak                   // first word of a quoted passage
	tokNum                      // holds a digit
	tokLower                    // holds a lower-case letter (not an all-caps acronym)
	tokStop                     // a stop word (set by scratch.lang)
)

// tokenizer splits texts into tokens. It keeps its buffers between calls;
// one tokenizer serves one goroutine.
type tokenizer struct {
	arena []byte // the folded words of the texts tokenized since reset
	key   []byte // a match key being built
	run   []byte // the word characters being read
	fold  []byte // their folded form
	spans []text.Span
}

// reset forgets the words of earlier texts.
func (z *tokenizer) reset() { z.arena = z.arena[:0] }

// word returns the folded word of a token.
func (z *tokenizer) word(t *token) []byte { return z.arena[t.start:t.end] }

// maxQuote ends a quoted passage that has run this many words without a
// closing mark: the opening mark was most likely a stray one.
const maxQuote = 150

// tokenize appends the tokens of s to out. Words are what the rules see
// (text.Fold, then text.AppendSpans, on each run of word characters); on
// top of that, a number's thousands and decimal separators are dropped so
// that "1,200", "1.200" and "1 200" are one number "1200", and each token
// is flagged: capitalized, sentence start, inside quotation marks.
func (z *tokenizer) tokenize(s string, out []token) []token {
	var (
		start    = true // the next word opens a sentence
		inQuote  bool
		qbreak   bool // next word starts a quoted passage
		quoteLen int
		capital  bool // the run's first letter is upper-case
		lower    bool // the run holds a lower-case letter
		ascii    = true
		apos     bool // an apostrophe was read: "NATO's" is still an acronym
		lastDig  int  // digits at the end of the run, -1 after a separator
	)
	z.run = z.run[:0]
	emit := func() {
		if len(z.run) == 0 {
			return
		}
		if ascii && !apos {
			// Letters and digits only: one token, as AppendSpans would
			// say, folded into the arena in one pass.
			var f uint8
			if capital {
				f |= tokCap
			}
			if lower {
				f |= tokLower
			}
			w0 := len(z.arena)
			z.arena = append(z.arena, z.run...)
			w := z.arena[w0:]
			for i, c := range w {
				if c <= 'Z' {
					if 'A' <= c {
						w[i] = c + 'a' - 'A'
					} else if '0' <= c && c <= '9' {
						f |= tokNum
					}
				} else if c == '`' {
					w[i] = '\''
				}
			}
			if start {
				f |= tokStart
				start = false
			}
			if inQuote {
				f |= tokQuote
				if qbreak {
					f |= tokQBreak
					qbreak = false
				}
				if quoteLen++; quoteLen > maxQuote {
					inQuote = false
				}
			}
			out = append(out, token{h: hashBytes(w), start: int32(w0), end: int32(len(z.arena)), flag: f})
			z.run = z.run[:0]
			capital, lower, ascii, apos, lastDig = false, false, true, false, 0
			return
		}
		var folded []byte
		if ascii {
			folded = z.run
			for i, c := range folded {
				if 'A' <= c && c <= 'Z' {
					folded[i] = c + 'a' - 'A'
				} else if c == '`' {
					folded[i] = '\''
				}
			}
		} else {
			folded = append(z.fold[:0], text.Fold(string(z.run))...)
			z.fold = folded
		}
		if ascii && !apos {
			// Letters and digits only: one token, as AppendSpans would say.
			z.spans = append(z.spans[:0], text.Span{Start: 0, End: len(folded)})
		} else {
			z.spans = text.AppendSpans(unsafeString(folded), z.spans[:0])
		}
		for n, sp := range z.spans {
			var f uint8
			if n == 0 && capital {
				f |= tokCap
			}
			if lower {
				f |= tokLower
			}
			w0 := len(z.arena)
			z.arena = append(z.arena, folded[sp.Start:sp.End]...)
			for _, c := range z.arena[w0:] {
				if '0' <= c && c <= '9' {
					f |= tokNum
					break
				}
			}
			if start {
				f |= tokStart
				start = false
			}
			if inQuote {
				f |= tokQuote
				if qbreak {
					f |= tokQBreak
					qbreak = false
				}
				if quoteLen++; quoteLen > maxQuote {
					inQuote = false
				}
			}
			out = append(out, token{h: hashBytes(z.arena[w0:]), start: int32(w0), end: int32(len(z.arena)), flag: f})
		}
		z.run = z.run[:0]
		capital, lower, ascii, apos, lastDig = false, false, true, false, 0
	}
	for i := 0; i < len(s); {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			// The common case: a run of lower-case ASCII letters.
			j := i + 1
			for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
				j++
			}
			z.run = append(z.run, s[i:j]...)
			lower, lastDig = lower || !apos, 0
			i = j
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			ascii = false
		}
		switch {
		case '0' <= r && r <= '9' || text.IsWordStart(r) || isMark(r) || isInvisible(r):
			if len(z.run) == 0 && (unicode.IsUpper(r) || unicode.IsTitle(r)) {
				capital = true
			}
			if unicode.IsDigit(r) {
				lastDig = max(lastDig, 0) + 1
			} else {
				lastDig = 0
				if unicode.IsLower(r) && !apos {
					lower = true
				}
			}
			z.run = append(z.run, s[i:i+size]...)
		case isApostrophe(r) && len(z.run) > 0:
			z.run = append(z.run, s[i:i+size]...)
			lastDig, apos = 0, true
		case lastDig > 0 && isNumberSep(r) && numberGroupFollows(s[i+size:], r, lastDig):
			// "1,200", "6.1", "1 200": one number, the separator dropped.
			lastDig = -1
		default:
			emit()
			switch r {
			case '.', '!', '?', '…', '。', '！', '？':
				start = true
			case '\n':
				start, inQuote = true, false
			case '"':
				// A straight quote opens after a space or an opening
				// bracket and closes elsewhere, so that one stray mark in
				// a text flattened to one line does not invert the rest.
				opening := i == 0 || s[i-1] == ' ' || s[i-1] == '(' || s[i-1] == '[' || s[i-1] == '\n' || s[i-1] == '\t'
				inQuote, qbreak, quoteLen = opening, opening, 0
				start = start || opening // a quotation opens a sentence
			case '“', '”', '«', '»', '„', '「', '」', '『', '』':
				opening := !inQuote
				if r == '»' || r == '」' || r == '』' {
					opening = false
				} else if r == '«' || r == '„' || r == '「' || r == '『' {
					opening = true
				}
				inQuote, qbreak, quoteLen = opening, opening, 0
				start = start || opening
			}
		}
		i += size
	}
	emit()
	return out
}

// isNumberSep reports whether r may separate the digit groups of a number:
// a decimal point or comma, or a space or apostrophe between thousands.
func isNumberSep(r rune) bool {
	switch r {
	case '.', ',', ' ', '\u00A0', '\u202F', '\u2009', '\'', '’':
		return true
	}
	return false
}

// numberGroupFollows reports whether the separator sep, after a group of
// digits digits long, continues a number: a point or comma needs a digit
// after it; a space or an apostrophe, a group of exactly three digits after
// a group of at most three ("1 200 000", not "in 2017 200 people").
func numberGroupFollows(rest string, sep rune, digits int) bool {
	if sep == '.' || sep == ',' {
		return len(rest) > 0 && '0' <= rest[0] && rest[0] <= '9'
	}
	if digits > 3 && digits != -1 {
		return false
	}
	n := 0
	for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
		n++
	}
	return n == 3 && (n == len(rest) || !isWordByte(rest[n]))
}

// isApostrophe reports whether r is an apostrophe, which text.Fold makes '.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '‘', 'ʻ', '`', '´':
		return true
	}
	return false
}

// isInvisible reports whether r is a character text.Fold removes inside a
// word: soft hyphen, joiners, tatweel.
func isInvisible(r rune) bool {
	switch r {
	case '\u00AD', 'ـ', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return false
}

// isMark reports whether r is a combining mark.
func isMark(r rune) bool {
	return r >= 0x0300 && unicode.IsMark(r)
}

// unsafeString views b as a string for the duration of a call that does
// not keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// isWordByte reports whether an ASCII byte continues a word.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= utf8.RuneSelf
}

// matchKey hashes the key a word is matched on across texts and
// languages: Cyrillic transliterated to Latin, a common inflectional ending
// stripped, then reduced to a consonant skeleton that absorbs the usual
// differences between transliterations ("Кабулова", "Kabulov's" and
// "Kabulov" share a key, as do "Таджикистан" and "Tajikistan", "Герат" and
// "Herat"). Numbers keep their digits; their keys are odd, words' even.
func (z *tokenizer) matchKey(word []byte, number bool) uint32 {
	if number {
		return uint32(mix64(hashBytes(word)^0x6e756d)) | 1
	}
	k := z.key[:0]
	latin := true
	for i := 0; i < len(word); {
		c := word[i]
		if c < utf8.RuneSelf {
			k = append(k, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(word[i:])
		i += n
		if 0x430 <= r && int(r-0x430) < len(translit) && (translit[r-0x430] != "" || r == 'ъ' || r == 'ь') {
			k = append(k, translit[r-0x430]...)
			continue
		}
		if r == 'ґ' {
			k = append(k, 'g')
			continue
		}
		if 0x3B1 <= r && r <= 0x3C9 {
			// Greek: the digraphs first, then letter by letter.
			if i < len(word) {
				if r2, n2 := utf8.DecodeRune(word[i:]); n2 > 0 {
					if d, ok := greekDigraph(r, r2, len(k) == 0); ok {
						k = append(k, d...)
						i += n2
						continue
					}
				}
			}
			k = append(k, greek[r-0x3B1]...)
			continue
		}
		latin = false
		k = utf8.AppendRune(k, r)
	}
	if latin && len(k) > 0 {
		k = skeleton(stem(k))
	}
	z.key = k
	return uint32(hashBytes(k)) &^ 1
}

// endings are inflectional endings stripped from Latin (or transliterated)
// words longer than minStem, longest first. Mostly Russian case endings
// (й folded to и: -ой is "oi"); a trailing vowel also covers Slavic and
// Romance variants of one name.
var endings = []string{
	"yakh", "yami", "aya", "ogo", "ego", "omu", "emu", "ymi", "imi", "ami", "akh", "ykh", "ikh",
	"om", "em", "ym", "im", "oi", "ei", "ii", "yi", "oy", "ey", "oe", "ye", "yu", "ya",
	"a", "e", "i", "o", "u", "y",
}

const minStem = 4

// endingsBy holds the endings by their last letter (read only).
var endingsBy = func() (by [256][]string) {
	for _, e := range endings {
		by[e[len(e)-1]] = append(by[e[len(e)-1]], e)
	}
	return by
}()

// stem strips one inflectional ending, and the Russian adjective suffix
// "-sk-" ("Дарвозском" → "darvoz").
func stem(w []byte) []byte {
	if len(w) > minStem {
		for _, e := range endingsBy[w[len(w)-1]] {
			if len(w)-len(e) >= minStem && string(w[len(w)-len(e):]) == e {
				w = w[:len(w)-len(e)]
				break
			}
		}
	}
	if len(w) >= 6 && string(w[len(w)-2:]) == "sk" {
		w = w[:len(w)-2]
	}
	return w
}

// skeleton rewrites a Latin word in place: spelling variants of one sound
// merged (kh, gh, h → g; zh, dzh → j; q → k; w → v …), vowels after the
// first letter dropped, doubled letters collapsed.
func skeleton(w []byte) []byte {
	out := w[:0]
	put := func(c byte) {
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	for i := 0; i < len(w); {
		c := w[i]
		var next byte
		if i+1 < len(w) {
			next = w[i+1]
		}
		n := 1 // bytes read
		switch c {
		case 's':
			switch {
			case next == 'h' && hasPrefix(w[i:], "shch"):
				c, n = 's', 4
			case next == 'h':
				c, n = 's', 2
			case next == 'c' && hasPrefix(w[i:], "sch"):
				c, n = 's', 3
			}
		case 'd':
			switch {
			case next == 'z' && hasPrefix(w[i:], "dzh"):
				c, n = 'j', 3
			case next == 'j':
				c, n = 'j', 2 // Serbian ђ
			}
		case 'c':
			// c, ch, ck, k and q are one: Latin spellings of Slavic names
			// (č, ć folded to c) and Cyrillic spellings of Latin ones
			// ("Макрон") disagree on them.
			c = 'k'
			if next == 'h' || next == 'k' {
				n = 2
			}
		case 'z':
			if next == 'h' {
				c, n = 'z', 2
			}
		case 'k', 'g':
			if next == 'h' {
				c, n = 'g', 2
			}
		case 't':
			switch next {
			case 's':
				c, n = 's', 2
			case 'h':
				c, n = 't', 2
			}
		case 'p':
			if next == 'h' {
				c, n = 'f', 2
			}
		case 'q':
			c = 'k'
		case 'w':
			c = 'v'
		case 'h':
			c = 'g'
		case 'x':
			put('k')
			c = 's'
		}
		if i > 0 && n == 1 && isVowel(c) {
			i++ // vowels after the first letter are dropped
			continue
		}
		i += n
		put(c)
	}
	return out
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// greek transliterates Greek letters (lower-case, folded: no accents, final
// sigma as sigma, from α, U+03B1) to Latin as the press does.
var greek = [...]string{
	"a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "i", "f", "ch", "ps", "o",
}

// greekDigraph returns the Latin for two Greek letters read as one sound.
func greekDigraph(a, b rune, initial bool) (string, bool) {
	switch string([]rune{a, b}) {
	case "ου":
		return "u", true
	case "αι":
		return "e", true
	case "ει", "οι":
		return "i", true
	case "αυ":
		return "av", true
	case "ευ":
		return "ev", true
	case "μπ":
		if initial {
			return "b", true
		}
		return "mp", true
	case "ντ":
		if initial {
			return "d", true
		}
		return "nt", true
	case "γκ", "γγ":
		if initial {
			return "g", true
		}
		return "ng", true
	case "τσ":
		return "ts", true
	case "τζ":
		return "dz", true
	}
	return "", false
}

// translit transliterates Russian and Ukrainian letters (lower-case, from
// а, U+0430) to Latin, close to the BGN/PCGN system the English-language
// press uses. Folding has already made ё е and й и.
var translit = [...]string{
	'а' - 0x430: "a", 'б' - 0x430: "b", 'в' - 0x430: "v", 'г' - 0x430: "g", 'д' - 0x430: "d",
	'е' - 0x430: "e", 'ж' - 0x430: "zh", 'з' - 0x430: "z", 'и' - 0x430: "i", 'й' - 0x430: "y",
	'к' - 0x430: "k", 'л' - 0x430: "l", 'м' - 0x430: "m", 'н' - 0x430: "n", 'о' - 0x430: "o",
	'п' - 0x430: "p", 'р' - 0x430: "r", 'с' - 0x430: "s", 'т' - 0x430: "t", 'у' - 0x430: "u",
	'ф' - 0x430: "f", 'х' - 0x430: "kh", 'ц' - 0x430: "ts", 'ч' - 0x430: "ch", 'ш' - 0x430: "sh",
	'щ' - 0x430: "shch", 'ъ' - 0x430: "", 'ы' - 0x430: "y", 'ь' - 0x430: "", 'э' - 0x430: "e",
	'ю' - 0x430: "yu", 'я' - 0x430: "ya", 'ё' - 0x430: "e", 'є' - 0x430: "ye", 'і' - 0x430: "i",
	'ї' - 0x430: "yi",
	// Serbian and Macedonian.
	'ђ' - 0x430: "dj", 'ј' - 0x430: "j", 'љ' - 0x430: "lj", 'њ' - 0x430: "nj", 'ћ' - 0x430: "c",
	'џ' - 0x430: "dzh", 'ѓ' - 0x430: "gj", 'ќ' - 0x430: "kj", 'ѕ' - 0x430: "dz",
}

// hashBytes is 64-bit FNV-1a, finalized with mix64.
func hashBytes(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return mix64(h)
}

// mix64 is the splitmix64 finalizer: a bijection that spreads every input
// bit over the output.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
