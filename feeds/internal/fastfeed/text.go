package fastfeed

import (
	"bytes"
	"encoding/binary"
	"html"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text as gofeed decodes it. Element text goes through gofeed's ParseText
// (shared/parseutils.go): the element's content as written, trimmed, then
// StripCDATA when it holds a CDATA section, else DecodeEntities. These are
// those functions, DecodeEntities with the common entities decoded without
// html.UnescapeString (to the same text).

const (
	cdataStart = "<![CDATA["
	cdataEnd   = "]]>"
)

// parseText is gofeed's ParseText of an element whose content is raw.
func parseText(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if strings.Contains(s, cdataStart) {
		return stripCDATA(s)
	}
	return decodeEntities(s)
}

// stripCDATA is gofeed's StripCDATA: the sections' text as it is, the
// text around them entity-decoded.
func stripCDATA(str string) string {
	var buf strings.Builder
	buf.Grow(len(str))
	curr := 0
	for curr < len(str) {
		start := indexAt(str, cdataStart, curr)
		if start == -1 {
			buf.WriteString(decodeEntities(str[curr:]))
			return buf.String()
		}
		buf.WriteString(decodeEntities(str[curr:start]))
		end := indexAt(str, cdataEnd, start+len(cdataStart))
		if end == -1 {
			buf.WriteString(decodeEntities(str[start:]))
			return buf.String()
		}
		buf.WriteString(str[start+len(cdataStart) : end])
		curr = end + len(cdataEnd)
	}
	return buf.String()
}

func indexAt(str, substr string, start int) int {
	idx := strings.Index(str[start:], substr)
	if idx > -1 {
		idx += start
	}
	return idx
}

// maxEntityLen is gofeed's bound on how far past an '&' its ';' may be.
const maxEntityLen = 64

// decodeEntities is gofeed's DecodeEntities.
func decodeEntities(str string) string {
	if strings.IndexByte(str, '&') == -1 {
		return str
	}
	var buf strings.Builder
	buf.Grow(len(str))
	data := str
	for len(data) > 0 {
		idx := strings.IndexByte(data, '&')
		if idx == -1 {
			buf.WriteString(data)
			break
		}
		buf.WriteString(data[:idx])
		data = data[idx:]
		if r, n := commonEntity(data); n > 0 {
			buf.WriteRune(r)
			data = data[n:]
			continue
		}
		window := data
		if len(window) > maxEntityLen {
			window = window[:maxEntityLen]
		}
		end := strings.IndexByte(window, ';')
		if end == -1 && len(window) == len(data) {
			buf.WriteString(data)
			break
		}
		if end == -1 || strings.ContainsAny(data[1:end], " \t\r\n") {
			buf.WriteByte('&')
			data = data[1:]
			continue
		}
		span := data[:end+1]
		if r, ok := simpleEntity(span); ok {
			buf.WriteRune(r)
			data = data[end+1:]
			continue
		}
		dec := html.UnescapeString(span)
		if dec == html.UnescapeString(span[:len(span)-1])+";" {
			buf.WriteByte('&')
			data = data[1:]
			continue
		}
		buf.WriteString(dec)
		data = data[end+1:]
	}
	return buf.String()
}

// commonEntity decodes the entity data starts with when it is one of the
// five XML entities or a short decimal character reference that
// simpleEntity takes, n bytes long: what the general path below gives it.
func commonEntity(data string) (r rune, n int) {
	if len(data) < 4 {
		return 0, 0
	}
	switch data[1] {
	case 'l', 'g', 'a', 'q':
		end := strings.IndexByte(data[:min(len(data), 6)], ';')
		if end < 0 {
			return 0, 0
		}
		r, ok := simpleEntity(data[:end+1])
		if !ok {
			return 0, 0
		}
		return r, end + 1
	case '#':
		for i := 2; i < len(data) && i < 9; i++ {
			c := data[i]
			if c == ';' {
				r, ok := simpleEntity(data[:i+1])
				if !ok {
					return 0, 0
				}
				return r, i + 1
			}
			if c < '0' || c > '9' {
				return 0, 0
			}
		}
	}
	return 0, 0
}

// simpleEntity decodes span ("&…;", its only ';' the last byte) when it is
// one of the five XML entities or a character reference to a character
// html.UnescapeString keeps as it is. Each of these decodes with the ';'
// to what it decodes to without it, so DecodeEntities takes the decoding.
func simpleEntity(span string) (rune, bool) {
	switch span {
	case "&lt;":
		return '<', true
	case "&gt;":
		return '>', true
	case "&amp;":
		return '&', true
	case "&quot;":
		return '"', true
	case "&apos;":
		return '\'', true
	}
	if len(span) < 4 || span[1] != '#' {
		return 0, false
	}
	digits, base := span[2:len(span)-1], rune(10)
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 7 {
		return 0, false
	}
	var r rune
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		switch {
		case '0' <= c && c <= '9':
			r = r*base + rune(c-'0')
		case base == 16 && 'a' <= c && c <= 'f':
			r = r*base + rune(c-'a'+10)
		case base == 16 && 'A' <= c && c <= 'F':
			r = r*base + rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	if r == 0 || 0x80 <= r && r <= 0x9F || 0xD800 <= r && r <= 0xDFFF || r > utf8.MaxRune {
		return 0, false // html.UnescapeString replaces these
	}
	return r, true
}

// xmlUnescape decodes character data as encoding/xml does in non-strict
// mode: the five entities and character references, anything else that
// starts with '&' kept as it is, line ends made '\n'. ok false for a
// reference to a character encoding/xml rejects.
func xmlUnescape(b []byte) (string, bool) {
	if bytes.IndexByte(b, '&') < 0 && bytes.IndexByte(b, '\r') < 0 {
		return string(b), true
	}
	out := make([]byte, 0, len(b))
	for {
		amp := bytes.IndexByte(b, '&')
		if amp < 0 {
			return string(appendNewlines(out, b)), true
		}
		out = appendNewlines(out, b[:amp])
		b = b[amp:]
		if len(b) > 1 && b[1] == '#' {
			r, n, ok := charRef(b[2:])
			switch {
			case ok && !inCharRange(r):
				return "", false
			case ok:
				out, b = utf8.AppendRune(out, r), b[2+n:]
			default:
				n := 2 // "&#", "&#x" and the digits read are kept
				if n < len(b) && b[n] == 'x' {
					n++
				}
				for n < len(b) && isRefDigit(b[n], b[2] == 'x') {
					n++
				}
				if n < len(b) && b[n] == ';' {
					n++ // a reference encoding/xml could not use
				}
				out, b = append(out, b[:n]...), b[n:]
			}
			continue
		}
		n := 1
		for n < len(b) && (isNameByte(b[n]) || b[n] >= utf8.RuneSelf) {
			n++
		}
		if n < len(b) && b[n] == ';' {
			var r byte
			switch string(b[1:n]) {
			case "lt":
				r = '<'
			case "gt":
				r = '>'
			case "amp":
				r = '&'
			case "apos":
				r = '\''
			case "quot":
				r = '"'
			}
			if r != 0 {
				out, b = append(out, r), b[n+1:]
				continue
			}
			n++
		}
		out, b = append(out, b[:n]...), b[n:]
	}
}

func isRefDigit(c byte, hex bool) bool {
	return '0' <= c && c <= '9' || hex && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')
}

// appendNewlines appends b with "\r\n" and '\r' made '\n', as encoding/xml
// reads character data.
func appendNewlines(out, b []byte) []byte {
	for {
		cr := bytes.IndexByte(b, '\r')
		if cr < 0 {
			return append(out, b...)
		}
		out = append(append(out, b[:cr]...), '\n')
		b = b[cr+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
}

// uriAttr is an href as gofeed reads it: its parser passes every URI
// attribute through url.Parse and back (shared/xmlbase.go resolveAttrs,
// with no xml:base in scope).
func uriAttr(v string) string {
	if u, err := url.Parse(strings.TrimLeft(v, " ")); err == nil {
		return u.String()
	}
	return v
}

// procInst is encoding/xml's procInst: the value of param in an XML
// declaration's content.
func procInst(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// validDoc reports whether every character of b is one encoding/xml takes
// and gofeed's control character filter leaves, b is UTF-8, and no
// numeric character reference in it names a character encoding/xml
// rejects.
func validDoc(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		// A byte below 0x20 in the word: look at its bytes.
		if x := binary.LittleEndian.Uint64(b[i:]); (x-ones*0x20)&^x&highs != 0 && !allowedControls(b[i:i+8]) {
			return false
		}
	}
	if !allowedControls(b[i:]) {
		return false
	}
	if !utf8.Valid(b) || bytes.Contains(b, []byte("\xEF\xBF\xBE")) || bytes.Contains(b, []byte("\xEF\xBF\xBF")) {
		return false
	}
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("&#"))
		if j < 0 {
			return true
		}
		i += j + 2
		if r, _, ok := charRef(b[i:]); ok && !inCharRange(r) {
			return false
		}
	}
}

// allowedControls reports whether b has no byte below 0x20 but tab, LF
// and CR.
func allowedControls(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// charRef reads the digits and ';' after "&#" as encoding/xml does: ok
// when they make a reference it replaces with r, n bytes long.
func charRef(b []byte) (r rune, n int, ok bool) {
	base, i := 10, 0
	if len(b) > 0 && b[0] == 'x' {
		base, i = 16, 1
	}
	start := i
	for i < len(b) && ('0' <= b[i] && b[i] <= '9' || base == 16 && ('a' <= b[i] && b[i] <= 'f' || 'A' <= b[i] && b[i] <= 'F')) {
		i++
	}
	if i >= len(b) || b[i] != ';' {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(string(b[start:i]), base, 64)
	if err != nil || v > utf8.MaxRune {
		return 0, 0, false
	}
	return rune(v), i + 1, true
}

// inCharRange is encoding/xml's isInCharacterRange for what string(rune)
// makes of r.
func inCharRange(r rune) bool {
	if 0xD800 <= r && r <= 0xDFFF {
		return true // string(rune) gives U+FFFD
	}
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
