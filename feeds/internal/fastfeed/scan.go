package fastfeed

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The scanner reads the document as encoding/xml does in the non-strict
// mode gofeed sets, for the documents it accepts; anything else fails it
// (fail), and the caller falls back to gofeed. It never decodes more than
// it is asked to: element text is handed on raw, as gofeed's ParseText
// takes it (",innerxml").

type tokKind int

const (
	tokFail tokKind = iota
	tokStart
	tokEnd
)

// attr is one attribute of the start tag last read: its qualified name
// and its raw value (between the quotes).
type attr struct {
	name, local []byte
	val         []byte
}

// binding is a namespace declaration in scope, made at element depth depth.
type binding struct {
	prefix string
	uri    string
	depth  int
}

type scanner struct {
	b   []byte
	pos int

	// The start tag last read.
	name, prefix, local []byte
	attrs               []attr
	innerStart          int  // just after its '>'
	tokStart            int  // where the last tag read began ('<')
	pendingEnd          bool // it was self-closing: its end is the next tag

	open  [][]byte // qualified names of the open elements
	ns    []binding
	cdata int // CDATA sections read
	why   string
}

// fail records why the document is left to gofeed; the first reason stays.
func (s *scanner) fail(why string) tokKind {
	if s.why == "" {
		s.why = why
	}
	return tokFail
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameStart(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

// readName reads an ASCII XML name with at most one colon, inside it, at
// s.pos; nil when there is none (or one encoding/xml might read otherwise).
func (s *scanner) readName() (name []byte, colon int) {
	i := s.pos
	if i >= len(s.b) || !isNameStart(s.b[i]) {
		return nil, 0
	}
	colon = -1
	for i++; i < len(s.b) && isNameByte(s.b[i]); i++ {
		if s.b[i] == ':' {
			if colon >= 0 {
				return nil, 0
			}
			colon = i - s.pos
		}
	}
	if i >= len(s.b) || s.b[i] >= utf8.RuneSelf || colon == i-s.pos-1 {
		return nil, 0
	}
	name = s.b[s.pos:i]
	s.pos = i
	return name, colon
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.b) && isSpace(s.b[s.pos]) {
		s.pos++
	}
}

// next reads on to the next start or end tag, past text, comments and
// CDATA sections. An end tag must close the innermost open element.
func (s *scanner) next() tokKind {
	if s.pendingEnd {
		s.pendingEnd = false
		s.popNS()
		return tokEnd
	}
	for {
		lt := bytes.IndexByte(s.b[s.pos:], '<')
		if lt < 0 {
			return s.fail("unclosed element")
		}
		s.pos += lt
		s.tokStart = s.pos
		rest := s.b[s.pos:]
		if len(rest) < 2 {
			return s.fail("unexpected end")
		}
		switch rest[1] {
		case '/':
			s.pos += 2
			name, _ := s.readName()
			if name == nil {
				return s.fail("bad end tag")
			}
			s.skipSpace()
			if s.pos >= len(s.b) || s.b[s.pos] != '>' {
				return s.fail("bad end tag")
			}
			s.pos++
			if len(s.open) == 0 || !bytes.Equal(s.open[len(s.open)-1], name) {
				return s.fail("mismatched end tag")
			}
			s.open = s.open[:len(s.open)-1]
			s.popNS()
			return tokEnd
		case '!':
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				if !s.comment() {
					return tokFail
				}
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				end := bytes.Index(rest[9:], []byte("]]>"))
				if end < 0 {
					return s.fail("unclosed CDATA")
				}
				s.cdata++
				s.pos += 9 + end + 3
			default:
				return s.fail("directive")
			}
		case '?':
			return s.fail("processing instruction in an element")
		default:
			return s.startTag()
		}
	}
}

// comment reads past the comment at s.pos: encoding/xml ends it at the
// first "--", which must be followed by '>'.
func (s *scanner) comment() bool {
	rest := s.b[s.pos:]
	end := bytes.Index(rest[4:], []byte("--"))
	if end < 0 || 4+end+2 >= len(rest) || rest[4+end+2] != '>' {
		s.fail("bad comment")
		return false
	}
	s.pos += 4 + end + 3
	return true
}

// maxAttrs is the most attributes a start tag may have.
const maxAttrs = 64

// startTag reads a start tag at s.pos ('<').
func (s *scanner) startTag() tokKind {
	s.pos++
	name, colon := s.readName()
	if name == nil {
		return s.fail("bad element name")
	}
	s.name, s.prefix, s.local = name, nil, name
	if colon > 0 {
		s.prefix, s.local = name[:colon], name[colon+1:]
	}
	s.attrs = s.attrs[:0]
	for {
		s.skipSpace()
		if s.pos >= len(s.b) {
			return s.fail("unexpected end")
		}
		switch s.b[s.pos] {
		case '>':
			s.pos++
			s.innerStart = s.pos
			s.open = append(s.open, name)
			return s.pushNS(len(s.open))
		case '/':
			if s.pos+1 >= len(s.b) || s.b[s.pos+1] != '>' {
				return s.fail("bad empty element")
			}
			s.pos += 2
			s.innerStart = s.pos
			s.pendingEnd = true
			return s.pushNS(len(s.open) + 1)
		}
		an, acolon := s.readName()
		if an == nil {
			return s.fail("bad attribute name")
		}
		a := attr{name: an, local: an}
		if acolon > 0 {
			a.local = an[acolon+1:]
		}
		s.skipSpace()
		if s.pos >= len(s.b) || s.b[s.pos] != '=' {
			return s.fail("attribute without value")
		}
		s.pos++
		s.skipSpace()
		if s.pos >= len(s.b) || s.b[s.pos] != '"' && s.b[s.pos] != '\'' {
			return s.fail("unquoted attribute")
		}
		q := s.b[s.pos]
		s.pos++
		end := bytes.IndexByte(s.b[s.pos:], q)
		if end < 0 {
			return s.fail("unexpected end")
		}
		a.val = s.b[s.pos : s.pos+end]
		if bytes.IndexByte(a.val, '<') >= 0 {
			return s.fail("< in attribute")
		}
		s.pos += end + 1
		if len(s.attrs) >= maxAttrs {
			return s.fail("too many attributes") // the check below is quadratic
		}
		for _, o := range s.attrs {
			if bytes.Equal(o.local, a.local) {
				return s.fail("repeated attribute")
			}
		}
		if acolon > 0 && string(a.local) == "base" {
			return s.fail("xml:base")
		}
		s.attrs = append(s.attrs, a)
	}
}

// The namespace URIs whose canonical prefixes name the extensions gofeed's
// translators read, and those names.
const (
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsAtom03  = "http://purl.org/atom/ns#"
	nsITunes1 = "http://www.itunes.com/DTDs/PodCast-1.0.dtd"
	nsITunes2 = "http://example.com/DTDs/PodCast-1.0.dtd"
)

// extKey is the extension key gofeed files an element of namespace uri
// under when it is one the translators read, else "".
func extKey(uri string) string {
	switch uri {
	case nsContent:
		return "content"
	case nsDC:
		return "dc"
	case nsAtom:
		return "atom"
	case nsAtom03:
		return "atom03"
	case nsITunes1, nsITunes2:
		return "itunes"
	}
	return ""
}

func isReadKey(s string) bool {
	switch s {
	case "content", "dc", "atom", "atom10", "atom03", "itunes":
		return true
	}
	return false
}

// pushNS takes the namespace declarations of the start tag just read, an
// element at depth depth.
// gofeed files an extension element under its namespace's canonical
// prefix, or else under a prefix the document declared for it, or else
// under the URI: a declaration that could make a key the translators read
// out of an unknown namespace fails, as do empty or padded URIs.
func (s *scanner) pushNS(depth int) tokKind {
	for _, a := range s.attrs {
		var prefix string
		switch {
		case string(a.name) == "xmlns":
		case len(a.name) > 6 && string(a.name[:6]) == "xmlns:":
			prefix = string(a.local)
			if prefix == "xml" || prefix == "xmlns" {
				return s.fail("xml or xmlns prefix declared")
			}
		default:
			continue
		}
		uri, ok := xmlUnescape(a.val)
		if !ok || uri == "" || isSpace(uri[0]) || isSpace(uri[len(uri)-1]) || isReadKey(uri) ||
			isReadKey(prefix) && extKey(uri) == "" {
			return s.fail("namespace declaration")
		}
		s.ns = append(s.ns, binding{prefix: prefix, uri: uri, depth: depth})
	}
	return tokStart
}

// popNS drops the declarations of the element just ended.
func (s *scanner) popNS() {
	n := len(s.ns)
	for n > 0 && s.ns[n-1].depth > len(s.open) {
		n--
	}
	s.ns = s.ns[:n]
}

// space is the namespace URI of the start tag just read, as encoding/xml
// resolves it; ok false for a prefix it leaves unresolved.
func (s *scanner) space() (uri string, ok bool) {
	for i := len(s.ns) - 1; i >= 0; i-- {
		if s.ns[i].prefix == string(s.prefix) {
			return s.ns[i].uri, true
		}
	}
	return "", len(s.prefix) == 0
}

// attrVal is the decoded value of the start tag's attribute of this local
// name (whatever its prefix, as gofeed reads attributes), "" when missing;
// ok false when it holds what xmlUnescape does not decode.
func (s *scanner) attrVal(local string) (string, bool) {
	for _, a := range s.attrs {
		if string(a.local) == local {
			return xmlUnescape(a.val)
		}
	}
	return "", true
}

// skip reads past the end of the element whose start tag was just read.
func (s *scanner) skip() bool {
	_, ok := s.inner()
	return ok
}

// inner reads past the end of the element whose start tag was just read
// and returns its content as written, what encoding/xml's ",innerxml"
// gives.
func (s *scanner) inner() ([]byte, bool) {
	start := s.innerStart
	if s.pendingEnd {
		s.pendingEnd = false
		s.popNS()
		return nil, true
	}
	for depth := 0; ; {
		switch s.next() {
		case tokStart:
			if s.pendingEnd {
				s.pendingEnd = false
				s.popNS()
			} else {
				depth++
			}
		case tokEnd:
			if depth == 0 {
				return s.b[start:s.tokStart], true
			}
			depth--
		default:
			return nil, false
		}
	}
}

// text reads past the end of the element whose start tag was just read
// and returns its text as gofeed's extension parser gathers it: the
// character data directly inside it, decoded as encoding/xml decodes it,
// trimmed. ok false for text xmlUnescape does not decode.
func (s *scanner) text() (string, bool) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.popNS()
		return "", true
	}
	var out []byte
	for {
		lt := bytes.IndexByte(s.b[s.pos:], '<')
		if lt < 0 {
			s.fail("unclosed element")
			return "", false
		}
		if lt > 0 {
			t, ok := xmlUnescape(s.b[s.pos : s.pos+lt])
			if !ok {
				s.fail("extension text")
				return "", false
			}
			out = append(out, t...)
		}
		s.pos += lt
		if bytes.HasPrefix(s.b[s.pos:], []byte("<!--")) {
			if !s.comment() {
				return "", false
			}
			continue
		}
		if bytes.HasPrefix(s.b[s.pos:], []byte("<![CDATA[")) {
			end := bytes.Index(s.b[s.pos+9:], []byte("]]>"))
			if end < 0 {
				s.fail("unclosed CDATA")
				return "", false
			}
			out = appendNewlines(out, s.b[s.pos+9:s.pos+9+end])
			s.cdata++
			s.pos += 9 + end + 3
			continue
		}
		switch s.next() {
		case tokStart:
			if !s.skip() {
				return "", false
			}
		case tokEnd:
			return strings.TrimSpace(string(out)), true
		default:
			return "", false
		}
	}
}
