package fastfeed

import (
	"time"

	"github.com/mmcdole/gofeed"
)

// RSS as gofeed's rss.Parser and DefaultRSSTranslator make it, for the
// fields wirewatch reads. Elements are told by their lower-cased local
// name within RSS's own namespaces; content:encoded and the Dublin Core,
// iTunes and Atom extensions by their namespace, as gofeed tells them.

const (
	nsRDF       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRSS10     = "http://purl.org/rss/1.0/"
	nsRSS09     = "http://channel.netscape.com/rdf/simple/0.9/"
	nsRSS09Alt  = "http://my.netscape.com/rdf/simple/0.9/"
	maxNameSize = 16
)

func rssNative(uri string) bool {
	switch uri {
	case "", nsRDF, nsRSS10, nsRSS09, nsRSS09Alt:
		return true
	}
	return false
}

// lower is the start tag's local name in lower case, "" when longer than
// any name looked for.
func (s *scanner) lower(buf *[maxNameSize]byte) []byte {
	if len(s.local) > maxNameSize {
		return nil
	}
	for i, c := range s.local {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(s.local)]
}

// atomExt holds the first value of each Atom element the translator reads
// from an RSS item, for one extension key (atom, atom03).
type atomExt struct {
	content, summary, updated, published        string
	hasContent, hasSummary, hasUpdated, hasPubl bool
	linkHref                                    string // the first rel="" or "alternate" link's (channel)
	hasLink                                     bool
}

// rssItem is what gofeed's rss.Item holds of an item, for the translator.
type rssItem struct {
	title, desc, content, link, guid string
	links                            []string
	pubParsed                        *time.Time
	dcTitle, dcDesc, dcDate          string
	hasDCDesc, hasDCDate, hasDCTitle bool
	itunesSummary                    string
	hasITunesSummary                 bool
	atom                             [2]atomExt
}

// ext reads an extension element of key k (the start tag just read) into
// it, for an item (channel false) or the channel.
func (s *scanner) ext(k string, it *rssItem, channel bool) bool {
	local := string(s.local)
	var dst *string
	var has *bool
	switch k {
	case "dc":
		switch local {
		case "title":
			dst, has = &it.dcTitle, &it.hasDCTitle
		case "description":
			dst, has = &it.dcDesc, &it.hasDCDesc
		case "date":
			dst, has = &it.dcDate, &it.hasDCDate
		}
	case "itunes":
		if local == "summary" {
			dst, has = &it.itunesSummary, &it.hasITunesSummary
		}
	case "atom", "atom03":
		a := &it.atom[0]
		if k == "atom03" {
			a = &it.atom[1]
		}
		switch local {
		case "content":
			dst, has = &a.content, &a.hasContent
		case "summary":
			dst, has = &a.summary, &a.hasSummary
		case "updated":
			dst, has = &a.updated, &a.hasUpdated
		case "published":
			dst, has = &a.published, &a.hasPubl
		case "link":
			if channel && !a.hasLink {
				rel, ok1 := s.attrVal("rel")
				href, ok2 := s.attrVal("href")
				if !ok1 || !ok2 {
					s.fail("atom:link attributes")
					return false
				}
				if rel == "" || rel == "alternate" {
					a.linkHref, a.hasLink = uriAttr(href), true
				}
			}
		}
	}
	if dst == nil || *has {
		return s.skip()
	}
	v, ok := s.text()
	*dst, *has = v, true
	return ok
}

// parseRSS reads an RSS document whose root start tag was just read.
func (s *scanner) parseRSS() (*gofeed.Feed, bool) {
	var buf [maxNameSize]byte
	if uri, ok := s.space(); !ok || !rssNative(uri) {
		s.fail("root namespace")
		return nil, false
	}
	feed := &gofeed.Feed{}
	var ch rssItem // the channel's title, link and extensions
	channels := 0
	var items, rootItems []*gofeed.Item
	for {
		switch _, at := s.child(rssNative, nil); at {
		case childEnd:
			feed.Items = make([]*gofeed.Item, 0, len(items)+len(rootItems))
			feed.Items = append(append(feed.Items, items...), rootItems...)
			feed.Title = ch.title
			if feed.Title == "" {
				feed.Title = ch.dcTitle
			}
			feed.Link = ch.link
			for _, a := range ch.atom {
				if feed.Link == "" && a.hasLink {
					feed.Link = a.linkHref
					break
				}
			}
			return feed, true
		case childFail:
			return nil, false
		}
		var ok bool
		switch string(s.lower(&buf)) {
		case "channel":
			if channels++; channels > 1 {
				s.fail("two channels")
				return nil, false
			}
			if items, ok = s.channel(&ch); !ok {
				return nil, false
			}
		case "item":
			it, ok := s.item()
			if !ok {
				return nil, false
			}
			rootItems = append(rootItems, it)
		default:
			if !s.skip() {
				return nil, false
			}
		}
	}
}

// channel reads a channel's title, link, extensions and items.
func (s *scanner) channel(ch *rssItem) ([]*gofeed.Item, bool) {
	var buf [maxNameSize]byte
	var items []*gofeed.Item
	ext := func(uri string) bool { return s.ext(extKey(uri), ch, true) }
	for {
		switch _, at := s.child(rssNative, ext); at {
		case childEnd:
			return items, true
		case childFail:
			return nil, false
		}
		var ok bool
		switch string(s.lower(&buf)) {
		case "title":
			var raw []byte
			if raw, ok = s.inner(); ok {
				ch.title = parseText(raw)
			}
		case "link":
			ch.link, ok = s.rssLink()
		case "item":
			var it *gofeed.Item
			if it, ok = s.item(); ok {
				items = append(items, it)
			}
		default:
			ok = s.skip()
		}
		if !ok {
			return nil, false
		}
	}
}

// rssLink is gofeed's parseLink: the text, else the href.
func (s *scanner) rssLink() (string, bool) {
	href, ok := s.attrVal("href")
	if !ok {
		s.fail("link href")
		return "", false
	}
	raw, ok := s.inner()
	if !ok {
		return "", false
	}
	if link := parseText(raw); link != "" || href == "" {
		return link, true
	}
	return uriAttr(href), true
}

// item reads an item and translates it.
func (s *scanner) item() (*gofeed.Item, bool) {
	var buf [maxNameSize]byte
	var it rssItem
	other := func(uri string) bool {
		if uri == nsContent && string(s.lower(&buf)) == "encoded" {
			raw, ok := s.inner()
			it.content = parseText(raw)
			return ok
		}
		return s.ext(extKey(uri), &it, false)
	}
	for {
		switch _, at := s.child(rssNative, other); at {
		case childEnd:
			return s.translateItem(&it)
		case childFail:
			return nil, false
		}
		var ok bool
		switch name := string(s.lower(&buf)); name {
		case "title", "description", "guid", "pubdate":
			raw, ok := s.inner()
			if !ok {
				return nil, false
			}
			v := parseText(raw)
			switch name {
			case "title":
				it.title = v
			case "description":
				it.desc = v
			case "guid":
				it.guid = v
			case "pubdate":
				if v != "" { // gofeed keeps the last date it could parse
					t, ok := parseDateUTC(v)
					if !ok {
						s.fail("pubDate " + v)
						return nil, false
					}
					it.pubParsed = t
				}
			}
		case "link":
			if it.link, ok = s.rssLink(); !ok {
				return nil, false
			}
			it.links = append(it.links, it.link)
		default:
			if !s.skip() {
				return nil, false
			}
		}
	}
}

// atomValue is the translator's atomExtValue.
func (it *rssItem) atomValue(field func(*atomExt) (string, bool)) string {
	for i := range it.atom {
		if v, ok := field(&it.atom[i]); ok {
			return v
		}
	}
	return ""
}

// translateItem is DefaultRSSTranslator's translateFeedItem, for the
// fields wirewatch reads.
func (s *scanner) translateItem(it *rssItem) (*gofeed.Item, bool) {
	out := &gofeed.Item{Title: it.title, Link: it.link, GUID: it.guid, Content: it.content, Links: it.links}
	if out.Title == "" {
		out.Title = it.dcTitle
	}
	switch {
	case it.desc != "":
		out.Description = it.desc
	case it.hasDCDesc:
		out.Description = it.dcDesc
	default:
		out.Description = it.itunesSummary
	}
	if out.Description == "" {
		out.Description = it.atomValue(func(a *atomExt) (string, bool) { return a.summary, a.hasSummary })
	}
	if out.Content == "" {
		out.Content = it.atomValue(func(a *atomExt) (string, bool) { return a.content, a.hasContent })
	}
	date := func(text string) (*time.Time, bool) {
		if text == "" {
			return nil, true
		}
		t, ok := parseDate(text)
		if !ok {
			s.fail("date " + text)
			return nil, false
		}
		return &t, true
	}
	updated := it.dcDate
	if updated == "" {
		updated = it.atomValue(func(a *atomExt) (string, bool) { return a.updated, a.hasUpdated })
	}
	var ok bool
	if out.UpdatedParsed, ok = date(updated); !ok {
		return nil, false
	}
	out.PublishedParsed = it.pubParsed
	if out.PublishedParsed == nil {
		published := it.dcDate
		if published == "" {
			published = it.atomValue(func(a *atomExt) (string, bool) { return a.published, a.hasPubl })
		}
		if out.PublishedParsed, ok = date(published); !ok {
			return nil, false
		}
	}
	return out, true
}
