package feeds_test

import (
	"testing"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/feeds"
)

// BenchmarkParse parses the feed farm's documents (RSS, Atom and JSON Feed
// in turn) into Items: gofeed and normalizing. "farm" has items of 1–10 KB,
// "capacity" the shape of the capacity figures in issue 16 (20 items of
// 700–1,200 bytes a feed).
func BenchmarkParse(b *testing.B) {
	for _, shape := range []struct {
		name string
		opts farm.Options
	}{
		{"farm", farm.Options{Feeds: 30, Seed: 1, MaxItems: 40}},
		{"capacity", farm.Options{Feeds: 60, Seed: 1, MinItems: 20, MaxItems: 20, MinBytes: 700, MaxBytes: 1200}},
	} {
		b.Run(shape.name, func(b *testing.B) {
			fm, err := farm.Start(shape.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer fm.Close()
			var docs [][]byte
			for i := range fm.Len() {
				docs = append(docs, fm.Body(i))
			}
			items := 0
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				p, err := feeds.Parse(docs[i%len(docs)], feeds.ParseOptions{Feed: "f", FeedURL: "https://example.org/feed"})
				if err != nil {
					b.Fatal(err)
				}
				items += len(p.Items)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(items), "µs/item")
		})
	}
}

// BenchmarkParseFeed reads the capacity shape's RSS and Atom documents
// into gofeed.Feeds, with fastfeed (parseFeed) and with gofeed's parsers
// (what parseFeed did before).
func BenchmarkParseFeed(b *testing.B) {
	fm, err := farm.Start(farm.Options{Feeds: 60, Seed: 1, MinItems: 20, MaxItems: 20, MinBytes: 700, MaxBytes: 1200})
	if err != nil {
		b.Fatal(err)
	}
	defer fm.Close()
	var docs [][]byte
	for i := range fm.Len() {
		if farm.Format(i%3) != farm.JSONFeed {
			docs = append(docs, fm.Body(i))
		}
	}
	for _, p := range []struct {
		name  string
		parse func([]byte) (int, error)
	}{
		{"fastfeed", feeds.ParseFeedItems},
		{"gofeed", feeds.GofeedItems},
	} {
		b.Run(p.name, func(b *testing.B) {
			items := 0
			for i := 0; b.Loop(); i++ {
				n, err := p.parse(docs[i%len(docs)])
				if err != nil {
					b.Fatal(err)
				}
				items += n
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(items), "µs/item")
		})
	}
}
