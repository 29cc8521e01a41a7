package feeds

import (
	"math/bits"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pages and some feeds wrap an article's text in navigation: "Skip to main
// content", breadcrumbs ("Home / Latest Updates / …"), image placeholders
// ("Thumbnail") and share or subscribe lines. Those lines say nothing about
// the story; they are dropped when text is extracted (feed bodies and
// fetched articles) and from the start of a snippet.

// boilerplateLineRE matches a whole line (a block of the page) that is
// navigation or clutter.
var boilerplateLineRE = regexp.MustCompile(`(?i)^(?:` +
	`skip to (?:main )?(?:content|navigation|main)|skip navigation|jump to (?:content|navigation)|` +
	`home|(?:main )?menu|search|close|toggle navigation|` +
	`(?:latest|breaking|top) (?:news|updates|stories)|` +
	`thumbnail|image|photo|advertisement|sponsored|` +
	`home\s*(?:/|»|›|>|\||::)\s*.*|` +
	`(?:share|tweet|email|print|whatsapp|telegram|facebook|twitter|x|linkedin|reddit|copy link|pin it|\s|,|:|\||·)+|` +
	`share (?:this|on|via)\b.*|follow us\b.*|subscribe\b.*|sign up\b.*|` +
	`read more|related(?: articles| stories| news)?|you may also like|more from\b.*|` +
	`(?:all rights reserved|copyright|©)\b.*` +
	`)[\s.:!…]*$`)

// boilerplatePrefixRE matches clutter at the start of text whose lines
// were already joined: the snippet strips it again and again.
var boilerplatePrefixRE = regexp.MustCompile(`(?i)^\s*(?:` +
	`skip to (?:main )?(?:content|navigation|main)|skip navigation|` +
	`(?:latest|breaking|top) (?:news|updates|stories)|thumbnail|advertisement|` +
	`home(?:\s*(?:/|»|›|>)\s*[\p{L}\p{N}][\p{L}\p{N} '’-]{0,40}?)+\s*(?:/|»|›|>)` +
	`)[\s.:|·-]*`)

// boilerplateFirst are the words a line boilerplateLineRE matches can begin
// with: a line whose first word does not begin with one of them is text,
// told without running the expression (which was a tenth of parsing a
// feed). (Share words may run together: "sharetweet" matches.)
var boilerplateFirst = strings.Fields(`skip jump home main menu search close toggle latest breaking top thumbnail image
	photo advertisement sponsored share tweet email print whatsapp telegram facebook twitter x linkedin reddit copy
	pin follow subscribe sign read related you more all copyright`)

// IsBoilerplate reports whether one line of a page is navigation or
// clutter rather than the article's text.
func IsBoilerplate(line string) bool {
	line = strings.TrimSpace(line)
	return line != "" && mayBeBoilerplate(line) && boilerplateLineRE.MatchString(line)
}

// mayBeBoilerplate reports whether line (trimmed) begins as a line
// boilerplateLineRE matches may: with one of boilerplateFirst (in any
// case) at the start of its first word, or with something other than an
// ASCII letter.
func mayBeBoilerplate(line string) bool {
	end := 0
	for end < len(line) && ('a' <= line[end]|0x20 && line[end]|0x20 <= 'z') {
		end++
	}
	if end == 0 || end < len(line) && line[end] >= utf8.RuneSelf {
		return true // not a plain ASCII word: the expression decides
	}
	word := line[:end] // ASCII letters only
	for _, w := range boilerplateFirstBy[word[0]|0x20-'a'] {
		if len(word) >= len(w) && lowerPrefix(word, w) {
			return true
		}
	}
	return false
}

// boilerplateFirstBy holds boilerplateFirst by first letter.
var boilerplateFirstBy = func() (by [26][]string) {
	for _, w := range boilerplateFirst {
		by[w[0]-'a'] = append(by[w[0]-'a'], w)
	}
	return by
}()

// lowerPrefix reports whether word, ASCII letters at least as long as w,
// begins with w (lower-case letters) in any case.
func lowerPrefix(word, w string) bool {
	for i := 0; i < len(w); i++ {
		if word[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// DropBoilerplate returns text's lines without the boilerplate ones,
// joined by single spaces.
func DropBoilerplate(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for line := range strings.SplitSeq(text, "\n") {
		if line = strings.TrimSpace(line); line == "" || mayBeBoilerplate(line) && boilerplateLineRE.MatchString(line) {
			continue
		}
		appendFields(&b, line)
	}
	return b.String()
}

// singleSpaced reports whether s is words separated by single ASCII
// spaces, with no other white space, none at either end, and not empty:
// appendFields would write it unchanged. Bytes that cannot start a
// white-space rune are passed over without decoding.
func singleSpaced(s string) bool {
	prevSpace := true // a space first is one too many
	for i := 0; i < len(s); i++ {
		// Eight bytes at a time up to the first that is white space, a
		// control character or not ASCII: (x - 0x21…) &^ x flags the
		// bytes below 0x21, the first one flagged exactly, and x itself
		// those from 0x80.
		for i+8 <= len(s) {
			_ = s[i+7]
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			m := ((x-0x2121212121212121)&^x | x) & 0x8080808080808080
			if m == 0 {
				i, prevSpace = i+8, false
				continue
			}
			if k := bits.TrailingZeros64(m) / 8; k > 0 {
				i, prevSpace = i+k, false
			}
			break
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiSpace[c] {
				prevSpace = false
				continue
			}
			if c != ' ' || prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		// White space beyond ASCII starts with one of these bytes
		// (U+0085, U+00A0; U+1680; U+2000–U+205F; U+3000).
		if c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			i += size - 1
		}
		prevSpace = false
	}
	return !prevSpace // a space last is one too many; so is nothing
}

// appendFields writes the words of s (as strings.Fields splits them) to b,
// each after a space unless b is empty: strings.Join(strings.Fields(s),
// " ") appended without making the words.
func appendFields(b *strings.Builder, s string) {
	if singleSpaced(s) {
		// Most lines of a text: written whole, not word by word.
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		return
	}
	for len(s) > 0 {
		// Skip white space.
		c := s[0]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				s = s[1:]
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s); unicode.IsSpace(r) {
			s = s[size:]
			continue
		}
		// A word: up to the next white space.
		end := 0
		for end < len(s) {
			c := s[end]
			if c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				end++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[end:])
			if unicode.IsSpace(r) {
				break
			}
			end += size
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[:end])
		s = s[end:]
	}
}

// asciiSpace are the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// TrimBoilerplate strips clutter from the start of one line of text (its
// page lines already joined): skip links, "Latest news", "Thumbnail",
// breadcrumbs up to their last separator.
func TrimBoilerplate(text string) string {
	for {
		loc := boilerplatePrefixRE.FindStringIndex(text)
		if loc == nil || loc[1] == 0 {
			return strings.TrimSpace(text)
		}
		text = text[loc[1]:]
	}
}
