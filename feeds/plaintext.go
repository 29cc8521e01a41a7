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

// rawTextElements are the elements whose contents the tokenizer reads as
// text up to their end tag (script, style, title, …): appendSimpleText
// leaves markup with any of them, or with one of skippedElements, to the
// tokenizer.
var rawTextElements = []string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"}

// elementKind is how appendSimpleText takes an element.
type elementKind uint8

const (
	inline  elementKind = iota // its tags are left out
	block                      // its tags become line breaks
	rawText                    // it is left to the tokenizer
)

// simpleElements are blockElements, rawTextElements and skippedElements
// by kind, for one look-up per tag.
var simpleElements = func() map[string]elementKind {
	m := map[string]elementKind{}
	for name := range blockElements {
		m[name] = block
	}
	for _, name := range rawTextElements {
		m[name] = rawText
	}
	for name := range skippedElements {
		m[name] = rawText
	}
	return m
}()

// appendSimpleText is extractText without the tokenizer for markup made
// only of plain tags (most feed HTML: "<p>…</p>", `<a href="x">`),
// appending the same text. It reports false, with b as given, for anything
// else: a comment, CDATA, a doctype, a tag tagEnd does not read, a tag
// left open at the end, a raw-text or skipped element, an end tag not
// followed by a name, a carriage return or NUL. Text is unescaped as the
// tokenizer's Text does.
func appendSimpleText(b []byte, src string) (_ []byte, sawTag, ok bool) {
	if strings.IndexByte(src, '\r') >= 0 || strings.IndexByte(src, 0) >= 0 {
		return b, false, false
	}
	out := b
	text := 0 // where the text not yet appended begins
	for i := 0; ; {
		lt := strings.IndexByte(src[i:], '<')
		if lt < 0 {
			return appendUnescaped(out, src[text:]), sawTag, true
		}
		i += lt
		if i+1 == len(src) {
			return b, false, false // "<" last: the tokenizer has its own ways there
		}
		switch c := src[i+1]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case c == '/':
			if i+2 == len(src) || !('a' <= src[i+2] && src[i+2] <= 'z' || 'A' <= src[i+2] && src[i+2] <= 'Z') {
				return b, false, false // "</>", "</ x>": not end tags
			}
		case c == '!' || c == '?':
			return b, false, false // comment, CDATA, doctype, processing instruction
		default:
			i++ // "<" then anything else is text: "a < b", "<3"
			continue
		}
		end := tagEnd(src[i:])
		if end < 0 {
			return b, false, false
		}
		tag := src[i : i+end+1]
		var lower [maxElementName]byte
		name := lowerTagName(&lower, unsafe.Slice(unsafe.StringData(tag), len(tag))) // read only
		kind := simpleElements[string(name)]
		if kind == rawText {
			return b, false, false
		}
		out = appendUnescaped(out, src[text:i])
		sawTag = true
		if kind == block {
			out = append(out, '\n')
		}
		i += end + 1
		text = i
	}
}

// tagEnd returns the index of the ">" that ends the tag tok begins with
// ("<" and a name), read as the HTML tokenizer reads a tag's attributes —
// a quoted value may hold a ">" — or -1 when there is none, or when the
// tag has a quote, "=" or "<" where the tokenizer would take it into a
// name or an unquoted value (a parse error, left to the tokenizer).
func tagEnd(tok string) int {
	const (
		tagName = iota
		before  // before an attribute's name
		attrName
		afterName // after an attribute's name
		beforeValue
		unquoted
	)
	state := tagName
	for i := 1; i < len(tok); i++ {
		c := tok[i]
		if c == '>' {
			return i
		}
		space := isTagSpace(c)
		switch state {
		case tagName:
			switch {
			case space:
				state = before
			case c == '/' && i > 1 && tok[i-1] != '<':
				state = before
			case c == '=' || c == '"' || c == '\'' || c == '<':
				return -1 // part of the name to the tokenizer
			}
		case before, afterName:
			switch {
			case space:
			case c == '/':
				state = before
			case c == '=' && state == afterName:
				state = beforeValue
			case c == '=' || c == '"' || c == '\'' || c == '<':
				return -1
			default:
				state = attrName
			}
		case attrName:
			switch {
			case space:
				state = afterName
			case c == '/':
				state = before
			case c == '=':
				state = beforeValue
			case c == '"' || c == '\'' || c == '<':
				return -1
			}
		case beforeValue:
			switch {
			case space:
			case c == '"' || c == '\'':
				j := strings.IndexByte(tok[i+1:], c)
				if j < 0 {
					return -1
				}
				i += 1 + j // the closing quote
				if i+1 < len(tok) && !isTagSpace(tok[i+1]) && tok[i+1] != '>' && tok[i+1] != '/' {
					return -1 // no space after the value
				}
				state = before
			case c == '<' || c == '=' || c == '`':
				return -1
			default:
				state = unquoted
			}
		case unquoted:
			switch {
			case space:
				state = before
			case c == '"' || c == '\'' || c == '<' || c == '=' || c == '`':
				return -1
			}
		}
	}
	return -1
}

// isTagSpace reports whether c is white space between a tag's attributes.
func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' }

// appendUnescaped appends text with its entities decoded as the
// tokenizer's Text decodes them.
func appendUnescaped(b []byte, text string) []byte {
	if strings.IndexByte(text, '&') < 0 {
		return append(b, text...)
	}
	return append(b, html.UnescapeString(text)...)
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
