package feeds

import (
	"testing"
	"time"
)

// TestCanonicalURLTwiceEscapedAmpersand: a link the feed escaped twice
// ("&amp;amp;" in the XML) reaches CanonicalURL with "&amp;" between its
// query pairs. It is the same article as the link escaped once: its
// tracking parameters go and its other parameters keep their names.
func TestCanonicalURLTwiceEscapedAmpersand(t *testing.T) {
	for raw, want := range map[string]string{
		"https://ex.org/a?id=1&amp;utm_source=rss":               "https://ex.org/a?id=1",
		"https://ex.org/a?utm_source=rss&amp;id=1":               "https://ex.org/a?id=1",
		"https://ex.org/a?id=1&amp;amp;utm_medium=feed":          "https://ex.org/a?id=1",
		"https://ex.org/a?page=2&AMP;id=1&amp;utm_campaign=1130": "https://ex.org/a?id=1&page=2",
	} {
		got, err := CanonicalURL(raw, "")
		if err != nil || got != want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}

	// End to end: the same article in an outlet's two feeds, one escaping
	// its links once and one twice, has one URL; a feed without GUIDs
	// whose campaign parameter changes every day keeps its items' IDs.
	doc := func(link string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://ex.org/</link>
<item><title>Envoy meets delegation</title><link>` + link + `</link><description>The envoy met the delegation.</description></item>
</channel></rss>`)
	}
	opts := ParseOptions{Feed: "f", FeedURL: "https://ex.org/rss", Now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	var ids []string
	for _, link := range []string{
		"https://ex.org/news?id=7&amp;utm_source=rss",
		"https://ex.org/news?id=7&amp;amp;utm_source=rss&amp;amp;utm_campaign=1130",
		"https://ex.org/news?id=7&amp;amp;utm_source=rss&amp;amp;utm_campaign=1201",
	} {
		p, err := Parse(doc(link), opts)
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("Parse: %v, %d items", err, len(p.Items))
		}
		if it := p.Items[0]; it.URL != "https://ex.org/news?id=7" {
			t.Errorf("link %s: URL %q, want https://ex.org/news?id=7", link, it.URL)
		}
		ids = append(ids, p.Items[0].ID)
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Errorf("IDs %q: one item, one ID", ids)
	}
}
