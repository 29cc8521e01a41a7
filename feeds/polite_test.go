package feeds_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/feeds"
)

// fetchAll fetches each URL once, all at once.
func fetchAll(t *testing.T, f *feeds.Fetcher, urls []string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), feeds.Request{URL: u}); err != nil {
				t.Errorf("fetch %s: %v", u, err)
			}
		})
	}
	wg.Wait()
}

func startFarm(t *testing.T, opts farm.Options) *farm.Farm {
	t.Helper()
	fm, err := farm.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	return fm
}

func TestFetcherHostConcurrency(t *testing.T) {
	fm := startFarm(t, farm.Options{Feeds: 3, MaxItems: 5, MaxBytes: 1000, Hold: 30 * time.Millisecond})
	tests := []struct {
		name    string
		perHost int
		want    int
	}{
		{"default", 0, feeds.DefaultHostConcurrency},
		{"one", 1, 1},
		{"three", 3, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fm.ResetStats()
			tr := fm.Transport()
			defer tr.CloseIdleConnections()
			f := feeds.NewFetcher(feeds.FetcherOptions{Transport: tr, HostConcurrency: tc.perHost})
			var urls []string
			for range 8 {
				for i := range 3 {
					urls = append(urls, fm.URL(i))
				}
			}
			fetchAll(t, f, urls)
			for i := range 3 {
				hs := fm.HostStats()[farm.Host(i)]
				if hs.Requests != 8 {
					t.Errorf("%s: got %d requests, want 8", farm.Host(i), hs.Requests)
				}
				if hs.MaxActive != tc.want {
					t.Errorf("%s: got %d requests at once at most, want %d", farm.Host(i), hs.MaxActive, tc.want)
				}
				if hs.MaxConns > tc.want {
					t.Errorf("%s: got %d connections open at once at most, want %d at most", farm.Host(i), hs.MaxConns, tc.want)
				}
			}
		})
	}
}

func TestFetcherFetchConcurrency(t *testing.T) {
	fm := startFarm(t, farm.Options{Feeds: 30, MaxItems: 5, MaxBytes: 1000, Hold: 20 * time.Millisecond})
	f := feeds.NewFetcher(feeds.FetcherOptions{Transport: fm.Transport(), FetchConcurrency: 5})
	var urls []string
	for i := range 30 {
		urls = append(urls, fm.URL(i))
	}
	fetchAll(t, f, urls)
	st := fm.Stats()
	if st.Requests != 30 {
		t.Errorf("got %d requests, want 30", st.Requests)
	}
	if st.MaxActive != 5 {
		t.Errorf("got %d requests at once at most, want 5", st.MaxActive)
	}
}

func TestFetcherHostInterval(t *testing.T) {
	fm := startFarm(t, farm.Options{Feeds: 2, MaxItems: 5, MaxBytes: 1000})
	const interval = 60 * time.Millisecond
	f := feeds.NewFetcher(feeds.FetcherOptions{Transport: fm.Transport(), HostInterval: interval})
	fetchAll(t, f, []string{fm.URL(0), fm.URL(0), fm.URL(0), fm.URL(0), fm.URL(1), fm.URL(1)})
	for i, n := range []int{4, 2} {
		hs := fm.HostStats()[farm.Host(i)]
		if hs.Requests != n {
			t.Errorf("%s: got %d requests, want %d", farm.Host(i), hs.Requests, n)
		}
		// The farm sees a start a little after the fetcher let it go.
		if hs.MinInterval < interval-10*time.Millisecond {
			t.Errorf("%s: got %v between two requests, want at least %v", farm.Host(i), hs.MinInterval, interval)
		}
	}
}

func TestFetcherLimitHonoursContext(t *testing.T) {
	fm := startFarm(t, farm.Options{Feeds: 1, MaxItems: 5, MaxBytes: 1000, Hold: time.Second})
	f := feeds.NewFetcher(feeds.FetcherOptions{Transport: fm.Transport(), HostConcurrency: 1})
	go f.Fetch(context.Background(), feeds.Request{URL: fm.URL(0)})
	// Until the first fetch holds the host's one slot (the farm has its
	// request, which it holds for a second).
	for deadline := time.Now().Add(10 * time.Second); fm.HostStats()[farm.Host(0)].Requests == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the first fetch never reached the farm")
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.Fetch(ctx, feeds.Request{URL: fm.URL(0)}); err == nil {
		t.Fatal("a fetch waiting for a busy host past its deadline succeeded")
	}
}

// TestFetcherHostIntervalUnderGlobalLimit: requests to one host that wait
// for global slots still start an interval apart when two slots come free
// at once.
func TestFetcherHostIntervalUnderGlobalLimit(t *testing.T) {
	fm := startFarm(t, farm.Options{Feeds: 3, MaxItems: 5, MaxBytes: 1000, Hold: 300 * time.Millisecond})
	const interval = 100 * time.Millisecond
	f := feeds.NewFetcher(feeds.FetcherOptions{Transport: fm.Transport(), FetchConcurrency: 2, HostConcurrency: 2, HostInterval: interval})
	var wg sync.WaitGroup
	for _, i := range []int{1, 2} { // the two global slots, held 300 ms
		wg.Go(func() { f.Fetch(context.Background(), feeds.Request{URL: fm.URL(i)}) })
	}
	// Until both hold their global slot (the farm has their requests).
	for deadline := time.Now().Add(10 * time.Second); ; {
		hs := fm.HostStats()
		if hs[farm.Host(1)].Requests == 1 && hs[farm.Host(2)].Requests == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the two fetches holding the global slots never reached the farm")
		}
		time.Sleep(time.Millisecond)
	}
	fetchAll(t, f, []string{fm.URL(0), fm.URL(0)})
	wg.Wait()
	hs := fm.HostStats()[farm.Host(0)]
	if hs.Requests != 2 {
		t.Fatalf("%s: got %d requests, want 2", farm.Host(0), hs.Requests)
	}
	if hs.MinInterval < interval-10*time.Millisecond {
		t.Errorf("%s: got %v between two requests, want at least %v", farm.Host(0), hs.MinInterval, interval)
	}
}
