// Package farm serves synthetic news feeds on loopback for tests and
// benchmarks: each feed has its own host name (f7.localhost), a realistic
// size and format, validators that answer 304 while it is unchanged, stories
// that several feeds cover, and switchable faults. It records the requests
// and the most concurrent requests per host.
package farm

import (
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Format is a feed document's format.
type Format int

// The formats, chosen per feed in turn.
const (
	RSS Format = iota
	Atom
	JSONFeed
)

func (f Format) String() string { return [...]string{"rss", "atom", "json"}[f] }

// Fault is what a feed does instead of answering well.
type Fault int

// The faults; None is a healthy feed.
const (
	None        Fault = iota
	NotFound          // 404
	ServerError       // 500
	TooMany           // 429 with Retry-After: 120
	Malformed         // 200 with a document that is not a feed
	Slow              // answers after Options.SlowDelay
	GUIDChurn         // every item's GUID changes on every request, its text stays
	BackInTime        // the document served is an older version (items removed, dates earlier)
)

// Options configure a Farm; zero fields take the defaults.
type Options struct {
	Feeds     int           // default 100
	Seed      uint64        // for the generated content; same seed, same feeds
	MinItems  int           // per feed, default 5
	MaxItems  int           // per feed, default 200
	MinBytes  int           // per item's text, default 1,000
	MaxBytes  int           // per item's text, default 10,000
	Shared    float64       // the share of items that cover a story another feed covers too (default 0.3)
	SlowDelay time.Duration // the delay of a Slow feed, default 2s
	Hold      time.Duration // how long each request is held before it is answered (for concurrency tests)
}

func (o *Options) fill() {
	if o.Feeds <= 0 {
		o.Feeds = 100
	}
	if o.MinItems <= 0 {
		o.MinItems = 5
	}
	if o.MaxItems < o.MinItems {
		o.MaxItems = max(200, o.MinItems)
	}
	if o.MinBytes <= 0 {
		o.MinBytes = 1000
	}
	if o.MaxBytes < o.MinBytes {
		o.MaxBytes = max(10000, o.MinBytes)
	}
	if o.Shared == 0 {
		o.Shared = 0.3
	}
	if o.SlowDelay <= 0 {
		o.SlowDelay = 2 * time.Second
	}
}

// Farm is a running feed farm.
type Farm struct {
	opts  Options
	ln    net.Listener
	srv   *http.Server
	port  string
	start time.Time

	mu      sync.Mutex
	feeds   []*feed
	stories []story // the stories feeds cover, newest last
	rng     *rand.Rand
	stats   map[string]*HostStats
	total   Stats
	ids     int // the last item id given
}

// HostStats are one host's requests.
type HostStats struct {
	Requests    int
	Active      int // requests being answered now
	MaxActive   int // the most at once
	LastStart   time.Time
	MinInterval time.Duration // the shortest time between two request starts (0 before the second)
	Conns       int           // connections open now (dialled through DialContext)
	MaxConns    int           // the most open at once
}

// Stats are the farm's requests in all.
type Stats struct {
	Requests    int
	NotModified int
	Bytes       int64 // body bytes served
	Active      int
	MaxActive   int
}

// Start serves a farm on 127.0.0.1 until Close.
func Start(opts Options) (*Farm, error) {
	opts.fill()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &Farm{opts: opts, ln: ln, start: time.Now().UTC().Truncate(time.Second),
		rng: rand.New(rand.NewPCG(opts.Seed, 0x5eed)), stats: map[string]*HostStats{}}
	_, f.port, _ = net.SplitHostPort(ln.Addr().String())
	for i := range opts.Feeds {
		f.feeds = append(f.feeds, f.newFeed(i))
	}
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(ln)
	return f, nil
}

// Close stops the farm.
func (f *Farm) Close() error { return f.srv.Close() }

// Addr returns the address the farm listens on (127.0.0.1:port).
func (f *Farm) Addr() string { return f.ln.Addr().String() }

// Len returns the number of feeds.
func (f *Farm) Len() int { return len(f.feeds) }

// URL returns feed i's URL: http://f<i>.localhost:<port>/feed. The name
// resolves to loopback only through DialContext or Transport.
func (f *Farm) URL(i int) string {
	return "http://" + Host(i) + ":" + f.port + "/feed"
}

// Host returns feed i's host name.
func Host(i int) string { return "f" + strconv.Itoa(i) + ".localhost" }

// DialContext dials the farm whatever the host name asked for: give it to
// an http.Transport so that f<i>.localhost reaches the farm, on loopback,
// on every system. It counts the connections open to each host name.
func (f *Farm) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, f.Addr())
	if err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(addr)
	host = strings.ToLower(host)
	f.mu.Lock()
	hs := f.host(host)
	hs.Conns++
	hs.MaxConns = max(hs.MaxConns, hs.Conns)
	f.mu.Unlock()
	return &countedConn{Conn: c, f: f, host: host}, nil
}

// countedConn is a connection DialContext counts until it is closed.
type countedConn struct {
	net.Conn
	f      *Farm
	host   string
	closed sync.Once
}

func (c *countedConn) Close() error {
	c.closed.Do(func() {
		c.f.mu.Lock()
		c.f.host(c.host).Conns--
		c.f.mu.Unlock()
	})
	return c.Conn.Close()
}

// host returns the stats of a host name; f.mu is held.
func (f *Farm) host(name string) *HostStats {
	hs := f.stats[name]
	if hs == nil {
		hs = &HostStats{}
		f.stats[name] = hs
	}
	return hs
}

// Transport returns an HTTP transport that reaches the farm for every host.
func (f *Farm) Transport() *http.Transport {
	return &http.Transport{DialContext: f.DialContext, MaxIdleConns: 100, MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
}

// SetFault sets feed i's fault (None to heal it).
func (f *Farm) SetFault(i int, fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.feeds[i].fault = fault
}

// Advance publishes n new items in each of the share of feeds given (0 to
// 1, the first ones after a random start), and returns how many items it
// published.
func (f *Farm) Advance(share float64, n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := int(share*float64(len(f.feeds)) + 0.5)
	first := f.rng.IntN(len(f.feeds))
	for j := range k {
		fd := f.feeds[(first+j)%len(f.feeds)]
		for range n {
			f.publish(fd)
		}
		fd.version++
		fd.body = nil
	}
	return k * n
}

// Stats returns the farm's request counts.
func (f *Farm) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.total
}

// HostStats returns each host's requests, by host name.
func (f *Farm) HostStats() map[string]HostStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]HostStats, len(f.stats))
	for k, v := range f.stats {
		out[k] = *v
	}
	return out
}

// ResetStats forgets the requests counted so far (connections still
// open stay counted).
func (f *Farm) ResetStats() {
	f.mu.Lock()
	defer f.mu.Unlock()
	stats := map[string]*HostStats{}
	for k, v := range f.stats {
		if v.Conns > 0 {
			stats[k] = &HostStats{Conns: v.Conns, MaxConns: v.Conns}
		}
	}
	f.stats = stats
	f.total = Stats{}
}

// Body returns feed i's current document, as a 200 would serve it.
func (f *Farm) Body(i int) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.render(f.feeds[i])
}

func (f *Farm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(host, "f"), ".localhost"))
	f.mu.Lock()
	hs := f.host(host)
	now := time.Now()
	if hs.Requests > 0 {
		if d := now.Sub(hs.LastStart); hs.MinInterval == 0 || d < hs.MinInterval {
			hs.MinInterval = d
		}
	}
	hs.LastStart = now
	hs.Requests++
	hs.Active++
	hs.MaxActive = max(hs.MaxActive, hs.Active)
	f.total.Requests++
	f.total.Active++
	f.total.MaxActive = max(f.total.MaxActive, f.total.Active)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		hs.Active--
		f.total.Active--
		f.mu.Unlock()
	}()
	if f.opts.Hold > 0 {
		time.Sleep(f.opts.Hold)
	}
	if err != nil || i < 0 || i >= len(f.feeds) || r.URL.Path != "/feed" {
		http.NotFound(w, r)
		return
	}
	f.serveFeed(w, r, i)
}
