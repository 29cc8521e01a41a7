package feeds

import (
	"testing"
	"time"
)

// TestParseEpochDateIsNoDate: a CMS that has no date for an item writes
// the Unix epoch (in its own zone, too). The item is undated (first seen
// now), or dated by its other date, not news from 1970 that max_age
// keeps from ever alerting and that no story's window reaches.
func TestParseEpochDateIsNoDate(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	opts := ParseOptions{Feed: "f", FeedURL: "https://ex.org/rss", Now: now}
	rss := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://ex.org/</link>
<item><title>Envoy meets delegation</title><link>https://ex.org/a</link><pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate></item>
<item><title>Border talks resume</title><link>https://ex.org/b</link><pubDate>Thu, 01 Jan 1970 03:00:00 +0300</pubDate></item>
<item><title>Ministers sign accord</title><link>https://ex.org/c</link><pubDate>Wed, 31 Dec 1969 19:00:00 EST</pubDate></item>
</channel></rss>`)
	p, err := Parse(rss, opts)
	if err != nil || len(p.Items) != 3 {
		t.Fatalf("Parse: %v, %d items", err, len(p.Items))
	}
	for _, it := range p.Items {
		if it.Dated || !it.Published.Equal(now) {
			t.Errorf("%q: Published %v, Dated %v; want undated, first seen %v", it.Title, it.Published, it.Dated, now)
		}
	}

	modified := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	json := []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://ex.org/","items":[
{"id":"1","url":"https://ex.org/1","title":"Envoy meets delegation","date_published":"1970-01-01T00:00:00Z","date_modified":"2026-11-29T10:00:00Z"}]}`)
	if p, err = Parse(json, opts); err != nil || len(p.Items) != 1 {
		t.Fatalf("Parse JSON Feed: %v", err)
	}
	if it := p.Items[0]; !it.Dated || !it.Published.Equal(modified) {
		t.Errorf("JSON Feed item: Published %v, Dated %v; want its date_modified %v", it.Published, it.Dated, modified)
	}
}
