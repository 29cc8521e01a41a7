package bot_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

// feedServer serves one feed document and keeps the conditional headers it
// was sent. With an ETag set, a request carrying it gets a 304.
type feedServer struct {
	mu           sync.Mutex
	status       int
	etag         string
	lastModified string
	retryAfter   string
	body         string

	requests    int
	notModified int
	ifNoneMatch []string // per request, "" when absent
	ifModified  []string // per request, "" when absent

	// onRequest, when set, runs first on each request (outside mu).
	onRequest func(r *http.Request)
}

func newFeedServer(t *testing.T) (*feedServer, *httptest.Server) {
	t.Helper()
	fs := &feedServer{status: http.StatusOK}
	srv := httptest.NewServer(fs)
	t.Cleanup(srv.Close)
	return fs, srv
}

func (fs *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	hook := fs.onRequest
	fs.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.requests++
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	fs.ifNoneMatch = append(fs.ifNoneMatch, inm)
	fs.ifModified = append(fs.ifModified, ims)
	if fs.status == http.StatusOK && fs.etag != "" && inm == fs.etag {
		fs.notModified++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if fs.etag != "" {
		w.Header().Set("ETag", fs.etag)
	}
	if fs.lastModified != "" {
		w.Header().Set("Last-Modified", fs.lastModified)
	}
	if fs.retryAfter != "" {
		w.Header().Set("Retry-After", fs.retryAfter)
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	w.WriteHeader(fs.status)
	fmt.Fprint(w, fs.body)
}

// serve sets the next responses.
func (fs *feedServer) serve(status int, etag, retryAfter, body string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.status, fs.etag, fs.retryAfter, fs.body = status, etag, retryAfter, body
}

// last returns the number of requests so far and the conditional headers
// of the latest.
func (fs *feedServer) last() (requests int, ifNoneMatch, ifModifiedSince string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.requests == 0 {
		return 0, "", ""
	}
	return fs.requests, fs.ifNoneMatch[fs.requests-1], fs.ifModified[fs.requests-1]
}

func (fs *feedServer) notModifiedCount() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.notModified
}

// rssItem is one item of a test feed.
type rssItem struct{ guid, title string }

// rss returns an RSS 2.0 document of items published at pub.
func rss(pub time.Time, items ...rssItem) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title><link>https://wire.example/</link>`)
	for _, it := range items {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://wire.example/%s</link>`+
			`<description>%s</description><pubDate>%s</pubDate></item>`,
			it.guid, it.title, it.guid, it.title, pub.Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

var (
	itemKabulov  = rssItem{"k1", "Kabulov says Moscow will keep talking to the Taliban"}
	itemCSTO     = rssItem{"c1", "CSTO holds drills in Tajikistan"}
	itemDushanbe = rssItem{"d1", "Dushanbe hosts a water summit"}
)

// malformedRSS is a feed document cut off mid-item.
const malformedRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>Unclosed`

// newPoller returns a fixture with one alert rule, a poller and the
// fixture's feed pointed at srv.
func newPoller(t *testing.T, srv *httptest.Server) (*fixture, *bot.Poller, bot.Feed) {
	t.Helper()
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	p := bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, slog.New(slog.DiscardHandler), f.Clock.Now)
	feed := f.Feed
	feed.URL = srv.URL + "/feed.rss"
	return f, p, feed
}

func (f *fixture) feedState(t *testing.T, name string) *store.FeedState {
	t.Helper()
	st, err := f.DB.FeedState(context.Background(), name)
	if err != nil {
		t.Fatalf("FeedState(%s): %v", name, err)
	}
	return st
}

func TestPollIngestsThenNotModified(t *testing.T) {
	fs, srv := newFeedServer(t)
	f, p, feed := newPoller(t, srv)
	ctx := context.Background()
	fs.serve(http.StatusOK, `"v1"`, "", rss(f.Clock.Now(), itemKabulov, itemCSTO))

	steps := []struct {
		name        string
		serve       func()
		wantItems   int
		wantNew     int
		wantAlerts  int
		notModified bool
		wantINM     string // If-None-Match of the poll's request
		wantETag    string // stored afterwards
		wantCount   int64  // ItemCount afterwards
	}{
		{name: "first poll", wantItems: 2, wantNew: 2, wantAlerts: 1, wantINM: "", wantETag: `"v1"`, wantCount: 2},
		{name: "unchanged: 304", notModified: true, wantINM: `"v1"`, wantETag: `"v1"`, wantCount: 2},
		{name: "changed", serve: func() {
			fs.serve(http.StatusOK, `"v2"`, "", rss(f.Clock.Now(), itemKabulov, itemCSTO, itemDushanbe))
		}, wantItems: 3, wantNew: 1, wantINM: `"v1"`, wantETag: `"v2"`, wantCount: 3},
		{name: "unchanged again: 304", notModified: true, wantINM: `"v2"`, wantETag: `"v2"`, wantCount: 3},
	}
	wantNotModified := 0
	for i, st := range steps {
		if i > 0 {
			f.Clock.Advance(10 * time.Minute)
		}
		if st.serve != nil {
			st.serve()
		}
		now := f.Clock.Now()
		res, err := p.Poll(ctx, feed)
		if err != nil {
			t.Fatalf("%s: Poll: %v", st.name, err)
		}
		if res.Items != st.wantItems || res.New != st.wantNew || res.Alerts != st.wantAlerts || res.NotModified != st.notModified {
			t.Errorf("%s: Poll = %+v, want %d items, %d new, %d alerts, not modified %v",
				st.name, res, st.wantItems, st.wantNew, st.wantAlerts, st.notModified)
		}
		requests, inm, _ := fs.last()
		if got, want := requests, i+1; got != want {
			t.Errorf("%s: server saw %d requests, want %d", st.name, got, want)
		}
		if got, want := inm, st.wantINM; got != want {
			t.Errorf("%s: If-None-Match = %q, want %q", st.name, got, want)
		}
		if st.notModified {
			wantNotModified++
		}
		if got, want := fs.notModifiedCount(), wantNotModified; got != want {
			t.Errorf("%s: server answered %d 304s, want %d", st.name, got, want)
		}

		state := f.feedState(t, feed.Name)
		if got, want := state.ItemCount, st.wantCount; got != want {
			t.Errorf("%s: ItemCount = %d, want %d", st.name, got, want)
		}
		if got, want := state.ETag, st.wantETag; got != want {
			t.Errorf("%s: ETag = %q, want %q", st.name, got, want)
		}
		if got, want := state.URL, feed.URL; got != want {
			t.Errorf("%s: URL = %q, want %q", st.name, got, want)
		}
		if !state.LastSuccess.Equal(now) || !state.LastAttempt.Equal(now) {
			t.Errorf("%s: LastSuccess = %v, LastAttempt = %v, want both %v", st.name, state.LastSuccess, state.LastAttempt, now)
		}
		if state.Failures != 0 || state.LastError != "" {
			t.Errorf("%s: Failures = %d, LastError = %q, want 0 and none", st.name, state.Failures, state.LastError)
		}
		if got, want := state.NextPoll, feed.Schedule.Next(now); !got.Equal(want) {
			t.Errorf("%s: NextPoll = %v, want %v", st.name, got, want)
		}
	}
	// The one matching story was alerted once, not again on later polls.
	if msgs := f.Sent(t); len(msgs) != 1 || msgs[0].Kind != "alert" {
		t.Errorf("flushed %+v, want one alert", msgs)
	}
}

func TestPollFailuresBackOff(t *testing.T) {
	fs, srv := newFeedServer(t)
	f, p, feed := newPoller(t, srv)
	ctx := context.Background()
	good := rss(f.Clock.Now(), itemKabulov, itemCSTO)
	firstSuccess := f.Clock.Now()
	fs.serve(http.StatusOK, "", "", good)
	if _, err := p.Poll(ctx, feed); err != nil {
		t.Fatalf("first poll: %v", err)
	}

	steps := []struct {
		name       string
		status     int
		retryAfter string
		wantErr    string // in the error and LastError; "" for success
		failures   int
		retryWait  time.Duration // the Retry-After passed to Backoff
		notBefore  time.Duration // NextPoll is at least now + this
	}{
		{name: "503 with Retry-After", status: http.StatusServiceUnavailable, retryAfter: "3600",
			wantErr: "503", failures: 1, retryWait: time.Hour, notBefore: time.Hour},
		{name: "500 without Retry-After", status: http.StatusInternalServerError,
			wantErr: "500", failures: 2, notBefore: 10 * time.Minute},
		{name: "502", status: http.StatusBadGateway, wantErr: "502", failures: 3},
		{name: "404", status: http.StatusNotFound, wantErr: "404", failures: 4},
		// Backoff(5) is 16 minutes: now the backoff, not the schedule, decides.
		{name: "503 fifth", status: http.StatusServiceUnavailable, wantErr: "503", failures: 5, notBefore: 16 * time.Minute},
		{name: "success resets", status: http.StatusOK},
	}
	for _, st := range steps {
		f.Clock.Advance(7 * time.Minute)
		now := f.Clock.Now()
		body := "service unavailable"
		if st.status == http.StatusOK {
			body = good
		}
		fs.serve(st.status, "", st.retryAfter, body)
		_, err := p.Poll(ctx, feed)
		state := f.feedState(t, feed.Name)

		if st.wantErr == "" {
			if err != nil {
				t.Fatalf("%s: Poll: %v", st.name, err)
			}
			if state.Failures != 0 || state.LastError != "" {
				t.Errorf("%s: Failures = %d, LastError = %q, want 0 and none", st.name, state.Failures, state.LastError)
			}
			if !state.LastSuccess.Equal(now) {
				t.Errorf("%s: LastSuccess = %v, want %v", st.name, state.LastSuccess, now)
			}
			if got, want := state.NextPoll, feed.Schedule.Next(now); !got.Equal(want) {
				t.Errorf("%s: NextPoll = %v, want %v", st.name, got, want)
			}
			continue
		}

		if err == nil || !strings.Contains(err.Error(), st.wantErr) {
			t.Fatalf("%s: Poll error = %v, want one naming %s", st.name, err, st.wantErr)
		}
		var httpErr *feeds.HTTPError
		if !errors.As(err, &httpErr) {
			t.Errorf("%s: Poll error %v is not a *feeds.HTTPError", st.name, err)
		}
		if got, want := state.Failures, st.failures; got != want {
			t.Errorf("%s: Failures = %d, want %d", st.name, got, want)
		}
		if !strings.Contains(state.LastError, st.wantErr) {
			t.Errorf("%s: LastError = %q, want it to name %s", st.name, state.LastError, st.wantErr)
		}
		want := feed.Schedule.Next(now)
		if b := now.Add(feeds.Backoff(st.failures, st.retryWait)); b.After(want) {
			want = b
		}
		if got := state.NextPoll; !got.Equal(want) {
			t.Errorf("%s: NextPoll = %v, want %v", st.name, got, want)
		}
		if got, min := state.NextPoll, now.Add(st.notBefore); got.Before(min) {
			t.Errorf("%s: NextPoll = %v, want not before %v", st.name, got, min)
		}
		if !state.LastAttempt.Equal(now) {
			t.Errorf("%s: LastAttempt = %v, want %v", st.name, state.LastAttempt, now)
		}
		// A failure keeps what earlier successes recorded.
		if !state.LastSuccess.Equal(firstSuccess) {
			t.Errorf("%s: LastSuccess = %v, want the first poll's %v", st.name, state.LastSuccess, firstSuccess)
		}
		if got, want := state.ItemCount, int64(2); got != want {
			t.Errorf("%s: ItemCount = %d, want %d", st.name, got, want)
		}
	}
}

func TestPollURLChangeDropsValidators(t *testing.T) {
	const lastModified = "Fri, 20 Nov 2026 08:00:00 GMT"
	tests := []struct {
		name    string
		newPath string // the feed's path on the second poll
		wantINM string
		wantIMS string
	}{
		{"same url", "/feed.rss", `"v1"`, lastModified},
		{"url changed", "/moved.rss", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, srv := newFeedServer(t)
			f, p, feed := newPoller(t, srv)
			ctx := context.Background()
			fs.serve(http.StatusOK, `"v1"`, "", rss(f.Clock.Now(), itemKabulov))
			fs.mu.Lock()
			fs.lastModified = lastModified
			fs.mu.Unlock()
			if _, err := p.Poll(ctx, feed); err != nil {
				t.Fatalf("first poll: %v", err)
			}
			if got, want := f.feedState(t, feed.Name).ETag, `"v1"`; got != want {
				t.Fatalf("ETag after the first poll = %q, want %q", got, want)
			}

			f.Clock.Advance(10 * time.Minute)
			feed.URL = srv.URL + tt.newPath
			if _, err := p.Poll(ctx, feed); err != nil {
				t.Fatalf("second poll: %v", err)
			}
			_, inm, ims := fs.last()
			if got, want := inm, tt.wantINM; got != want {
				t.Errorf("If-None-Match = %q, want %q", got, want)
			}
			if got, want := ims, tt.wantIMS; got != want {
				t.Errorf("If-Modified-Since = %q, want %q", got, want)
			}
			state := f.feedState(t, feed.Name)
			if got, want := state.URL, feed.URL; got != want {
				t.Errorf("stored URL = %q, want %q", got, want)
			}
			if got, want := state.ETag, `"v1"`; got != want {
				t.Errorf("ETag = %q, want %q", got, want)
			}
		})
	}
}

func TestPollMalformedKeepsValidators(t *testing.T) {
	tests := []struct {
		name      string
		goodFirst bool   // a good poll with ETag "v1" before the malformed one
		wantINM   string // If-None-Match of the poll after the malformed one
		wantETag  string // stored after the malformed poll
	}{
		{"first poll malformed", false, "", ""},
		{"malformed after a good poll", true, `"v1"`, `"v1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, srv := newFeedServer(t)
			f, p, feed := newPoller(t, srv)
			ctx := context.Background()
			var wantCount int64
			if tt.goodFirst {
				fs.serve(http.StatusOK, `"v1"`, "", rss(f.Clock.Now(), itemKabulov))
				if _, err := p.Poll(ctx, feed); err != nil {
					t.Fatalf("good poll: %v", err)
				}
				wantCount = 1
				f.Clock.Advance(10 * time.Minute)
			}

			fs.serve(http.StatusOK, `"bad"`, "", malformedRSS)
			res, err := p.Poll(ctx, feed)
			if err == nil {
				t.Fatalf("Poll of a malformed feed = %+v, nil; want an error", res)
			}
			state := f.feedState(t, feed.Name)
			if got, want := state.Failures, 1; got != want {
				t.Errorf("Failures = %d, want %d", got, want)
			}
			if state.LastError == "" || !strings.Contains(state.LastError, "parse") {
				t.Errorf("LastError = %q, want the parse error", state.LastError)
			}
			if got, want := state.ETag, tt.wantETag; got != want {
				t.Errorf("ETag = %q, want %q (not the malformed response's)", got, want)
			}
			if got, want := state.ItemCount, wantCount; got != want {
				t.Errorf("ItemCount = %d, want %d", got, want)
			}

			// The next request must not carry the malformed response's ETag:
			// were it to, a server would answer 304 and the feed would stay
			// unread until its ETag changed.
			f.Clock.Advance(10 * time.Minute)
			fs.serve(http.StatusOK, `"bad"`, "", rss(f.Clock.Now(), itemKabulov, itemCSTO))
			res, err = p.Poll(ctx, feed)
			if err != nil {
				t.Fatalf("poll after the malformed one: %v", err)
			}
			_, inm, _ := fs.last()
			if got, want := inm, tt.wantINM; got != want {
				t.Errorf("If-None-Match after the malformed poll = %q, want %q", got, want)
			}
			if res.NotModified || res.Items != 2 {
				t.Errorf("Poll = %+v, want the 2 items read", res)
			}
			if got, want := f.feedState(t, feed.Name).Failures, 0; got != want {
				t.Errorf("Failures after recovery = %d, want %d", got, want)
			}
		})
	}
}

// TestPollCancelledIsNotAFailure checks that a poll cut off by shutdown
// records nothing: it is not the feed's fault.
func TestPollCancelledIsNotAFailure(t *testing.T) {
	fs, srv := newFeedServer(t)
	f, p, feed := newPoller(t, srv)
	fs.serve(http.StatusOK, `"v1"`, "", rss(f.Clock.Now(), itemKabulov))
	if _, err := p.Poll(context.Background(), feed); err != nil {
		t.Fatalf("first poll: %v", err)
	}
	before := f.feedState(t, feed.Name)

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	fs.mu.Lock()
	fs.etag = `"v2"` // not a 304: the handler would answer in full
	fs.onRequest = func(r *http.Request) {
		cancel()
		<-r.Context().Done() // hold the response until the client gives up
	}
	fs.mu.Unlock()
	f.Clock.Advance(10 * time.Minute)
	_, err := p.Poll(ctx, feed)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Poll error = %v, want context.Canceled", err)
	}
	after := f.feedState(t, feed.Name)
	if after.Failures != 0 || after.LastError != "" || !after.NextPoll.Equal(before.NextPoll) || after.ETag != before.ETag {
		t.Errorf("state after a cancelled poll = %+v, want unchanged %+v", after, before)
	}
}
