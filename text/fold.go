// Package text is wirewatch's one text folding: what rules and story
// grouping both take a word to be. It imports no package of wirewatch.
package text

import (
	"unicode"
	"unicode/utf8"
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
//     soft hyphens and the Arabic tatweel are removed.
//   - Digits of any script (٣, ۳, ３) become ASCII digits; fullwidth Latin
//     letters become ASCII.
//
// The table is generated rather than computed with golang.org/x/text at run
// time so that the package needs only the standard library; see gen_fold.go.

// Fold returns s lower-cased, diacritics removed, as used for matching.
func Fold(s string) string {
	return string(appendFold(make([]byte, 0, len(s)), s, nil))
}

// FoldOffsets returns Fold(s) and, for each byte of it, the offset in s of
// the rune it came from, plus len(s) at the end: a token folded[i:j] came
// from s[off[i]:off[j]]. dst is reused when it has room.
func FoldOffsets(s string, dst []int32) (string, []int32) {
	off := dst[:0]
	b := appendFold(make([]byte, 0, len(s)), s, &off)
	return string(b), append(off, int32(len(s)))
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
// When off is not nil, the offset in s of each byte appended is appended to
// *off.
func appendFold(b []byte, s string, off *[]int32) []byte {
	var base rune // the last rune written, which a combining mark follows
	prev := 0     // offset of the rune before i
	for i := 0; i < len(s); {
		if off != nil {
			*off = fillOffsets(*off, len(b), prev)
			prev = i
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			} else if c == '`' {
				c = '\''
			}
			b = append(b, c)
			base = rune(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if isMark(r) {
			b = appendMark(b, base, r)
			continue
		}
		r = caseFold(r)
		if f, ok := foldSpecial(r); ok {
			if f != "" { // invisible characters leave base alone
				b = append(b, f...)
				base, _ = utf8.DecodeLastRuneInString(f)
			}
			continue
		}
		switch {
		case 0xFF41 <= r && r <= 0xFF5A: // fullwidth a-z
			r -= 0xFF41 - 'a'
		case 0x2010 <= r && r <= 0x2015 || r == 0x2212 || r == 0xFE63 || r == 0xFF0D: // hyphens, dashes, minus
			r = '-'
		case unicode.IsDigit(r):
			r = '0' + digitValue(r)
		}
		b = utf8.AppendRune(b, r)
		base = r
	}
	if off != nil {
		*off = fillOffsets(*off, len(b), prev)
	}
	return b
}

// fillOffsets extends off to n entries with the offset at; a mark composed
// with the letter before it may have shortened the output.
func fillOffsets(off []int32, n, at int) []int32 {
	if len(off) > n {
		return off[:n]
	}
	for len(off) < n {
		off = append(off, int32(at))
	}
	return off
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

// Span is the byte range of one token in a folded string.
type Span struct{ Start, End int }

// AppendSpans appends the tokens of the folded string s to dst. A token is a
// run of letters and digits, with the combining marks that follow them; any
// other character separates tokens. Han, Hiragana and Katakana characters,
// written without spaces, are a token each, so that a phrase of them matches
// as a substring. An "s" right after an apostrophe ends a possessive
// ("CSTO's") and is dropped.
func AppendSpans(s string, dst []Span) []Span {
	start := -1         // start of the open token, or -1
	ideo := false       // the open token is a Han/kana character
	possessive := false // the open token follows a token and an apostrophe
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case IsWordStart(r):
			cjk := r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
			if start >= 0 && (cjk || ideo) {
				dst = appendSpan(dst, s, start, i, possessive)
				start, possessive = -1, false
			}
			if start < 0 {
				start, ideo = i, cjk
			}
		case isMark(r):
			// A mark extends the open token; without one it is ignored.
		default:
			if start >= 0 {
				dst = appendSpan(dst, s, start, i, possessive)
				start = -1
				possessive = r == '\'' // the next token, if it starts right after
			} else {
				possessive = false
			}
		}
		i += n
	}
	if start >= 0 {
		dst = appendSpan(dst, s, start, len(s), possessive)
	}
	return dst
}

// appendSpan appends the token s[start:end] to dst, unless it is the "s" of
// a possessive.
func appendSpan(dst []Span, s string, start, end int, possessive bool) []Span {
	if possessive && end-start == 1 && s[start] == 's' {
		return dst
	}
	return append(dst, Span{start, end})
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

// isMark reports whether r is a combining mark.
func isMark(r rune) bool {
	if r < 0x0300 || 0x0370 <= r && r <= 0x0482 { // Latin, Greek, Cyrillic letters
		return false
	}
	return unicode.IsMark(r)
}
