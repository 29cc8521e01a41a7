package feeds

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html/charset"
)

// acceptHTML is the Accept header of article requests.
const acceptHTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

// FetchArticle fetches an article page with the fetcher's limits and
// returns its main text as plain text (boilerplate, menus and comments
// removed by a Readability port). No per-feed headers are sent: they may be
// credentials meant for the feed's host only. The links come from
// third-party feeds, so unless allowPrivate (a feed on an intranet) pages on
// loopback, private, link-local (cloud metadata) or unspecified addresses
// are refused, checked when connecting, so redirects and DNS answers that
// change are covered too; only http(s) pages are fetched.
func (f *Fetcher) FetchArticle(ctx context.Context, pageURL string, allowPrivate bool) (string, error) {
	if u, err := url.Parse(pageURL); err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("article %s: not an http(s) URL", RedactRawURL(pageURL))
	}
	resp, err := f.Fetch(ctx, Request{URL: pageURL, Accept: acceptHTML, PublicOnly: !allowPrivate})
	if err != nil {
		return "", err
	}
	base, err := url.Parse(resp.URL)
	if err != nil || resp.URL == "" {
		base, _ = url.Parse(pageURL)
	}
	// The charset of the header, else of the page's <meta>, else sniffed.
	body, err := charset.NewReader(bytes.NewReader(resp.Body), resp.ContentType)
	if err != nil {
		return "", fmt.Errorf("article %s: %w", RedactURL(base), err)
	}
	article, err := readability.FromReader(body, base)
	if err != nil {
		return "", fmt.Errorf("article %s: %w", RedactURL(base), err)
	}
	if article.Node == nil {
		return "", fmt.Errorf("article %s: no main text found", RedactURL(base))
	}
	var b strings.Builder
	if err := article.RenderText(&b); err != nil {
		return "", fmt.Errorf("article %s: %w", RedactURL(base), err)
	}
	return DropBoilerplate(b.String()), nil
}
