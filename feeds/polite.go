package feeds

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Politeness defaults: concurrency when FetcherOptions leaves it zero; the
// host interval is the configuration's default (FetcherOptions' zero means
// none, as tests want).
const (
	DefaultHostConcurrency  = 2                      // requests at once to one host name
	DefaultHostInterval     = 250 * time.Millisecond // between the starts of two requests to one host name
	DefaultFetchConcurrency = 16                     // HTTP requests at once in all
)

// limiter bounds HTTP requests: in all, per host name at once, and how soon
// after another one a request to the same host name may start. Hosts are
// keyed on their lower-cased name without port: f1.example and f2.example
// are two hosts even on one address, as on the internet; one name on two
// ports is one host. Safe for concurrent use.
type limiter struct {
	global   chan struct{}
	perHost  int
	interval time.Duration
	now      func() time.Time

	mu    sync.Mutex
	hosts map[string]*hostSlot
	calls int // acquires since the last sweep of idle hosts
}

// hostSlot is one host's state; it is dropped when no request holds or
// waits for it and its interval has passed.
type hostSlot struct {
	sem   chan struct{}
	next  time.Time // the earliest start of the next request
	users int       // requests holding or waiting for sem
}

func newLimiter(global, perHost int, interval time.Duration) *limiter {
	return &limiter{global: make(chan struct{}, global), perHost: perHost, interval: interval,
		now: time.Now, hosts: map[string]*hostSlot{}}
}

// hostKey returns the key of u's host: its lower-cased name.
func hostKey(u *url.URL) string {
	return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
}

// acquire waits for a request to host to be allowed to start and returns
// the function that ends it, or ctx's error.
func (l *limiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	if l.calls++; l.calls >= 1024 {
		l.sweep()
	}
	h := l.hosts[host]
	if h == nil {
		h = &hostSlot{sem: make(chan struct{}, l.perHost)}
		l.hosts[host] = h
	}
	h.users++
	l.mu.Unlock()
	leave := func() {
		l.mu.Lock()
		if h.users--; h.users == 0 && !h.next.After(l.now()) {
			delete(l.hosts, host)
		}
		l.mu.Unlock()
	}
	// The host first, then the global slot: a request waiting for a busy
	// host must not hold a slot others could use. The host's interval is
	// taken once the global slot is held, so that it separates the starts
	// of requests: taken before, two requests to one host that waited for
	// global slots could start together when two came free.
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
	for {
		l.mu.Lock()
		wait := h.next.Sub(l.now())
		l.mu.Unlock()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				<-h.sem
				leave()
				return nil, ctx.Err()
			}
		}
		select {
		case l.global <- struct{}{}:
		case <-ctx.Done():
			<-h.sem
			leave()
			return nil, ctx.Err()
		}
		l.mu.Lock()
		now := l.now()
		if !h.next.After(now) {
			h.next = now.Add(l.interval)
			l.mu.Unlock()
			break
		}
		// Another request to the host started while this one waited for
		// its global slot: give the slot back and wait for the interval.
		l.mu.Unlock()
		<-l.global
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-l.global
			<-h.sem
			leave()
		})
	}, nil
}

// sweep drops the hosts no request holds or waits for whose interval has
// passed; l.mu is held.
func (l *limiter) sweep() {
	l.calls = 0
	now := l.now()
	for k, h := range l.hosts {
		if h.users == 0 && !h.next.After(now) {
			delete(l.hosts, k)
		}
	}
}
