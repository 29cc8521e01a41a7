package lex

import (
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/wirewatch/wirewatch/text"
)

// Token is one word of a text, folded: lower-case, diacritics stripped.
type Token struct {
	H          uint64 // hash of the folded word; shingles are built from it
	Start, End int32  // the folded word in the Tokenizer's arena
	Flag       uint8  // Tok* flags
}

// Token flags.
const (
	TokCap    uint8 = 1 << iota // first letter upper-case in the original
	TokStart                    // first word of a sentence, a paragraph or the text
	TokQuote                    // inside quotation marks
	TokQBreak                   // first word of a quoted passage
	TokNum                      // holds a digit
	TokLower                    // holds a lower-case letter (not an all-caps acronym)
	TokStop                     // a stop word (set by scratch.lang), or one letter
	TokSay                      // a word of attribution (set by scratch.lang)
)

// Tokenizer splits texts into tokens. It keeps its buffers between calls;
// one Tokenizer serves one goroutine.
type Tokenizer struct {
	arena []byte // the folded words of the texts tokenized since reset
	key   []byte // a match key being built
	run   []byte // the word characters being read
	fold  []byte // their folded form
	spans []text.Span
}

// reset forgets the words of earlier texts.
func (z *Tokenizer) Reset() { z.arena = z.arena[:0] }

// word returns the folded word of a Token.
func (z *Tokenizer) Word(t *Token) []byte { return z.arena[t.Start:t.End] }

// maxQuote ends a quoted passage that has run this many words without a
// closing mark: the opening mark was most likely a stray one.
const maxQuote = 150

// tokenize appends the tokens of s to out. Words are what the rules see
// (text.Fold, then text.AppendSpans, on each run of word characters); on
// top of that, a number's thousands and decimal separators are dropped so
// that "1,200", "1.200" and "1 200" are one number "1200", and each Token
// is flagged: capitalized, sentence start, inside quotation marks.
func (z *Tokenizer) Tokenize(s string, out []Token) []Token {
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
	// add appends the word at z.arena[w0:], of hash h (hashBytes), with
	// flags f, and the flags of where it stands: sentence start, inside a
	// quotation.
	add := func(w0 int, f uint8, h uint64) {
		if n := len(z.arena) - w0; n == 1 || n == 2 && 0xC3 <= z.arena[w0] && z.arena[w0] < 0xD5 {
			f |= TokStop // one Latin, Greek or Cyrillic letter: l', d', u, з, an initial
		}
		if start {
			f |= TokStart
			start = false
		}
		if inQuote {
			f |= TokQuote
			if qbreak {
				f |= TokQBreak
				qbreak = false
			}
			if quoteLen++; quoteLen > maxQuote {
				inQuote = false
			}
		}
		out = append(out, Token{H: h, Start: int32(w0), End: int32(len(z.arena)), Flag: f})
	}
	emit := func() {
		if len(z.run) == 0 {
			return
		}
		if ascii && !apos {
			// Letters and digits only (separators were dropped): one
			// Token, as AppendSpans would say.
			w0, f, h, _ := z.asciiWord(unsafeString(z.run), 0)
			add(w0, f, h)
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
			folded = text.AppendFold(z.fold[:0], unsafeString(z.run))
			z.fold = folded
		}
		z.spans = text.AppendSpans(unsafeString(folded), z.spans[:0])
		for n := 0; n < len(z.spans); n++ {
			sp := z.spans[n]
			var f uint8
			if n == 0 && capital {
				f |= TokCap
			}
			if lower {
				f |= TokLower
			}
			if k := cjkRun(folded, z.spans[n:]); k > 1 {
				// A Chinese word of k characters (cjk.go): one token.
				sp.End = z.spans[n+k-1].End
				n += k - 1
			}
			w0 := len(z.arena)
			z.arena = append(z.arena, folded[sp.Start:sp.End]...)
			// Ukrainian and Belarusian write an apostrophe inside a word
			// (п'ять, прем'єр, В'ячеслав): one word, read without it.
			for n+1 < len(z.spans) && cyrillicApostrophe(folded, int(sp.End), int(z.spans[n+1].Start)) {
				n++
				sp = z.spans[n]
				z.arena = append(z.arena, folded[sp.Start:sp.End]...)
			}
			for _, c := range z.arena[w0:] {
				if '0' <= c && c <= '9' {
					f |= TokNum
					break
				}
			}
			add(w0, f, hashBytes(z.arena[w0:]))
		}
		z.run = z.run[:0]
		capital, lower, ascii, apos, lastDig = false, false, true, false, 0
	}
	for i := 0; i < len(s); {
		c := s[i]
		if len(z.run) == 0 && asciiClass[c]&asciiAlnum != 0 {
			// The commonest word: ASCII letters and digits that a break
			// ends (not a number's separator after a digit, an apostrophe,
			// or a byte of another script that may go on with the word),
			// taken straight from s rather than through z.run, read,
			// lower-cased, hashed and copied in one pass (asciiWord).
			w0, f, h, j := z.asciiWord(s, i)
			if j == len(s) || asciiClass[s[j]]&asciiBreak != 0 && (asciiClass[s[j-1]]&asciiDigit == 0 || !isNumberSep(rune(s[j]))) {
				add(w0, f, h)
				i = j
				if i < len(s) && s[i] == ' ' {
					// What the loop would do with it: with no word read,
					// a space only ends the word that is not there (emit).
					i++
				}
				continue
			}
			z.arena = z.arena[:w0] // the word goes on: read it below
		}
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
		// The next commonest bytes, as the switch below takes them.
		switch {
		case 'A' <= c && c <= 'Z':
			if len(z.run) == 0 {
				capital = true
			}
			z.run = append(z.run, c)
			lastDig = 0
			i++
			continue
		case '0' <= c && c <= '9':
			z.run = append(z.run, c)
			lastDig = max(lastDig, 0) + 1
			i++
			continue
		case c == ' ' && lastDig <= 0: // after digits, it may separate a number's groups
			emit()
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			ascii = false
		}
		switch {
		case '0' <= r && r <= '9' || text.IsWordStart(r) || isMark(r) || text.IsInvisible(r):
			upper, lowerCase, digit := runeClass(r)
			if len(z.run) == 0 && upper {
				capital = true
			}
			if digit {
				lastDig = max(lastDig, 0) + 1
				if r > '9' {
					// "۶٫۲", "６": written with ASCII digits, as other
					// reports write the same number.
					z.run = append(z.run, '0'+digitValue(r))
					break
				}
			} else {
				lastDig = 0
				if lowerCase && !apos {
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
	case '.', ',', ' ', '\u00A0', '\u202F', '\u2009', '\'', '’', '٫', '٬':
		return true
	}
	return false
}

// runeClass reports whether r is an upper-case or title-case letter, a
// lower-case letter, a decimal digit; the common Cyrillic letters without
// unicode's tables, which a Russian text would search four times a letter.
func runeClass(r rune) (upper, lower, digit bool) {
	if 0x0400 <= r && r <= 0x045F {
		return r < 0x0430, r >= 0x0430, false
	}
	return unicode.IsUpper(r) || unicode.IsTitle(r), unicode.IsLower(r), text.IsDigit(r)
}

// digitValue returns the value of a decimal digit of any script: its
// distance from the start of its block of ten.
func digitValue(r rune) byte {
	v := r
	for r-v < 9 && unicode.IsDigit(v-1) {
		v--
	}
	return byte(r - v)
}

// numberGroupFollows reports whether the separator sep, after a group of
// digits digits long, continues a number: a point or comma needs a digit
// after it; a space or an apostrophe, a group of exactly three digits after
// a group of at most three ("1 200 000", not "in 2017 200 people").
func numberGroupFollows(rest string, sep rune, digits int) bool {
	if sep == '.' || sep == ',' || sep == '٫' || sep == '٬' {
		if len(rest) > 0 && '0' <= rest[0] && rest[0] <= '9' {
			return true
		}
		r, _ := utf8.DecodeRuneInString(rest)
		return r > '9' && unicode.IsDigit(r)
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

// cyrillicApostrophe reports whether folded holds, from end to next, one
// apostrophe between two Cyrillic letters.
func cyrillicApostrophe(folded []byte, end, next int) bool {
	if next != end+1 || folded[end] != '\'' {
		return false
	}
	before, _ := utf8.DecodeLastRune(folded[:end])
	after, _ := utf8.DecodeRune(folded[next:])
	return unicode.Is(unicode.Cyrillic, before) && unicode.Is(unicode.Cyrillic, after)
}

// isApostrophe reports whether r is an apostrophe, which text.Fold makes '.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '‘', 'ʻ', '`', '´':
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

// asciiWord appends the run of ASCII letters and digits at s[i:] to the
// arena in lower case and returns where it starts, its flags and its hash
// (hashBytes, in the same pass) — add's arguments — and where the run ends.
func (z *Tokenizer) asciiWord(s string, i int) (w0 int, f uint8, h uint64, j int) {
	if 'A' <= s[i] && s[i] <= 'Z' {
		f |= TokCap
	}
	a := z.arena // a local slice stays in registers; z.arena would be reloaded every byte
	w0 = len(a)
	h = fnvOffset
	for j = i; j < len(s); j++ {
		c := s[j]
		if asciiClass[c]&asciiAlnum == 0 {
			break
		}
		switch {
		case 'a' <= c:
			f |= TokLower
		case c <= '9':
			f |= TokNum
		default:
			c += 'a' - 'A'
		}
		a = append(a, c)
		h = (h ^ uint64(c)) * fnvPrime
	}
	z.arena = a
	return w0, f, Mix64(h), j
}

// Classes of bytes (asciiClass) for Tokenize's fast path.
const (
	asciiAlnum = 1 << iota // an ASCII letter or digit
	asciiDigit             // an ASCII digit
	asciiBreak             // an ASCII byte that ends a word (after a letter; after a digit, unless a number's separator)
)

// asciiClass classes every byte: what Tokenize's general path would do
// with it as a one-byte rune.
var asciiClass = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		r := rune(c)
		switch {
		case '0' <= r && r <= '9':
			t[c] = asciiAlnum | asciiDigit
		case text.IsWordStart(r):
			t[c] = asciiAlnum
		case !isMark(r) && !text.IsInvisible(r) && !isApostrophe(r):
			t[c] = asciiBreak
		}
	}
	return t
}()

// isWordByte reports whether an ASCII byte continues a word.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= utf8.RuneSelf
}

// hashBytes is 64-bit FNV-1a, finalized with Mix64.
func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return Mix64(h)
}

// FNV is the 64-bit FNV-1a hash of the strings one after the other (not
// finalized).
func FNV(parts ...string) uint64 {
	h := uint64(fnvOffset)
	for _, s := range parts {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= fnvPrime
		}
	}
	return h
}

// The 64-bit FNV-1a offset basis and prime.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Mix64 is the splitmix64 finalizer: a bijection that spreads every input
// bit over the output.
func Mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
