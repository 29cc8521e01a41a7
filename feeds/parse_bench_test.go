package feeds_test

import (
	"testing"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/feeds"
)

// BenchmarkParse parses the feed farm's documents (RSS, Atom and JSON Feed
// in turn, items of 1–10 KB) into Items: gofeed and normalizing.
func BenchmarkParse(b *testing.B) {
	fm, err := farm.Start(farm.Options{Feeds: 30, Seed: 1, MaxItems: 40})
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
}
