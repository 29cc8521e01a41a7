package feeds

import (
	"strings"

	"golang.org/x/net/html"
)

// The simple-text path of extractText: markup made only of plain tags is
// read without the HTML tokenizer.

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
		name := lowerTagName(&lower, readOnly(tag))
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
