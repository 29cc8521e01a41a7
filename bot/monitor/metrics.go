// Package monitor serves what operators watch: Prometheus metrics of the
// polls, the pipeline and the deliveries (an observer of schedule.Service and
// bot.Dispatcher, and gauges read from the store when scraped), and the
// /healthz and /readyz endpoints.
package monitor

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store"
)

// Store is what the gauges read from the database when scraped.
type Store interface {
	PendingDeliveries(ctx context.Context) (int, error)
	OldestPending(ctx context.Context) (time.Time, error)
	FeedStates(ctx context.Context) ([]*store.FeedState, error)
	PausedChannels(ctx context.Context) ([]*store.ChannelPause, error)
}

var _ Store = (*store.DB)(nil)

// Options say what the metrics are about: the configured feeds, rules and
// channels (the only label values they take, so that their number stays
// bounded), and the build's version.
type Options struct {
	Feeds    []string
	Rules    []string
	Channels []string
	Version  string
	// LastTick returns when the scheduler last ticked (zero: not yet); nil
	// leaves the gauge out.
	LastTick func() time.Time
	Log      *slog.Logger
	Now      func() time.Time // default time.Now
}

// The poll results of wirewatch_feed_polls_total.
const (
	PollOK          = "ok"
	PollNotModified = "not_modified"
	PollError       = "error"
)

// Metrics is wirewatch's Prometheus registry: it is a bot.Observer, and
// its Handler serves the exposition. Safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	mu    sync.RWMutex // guards the names, which a reload changes (SetNames)
	feeds map[string]bool
	rules map[string]bool
	chans map[string]bool

	polls    *prometheus.CounterVec
	fetch    prometheus.Histogram
	items    *prometheus.CounterVec
	created  prometheus.Counter
	grown    prometheus.Counter
	hits     *prometheus.CounterVec
	delivers *prometheus.CounterVec
}

var _ bot.Observer = (*Metrics)(nil)

// New returns the metrics of one process, its gauges read from db.
func New(db Store, opts Options) *Metrics {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirewatch_feed_polls_total",
			Help: "Feed polls by feed and result (ok, not_modified, error).",
		}, []string{"feed", "result"}),
		fetch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirewatch_feed_fetch_duration_seconds",
			Help:    "How long feed fetches took, failed ones included.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirewatch_feed_items_total",
			Help: "Items read from feeds by feed and state: new (stored now) or seen (stored before).",
		}, []string{"feed", "state"}),
		created: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirewatch_stories_created_total",
			Help: "Stories begun by a new item.",
		}),
		grown: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirewatch_stories_updated_total",
			Help: "New items that joined an existing story.",
		}),
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirewatch_rule_hits_total",
			Help: "Items a rule matched (muted rules' hits left out).",
		}, []string{"rule"}),
		delivers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirewatch_deliveries_total",
			Help: "Delivery attempts by channel and result (sent, failed, paused, refused).",
		}, []string{"channel", "result"}),
	}
	m.SetNames(opts.Feeds, opts.Rules, opts.Channels)
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "wirewatch_build_info",
		Help:        "Always 1; its version label is the running build's.",
		ConstLabels: prometheus.Labels{"version": opts.Version},
	})
	build.Set(1)
	m.reg.MustRegister(m.polls, m.fetch, m.items, m.created, m.grown, m.hits, m.delivers, build,
		&storeCollector{db: db, m: m, opts: opts},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// SetNames sets the feeds, rules and channels the metrics are about, as a
// configuration reload changes them: the series of a name added start at
// zero, so that rates and alerts see its first increase, and those of a
// name removed go (a removed feed's last success would otherwise stay, and
// an alert on its age fire, until a restart).
func (m *Metrics) SetNames(feeds, rules, channels []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.feeds = resetNames(m.feeds, feeds, func(f string, add bool) {
		for _, r := range []string{PollOK, PollNotModified, PollError} {
			series(m.polls, add, f, r)
		}
		series(m.items, add, f, "new")
		series(m.items, add, f, "seen")
	})
	m.rules = resetNames(m.rules, rules, func(r string, add bool) { series(m.hits, add, r) })
	m.chans = resetNames(m.chans, channels, func(c string, add bool) {
		for _, r := range []string{bot.DeliverySent, bot.DeliveryFailed, bot.DeliveryPaused, bot.DeliveryRefused} {
			series(m.delivers, add, c, r)
		}
	})
}

// resetNames returns names as a set, calling change(name, true) for each
// name not in old and change(name, false) for each name of old not in names.
func resetNames(old map[string]bool, names []string, change func(name string, add bool)) map[string]bool {
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = true
		if !old[n] {
			change(n, true)
		}
	}
	for n := range old {
		if !out[n] {
			change(n, false)
		}
	}
	return out
}

// series creates a counter's series at zero, or deletes it.
func series(v *prometheus.CounterVec, add bool, labels ...string) {
	if add {
		v.WithLabelValues(labels...)
	} else {
		v.DeleteLabelValues(labels...)
	}
}

// Registry returns the registry, for tests (testutil.GatherAndLint).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the exposition (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// FeedPolled implements bot.Observer.
func (m *Metrics) FeedPolled(f bot.Feed, res bot.PollResult, took time.Duration, err error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if !m.feeds[f.Name] {
		return // not a configured feed: no label for it
	}
	if took > 0 {
		m.fetch.Observe(took.Seconds())
	}
	if err != nil {
		m.polls.WithLabelValues(f.Name, PollError).Inc()
		return
	}
	// The poll is counted last: a scrape that sees it sees what it did.
	m.items.WithLabelValues(f.Name, "new").Add(float64(res.New))
	if seen := res.Items - res.New; seen > 0 {
		m.items.WithLabelValues(f.Name, "seen").Add(float64(seen))
	}
	m.created.Add(float64(res.StoriesCreated))
	m.grown.Add(float64(res.StoriesGrown))
	for rule, n := range res.RuleHits {
		if m.rules[rule] {
			m.hits.WithLabelValues(rule).Add(float64(n))
		}
	}
	if res.NotModified {
		m.polls.WithLabelValues(f.Name, PollNotModified).Inc()
	} else {
		m.polls.WithLabelValues(f.Name, PollOK).Inc()
	}
}

// Delivered implements bot.Observer.
func (m *Metrics) Delivered(channel, _, result string) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.chans[channel] {
		m.delivers.WithLabelValues(channel, result).Inc()
	}
}

// storeCollector reads the gauges from the store at each scrape, so that
// they are right whichever process (run, once) changed it.
type storeCollector struct {
	db   Store
	m    *Metrics
	opts Options
}

var (
	descPending = prometheus.NewDesc("wirewatch_outbox_pending_deliveries",
		"Deliveries in the outbox not sent yet.", nil, nil)
	descOldest = prometheus.NewDesc("wirewatch_outbox_oldest_pending_age_seconds",
		"Age of the oldest delivery not sent yet (0 when none waits).", nil, nil)
	descLastSuccess = prometheus.NewDesc("wirewatch_feed_last_success_timestamp_seconds",
		"When a feed was last polled successfully (Unix time; 0: never).", []string{"feed"}, nil)
	descPaused = prometheus.NewDesc("wirewatch_channel_paused",
		"1 when a channel is paused by a permanent error, else 0.", []string{"channel"}, nil)
	descTick = prometheus.NewDesc("wirewatch_scheduler_last_tick_timestamp_seconds",
		"When the scheduler loop last went round (Unix time).", nil, nil)
)

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 5 * time.Second

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descPending
	ch <- descOldest
	ch <- descLastSuccess
	ch <- descPaused
	if c.opts.LastTick != nil {
		ch <- descTick
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.mu.RLock()
	feeds, chans := c.m.feeds, c.m.chans // replaced whole by SetNames, never changed
	c.m.mu.RUnlock()
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.opts.Now()
	fail := func(what string, err error) {
		c.opts.Log.Warn("metrics: cannot read "+what, slog.Any("error", err))
	}
	if n, err := c.db.PendingDeliveries(ctx); err != nil {
		fail("the outbox", err)
	} else {
		ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(n))
	}
	if at, err := c.db.OldestPending(ctx); err != nil {
		fail("the outbox", err)
	} else {
		age := 0.0
		if !at.IsZero() {
			age = max(now.Sub(at).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
	}
	if states, err := c.db.FeedStates(ctx); err != nil {
		fail("feed states", err)
	} else {
		last := make(map[string]time.Time, len(states))
		for _, st := range states {
			last[st.Name] = st.LastSuccess
		}
		for f := range feeds {
			v := 0.0
			if t := last[f]; !t.IsZero() {
				v = float64(t.UnixMilli()) / 1e3
			}
			ch <- prometheus.MustNewConstMetric(descLastSuccess, prometheus.GaugeValue, v, f)
		}
	}
	if paused, err := c.db.PausedChannels(ctx); err != nil {
		fail("paused channels", err)
	} else {
		is := make(map[string]bool, len(paused))
		for _, p := range paused {
			is[p.Channel] = true
		}
		for name := range chans {
			v := 0.0
			if is[name] {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(descPaused, prometheus.GaugeValue, v, name)
		}
	}
	if c.opts.LastTick != nil {
		if t := c.opts.LastTick(); !t.IsZero() {
			ch <- prometheus.MustNewConstMetric(descTick, prometheus.GaugeValue, float64(t.UnixMilli())/1e3)
		}
	}
}
