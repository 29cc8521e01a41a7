package feeds

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"
)

// skippedElements are elements whose contents are never text for a reader.
var skippedElements = map[string]bool{
	"script": true, "style": true, "noscript": true, "noembed": true,
	"noframes": true, "iframe": true, "template": true,
}

// blockElements break words apart: their boundaries become spaces.
var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true,
	"dd": true, "div": true, "dl": true, "dt": true, "figcaption": true, "figure": true,
	"footer": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hr": true, "li": true, "main": true, "nav": true, "ol": true, "p": true,
	"pre": true, "section": true, "table": true, "td": true, "th": true, "tr": true, "ul": true,
}

// invisibleRunes are dropped from text: they only hide word boundaries.
const invisibleRunes = "\u200b\u2060\ufeff\u00ad"

// PlainText turns an HTML fragment (or plain text) into one line of text:
// tags removed, script and style contents dropped, entities decoded,
// whitespace folded to single spaces.
//
// Feeds often escape their HTML twice, so text still holding entities after
// decoding (such as "&quot;" from "&amp;quot;") is decoded once more, and
// input that holds no tags but decodes to markup ("&lt;p&gt;") is read as
// HTML once more.
func PlainText(s string) string {
	var x extractor
	return x.plainText(s)
}

// PlainBody is PlainText for an item's body: the lines (blocks) that are
// navigation or clutter (IsBoilerplate) are left out.
func PlainBody(s string) string {
	var x extractor
	return x.plainBody(s)
}

// extractor turns HTML into text. The text of a fragment is extracted into
// its buffer, which the next fragment reuses, and then cleaned into a
// string of its own: Parse keeps one extractor for every field of every
// item.
type extractor struct {
	buf []byte
}

// plainText is PlainText.
func (x *extractor) plainText(s string) string {
	text := x.plainLines(s)
	if text == s && singleSpaced(s) {
		return s // most titles: their own text, already one line
	}
	var b strings.Builder
	b.Grow(len(text))
	appendFields(&b, text)
	return b.String()
}

// plainBody is PlainBody.
func (x *extractor) plainBody(s string) string { return DropBoilerplate(x.plainLines(s)) }

// plainLines is the text of s, a line per block element. It may be held
// in x's buffer, until x is used again.
func (x *extractor) plainLines(s string) string {
	text := s
	// Text without tags, entities, carriage returns or NULs is its own
	// text (most titles; the empty content of an item with a description).
	if strings.ContainsAny(s, "<&\r\x00") {
		var sawTag bool
		x.buf = slices.Grow(x.buf[:0], len(s)) // the text is about as long: grown once, not as it comes
		x.buf, sawTag = extractText(x.buf, s, 0)
		text = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
		if !sawTag && looksLikeMarkup(text) {
			text = string(x.buf) // a copy: the buffer is written again
			x.buf, _ = extractText(x.buf[:0], text, 1)
			text = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
		}
		text = decodeLeftoverEntities(text)
	}
	if hasInvisible(text) {
		text = strings.Map(func(r rune) rune {
			if r >= 0xad && strings.ContainsRune(invisibleRunes, r) {
				return -1
			}
			return r
		}, text)
	}
	return text
}

// hasInvisible reports whether s holds one of invisibleRunes: a search for
// each one's bytes, far quicker than decoding every rune of s.
func hasInvisible(s string) bool {
	for _, r := range invisibleRunes {
		if strings.Contains(s, string(r)) {
			return true
		}
	}
	return false
}

// extractText appends the text of src to b and reports whether src held
// any tags. CDATA sections are read as HTML, nested at most once.
func extractText(b []byte, src string, depth int) (_ []byte, sawTag bool) {
	if out, sawTag, ok := appendSimpleText(b, src); ok {
		return out, sawTag
	}
	return tokenizeText(b, src, depth)
}

// tokenizeText is extractText through the HTML tokenizer, for any markup.
func tokenizeText(b []byte, src string, depth int) (_ []byte, sawTag bool) {
	z := html.NewTokenizer(strings.NewReader(src))
	z.AllowCDATA(true)
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken: // io.EOF: a strings.Reader fails in no other way
			return b, sawTag
		case html.TextToken:
			if skip > 0 {
				continue
			}
			raw := z.Raw()
			if inner, ok := cdataContent(raw); ok {
				if depth < 2 {
					var inTag bool
					if b, inTag = extractText(b, string(inner), depth+1); inTag {
						sawTag = true
					}
				} else {
					b = append(b, inner...)
				}
				continue
			}
			b = append(b, z.Text()...)
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			sawTag = true
			var lower [maxElementName]byte
			name := lowerTagName(&lower, z.Raw())
			if skippedElements[string(name)] { // no copy of name: the compiler looks it up as it is
				switch tt {
				case html.StartTagToken:
					skip++
				case html.EndTagToken:
					if skip > 0 {
						skip--
					}
				}
				continue
			}
			if blockElements[string(name)] {
				b = append(b, '\n') // a line of its own: DropBoilerplate looks at lines
			}
		}
	}
}

// maxElementName is the length of the longest name in skippedElements,
// blockElements and rawTextElements.
const maxElementName = len("figcaption")

// lowerTagName returns the name of the tag token raw ("<P class=x>",
// "</p>", "<br/>") lower-cased in lower, as the tokenizer's TagName would
// (which copies it), or nil when it is longer than maxElementName and so
// names no element looked for.
func lowerTagName(lower *[maxElementName]byte, raw []byte) []byte {
	name := raw[1:] // after "<"
	if len(name) > 0 && name[0] == '/' {
		name = name[1:]
	}
	if end := bytes.IndexAny(name, " \n\r\t\f/>"); end >= 0 {
		name = name[:end]
	}
	if len(name) > len(lower) {
		return nil
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return lower[:len(name)]
}

// cdataContent returns the inside of a "<![CDATA[...]]>" token.
func cdataContent(raw []byte) ([]byte, bool) {
	const open, closing = "<![CDATA[", "]]>"
	if !bytes.HasPrefix(raw, []byte(open)) {
		return nil, false
	}
	inner := raw[len(open):]
	inner = bytes.TrimSuffix(inner, []byte(closing))
	return inner, true
}

// looksLikeMarkup reports whether text holds something like a tag: "<" then
// a letter, "/" or "!".
func looksLikeMarkup(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		c := s[i+1]
		if c == '/' || c == '!' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			return true
		}
	}
	return false
}

// decodeLeftoverEntities decodes each complete entity ("&name;", "&#n;",
// "&#xh;") still present in s, leaving everything else (a bare "&", "R&D",
// unknown names) as it is.
func decodeLeftoverEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s, ';')
		if end > 1 && end <= 32 && isEntityName(s[1:end]) {
			candidate := s[:end+1]
			// A whole entity decodes to one or two runes; more means only a
			// prefix matched ("&notit;" gives "¬it;") and it is no entity.
			if decoded := html.UnescapeString(candidate); decoded != candidate && utf8.RuneCountInString(decoded) <= 2 {
				b.WriteString(decoded)
				s = s[end+1:]
				continue
			}
		}
		b.WriteByte('&')
		s = s[1:]
	}
}

// isEntityName reports whether s can be the part of an entity between "&" and ";".
func isEntityName(s string) bool {
	if strings.HasPrefix(s, "#") {
		s = strings.TrimPrefix(strings.TrimPrefix(s[1:], "x"), "X")
	}
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
