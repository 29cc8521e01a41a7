package stories

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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
)

// tokenizer splits texts into tokens. It keeps its buffers between calls;
// one tokenizer serves one goroutine.
type tokenizer struct {
	arena []byte // the folded words of the texts tokenized since reset
	key   []byte // a match key being built
}

// reset forgets the words of earlier texts.
func (z *tokenizer) reset() { z.arena = z.arena[:0] }

// word returns the folded word of a token.
func (z *tokenizer) word(t *token) []byte { return z.arena[t.start:t.end] }

// maxQuote ends a quoted passage that has run this many words without a
// closing mark: the opening mark was most likely a stray one.
const maxQuote = 150

// tokenize appends the tokens of s to out.
func (z *tokenizer) tokenize(s string, out []token) []token {
	var (
		flag     uint8 // flags of the word being read
		inWord   bool
		digits   bool // the word so far holds a digit
		start    = true
		inQuote  bool
		qbreak   bool // next word starts a quoted passage
		quoteLen int
	)
	wstart := len(z.arena)
	emit := func() {
		if !inWord {
			return
		}
		inWord = false
		f := flag
		if digits {
			f |= tokNum
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
		out = append(out, token{h: hashBytes(z.arena[wstart:]), start: int32(wstart), end: int32(len(z.arena)), flag: f})
		wstart = len(z.arena)
		flag, digits = 0, false
	}
	for i := 0; i < len(s); {
		if c := s[i]; 'a' <= c && c <= 'z' {
			// The common case: a run of lower-case ASCII letters.
			j := i + 1
			for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
				j++
			}
			inWord = true
			flag |= tokLower
			z.arena = append(z.arena, s[i:j]...)
			i = j
			continue
		}
		orig, size := rune(s[i]), 1
		r := orig
		if orig >= utf8.RuneSelf {
			orig, _ = utf8.DecodeRuneInString(s[i:])
			r, size = foldRune(s, i)
		}
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			if !inWord {
				inWord = true
			}
			if r <= '9' {
				digits = true
			} else {
				flag |= tokLower
			}
			z.arena = append(z.arena, byte(r))
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			if !inWord {
				inWord = true
				flag |= tokCap
			}
			z.arena = append(z.arena, byte(r+'a'-'A'))
		case r == '\'' || r == '’' || r == 'ʼ':
			if !inWord {
				break
			}
			// Possessive "'s" ends the word: "Russia's" is "Russia".
			if j := i + size; j < len(s) && s[j] == 's' && (j+1 == len(s) || !isWordByte(s[j+1])) {
				emit()
				size++
			}
			// Any other apostrophe joins: "don't", "Na'im".
		case (r == '.' || r == ',') && digits && inWord && i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9':
			// "1,200" and "3.5" stay one number.
		case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
			// A combining mark that did not fold away: part of the word.
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r)):
			if isIdeograph(r) {
				// Scripts written without spaces: one token per character.
				emit()
				inWord = true
				z.arena = utf8.AppendRune(z.arena, r)
				emit()
				break
			}
			if !inWord {
				inWord = true
				if unicode.IsUpper(orig) || unicode.IsTitle(orig) {
					flag |= tokCap
				}
			}
			if unicode.IsDigit(r) {
				digits = true
				r = '0' + rune(digitValue(r))
			} else if unicode.IsLower(r) {
				flag |= tokLower
			}
			z.arena = utf8.AppendRune(z.arena, unicode.ToLower(r))
		default:
			emit()
			switch r {
			case '.', '!', '?', '…', '。', '！', '？':
				start = true
			case '\n':
				start, inQuote = true, false
			case '"':
				inQuote = !inQuote
				qbreak, quoteLen = inQuote, 0
				start = start || inQuote // a quotation opens a sentence
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

// isWordByte reports whether an ASCII byte continues a word.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= utf8.RuneSelf
}

// foldRune reads the rune at s[i:] and strips its diacritics when it
// decomposes into a base letter and combining marks only (é → e, ё → е);
// other decompositions (Hangul syllables) are kept whole.
func foldRune(s string, i int) (rune, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	p := norm.NFD.PropertiesString(s[i:])
	d := p.Decomposition()
	if d == nil {
		return r, size
	}
	base, n := utf8.DecodeRune(d)
	for j := n; j < len(d); {
		m, k := utf8.DecodeRune(d[j:])
		if !unicode.Is(unicode.Mn, m) {
			return r, size
		}
		j += k
	}
	return base, size
}

// isIdeograph reports whether r belongs to a script written without spaces
// between words.
func isIdeograph(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Thai, r)
}

// digitValue returns the value of a decimal digit of any script: Unicode
// encodes each script's digits as a run of ten starting at zero.
func digitValue(r rune) int {
	z := r
	for z > r-9 && unicode.IsDigit(z-1) {
		z--
	}
	return int(r-z) % 10
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
				c, n = 'S', 4
			case next == 'h':
				c, n = 'S', 2
			case next == 'c' && hasPrefix(w[i:], "sch"):
				c, n = 'S', 3
			}
		case 'd':
			if next == 'z' && hasPrefix(w[i:], "dzh") {
				c, n = 'j', 3
			}
		case 'c':
			switch next {
			case 'h':
				c, n = 'C', 2
			case 'k':
				c, n = 'k', 2
			}
		case 'z':
			if next == 'h' {
				c, n = 'j', 2
			}
		case 'k', 'g':
			if next == 'h' {
				c, n = 'g', 2
			}
		case 't':
			if next == 's' {
				c, n = 's', 2
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
