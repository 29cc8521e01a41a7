package feeds

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"

	"github.com/wirewatch/wirewatch/feeds/internal/fastfeed"
)

// maxFutureSkew is how far ahead of now a feed date may lie before it is
// taken as broken and replaced by the time first seen.
const maxFutureSkew = 24 * time.Hour

// minFeedDate is the earliest feed date taken as a date: before it is a
// feed's way of giving none (the Unix epoch, "Thu, 01 Jan 1970 00:00:00",
// in any zone), and the item is undated.
var minFeedDate = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)

// ParseOptions say where a feed document came from.
type ParseOptions struct {
	Feed    string // configured feed name → Item.Feed
	Source  string // configured outlet override ("" = derive)
	FeedURL string // where the feed was fetched from (base for relative links, last-resort source)
	// ContentType is the HTTP Content-Type the body came with, "" for
	// files: its charset is the first say on the body's encoding (ToUTF8).
	ContentType string
	Now         time.Time // "first seen" for undated items; zero means time.Now()
	// Unchanged holds the Digests of the last poll whose items were stored:
	// an entry among them is not normalized again (see unchanged.go).
	Unchanged []uint64
}

// Parsed is a feed document turned into Items.
type Parsed struct {
	Title    string // feed title, plain text
	SiteLink string // the feed's own site link, absolute ("" when missing or not http(s))
	Items    []Item // in document order, deduplicated by ID
	// Unchanged counts the entries left out of Items as unchanged since
	// the last poll (ParseOptions.Unchanged).
	Unchanged int
	// Digests are those of the entries in Items and of the unchanged ones,
	// sorted: once Items are stored, the next poll's Unchanged.
	Digests []uint64
}

// Parse reads an RSS, Atom or JSON Feed document into normalized Items,
// decoding it to UTF-8 first (ToUTF8).
// Entries without title, text and URL are skipped; of entries sharing an ID
// the first is kept.
func Parse(body []byte, opts ParseOptions) (*Parsed, error) {
	body, err := ToUTF8(body, opts.ContentType)
	if err != nil {
		return nil, fmt.Errorf("parse feed %q: %w", opts.Feed, err)
	}
	feed, err := parseFeed(body)
	if err != nil {
		return nil, fmt.Errorf("parse feed %q: %w", opts.Feed, err)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC()

	var x extractor
	out := &Parsed{Title: x.plainText(feed.Title)}
	if link := strings.TrimSpace(feed.Link); link != "" {
		if canon, err := CanonicalURL(link, opts.FeedURL); err == nil {
			out.SiteLink = canon
		}
	}
	base := out.SiteLink
	if base == "" {
		base = opts.FeedURL
	}
	siteSource := RegisteredDomain(out.SiteLink)

	seen := make(map[string]bool, len(feed.Items))
	for _, entry := range feed.Items {
		if entry == nil {
			continue
		}
		d := digest(entry)
		if guid := strings.TrimSpace(entry.GUID); unchanged(opts.Unchanged, d, guid, seen) {
			seen[guid] = true
			out.Unchanged++
			out.Digests = append(out.Digests, d)
			continue
		}
		it := buildItem(&x, entry, base, opts)
		if it.Title == "" && it.Text == "" && it.URL == "" {
			continue
		}
		if seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		out.Digests = append(out.Digests, d)

		switch {
		case opts.Source != "":
			it.Source = opts.Source
		case siteSource != "":
			it.Source = siteSource
		default:
			it.Source = RegisteredDomain(it.URL)
			if it.Source == "" {
				it.Source = RegisteredDomain(opts.FeedURL)
			}
		}
		it.Attribute()
		out.Items = append(out.Items, it)
	}
	slices.Sort(out.Digests)
	return out, nil
}

// detectionPeek is how much of a document gofeed's Parser.Parse looks at
// to tell its type.
const detectionPeek = 4096

// Items' images are never used: gofeed's look for one parses every RSS
// item's HTML into a tree. The translators keep no state.
var (
	rssTranslator  = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	atomTranslator = &gofeed.DefaultAtomTranslator{}
	jsonTranslator = &gofeed.DefaultJSONTranslator{}
)

// parseFeed is gofeed's Parser.Parse on body, without its copies of the
// document: it tells the type from the same first bytes, then hands the
// format's parser body itself rather than a buffered reader over it, and
// decodes a JSON Feed from body rather than from a buffer read full of it,
// in one pass (decodeJSONFeed). RSS and Atom are read by fastfeed, in one
// pass over the bytes, into the fields Parse reads (the rest left empty),
// unless it leaves the document to gofeed (fastfeed.ErrFallback).
func parseFeed(body []byte) (*gofeed.Feed, error) {
	switch gofeed.DetectFeedType(bytes.NewReader(body[:min(len(body), detectionPeek)])) {
	case gofeed.FeedTypeAtom:
		if f, err := fastfeed.Atom(body); err == nil {
			return f, nil
		}
		f, err := (&atom.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		return atomTranslator.Translate(f)
	case gofeed.FeedTypeRSS:
		if f, err := fastfeed.RSS(body); err == nil {
			return f, nil
		}
		f, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		return rssTranslator.Translate(f)
	case gofeed.FeedTypeJSON:
		f, err := decodeJSONFeed(body)
		if err != nil {
			return nil, err
		}
		return jsonTranslator.Translate(f)
	}
	return nil, gofeed.ErrFeedTypeNotDetected
}

// buildItem normalizes one entry, its text extracted with x; Source is
// left to the caller.
func buildItem(x *extractor, entry *gofeed.Item, base string, opts ParseOptions) Item {
	it := Item{
		Feed:  opts.Feed,
		Title: x.plainText(entry.Title),
	}
	// Some feeds put a teaser in the description and the article in the
	// content, others the reverse: keep the longer.
	it.Text = x.plainBody(entry.Description)
	if content := x.plainBody(entry.Content); len(content) > len(it.Text) {
		it.Text = content
	}

	guid := strings.TrimSpace(entry.GUID)
	for _, link := range entryLinks(entry, guid) {
		if canon, err := CanonicalURL(link, base); err == nil {
			it.URL = canon
			break
		}
	}

	it.Hash = EditHash(it.Title, it.Text)
	it.Credits = Credits(it.Title, it.Text)
	switch {
	case guid != "":
		it.ID = guid
	case it.URL != "":
		it.ID = it.URL
	default:
		it.ID = ContentHash(it.Title, it.Text) // what it always was: the ID must not change
	}

	it.Published, it.Dated = opts.Now, false
	for _, t := range []*time.Time{entry.PublishedParsed, entry.UpdatedParsed} {
		if t != nil && !t.IsZero() && !t.Before(minFeedDate) {
			it.Published, it.Dated = t.UTC(), true
			break
		}
	}
	if it.Dated && it.Published.After(opts.Now.Add(maxFutureSkew)) {
		it.Published, it.Dated = opts.Now, false // a broken clock, not news from tomorrow
	}
	return it
}

// entryLinks lists the candidates for an entry's URL, best first: its link,
// its other links, then a GUID that is an http(s) URL (an RSS permalink).
func entryLinks(entry *gofeed.Item, guid string) []string {
	var links []string
	if l := strings.TrimSpace(entry.Link); l != "" {
		links = append(links, l)
	}
	for _, l := range entry.Links {
		if l = strings.TrimSpace(l); l != "" {
			links = append(links, l)
		}
	}
	if g := strings.ToLower(guid); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		links = append(links, guid)
	}
	return links
}
