// Package fastfeed parses RSS and Atom documents in one pass over their
// bytes into the gofeed.Feed fields wirewatch reads: the feed's Title and
// Link; each item's Title, Description, Content, GUID, Link, Links,
// PublishedParsed and UpdatedParsed. These come out as gofeed's parsers
// and default translators make them, or not at all: a document with
// anything this package does not read exactly as gofeed does (a DOCTYPE,
// an unknown entity in text it decodes itself, xml:base, Atom xhtml, a
// date format outside the common ones, a namespace that could stand for
// an extension gofeed reads, markup encoding/xml would reject …) returns
// an error matching ErrFallback, and the caller parses it with gofeed.
// Every other field of the Feed is left empty.
package fastfeed

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/mmcdole/gofeed"
)

// ErrFallback is matched by every error of RSS and Atom: the document is
// one to parse with gofeed.
var ErrFallback = errors.New("fastfeed: left to gofeed")

// RSS parses an RSS 0.9x, 1.0 (RDF) or 2.0 document, body as decoded to
// UTF-8.
func RSS(body []byte) (*gofeed.Feed, error) { return parse(body, false) }

// Atom parses an Atom 1.0 (or 0.3) document, body as decoded to UTF-8.
func Atom(body []byte) (*gofeed.Feed, error) { return parse(body, true) }

func parse(body []byte, atom bool) (*gofeed.Feed, error) {
	if !validDoc(body) {
		return nil, fmt.Errorf("%w: characters", ErrFallback)
	}
	s := &scanner{b: body}
	if !s.prolog() {
		return nil, fmt.Errorf("%w: %s", ErrFallback, s.why)
	}
	local := string(s.local)
	var feed *gofeed.Feed
	var ok bool
	switch {
	case atom && strings.EqualFold(local, "feed"):
		feed, ok = s.parseAtom()
	case !atom && (strings.EqualFold(local, "rss") || strings.EqualFold(local, "rdf")):
		feed, ok = s.parseRSS()
	default:
		s.fail("root element " + local)
	}
	if !ok {
		if s.why == "" {
			s.why = "no reason given" // a bug: every failure says why
		}
		return nil, fmt.Errorf("%w: %s", ErrFallback, s.why)
	}
	// encoding/xml rejects "]]>" in text: here only CDATA sections end so.
	if bytes.Count(body, []byte(cdataEnd)) != s.cdata {
		return nil, fmt.Errorf("%w: ]]> outside CDATA", ErrFallback)
	}
	return feed, nil
}

// prolog reads up to the root element's start tag, inclusive: white space,
// byte order marks, comments and processing instructions (an XML
// declaration of version 1.0, or none, and of UTF-8, or none).
func (s *scanner) prolog() bool {
	for {
		for s.pos < len(s.b) {
			if isSpace(s.b[s.pos]) {
				s.pos++
			} else if bytes.HasPrefix(s.b[s.pos:], []byte("\uFEFF")) {
				s.pos += 3
			} else {
				break
			}
		}
		rest := s.b[s.pos:]
		switch {
		case len(rest) == 0 || rest[0] != '<':
			s.fail("text before the root element")
			return false
		case bytes.HasPrefix(rest, []byte("<?")):
			s.pos += 2
			target, _ := s.readName()
			if target == nil {
				s.fail("processing instruction")
				return false
			}
			s.skipSpace()
			end := bytes.Index(s.b[s.pos:], []byte("?>"))
			if end < 0 {
				s.fail("processing instruction")
				return false
			}
			if string(target) == "xml" {
				data := string(s.b[s.pos : s.pos+end])
				ver, enc := procInst("version", data), procInst("encoding", data)
				if ver != "" && ver != "1.0" || enc != "" && !strings.EqualFold(enc, "utf-8") {
					s.fail("XML declaration")
					return false
				}
			}
			s.pos += end + 2
		case bytes.HasPrefix(rest, []byte("<!--")):
			if !s.comment() {
				return false
			}
		case bytes.HasPrefix(rest, []byte("<!")):
			s.fail("directive")
			return false
		default:
			return s.startTag() == tokStart
		}
	}
}

// Results of child.
const (
	childStart = iota // a child of the format's own namespace: its start tag was read
	childEnd          // the element's end tag was read
	childFail         // the document is left to gofeed
)

// child reads to the next child of the element being read that native
// says is of the format's own namespace, and returns its namespace URI.
// A child of another namespace is handed to other (false: leave the
// document to gofeed), or passed over when other is nil.
func (s *scanner) child(native func(string) bool, other func(uri string) bool) (string, int) {
	for {
		switch s.next() {
		case tokEnd:
			return "", childEnd
		case tokStart:
		default:
			return "", childFail
		}
		uri, ok := s.space()
		if !ok {
			s.fail("undeclared prefix")
			return "", childFail
		}
		if native(uri) {
			return uri, childStart
		}
		if other == nil {
			ok = s.skip()
		} else {
			ok = other(uri)
		}
		if !ok {
			return "", childFail
		}
	}
}
