package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// BenchmarkIngestFarm measures bench/capacity's first pass without its
// fetching: the documents of 1,000 farm feeds of 20 items of 0.7–1.2 KB (the
// issue's shape) parsed, then ingested in publication order,
// schedule.BatchItems a transaction as `once` does, into a new store with
// 200 phrase rules. Its
// figure is new items per second on one goroutine (run with GOMAXPROCS=1
// for CPU-seconds); it varies less than the capacity command's, which
// also counts the network and the dispatcher.
func BenchmarkIngestFarm(b *testing.B) {
	feedCount, batch := 1000, schedule.BatchItems
	if testing.Short() {
		feedCount = 200
	}
	fm, err := farm.Start(farm.Options{Feeds: feedCount, Seed: 1, MinItems: 20, MaxItems: 20, MinBytes: 700, MaxBytes: 1200})
	if err != nil {
		b.Fatal(err)
	}
	defer fm.Close()
	bodies := make([][]byte, feedCount)
	fl := make([]bot.Feed, feedCount)
	for i := range bodies {
		bodies[i] = fm.Body(i)
		fl[i] = bot.Feed{Name: fmt.Sprintf("f%d", i), URL: fm.URL(i), MaxAge: 48 * time.Hour}
	}
	var rs []bot.Rule
	for i, q := range farm.RuleQueries(200, false) {
		rs = append(rs, bottest.MustRule(b, fmt.Sprintf("r%d", i), q, bot.ModeAlert, "out"))
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	items := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db := storetest.MustOpen(b)
		p := bot.NewPipeline(db, stories.NewSimilar(stories.SimilarOptions{}), rs, log, time.Now)
		p.SetFeeds(fl)
		b.StartTimer()
		var entries []bot.Entry
		res := make([]bot.IngestResult, feedCount)
		for i, body := range bodies {
			parsed, err := feeds.Parse(body, feeds.ParseOptions{Feed: fl[i].Name, FeedURL: fl[i].URL, Now: time.Now()})
			if err != nil {
				b.Fatal(err)
			}
			for j := range parsed.Items {
				entries = append(entries, bot.Entry{Feed: fl[i], Item: &parsed.Items[j], Result: &res[i]})
			}
		}
		slices.SortStableFunc(entries, func(x, y bot.Entry) int { return x.Item.Published.Compare(y.Item.Published) })
		for lo := 0; lo < len(entries); lo += batch {
			if err := p.IngestBatch(ctx, entries[lo:min(lo+batch, len(entries))], nil); err != nil {
				b.Fatal(err)
			}
		}
		items += len(entries)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}
