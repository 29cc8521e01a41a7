package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// neverSchedule is a cron schedule with no next time, as "0 0 30 2 *" is.
type neverSchedule struct{}

func (neverSchedule) Next(time.Time) time.Time { return time.Time{} }

// soonSchedule fires a millisecond after any time.
type soonSchedule struct{}

func (soonSchedule) Next(t time.Time) time.Time { return t.Add(time.Millisecond) }

// TestRunNeverSpinsOnScheduleWithoutNextTime is the regression test of a
// cron spec that never fires: run polled that feed in a tight loop. Another
// feed, polled every millisecond, is the yardstick: by its fifth poll the
// never-firing feed must have been polled once (at start) and no more.
func TestRunNeverSpinsOnScheduleWithoutNextTime(t *testing.T) {
	if storetest.OnPostgres() {
		// Its yardstick is how fast polls go: the scheduler's test, on SQLite.
		t.Skip("timed by polls on SQLite")
	}
	var neverHits atomic.Int32
	yard := make(chan struct{}, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/never.rss" {
			neverHits.Add(1)
		} else {
			select {
			case yard <- struct{}{}:
			default:
			}
		}
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title></channel></rss>`))
	}))
	t.Cleanup(srv.Close)
	f := newFixture(t)
	log := slog.New(slog.DiscardHandler)
	p := bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, log, time.Now)
	s := &schedule.Service{DB: f.DB, Poller: p, Dispatcher: f.Dispatcher, Digester: f.Digester, Log: log, Now: time.Now,
		Feeds: []bot.Feed{
			{Name: "never", URL: srv.URL + "/never.rss", Schedule: neverSchedule{}, MaxAge: time.Hour},
			{Name: "yardstick", URL: srv.URL + "/yard.rss", Schedule: soonSchedule{}, MaxAge: time.Hour},
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	for range 5 {
		<-yard
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := neverHits.Load(); n != 1 {
		t.Errorf("the never-firing feed was polled %d times, want 1 (at start)", n)
	}
}

// TestOnceLogsAFailedPollOnce: the poller records a failure and returns it;
// the service, which handles it, logs it — one line, naming the feed.
func TestOnceLogsAFailedPollOnce(t *testing.T) {
	fs, srv := newFeedServer(t)
	fs.serve(http.StatusServiceUnavailable, "", "", "down")
	f, _, feed := newPoller(t, srv)
	var logs, pollerLogs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	pollerLog := slog.New(slog.NewTextHandler(&pollerLogs, nil))
	svc := &schedule.Service{
		DB:         f.DB,
		Poller:     bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, pollerLog, f.Clock.Now),
		Dispatcher: bot.NewDispatcher(f.DB, f.Rules, nil, log, f.Clock.Now),
		Digester:   schedule.NewDigester(f.DB, f.Rules, time.UTC, log, f.Clock.Now),
		Feeds:      []bot.Feed{feed},
		Log:        log,
		Now:        f.Clock.Now,
	}
	res, err := svc.Once(context.Background(), false)
	if err != nil {
		t.Fatalf("Once: %v", err)
	}
	if res.FeedsFailed != 1 || res.FeedsOK != 0 {
		t.Errorf("Once = %d ok, %d failed; want 0 and 1", res.FeedsOK, res.FeedsFailed)
	}
	if got := strings.Count(logs.String(), "feed poll failed"); got != 1 {
		t.Errorf("%d log lines say the poll failed, want 1:\n%s", got, logs.String())
	}
	if pollerLogs.Len() > 0 {
		t.Errorf("the poller logged what it returned:\n%s", pollerLogs.String())
	}
	for _, want := range []string{"feed=f ", "failures=1"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	// The next Once tries it again: the backoff is run's, and the server
	// asked for no wait, so the log names no retry time.
	if strings.Contains(logs.String(), "retry_at=") {
		t.Errorf("log names a retry time, but the next once tries again:\n%s", logs.String())
	}
}

// TestOnceHonoursRetryAfter: a feed whose server answered 429 with a
// Retry-After is not polled by the next Once until that time has passed
// (unless its URL changed), while a feed that failed without one is tried
// by every Once.
func TestOnceHonoursRetryAfter(t *testing.T) {
	limitedFS, limitedSrv := newFeedServer(t)
	downFS, downSrv := newFeedServer(t)
	limitedFS.serve(http.StatusTooManyRequests, "", "3600", "slow down")
	downFS.serve(http.StatusServiceUnavailable, "", "", "down")
	f, _, feed := newPoller(t, limitedSrv)
	limited, down := feed, feed
	limited.Name, down.Name, down.URL = "limited", "down", downSrv.URL+"/feed.rss"
	var logs bottest.SyncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	var skipped []string
	svc := &schedule.Service{
		DB:         f.DB,
		Poller:     bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, log, f.Clock.Now),
		Dispatcher: bot.NewDispatcher(f.DB, f.Rules, nil, log, f.Clock.Now),
		Digester:   schedule.NewDigester(f.DB, f.Rules, time.UTC, log, f.Clock.Now),
		Feeds:      []bot.Feed{limited, down},
		Log:        log,
		Now:        f.Clock.Now,
		OnPoll: func(fd bot.Feed, res bot.PollResult, _ error) {
			if res.Skipped {
				skipped = append(skipped, fd.Name+" until "+res.RetryAt.Format(time.TimeOnly))
			}
		},
	}
	ctx := context.Background()
	once := func(step string, ok, failed, waiting int) {
		t.Helper()
		res, err := svc.Once(ctx, false)
		if err != nil {
			t.Fatalf("%s: Once: %v", step, err)
		}
		if res.FeedsOK != ok || res.FeedsFailed != failed || res.FeedsWaiting != waiting {
			t.Errorf("%s: %d ok, %d failed, %d waiting; want %d, %d, %d", step, res.FeedsOK, res.FeedsFailed, res.FeedsWaiting, ok, failed, waiting)
		}
	}
	requests := func(fs *feedServer) int { n, _, _ := fs.last(); return n }

	once("first run", 0, 2, 0)
	start := f.Clock.Now()
	if st := f.feedState(t, "limited"); !st.RetryUntil.Equal(start.Add(time.Hour)) {
		t.Errorf("limited: retry until %v, want an hour after the poll (%v)", st.RetryUntil, start.Add(time.Hour))
	}
	if st := f.feedState(t, "down"); !st.RetryUntil.IsZero() {
		t.Errorf("down: retry until %v, want none (no Retry-After)", st.RetryUntil)
	}

	f.Clock.Advance(30 * time.Minute)
	once("half an hour later", 0, 1, 1)
	if n := requests(limitedFS); n != 1 {
		t.Errorf("limited was requested %d times, want 1: its server asked to wait an hour", n)
	}
	if n := requests(downFS); n != 2 {
		t.Errorf("down was requested %d times, want 2: every once tries it", n)
	}
	wantSkip := "limited until " + start.Add(time.Hour).Format(time.TimeOnly)
	if !slices.Equal(skipped, []string{wantSkip}) {
		t.Errorf("OnPoll heard of skipped feeds %q, want %q", skipped, wantSkip)
	}
	if !strings.Contains(logs.String(), "feed not polled: its server asked to wait") || !strings.Contains(logs.String(), "feed=limited") {
		t.Errorf("the log does not say limited was left alone:\n%s", logs.String())
	}

	// A new URL is another server's: polled at once.
	limited.URL += "?v=2"
	svc.SetFeeds([]bot.Feed{limited, down})
	once("new URL", 0, 2, 0)
	if n := requests(limitedFS); n != 2 {
		t.Errorf("limited at its new URL was requested %d times in all, want 2", n)
	}

	// Its wait over, it is polled, and a success clears the wait.
	f.Clock.Advance(61 * time.Minute)
	limitedFS.serve(http.StatusOK, "", "", rss(f.Clock.Now(), itemKabulov))
	once("after the wait", 1, 1, 0)
	if st := f.feedState(t, "limited"); !st.RetryUntil.IsZero() || st.Failures != 0 {
		t.Errorf("limited after a success: retry until %v, %d failures; want none", st.RetryUntil, st.Failures)
	}
}

// signalSender is a Sender that closes sent at its first message.
type signalSender struct {
	once sync.Once
	sent chan struct{}
	n    atomic.Int32
}

func (s *signalSender) Send(_ context.Context, m *bot.Message) (string, error) {
	s.n.Add(1)
	s.once.Do(func() { close(s.sent) })
	return "remote", nil
}

// TestOnceDeliversWhilePolling: an alert from a feed that answered is sent
// while another feed still loads, not after every feed is done; OnPoll
// hears of each poll.
func TestOnceDeliversWhilePolling(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	out := &signalSender{sent: make(chan struct{})}
	f.Dispatch(map[string]bot.Sender{"ops": out})
	var sentFirst atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow.rss" {
			select {
			case <-out.sent:
				sentFirst.Store(true)
			case <-time.After(10 * time.Second):
			}
			w.Write([]byte(rss(f.Clock.Now())))
			return
		}
		w.Write([]byte(rss(f.Clock.Now(), itemKabulov)))
	}))
	t.Cleanup(srv.Close)
	quick, slow := f.Feed, f.Feed
	quick.Name, quick.URL = "quick", srv.URL+"/quick.rss"
	slow.Name, slow.URL = "slow", srv.URL+"/slow.rss"
	log := slog.New(slog.DiscardHandler)
	var mu sync.Mutex
	var polled []string
	svc := &schedule.Service{
		DB:         f.DB,
		Poller:     bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, log, f.Clock.Now),
		Dispatcher: f.Dispatcher,
		Digester:   f.Digester,
		Feeds:      []bot.Feed{slow, quick},
		Log:        log,
		Now:        f.Clock.Now,
		OnPoll: func(fd bot.Feed, res bot.PollResult, err error) {
			mu.Lock()
			defer mu.Unlock()
			polled = append(polled, fmt.Sprintf("%s new=%d err=%v", fd.Name, res.New, err))
		},
	}
	res, err := svc.Once(context.Background(), false)
	if err != nil {
		t.Fatalf("Once: %v", err)
	}
	if !sentFirst.Load() {
		t.Error("the alert was not sent while the slow feed loaded")
	}
	if res.FeedsOK != 2 || res.Flush.Sent != 1 || res.Flush.Pending != 0 || out.n.Load() != 1 {
		t.Errorf("Once = %+v, %d sent; want 2 feeds ok, 1 sent, none pending", res, out.n.Load())
	}
	slices.Sort(polled)
	if want := []string{"quick new=1 err=<nil>", "slow new=0 err=<nil>"}; !slices.Equal(polled, want) {
		t.Errorf("OnPoll heard %q, want %q", polled, want)
	}
}

// hourSchedule fires an hour after any time.
type hourSchedule struct{}

func (hourSchedule) Next(t time.Time) time.Time { return t.Add(time.Hour) }

// TestRunSetFeeds replaces the feeds of a running service, as a
// configuration reload does: a new feed is polled at once, a changed
// schedule applies from now, and a removed feed is polled no more.
func TestRunSetFeeds(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title></channel></rss>`))
	}))
	t.Cleanup(srv.Close)
	count := func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[path]
	}
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	f := newFixture(t)
	log := slog.New(slog.DiscardHandler)
	p := bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, log, time.Now)
	a := bot.Feed{Name: "a", URL: srv.URL + "/a.rss", Schedule: hourSchedule{}, MaxAge: time.Hour}
	s := &schedule.Service{DB: f.DB, Poller: p, Dispatcher: f.Dispatcher, Digester: f.Digester, Log: log, Now: time.Now,
		Feeds: []bot.Feed{a}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	waitUntil("the first poll", func() bool { return count("/a.rss") == 1 })

	fast := a
	fast.Schedule = soonSchedule{}
	b := bot.Feed{Name: "b", URL: srv.URL + "/b.rss", Schedule: hourSchedule{}, MaxAge: time.Hour}
	s.SetFeeds([]bot.Feed{fast, b})
	waitUntil("the new feed's poll", func() bool { return count("/b.rss") == 1 })
	waitUntil("the changed schedule", func() bool { return count("/a.rss") >= 5 })

	// a removed and a yardstick added, polled every millisecond as a was:
	// once the yardstick is polled, the removal has landed (a poll of a
	// already under way may still reach the server, once); by its tenth
	// poll a would have been polled again several times.
	yard := bot.Feed{Name: "yard", URL: srv.URL + "/yard.rss", Schedule: soonSchedule{}, MaxAge: time.Hour}
	s.SetFeeds([]bot.Feed{b, yard})
	waitUntil("the yardstick's poll", func() bool { return count("/yard.rss") >= 1 })
	before := count("/a.rss")
	waitUntil("ten polls of the yardstick", func() bool { return count("/yard.rss") >= 10 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := count("/a.rss"); n > before+1 {
		t.Errorf("the removed feed was polled %d more times", n-before)
	}
	if n := count("/b.rss"); n != 1 {
		t.Errorf("the hourly feed was polled %d times, want 1", n)
	}
}

// TestRunStartsNoMorePollsThanItsConcurrency: feeds due together are
// polled Concurrency at a time, without a goroutine waiting per feed.
func TestRunStartsNoMorePollsThanItsConcurrency(t *testing.T) {
	const n = 100 // due at once: far more than the concurrency, few enough for a loaded machine under -race
	fm, err := farm.Start(farm.Options{Feeds: n, MaxItems: 5, MaxBytes: 1000, Hold: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	tr := fm.Transport()
	tr.DisableKeepAlives = true // no idle connections' goroutines in the count
	f := newFixture(t)
	log := slog.New(slog.DiscardHandler)
	p := bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{Transport: tr}), f.Pipeline, log, time.Now)
	var fs []bot.Feed
	for i := range n {
		fs = append(fs, bot.Feed{Name: fmt.Sprintf("f%d", i), URL: fm.URL(i), Schedule: neverSchedule{}, MaxAge: time.Hour})
	}
	s := &schedule.Service{DB: f.DB, Poller: p, Dispatcher: f.Dispatcher, Digester: f.Digester, Log: log, Now: time.Now,
		Feeds: fs, Concurrency: 3}
	// The poll goroutines Run starts, by their stacks (SQLite starts
	// short-lived goroutines of its own, so NumGoroutine says little).
	polls := func() int {
		buf := make([]byte, 1<<22)
		return strings.Count(string(buf[:runtime.Stack(buf, true)]), "bot.(*Service).Run.func")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	most := 0
	deadline := time.Now().Add(2 * time.Minute) // a safety net: the loop ends when every feed is polled
	for fm.Stats().Requests < n && time.Now().Before(deadline) {
		most = max(most, polls())
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := fm.Stats().Requests; got != n {
		t.Fatalf("got %d feeds polled, want %d", got, n)
	}
	if st := fm.Stats(); st.MaxActive > 3 {
		t.Errorf("got %d requests at once, want 3 at most", st.MaxActive)
	}
	if most > 3+1 { // and the dispatch loop's
		t.Errorf("got %d of Run's goroutines at once while %d feeds were due, want 4 at most", most, n)
	}
}

// TestRunPollsAMovedFeedDespiteItsOldBackoff: a feed backing off after
// failures at one URL, moved to another (the fix of a broken feed), is
// polled at its new URL when its schedule says, not held by the old URL's
// backoff, whether a reload or a restart moves it: the old URL's failures
// say nothing of the new one (store.FeedState.At, as Once does).
func TestRunPollsAMovedFeedDespiteItsOldBackoff(t *testing.T) {
	for _, how := range []string{"reload", "restart"} {
		t.Run(how, func(t *testing.T) {
			newFS, newSrv := newFeedServer(t)
			polled := map[string]chan struct{}{"/feed.rss": make(chan struct{}, 1), "/yard.rss": make(chan struct{}, 1)}
			newFS.onRequest = func(r *http.Request) {
				select {
				case polled[r.URL.Path] <- struct{}{}:
				default:
				}
			}
			f, p, moved := newPoller(t, newSrv)
			newFS.serve(http.StatusOK, "", "", rss(f.Clock.Now(), itemKabulov))
			old := moved
			old.URL = "https://gone.example/feed.rss"
			// A feed never polled, polled at once: Run has read the stored states.
			yard := moved
			yard.Name, yard.URL = "yard", newSrv.URL+"/yard.rss"
			now := f.Clock.Now()
			// Nine 404s in a row at the old URL: its next try hours away.
			if err := f.DB.SaveFeedState(context.Background(), &store.FeedState{Name: old.Name, URL: old.URL, Failures: 9,
				LastError: "fetch f: http 404 Not Found", LastAttempt: now.Add(-time.Minute), NextPoll: now.Add(4 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
			start := old
			if how == "restart" {
				start = moved
			}
			s := &schedule.Service{DB: f.DB, Poller: p, Dispatcher: f.Dispatcher, Digester: f.Digester, Log: f.Log, Now: f.Clock.Now,
				Feeds: []bot.Feed{start, yard}}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.Run(ctx) }()
			<-polled["/yard.rss"]
			if how == "reload" {
				s.SetFeeds([]bot.Feed{moved, yard})
			}
			select {
			case <-polled["/feed.rss"]:
			case <-time.After(10 * time.Second):
				t.Errorf("the feed moved to %s by a %s was not polled there: held by the old URL's backoff", moved.URL, how)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}
