// Package text is wirewatch's one text folding: what rules and story
// grouping both take a word to be. It imports no package of wirewatch.
package text

import (
	"encoding/binary"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Folding, rune by rune:
//
//   - Case: simple Unicode case folding, ToLower(ToUpper(r)), so that
//     dotless ı and İ become i, final ς becomes σ, and ſ becomes s.
//   - Diacritics: precomposed letters are mapped to their base letters by the
//     generated table in fold_table.go (Latin, Greek, Arabic hamza/madda
//     forms), and combining marks that follow a Latin, Greek, Cyrillic,
//     Arabic, Hebrew or Common-script character are dropped, so decomposed
//     input ("e"+U+0301) folds like precomposed input ("é"). Marks of other
//     scripts (Devanagari vowel signs, say) are part of the letter and kept.
//   - Cyrillic stays Cyrillic: only ё→е (and the stress-marked ѐ, ѝ) fold;
//     й, ї, ў and the other letters are kept, and a decomposed й is composed.
//   - Script extras: ə→a (Azerbaijani), Arabic ك ي ى → Persian ک ی,
//     ß→ss, æ→ae, ø→o, ł→l and similar letters without a decomposition.
//   - All apostrophes (’ ‘ ʼ ʻ ` ´) become ASCII ', hyphens, dashes and
//     minus signs (‐ ‑ ‒ – — ― −) become ASCII -; invisible joiners,
//     soft hyphens, bidirectional marks (U+200E, U+200F, U+202A-U+202E,
//     U+2066-U+2069) and the Arabic tatweel are removed.
//   - Digits of any script (٣, ۳, ３) become ASCII digits; fullwidth Latin
//     letters become ASCII.
//
// The table is generated rather than computed with golang.org/x/text at run
// time so that the package needs only the standard library; see gen_fold.go.

// Fold returns s lower-cased, diacritics removed, as used for matching.
func Fold(s string) string {
	b := appendFold(make([]byte, 0, len(s)), s, nil)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b)) // b is not written again
}

// AppendFold appends Fold(s) to b: a caller folding many words reuses one
// buffer.
func AppendFold(b []byte, s string) []byte { return appendFold(b, s, nil) }

// FoldOffsets returns Fold(s) and the map from its byte offsets back to
// offsets in s: a token folded[i:j] came from s[off.Orig(i):off.Orig(j)].
func FoldOffsets(s string) (string, Offsets) {
	var off Offsets
	b := appendFold(make([]byte, 0, len(s)), s, &off)
	off.add(len(b), len(s))
	if len(b) == 0 {
		return "", off
	}
	return unsafe.String(&b[0], len(b)), off // b is not written again
}

// Offsets maps byte offsets of a folded string to the string it was
// folded from. It keeps only where the difference between the two changes
// (most runes fold to as many bytes as they had), so it is small.
type Offsets struct {
	at    []int32 // folded offsets where the difference changes, ascending
	delta []int32 // from at[i] on, original = folded + delta[i]
}

// add records that folded offset i came from original offset o.
func (m *Offsets) add(i, o int) {
	d := int32(o - i)
	if n := len(m.delta); n > 0 && m.delta[n-1] == d {
		return
	}
	if n := len(m.at); n > 0 && m.at[n-1] == int32(i) {
		m.delta[n-1] = d
		return
	}
	m.at = append(m.at, int32(i))
	m.delta = append(m.delta, d)
}

// Orig returns the original offset of folded offset i, which must start a
// rune of the folded string or be its length.
func (m *Offsets) Orig(i int) int {
	lo, hi := 0, len(m.at)
	for lo < hi { // the last at[k] <= i
		mid := (lo + hi) / 2
		if int(m.at[mid]) <= i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return i
	}
	return i + int(m.delta[lo-1])
}

// Tokens splits s into folded word tokens as the matcher sees them.
func Tokens(s string) []string {
	f := Fold(s)
	spans := AppendSpans(f, nil)
	toks := make([]string, len(spans))
	for i, sp := range spans {
		toks[i] = f[sp.Start:sp.End]
	}
	return toks
}

// appendFold appends the folded form of s to b.
// When off is not nil, it records where each rune's bytes came from.
func appendFold(b []byte, s string, off *Offsets) []byte {
	var base rune // the last rune written, which a combining mark follows
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b, i = appendASCII(b, s, i)
			base = rune(b[len(b)-1])
			continue
		}
		if (c == 0xD0 || c == 0xD1) && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			// Cyrillic А-я fold to two bytes as well: the offsets stay.
			if r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F); 0x0410 <= r && r <= 0x044F {
				b = appendFoldRune(b, r, &base)
				i += 2
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if off != nil {
			off.add(len(b), i)
			b = appendFoldRune(b, r, &base)
			i += n
			off.add(len(b), i)
			continue
		}
		i += n
		b = appendFoldRune(b, r, &base)
	}
	return b
}

// appendASCII appends the run of ASCII at s[i] (at least one byte) folded,
// and returns where it ends: eight bytes at a time while they hold no
// byte lowerASCII changes (an upper-case letter, a backquote), else a
// byte at a time up to the next eight.
func appendASCII(b []byte, s string, i int) ([]byte, int) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i < len(s) {
		if i+8 <= len(s) {
			_ = s[i+7]
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			// From 'A' ((x+0x3F…) sets the high bit) to 'Z' ((x+0x25…)
			// does not): exact per byte, as no byte below 0x80 carries.
			upper := (x + 0x3F*ones) &^ (x + 0x25*ones)
			bq := x ^ 0x60*ones // zero where a byte is a backquote
			if (x|upper|(bq-ones)&^bq)&highs == 0 {
				b = binary.LittleEndian.AppendUint64(b, x)
				i += 8
				continue
			}
		}
		end := min(i+8, len(s))
		for ; i < end && s[i] < utf8.RuneSelf; i++ {
			b = append(b, lowerASCII[s[i]])
		}
		if i < end {
			break // a byte beyond ASCII
		}
	}
	return b, i
}

// lowerASCII folds ASCII: upper-case letters to lower case, ` to '.
var lowerASCII = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	t['`'] = '\''
	return t
}()

// appendFoldRune appends the folded form of the non-ASCII rune r to b;
// base is the last rune written, which a combining mark follows.
func appendFoldRune(b []byte, r rune, base *rune) []byte {
	if 0x0410 <= r && r <= 0x044F { // Cyrillic А-я, the commonest non-ASCII letters: only case folds
		if r < 0x0430 {
			r += 0x20
		}
		*base = r
		return append(b, byte(0xC0|r>>6), byte(0x80|r&0x3F))
	}
	if isMark(r) {
		return appendMark(b, *base, r)
	}
	r = caseFold(r)
	if f, ok := foldSpecial(r); ok {
		if f != "" { // invisible characters leave base alone
			b = append(b, f...)
			*base, _ = utf8.DecodeLastRuneInString(f)
		}
		return b
	}
	switch {
	case 0xFF41 <= r && r <= 0xFF5A: // fullwidth a-z
		r -= 0xFF41 - 'a'
	case 0x2010 <= r && r <= 0x2015 || r == 0x2212 || r == 0xFE63 || r == 0xFF0D: // hyphens, dashes, minus
		r = '-'
	case IsDigit(r):
		r = '0' + digitValue(r)
	}
	*base = r
	return utf8.AppendRune(b, r)
}

// appendMark appends the combining mark m that follows base, drops it, or
// composes it with the Cyrillic letter just written.
func appendMark(b []byte, base, m rune) []byte {
	if base >= 0x0400 && base <= 0x052F { // Cyrillic
		last, n := utf8.DecodeLastRune(b)
		if c, ok := composeCyrillic(last, m); ok {
			return utf8.AppendRune(b[:len(b)-n], c)
		}
		return b
	}
	if base < 0x0370 || unicode.In(base, unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Arabic, unicode.Hebrew, unicode.Common) {
		return b
	}
	return utf8.AppendRune(b, m)
}

// caseFold returns the simple case folding of r.
func caseFold(r rune) rune {
	switch {
	case 0x0410 <= r && r <= 0x042F: // Cyrillic А-Я
		return r + 0x20
	case 0x0400 <= r && r <= 0x040F: // Cyrillic Ѐ-Џ
		return r + 0x50
	case 0x0430 <= r && r <= 0x045F: // Cyrillic а-џ
		return r
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

// digitValue returns the value of the decimal digit r. Unicode encodes every
// decimal digit set as ten consecutive code points from zero to nine, and
// adjacent sets (the mathematical digits) follow each other without a gap.
func digitValue(r rune) rune {
	zero := r
	for unicode.IsDigit(zero - 1) {
		zero--
	}
	return (r - zero) % 10
}

// Span is the byte range of one token in a folded string (int32: half the
// memory of a document's tokens; a text is far shorter than 2 GB).
type Span struct{ Start, End int32 }

// AppendSpans appends the tokens of the folded string s to dst. A token is a
// run of letters and digits, with the combining marks that follow them; any
// other character separates tokens. Han, Hiragana and Katakana characters,
// written without spaces, are a token each, so that a phrase of them matches
// as a substring. An "s" right after an apostrophe ends a possessive
// ("CSTO's") and is dropped.
func AppendSpans(s string, dst []Span) []Span {
	var sp spanner
	sp.start = -1
	for i := 0; i < len(s); {
		if byteClass[s[i]] != 0 && fastWord(s, i) > 0 {
			// The common case: a run of ASCII letters and digits and of
			// Cyrillic letters U+0400-U+047F (two bytes, led by D0 or D1).
			dst = sp.word(dst, s, i, false)
			for i < len(s) {
				if c := byteClass[s[i]]; c == 1 {
					i++
				} else if c == 2 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
					i += 2
				} else {
					break
				}
			}
			continue
		}
		if r := rune(s[i]); r < utf8.RuneSelf {
			// ASCII, not a letter or digit (byteClass): a separator.
			dst = sp.separator(dst, s, i, r)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = sp.rune(dst, s, i, r)
		i += n
	}
	return sp.end(dst, s)
}

// spanner is AppendSpans' state between runes.
type spanner struct {
	start      int  // start of the open token, or -1
	ideo       bool // the open token is a Han/kana character
	possessive bool // the open token follows a token and an apostrophe
}

// rune takes the rune r at s[i] and appends the token it ends, if any.
func (sp *spanner) rune(dst []Span, s string, i int, r rune) []Span {
	switch {
	case IsWordStart(r):
		dst = sp.word(dst, s, i, r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana))
	case isMark(r):
		// A mark extends the open token; without one it is ignored.
	default:
		dst = sp.separator(dst, s, i, r)
	}
	return dst
}

// word takes a letter or digit at s[i] (cjk: a Han or kana character,
// a token of its own), which opens a token or extends the open one, and
// appends the token it ends, if any.
func (sp *spanner) word(dst []Span, s string, i int, cjk bool) []Span {
	if sp.start >= 0 && (cjk || sp.ideo) {
		dst = appendSpan(dst, s, sp.start, i, sp.possessive)
		sp.start, sp.possessive = -1, false
	}
	if sp.start < 0 {
		sp.start, sp.ideo = i, cjk
	}
	return dst
}

// separator takes the separator r at s[i] (neither a letter, a digit nor a
// mark) and appends the token it ends, if any.
func (sp *spanner) separator(dst []Span, s string, i int, r rune) []Span {
	if sp.start >= 0 {
		dst = appendSpan(dst, s, sp.start, i, sp.possessive)
		sp.start = -1
		sp.possessive = r == '\'' // the next token, if it starts right after
	} else {
		sp.possessive = false
	}
	return dst
}

// end appends the token open at the end of s, if any.
func (sp *spanner) end(dst []Span, s string) []Span {
	if sp.start >= 0 {
		dst = appendSpan(dst, s, sp.start, len(s), sp.possessive)
	}
	return dst
}

// fastWord returns the length of the ASCII letter or digit, or of the
// Cyrillic letter U+0400-U+047F, at s[i], or 0 for any other character.
func fastWord(s string, i int) int {
	switch byteClass[s[i]] {
	case 1:
		return 1
	case 2:
		if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			return 2
		}
	}
	return 0
}

// byteClass is 1 for ASCII letters and digits, 2 for the lead bytes of
// Cyrillic U+0400-U+047F, 0 for other bytes.
var byteClass = func() (t [256]byte) {
	for c := range utf8.RuneSelf {
		if IsWordStart(rune(c)) {
			t[c] = 1
		}
	}
	t[0xD0], t[0xD1] = 2, 2
	return t
}()

// appendSpan appends the token s[start:end] to dst, unless it is the "s" of
// a possessive.
func appendSpan(dst []Span, s string, start, end int, possessive bool) []Span {
	if possessive && end-start == 1 && s[start] == 's' {
		return dst
	}
	return append(dst, Span{int32(start), int32(end)})
}

// IsWordStart reports whether r is a letter or a digit.
func IsWordStart(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	case 0x0400 <= r && r <= 0x0481: // the common Cyrillic letters
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// IsInvisible reports whether r is a character Fold removes (its table's
// invisible characters: soft hyphen, joiners, word joiner, BOM, Arabic
// tatweel, bidirectional marks), so that a tokenizer keeps the word it
// stands in whole.
func IsInvisible(r rune) bool {
	f, ok := foldSpecial(r)
	return ok && f == ""
}

// IsDigit reports whether r is a decimal digit of any script; below U+0660
// only the ASCII ones are, so unicode's tables are searched only above.
func IsDigit(r rune) bool { return '0' <= r && r <= '9' || r >= 0x0660 && unicode.IsDigit(r) }

// isMark reports whether r is a combining mark.
func isMark(r rune) bool {
	if r < 0x0300 || 0x0370 <= r && r <= 0x0482 { // Latin, Greek, Cyrillic letters
		return false
	}
	return unicode.IsMark(r)
}
