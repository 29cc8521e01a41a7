package bot_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// farmRig is one farm feed polled into a store whose one rule matches
// nearly every text, delivering to a recorder; its clock is set by tests.
type farmRig struct {
	farm   *farm.Farm
	feed   bot.Feed
	poller *bot.Poller
	disp   *bot.Dispatcher
	out    *bottest.Recorder
	now    time.Time
}

func newFarmRig(t *testing.T) *farmRig {
	t.Helper()
	fm, err := farm.Start(farm.Options{Feeds: 1, MaxItems: 8, MaxBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	r := &farmRig{farm: fm, out: &bottest.Recorder{}, now: time.Now().UTC()}
	clock := func() time.Time { return r.now }
	db := storetest.MustOpen(t)
	log := slog.New(slog.DiscardHandler)
	rs := []bot.Rule{bottest.MustRule(t, "any", "the OR said OR of OR to OR in OR and OR a", bot.ModeAlert, "desk")}
	pipeline := bot.NewPipeline(db, stories.Exact{Window: 72 * time.Hour}, rs, log, clock)
	r.poller = bot.NewPoller(db, feeds.NewFetcher(feeds.FetcherOptions{Transport: fm.Transport()}), pipeline, log, clock)
	r.disp = bot.NewDispatcher(db, rs, map[string]bot.Sender{"desk": r.out}, log, clock)
	sched, _ := cron.ParseStandard("@every 10m")
	r.feed = bot.Feed{Name: "f0", URL: fm.URL(0), Schedule: sched, MaxAge: 48 * time.Hour}
	return r
}

// poll polls the feed and delivers what it queued, returning the poll's
// result, its error and the messages sent.
func (r *farmRig) poll(t *testing.T) (bot.PollResult, error, int) {
	t.Helper()
	res, err := r.poller.Poll(context.Background(), r.feed)
	r.out.Msgs = nil
	if _, ferr := r.disp.Flush(context.Background(), false); ferr != nil {
		t.Fatal(ferr)
	}
	return res, err, len(r.out.Msgs)
}

func (r *farmRig) firstPoll(t *testing.T) {
	t.Helper()
	res, err, sent := r.poll(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.New == 0 || sent == 0 {
		t.Fatalf("first poll: got %d new items and %d messages, want some", res.New, sent)
	}
}

func TestFaultGUIDChangesEveryPollNoReAlert(t *testing.T) {
	r := newFarmRig(t)
	r.firstPoll(t)
	r.farm.SetFault(0, farm.GUIDChurn)
	for i := range 3 {
		r.now = r.now.Add(10 * time.Minute)
		res, err, sent := r.poll(t)
		if err != nil {
			t.Fatal(err)
		}
		if res.Alerts != 0 || res.Updates != 0 || sent != 0 {
			t.Errorf("poll %d with new GUIDs, same texts: got %d alerts, %d updates, %d messages, want none",
				i+2, res.Alerts, res.Updates, sent)
		}
	}
}

func TestFaultFeedGoesBackInTime(t *testing.T) {
	r := newFarmRig(t)
	r.firstPoll(t)
	r.farm.SetFault(0, farm.BackInTime) // its three newest items are gone
	r.now = r.now.Add(10 * time.Minute)
	res, err, sent := r.poll(t)
	if err != nil {
		t.Fatalf("an older document: %v", err)
	}
	if res.New != 0 || sent != 0 {
		t.Errorf("an older document: got %d new items, %d messages, want none", res.New, sent)
	}
	r.farm.SetFault(0, farm.None) // they are back
	r.now = r.now.Add(10 * time.Minute)
	res, err, sent = r.poll(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || sent != 0 {
		t.Errorf("the items back: got %d new items, %d messages, want none (seen before)", res.New, sent)
	}
}

func TestFault404ForADayThenBack(t *testing.T) {
	r := newFarmRig(t)
	r.firstPoll(t)
	r.farm.SetFault(0, farm.NotFound)
	start := r.now
	var last bot.PollResult
	polls := 0
	for r.now.Sub(start) < 24*time.Hour {
		res, err, sent := r.poll(t)
		if err == nil {
			t.Fatalf("poll at %v of a 404: no error", r.now.Sub(start))
		}
		if sent != 0 {
			t.Errorf("a failed poll sent %d messages", sent)
		}
		if !res.RetryAt.After(r.now) || res.RetryAt.Sub(r.now) > 6*time.Hour {
			t.Fatalf("failure %d: retry at %v, %v from now, want within 6h", res.Failures, res.RetryAt, res.RetryAt.Sub(r.now))
		}
		last = res
		polls++
		r.now = res.RetryAt
	}
	if last.Failures != polls {
		t.Errorf("got %d failures counted, want %d", last.Failures, polls)
	}
	if polls > 20 {
		t.Errorf("a day of 404 took %d polls, want the backoff to space them", polls)
	}
	r.farm.SetFault(0, farm.None)
	r.farm.Advance(1, 2)
	res, err, sent := r.poll(t)
	if err != nil {
		t.Fatalf("back after a day: %v", err)
	}
	if res.Failures != 0 || res.New != 2 || sent != 2 {
		t.Errorf("back after a day: got %d failures, %d new items, %d messages, want 0, 2, 2", res.Failures, res.New, sent)
	}
}
