//go:build unix

package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/jsonl"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// BenchmarkDispatch measures the dispatcher's deliveries per CPU-second:
// an update of each of 20 stories per op, the stories of a usual size (5
// outlets) or large (200: a story the whole press reports), each item with
// a text of a few KB, sent to a JSON line (no snippet) or to a chat
// channel (with its snippet).
func BenchmarkDispatch(b *testing.B) {
	for _, size := range []int{5, 200} {
		for _, snippets := range []bool{false, true} {
			b.Run(fmt.Sprintf("items=%d/snippets=%v", size, snippets), func(b *testing.B) {
				benchDispatch(b, size, snippets)
			})
		}
	}
}

func benchDispatch(b *testing.B, size int, snippets bool) {
	const stories = 20
	ctx := context.Background()
	db := storetest.MustOpen(b)
	clk := storetest.NewClock(bottest.Start())
	rs := []bot.Rule{bottest.MustRule(b, "kabulov", "kabulov", bot.ModeAlert, "out")}
	text := strings.Repeat("Moscow will keep working with the Taliban, Zamir Kabulov said on Tuesday. ", 50)
	var ids []int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for s := range stories {
			id, err := tx.CreateStory(ctx, headline, fmt.Sprint(s), clk.Now())
			if err != nil {
				return err
			}
			for i := range size {
				it := feeds.Item{Feed: "f", ID: fmt.Sprintf("%d-%d", s, i), URL: fmt.Sprintf("https://o%d.com/%d", i, s),
					Title: headline, Text: text, Source: fmt.Sprintf("o%d.com", i), Published: clk.Now().Add(time.Duration(i) * time.Minute)}
				it.Attribute()
				if _, err := tx.AddItem(ctx, &it, nil, id, clk.Now()); err != nil {
					return err
				}
			}
			if err := tx.AddStoryRule(ctx, id, "kabulov", clk.Now()); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var sender bot.Sender = jsonl.NewWriter(io.Discard)
	if snippets {
		sender = &bottest.Recorder{}
	}
	d := bot.NewDispatcher(db, rs, map[string]bot.Sender{"out": sender}, slog.New(slog.DiscardHandler), clk.Now)
	payload, _ := json.Marshal(bot.UpdatePayload{New: []string{"https://o1.com/0"}})
	var cpu time.Duration
	b.ResetTimer()
	for n := range b.N {
		b.StopTimer()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for _, id := range ids {
				del := &store.Delivery{Channel: "out", Kind: store.KindUpdate, StoryID: id, Seq: n + 1, Payload: payload, Created: clk.Now()}
				if err := tx.Enqueue(ctx, del); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if r, ok := sender.(*bottest.Recorder); ok {
			r.Msgs = nil
		}
		b.StartTimer()
		c0 := cpuTime()
		res, err := d.Flush(ctx, false)
		cpu += cpuTime() - c0
		if err != nil || res.Sent != stories {
			b.Fatalf("flush = %+v, %v; want %d sent", res, err, stories)
		}
	}
	b.ReportMetric(float64(b.N*stories)/cpu.Seconds(), "deliveries/cpu-s")
}

// cpuTime returns the CPU time the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
