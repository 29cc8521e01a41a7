package feeds

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// xmlDecl finds the encoding pseudo-attribute of an XML declaration.
var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// ToUTF8 returns a feed or page body as UTF-8. The encoding is taken from,
// in order: a byte-order mark, the charset of the HTTP Content-Type
// (contentType, may be empty), the XML declaration (one naming UTF-16 is
// taken for UTF-8: it was read as ASCII), and last sniffing: valid
// UTF-8 stays as it is; other text, or text mislabelled UTF-8, is Cyrillic
// windows-1251 or KOI8-R when its letters say so, else windows-1252. An XML
// declaration naming another encoding is rewritten to say UTF-8, so the
// parser does not decode the text a second time. An unknown label is an
// error naming it.
func ToUTF8(body []byte, contentType string) ([]byte, error) {
	label := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		label = params["charset"]
	}
	decl := xmlDecl.FindSubmatchIndex(body)
	if label == "" && decl != nil {
		label = string(body[decl[2]:decl[3]])
		// A declaration that reads as ASCII is not in UTF-16, whatever it
		// says (.NET writes "utf-16" when it serializes to a string, which
		// is then sent as UTF-8): the body is read as UTF-8, as browsers
		// read it.
		if _, name := charset.Lookup(label); strings.HasPrefix(name, "utf-16") {
			label = "utf-8"
		}
	}
	var enc encoding.Encoding
	switch {
	// A byte-order mark says what the bytes are, over any label (as RFC
	// 7303 and the WHATWG Encoding Standard have it): servers label what
	// they send with their default charset.
	case bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) && utf8.Valid(body):
		enc = nil
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case label != "":
		e, name := charset.Lookup(label)
		if e == nil {
			return nil, fmt.Errorf("unknown charset %q", label)
		}
		switch {
		case name != "utf-8":
			enc = e
		case !utf8.Valid(body): // mislabelled: servers default to utf-8
			enc = sniffSingleByte(body)
		}
	case utf8.Valid(body):
		enc = nil
	default:
		enc = sniffSingleByte(body)
	}
	if enc == nil {
		// Kept as it came, the body may still declare another encoding
		// (the header said UTF-8): the declaration is rewritten all the same.
		return declareUTF8(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))), nil
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", label, err)
	}
	return declareUTF8(bytes.TrimPrefix(out, []byte("\xEF\xBB\xBF"))), nil
}

// declareUTF8 returns a UTF-8 body whose XML declaration names another
// encoding with the declaration saying UTF-8 (a copy; b is not changed),
// else b itself.
func declareUTF8(b []byte) []byte {
	if m := xmlDecl.FindSubmatchIndex(b); m != nil && !strings.EqualFold(string(b[m[2]:m[3]]), "utf-8") {
		return append(append(append([]byte{}, b[:m[2]]...), "UTF-8"...), b[m[3]:]...)
	}
	return b
}

// sniffSingleByte guesses the single-byte encoding of text that is not
// UTF-8. Text in which letters of the upper half dominate is Cyrillic: in
// windows-1251 its lower-case letters (most of any text) are 0xE0–0xFF, in
// KOI8-R they are 0xC0–0xDF. Anything else is read as windows-1252.
func sniffSingleByte(b []byte) encoding.Encoding {
	var high, c0, e0 int
	for _, c := range b {
		switch {
		case c >= 0xE0:
			e0++
		case c >= 0xC0:
			c0++
		}
		if c >= 0x80 {
			high++
		}
	}
	if high == 0 || (c0+e0)*10 < high*7 {
		return charmap.Windows1252
	}
	if c0 > e0 {
		return charmap.KOI8R
	}
	return charmap.Windows1251
}
