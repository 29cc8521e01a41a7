package fastfeed

import (
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Atom as gofeed's atom.Parser and DefaultAtomTranslator make it, for the
// fields wirewatch reads. Elements are told by their lower-cased local
// name within Atom's namespaces (1.0, 0.3 or none); others are extensions,
// which the translator does not read for these fields.

func atomNative(uri string) bool {
	return uri == "" || uri == nsAtom || uri == nsAtom03
}

// atomLink is an Atom link's rel (gofeed's default "alternate") and href.
type atomLink struct{ rel, href string }

// link reads the link whose start tag was just read.
func (s *scanner) link() (atomLink, bool) {
	rel, ok1 := s.attrVal("rel")
	href, ok2 := s.attrVal("href")
	if !ok1 || !ok2 {
		s.fail("link attributes")
		return atomLink{}, false
	}
	if rel == "" {
		rel = "alternate"
	}
	return atomLink{rel: rel, href: uriAttr(href)}, s.skip()
}

// atomText is gofeed's parseAtomText of the element whose start tag was
// just read, for text, html without markup, and CDATA; uri for the
// elements whose value gofeed resolves as a URI (id).
func (s *scanner) atomText(uri bool) (string, bool) {
	typ, ok1 := s.attrVal("type")
	mode, ok2 := s.attrVal("mode")
	if !ok1 || !ok2 {
		s.fail("text construct attributes")
		return "", false
	}
	raw, ok := s.inner()
	if !ok {
		return "", false
	}
	result := strings.TrimSpace(string(raw))
	typ, mode = strings.ToLower(typ), strings.ToLower(mode)
	switch {
	case strings.Contains(result, cdataStart):
		result = stripCDATA(result) // and ResolveHTML, which without xml:base changes nothing
	case typ == "text" || strings.HasPrefix(typ, "text/") || typ == "" && mode == "":
		result = decodeEntities(result)
	case typ == "html" && !strings.Contains(result, "<"):
		// stripWrappingDiv finds no element in it and keeps it.
		result = decodeEntities(result)
	default:
		s.fail("atom text of type " + typ + " mode " + mode)
		return "", false
	}
	if uri {
		if u, err := url.Parse(strings.TrimLeft(result, " ")); err == nil {
			result = u.String()
		}
	}
	return result, true
}

// parseAtom reads an Atom document whose root start tag was just read.
func (s *scanner) parseAtom() (*gofeed.Feed, bool) {
	var buf [maxNameSize]byte
	feed := &gofeed.Feed{Items: []*gofeed.Item{}}
	linkFound := false
	for {
		switch _, at := s.child(atomNative, nil); at {
		case childEnd:
			return feed, true
		case childFail:
			return nil, false
		}
		var ok bool
		switch string(s.lower(&buf)) {
		case "title":
			feed.Title, ok = s.atomText(false)
		case "link":
			var l atomLink
			if l, ok = s.link(); ok && !linkFound && l.rel == "alternate" {
				feed.Link, linkFound = l.href, true
			}
		case "entry":
			var it *gofeed.Item
			if it, ok = s.entry(); ok {
				feed.Items = append(feed.Items, it)
			}
		default:
			ok = s.skip()
		}
		if !ok {
			return nil, false
		}
	}
}

// entry reads an entry and translates it (DefaultAtomTranslator's
// translateFeedItem).
func (s *scanner) entry() (*gofeed.Item, bool) {
	var buf [maxNameSize]byte
	it := &gofeed.Item{}
	var published *time.Time
	linkFound := false
	for {
		switch _, at := s.child(atomNative, nil); at {
		case childEnd:
			it.PublishedParsed = published
			if published == nil {
				it.PublishedParsed = it.UpdatedParsed
			}
			return it, true
		case childFail:
			return nil, false
		}
		var ok bool
		switch name := string(s.lower(&buf)); name {
		case "title":
			it.Title, ok = s.atomText(false)
		case "id":
			it.GUID, ok = s.atomText(true)
		case "summary":
			it.Description, ok = s.atomText(false)
		case "content":
			it.Content, ok = s.atomText(false)
		case "updated", "modified", "published", "issued":
			var text string
			var t *time.Time
			if text, ok = s.atomText(false); ok && text != "" {
				if t, ok = parseDateUTC(text); !ok {
					s.fail("date " + text)
				}
			}
			if name == "updated" || name == "modified" {
				it.UpdatedParsed = t
			} else {
				published = t
			}
		case "link":
			var l atomLink
			if l, ok = s.link(); ok {
				if !linkFound && l.rel == "alternate" {
					it.Link, linkFound = l.href, true
				}
				if l.rel == "alternate" || l.rel == "self" {
					it.Links = append(it.Links, l.href)
				}
			}
		default:
			ok = s.skip()
		}
		if !ok {
			return nil, false
		}
	}
}
