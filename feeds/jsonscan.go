package feeds

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	jsonfeed "github.com/mmcdole/gofeed/json"
)

// scanJSONFeed reads a JSON Feed in one pass over its bytes, with no
// reflection: the usual document (lower-case keys, each once, strings of
// valid UTF-8, the fields' own types). It reports false for anything else
// — a key written in another case or with escapes, a key twice, a value of
// another type, invalid JSON, invalid UTF-8 or a lone surrogate in a
// string, attachments — and decodeJSONFeed then decodes the document as
// before, so that the feed, or the error, is encoding/json's. Where it
// reports true, the feed is the one encoding/json gives (FuzzDecodeJSONFeed
// compares the two). encoding/json validates the whole document before it
// decodes it, and its decoding reflects over every field: this reads each
// byte once.
func scanJSONFeed(body []byte) (*jsonfeed.Feed, bool) {
	s := jsonScanner{b: body}
	f := &jsonfeed.Feed{}
	s.ws()
	if !s.feed(f) {
		return nil, false
	}
	s.ws()
	return f, s.i == len(s.b)
}

// jsonScanner reads b from i; a method returning false leaves the document
// to encoding/json.
type jsonScanner struct {
	b []byte
	i int
}

// feedKeys and itemKeys are the keys of jsonfeed.Feed and jsonfeed.Item,
// and authorKeys those of jsonfeed.Author: a key that differs from each
// only in case is one encoding/json would match.
var (
	feedKeys   = []string{"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon", "favicon", "author", "expired", "items", "authors", "language"}
	itemKeys   = []string{"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image", "date_published", "date_modified", "author", "tags", "attachments", "authors", "language"}
	authorKeys = []string{"name", "url", "avatar"}
)

func (s *jsonScanner) feed(f *jsonfeed.Feed) bool {
	var items []jsonfeed.Item
	var at []int32 // items' indexes in items, -1 for null
	sawItems := false
	ok := s.object(feedKeys, func(k int) bool {
		switch feedKeys[k] {
		case "version":
			return s.text(&f.Version)
		case "title":
			return s.text(&f.Title)
		case "home_page_url":
			return s.text(&f.HomePageURL)
		case "feed_url":
			return s.text(&f.FeedURL)
		case "description":
			return s.text(&f.Description)
		case "user_comment":
			return s.text(&f.UserComment)
		case "next_url":
			return s.text(&f.NextURL)
		case "icon":
			return s.text(&f.Icon)
		case "favicon":
			return s.text(&f.Favicon)
		case "language":
			return s.text(&f.Language)
		case "author":
			return s.author(&f.Author)
		case "authors":
			return s.authors(&f.Authors)
		case "expired":
			raw, ok := s.raw()
			f.Expired = ok && coerceJSONBool(raw)
			return ok
		case "items":
			if s.null() {
				return true
			}
			sawItems = true
			return s.array(func() bool {
				if s.null() {
					at = append(at, -1)
					return true
				}
				items = append(items, jsonfeed.Item{})
				at = append(at, int32(len(items)-1))
				return s.item(&items[len(items)-1])
			})
		}
		return false
	})
	if !ok {
		return false
	}
	if sawItems {
		f.Items = make([]*jsonfeed.Item, len(at))
		for i, j := range at {
			if j >= 0 {
				f.Items[i] = &items[j]
			}
		}
	}
	return true
}

func (s *jsonScanner) item(it *jsonfeed.Item) bool {
	return s.object(itemKeys, func(k int) bool {
		switch itemKeys[k] {
		case "id":
			if s.peek() == '"' {
				return s.text(&it.ID)
			}
			raw, ok := s.raw()
			it.ID = coerceJSONString(raw)
			return ok
		case "url":
			return s.text(&it.URL)
		case "external_url":
			return s.text(&it.ExternalURL)
		case "title":
			return s.text(&it.Title)
		case "content_html":
			return s.text(&it.ContentHTML)
		case "content_text":
			return s.text(&it.ContentText)
		case "summary":
			return s.text(&it.Summary)
		case "image":
			return s.text(&it.Image)
		case "banner_image":
			return s.text(&it.BannerImage)
		case "date_published":
			return s.text(&it.DatePublished)
		case "date_modified":
			return s.text(&it.DateModified)
		case "language":
			return s.text(&it.Language)
		case "author":
			return s.author(&it.Author)
		case "authors":
			return s.authors(&it.Authors)
		case "tags":
			if s.null() {
				return true
			}
			it.Tags = []string{}
			return s.array(func() bool {
				it.Tags = append(it.Tags, "")
				return s.text(&it.Tags[len(it.Tags)-1])
			})
		}
		return false // attachments
	})
}

// author reads an author object, or null.
func (s *jsonScanner) author(a **jsonfeed.Author) bool {
	if s.null() {
		return true
	}
	*a = &jsonfeed.Author{}
	return s.authorFields(*a)
}

func (s *jsonScanner) authorFields(a *jsonfeed.Author) bool {
	return s.object(authorKeys, func(k int) bool {
		switch k {
		case 0:
			return s.text(&a.Name)
		case 1:
			return s.text(&a.URL)
		}
		return s.text(&a.Avatar)
	})
}

// authors reads an array of authors (and nulls), or null.
func (s *jsonScanner) authors(as *[]*jsonfeed.Author) bool {
	if s.null() {
		return true
	}
	*as = []*jsonfeed.Author{}
	return s.array(func() bool {
		var a *jsonfeed.Author
		ok := s.author(&a)
		*as = append(*as, a)
		return ok
	})
}

// object reads an object whose known keys are keys, calling field with a
// key's index at its value; any other key's value is checked and passed
// over. A key twice, or one that only encoding/json's case folding
// matches, fails.
func (s *jsonScanner) object(keys []string, field func(int) bool) bool {
	var seen uint32
	return s.eat('{') && s.list('}', func() bool {
		key, ok := s.key()
		if !ok || !s.colon() {
			return false
		}
		switch k := known(keys, key); {
		case k >= 0:
			if seen&(1<<k) != 0 {
				return false
			}
			seen |= 1 << k
			return field(k)
		case k == -2:
			return false
		}
		return s.skip(0)
	})
}

// list reads the elements of an array or the members of an object, its
// opening bracket read, calling elem at each, up to close.
func (s *jsonScanner) list(close byte, elem func() bool) bool {
	s.ws()
	if s.eat(close) {
		return true
	}
	for {
		if !elem() {
			return false
		}
		s.ws()
		if s.eat(close) {
			return true
		}
		if !s.eat(',') {
			return false
		}
		s.ws()
	}
}

// colon reads the colon after an object key, and the white space around it.
func (s *jsonScanner) colon() bool {
	s.ws()
	ok := s.eat(':')
	s.ws()
	return ok
}

// known returns the index of key in keys, -1 if no key matches it in any
// case, -2 if one does in another case or key is not ASCII (where
// encoding/json's folding is left to it).
func known(keys []string, key []byte) int {
	for i, k := range keys {
		if string(key) == k {
			return i
		}
	}
	for _, c := range key {
		if c >= utf8.RuneSelf {
			return -2
		}
	}
	for _, k := range keys {
		if strings.EqualFold(string(key), k) {
			return -2
		}
	}
	return -1
}

// key reads an object key with no escapes, its bytes in the document.
func (s *jsonScanner) key() ([]byte, bool) {
	if !s.eat('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// array reads an array, calling elem at each element.
func (s *jsonScanner) array(elem func() bool) bool {
	return s.eat('[') && s.list(']', elem)
}

// text reads a string into *dst, or null (leaving *dst).
func (s *jsonScanner) text(dst *string) bool {
	if s.null() {
		return true
	}
	v, ok := s.str()
	*dst = v
	return ok
}

// str reads a string as encoding/json unquotes it; invalid UTF-8 and lone
// surrogates, which it replaces, fail.
func (s *jsonScanner) str() (string, bool) {
	if !s.eat('"') {
		return "", false
	}
	start := s.i
	ascii := true
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			v := s.b[start : s.i-1]
			if !ascii && !utf8.Valid(v) {
				return "", false
			}
			return string(v), true
		case c == '\\':
			return s.unquote(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		s.i++
	}
	return "", false
}

// unquote reads the rest of a string that has escapes, from its start.
func (s *jsonScanner) unquote(start int) (string, bool) {
	var buf strings.Builder
	// The string's bytes as written are at least its length unquoted: one
	// allocation for most strings (the document's bytes to the next quote).
	if q := bytes.IndexByte(s.b[s.i:], '"'); q >= 0 {
		buf.Grow(s.i - start + q + 16)
	}
	for {
		// s.b[start:s.i] has no escape, quote or control character.
		buf.Write(s.b[start:s.i])
		if s.i >= len(s.b) {
			return "", false
		}
		if s.b[s.i] == '"' {
			s.i++
			if !utf8.ValidString(buf.String()) {
				return "", false
			}
			return buf.String(), true
		}
		// A backslash.
		if s.i+1 >= len(s.b) {
			return "", false
		}
		switch e := s.b[s.i+1]; e {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			buf.WriteByte(jsonEscapes[e])
			s.i += 2
		case 'u':
			r, ok := hex4(s.b[s.i+2:])
			if !ok {
				return "", false
			}
			s.i += 6
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || s.i+1 >= len(s.b) || s.b[s.i] != '\\' || s.b[s.i+1] != 'u' {
					return "", false
				}
				lo, ok := hex4(s.b[s.i+2:])
				if r = utf16.DecodeRune(r, lo); !ok || r == utf8.RuneError {
					return "", false
				}
				s.i += 6
			}
			buf.WriteRune(r)
		default:
			return "", false
		}
		start = s.i
		for s.i < len(s.b) {
			if c := s.b[s.i]; c == '"' || c == '\\' {
				break
			} else if c < 0x20 {
				return "", false
			}
			s.i++
		}
	}
}

// jsonEscapes are the characters of the one-letter escapes, by letter.
var jsonEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 reads four hex digits.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// raw reads any value and returns its bytes.
func (s *jsonScanner) raw() ([]byte, bool) {
	start := s.i
	ok := s.skip(0)
	return s.b[start:s.i], ok
}

// maxDepth is the nesting below which skip checks a value; deeper ones
// are left to encoding/json.
const maxDepth = 64

// skip checks and passes over any value.
func (s *jsonScanner) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch s.peek() {
	case '{':
		s.i++
		return s.list('}', func() bool {
			_, ok := s.str()
			return ok && s.colon() && s.skip(depth+1)
		})
	case '[':
		return s.array(func() bool { return s.skip(depth + 1) })
	case '"':
		_, ok := s.str()
		return ok
	case 't':
		return s.word("true")
	case 'f':
		return s.word("false")
	case 'n':
		return s.word("null")
	}
	return s.number()
}

// number passes over a number as JSON writes one.
func (s *jsonScanner) number() bool {
	s.eat('-')
	switch {
	case s.eat('0'):
	case s.digits() == 0:
		return false
	}
	if s.eat('.') && s.digits() == 0 {
		return false
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if s.digits() == 0 {
			return false
		}
	}
	return true
}

func (s *jsonScanner) digits() int {
	n := 0
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}

// null reads null if it comes next.
func (s *jsonScanner) null() bool {
	return s.peek() == 'n' && s.word("null")
}

// word reads w.
func (s *jsonScanner) word(w string) bool {
	if len(s.b)-s.i < len(w) || string(s.b[s.i:s.i+len(w)]) != w {
		return false
	}
	s.i += len(w)
	return true
}

func (s *jsonScanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jsonScanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// ws passes over whitespace as JSON defines it.
func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}
