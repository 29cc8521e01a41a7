package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// CommonFeedPaths are where sites often keep their feed, tried (at the
// site's root) when a page links none.
var CommonFeedPaths = []string{"/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml"}

// feedTypes are the link types of feeds, as pages announce them.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      false, // too vague alone
}

// ErrNoFeed means a web page links no feed and none sits at a common path.
var ErrNoFeed = errors.New("the page links no feed and none was found at /feed, /rss.xml, /atom.xml, /feed.xml or /index.xml")

// FeedLink is a feed a page announces with <link rel="alternate">.
type FeedLink struct {
	URL   string // absolute
	Type  string // application/rss+xml, application/atom+xml or application/feed+json
	Title string
}

// IsHTML reports whether a fetched body is a web page rather than a feed:
// it starts like HTML, or its Content-Type says HTML and it does not start
// like a feed (some servers send feeds as text/html).
func IsHTML(contentType string, body []byte) bool {
	head := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(head) > 512 {
		head = head[:512]
	}
	lower := bytes.ToLower(head)
	for _, p := range []string{"<!doctype html", "<html"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return true
		}
	}
	for _, p := range []string{"<?xml", "<rss", "<feed", "<rdf", "{"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return false
		}
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// FeedLinks returns the feeds an HTML page links as alternates, in page
// order, their hrefs resolved against pageURL (or the page's <base href>).
func FeedLinks(body []byte, pageURL string) []FeedLink {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	var out []FeedLink
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if a == atom.Body {
			return out // links belong in the head; a body may quote them
		}
		if (a != atom.Link && a != atom.Base) || !hasAttr {
			continue
		}
		attrs := map[string]string{}
		for {
			k, v, more := z.TagAttr()
			attrs[strings.ToLower(string(k))] = strings.TrimSpace(string(v))
			if !more {
				break
			}
		}
		if a == atom.Base {
			if u, err := base.Parse(attrs["href"]); err == nil && attrs["href"] != "" {
				base = u
			}
			continue
		}
		typ := strings.ToLower(attrs["type"])
		if i := strings.IndexByte(typ, ';'); i >= 0 {
			typ = strings.TrimSpace(typ[:i])
		}
		if !hasToken(attrs["rel"], "alternate") || !feedTypes[typ] || attrs["href"] == "" {
			continue
		}
		u, err := base.Parse(attrs["href"])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		u.Fragment = ""
		if seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		out = append(out, FeedLink{URL: u.String(), Type: typ, Title: attrs["title"]})
	}
}

// hasToken reports whether a space-separated list holds tok (any case).
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// Discovery is what a URL turned out to be.
type Discovery struct {
	FeedURL  string     // the feed to poll: the URL itself, or the feed found for its page
	Page     bool       // the URL is a web page
	How      string     // "" (the URL is a feed), "linked" (an alternate link) or "common path"
	Title    string     // the feed's title
	Items    int        // items in the feed now
	Links    []FeedLink // the page's alternate feeds (Page only)
	Response *Response  // the feed's response
}

// Discover fetches rawURL and says which feed it is: the URL itself when it
// is a feed; for a web page the first feed it links as an alternate that
// fetches and parses, else the first common path (at the site's root) that
// does. Errors are a failed fetch of rawURL, or ErrNoFeed.
func (f *Fetcher) Discover(ctx context.Context, rawURL string, headers map[string]string) (*Discovery, error) {
	resp, err := f.Fetch(ctx, Request{URL: rawURL, Headers: headers})
	if err != nil {
		return nil, err
	}
	if !IsHTML(resp.ContentType, resp.Body) {
		p, err := Parse(resp.Body, ParseOptions{FeedURL: resp.URL, ContentType: resp.ContentType})
		if err != nil {
			return nil, err
		}
		return &Discovery{FeedURL: rawURL, Title: p.Title, Items: len(p.Items), Response: resp}, nil
	}
	d, err := f.FindFeed(ctx, resp, headers)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// FindFeed finds the feed of a fetched web page: the first of its
// alternate links that fetches and parses as a feed, else the first common
// path that does. headers go only to the page's own host.
func (f *Fetcher) FindFeed(ctx context.Context, page *Response, headers map[string]string) (*Discovery, error) {
	links := FeedLinks(page.Body, page.URL)
	pageURL, err := url.Parse(page.URL)
	if err != nil {
		return nil, fmt.Errorf("page url: %w", err)
	}
	try := func(raw, how string) *Discovery {
		h := headers
		if u, err := url.Parse(raw); err != nil || u.Host != pageURL.Host {
			h = nil
		}
		resp, err := f.Fetch(ctx, Request{URL: raw, Headers: h})
		if err != nil || resp.NotModified || IsHTML(resp.ContentType, resp.Body) {
			return nil
		}
		p, err := Parse(resp.Body, ParseOptions{FeedURL: raw, ContentType: resp.ContentType})
		if err != nil {
			return nil
		}
		return &Discovery{FeedURL: raw, Page: true, How: how, Title: p.Title, Items: len(p.Items), Links: links, Response: resp}
	}
	for _, l := range links {
		if d := try(l.URL, "linked"); d != nil {
			return d, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	for _, p := range CommonFeedPaths {
		if pageURL.Scheme != "http" && pageURL.Scheme != "https" {
			break
		}
		u := pageURL.ResolveReference(&url.URL{Path: p})
		if d := try(u.String(), "common path"); d != nil {
			return d, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	if len(links) > 0 {
		return nil, fmt.Errorf("the page links %d feeds and none of them could be read (first: %s)", len(links), RedactRawURL(links[0].URL))
	}
	return nil, ErrNoFeed
}
