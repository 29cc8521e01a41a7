//go:build unix

// Command search measures the full-text search on SQLite: it generates a
// corpus of news items grouped in stories (by default 1,000,000 items in
// about 50,000 stories over five years), stores them as polls do, one
// transaction per batch, with the index written in the same transaction,
// and reports insert throughput, the latency of ten typical queries, the
// latency of polls while searches run, and database bytes per item.
//
//	go run ./bench/search -items 1000000 -db /tmp/bench.db
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// options are the command's flags.
type options struct {
	items, perStory, batch, runs, retentionDays int
	db, only, qprofile, cpuprofile              string
	reuse, prune                                bool
}

func main() {
	var o options
	flag.IntVar(&o.items, "items", 1_000_000, "items to generate")
	flag.IntVar(&o.perStory, "per-story", 20, "items per story, on average")
	flag.StringVar(&o.db, "db", "", "database file (default: a temporary one, removed after)")
	flag.IntVar(&o.batch, "batch", 200, "items per transaction (a poll)")
	flag.IntVar(&o.runs, "runs", 30, "runs of each query")
	flag.BoolVar(&o.reuse, "reuse", false, "query an existing -db without generating")
	flag.BoolVar(&o.prune, "prune", true, "at the end, time polls while retention prunes the oldest stories")
	flag.IntVar(&o.retentionDays, "retention", 1642, "retention in `days` for -prune (the stories are spread over 1,825)")
	flag.StringVar(&o.only, "only", "", "run only the queries containing this `text`")
	flag.StringVar(&o.qprofile, "qprofile", "", "write a CPU profile of the queries to this `file`")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the insert to this `file`")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// The ten typical queries: names, a phrase, Cyrillic, an alias, fields,
// prefixes, proximity, NOT, an outlet, a time window, a common word.
var queries = []struct{ q, since string }{
	{"Kabulov", ""},
	{`"zamir kabulov"`, ""},
	{"Кабулов", ""},
	{"@csto taliban", ""},
	{"title:tajikistan border", ""},
	{"sanction* -football", ""},
	{`"kabulov taliban"~10`, ""},
	{"source:tass.com lavrov", ""},
	{"security talks", "30d"},
	{"delist* OR (taliban NEAR/5 envoy)", "365d"},
}

var aliases = rules.Aliases{"csto": {"CSTO", "ОДКБ", "Collective Security Treaty Organization"}}

func run(ctx context.Context, o options) error {
	n, perStory, path, batch, runs := o.items, o.perStory, o.db, o.batch, o.runs
	if path == "" {
		dir, err := os.MkdirTemp("", "wirewatch-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "bench.db")
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	g := newGen(now)
	g.total = n / perStory
	if !o.reuse {
		fmt.Printf("generating %d items in about %d stories, %d a transaction\n", n, n/perStory, batch)
		profileStop := func() {}
		if o.cpuprofile != "" {
			f, err := os.Create(o.cpuprofile)
			if err != nil {
				return err
			}
			pprof.StartCPUProfile(f)
			profileStop = func() { pprof.StopCPUProfile(); f.Close() }
		}
		cpu0 := cpuTime()
		took, stories, err := insert(ctx, db, g, n, perStory, batch)
		cpu := cpuTime() - cpu0
		profileStop()
		if err != nil {
			return err
		}
		fmt.Printf("insert: %d items in %d stories in %s: %.0f items/s (index written in the same transactions); %.0f items per CPU-second (generation included)\n",
			n, stories, took.Round(time.Millisecond), float64(n)/took.Seconds(), float64(n)/cpu.Seconds())
	}
	if _, err := db.IndexRows(ctx); err != nil {
		return err
	}
	if err := size(ctx, db, path); err != nil {
		return err
	}
	// Queries, as the CLI runs them: ranked, the best 20 stories loaded.
	if o.qprofile != "" {
		f, err := os.Create(o.qprofile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	var all []time.Duration
	fmt.Printf("\n%-44s %8s %8s %8s %8s %8s\n", "query (the best 20 stories, loaded)", "shown", "p50", "p99", "max", "cpu")
	for _, qc := range queries {
		if !strings.Contains(qc.q, o.only) {
			continue
		}
		q, err := rules.ParseWith(qc.q, rules.Options{Aliases: aliases})
		if err != nil {
			return err
		}
		req := bot.SearchRequest{Query: q, Limit: 20, Now: now}
		label := qc.q
		if qc.since != "" {
			d, _ := time.ParseDuration(strings.TrimSuffix(qc.since, "d") + "h")
			req.Since = now.Add(-24 * d)
			label += " since:" + qc.since
		}
		var ds []time.Duration
		found := 0
		cpu0 := cpuTime()
		for range runs {
			start := time.Now()
			ids, err := bot.SearchStoryIDs(ctx, db, req)
			if err != nil {
				return fmt.Errorf("%s: %w", qc.q, err)
			}
			for _, id := range ids[:min(len(ids), 20)] {
				if _, err := db.Story(ctx, id); err != nil {
					return err
				}
			}
			ds = append(ds, time.Since(start))
			found = len(ids)
		}
		cpu := (cpuTime() - cpu0) / time.Duration(runs)
		all = append(all, ds...)
		fmt.Printf("%-44s %8d %8s %8s %8s %8s\n", label, found, pct(ds, 50), pct(ds, 99), pct(ds, 100), cpu.Round(10*time.Microsecond))
	}
	fmt.Printf("%-44s %8s %8s %8s %8s\n", "all queries", "", pct(all, 50), pct(all, 99), pct(all, 100))
	if o.only == "" {
		if err := pollsDuringSearches(ctx, db, g, now); err != nil {
			return err
		}
	}
	if !o.prune {
		return nil
	}
	return pollsDuringRetention(ctx, db, g, now, o.retentionDays)
}

// insert stores n items, a transaction per batch, and returns the time
// spent in the transactions and how many stories it made.
func insert(ctx context.Context, db *store.DB, g *gen, n, perStory, batch int) (time.Duration, int, error) {
	var took time.Duration
	type entry struct {
		s  *story
		it *feeds.Item
	}
	var pending []entry
	flush := func() error {
		start := time.Now()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for _, e := range pending {
				if e.s.dbID == 0 {
					var err error
					if e.s.dbID, err = tx.CreateStory(ctx, e.it.Title, fmt.Sprint(e.s.id), e.it.Published); err != nil {
						return err
					}
				}
				if _, err := tx.AddItem(ctx, e.it, nil, e.s.dbID, e.it.Published); err != nil {
					return err
				}
			}
			return nil
		})
		took += time.Since(start)
		pending = pending[:0]
		return err
	}
	stories := 0
	for done := 0; done < n; {
		s := g.story()
		stories++
		k := min(n-done, 1+g.r.IntN(2*perStory-1))
		for j := range k {
			pending = append(pending, entry{s, g.item(s, j)})
			if len(pending) == batch {
				if err := flush(); err != nil {
					return 0, 0, err
				}
			}
		}
		if done/100_000 != (done+k)/100_000 {
			fmt.Printf("  %d items, %.0f items/s\n", done+k, float64(done+k-len(pending))/took.Seconds())
		}
		done += k
	}
	if len(pending) > 0 {
		if err := flush(); err != nil {
			return 0, 0, err
		}
	}
	return took, stories, nil
}

// size prints the database's bytes per item, and the index's share.
func size(ctx context.Context, db *store.DB, path string) error {
	var total int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			total += fi.Size()
		}
	}
	rows, err := db.IndexRows(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("\ndatabase: %.1f MB for %d items: %.0f bytes an item\n", float64(total)/1e6, rows, float64(total)/float64(max(rows, 1)))
	return nil
}

// polls times n polls (transactions of 50 new items, 50 ms apart), each
// its own story, until n are done or stop is closed.
func polls(ctx context.Context, db *store.DB, g *gen, now time.Time, n int, stop <-chan struct{}) ([]time.Duration, error) {
	var ds []time.Duration
	for range n {
		select {
		case <-stop:
			return ds, nil
		default:
		}
		s := g.story()
		start := time.Now()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			sid, err := tx.CreateStory(ctx, "poll", "poll", now)
			if err != nil {
				return err
			}
			for j := range 50 {
				if _, err := tx.AddItem(ctx, g.item(s, j), nil, sid, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return ds, err
		}
		ds = append(ds, time.Since(start))
		time.Sleep(50 * time.Millisecond)
	}
	return ds, nil
}

// pollsDuringRetention times polls while retention prunes the stories
// older than -retention (by default four and a half years: about a tenth).
func pollsDuringRetention(ctx context.Context, db *store.DB, g *gen, now time.Time, retentionDays int) error {
	base, err := polls(ctx, db, g, now, 20, nil)
	if err != nil {
		return err
	}
	fmt.Printf("\npolls of 50 items, nothing else running: p50 %s, p99 %s, max %s\n", pct(base, 50), pct(base, 99), pct(base, 100))
	stop := make(chan struct{})
	var pruned int64
	var took time.Duration
	var perr error
	go func() {
		defer close(stop)
		start := time.Now()
		pruned, perr = db.Prune(ctx, now.Add(-time.Duration(retentionDays)*24*time.Hour), now)
		took = time.Since(start)
	}()
	ds, err := polls(ctx, db, g, now, 1_000_000, stop)
	<-stop
	if err != nil {
		return err
	}
	if perr != nil {
		return perr
	}
	fmt.Printf("retention pruned %d stories in %s; %d polls meanwhile: p50 %s, p99 %s, max %s\n",
		pruned, took.Round(time.Millisecond), len(ds), pct(ds, 50), pct(ds, 99), pct(ds, 100))
	return nil
}

// pollsDuringSearches times polls (transactions of 50 new items) while two
// goroutines search without pause, the heaviest queries.
func pollsDuringSearches(ctx context.Context, db *store.DB, g *gen, now time.Time) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var searches atomic.Int64
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ctx.Err() == nil; i++ {
				qc := queries[[]int{8, 5, 9, 0}[i%4]]
				q, _ := rules.ParseWith(qc.q, rules.Options{Aliases: aliases})
				bot.SearchStoryIDs(ctx, db, bot.SearchRequest{Query: q, Now: now})
				searches.Add(1)
			}
		}()
	}
	ds, err := polls(ctx, db, g, now, 40, nil)
	if err != nil {
		cancel()
		return err
	}
	cancel()
	wg.Wait()
	fmt.Printf("\npolls of 50 items during %d searches by 2 searchers: p50 %s, p99 %s, max %s\n",
		searches.Load(), pct(ds, 50), pct(ds, 99), pct(ds, 100))
	return nil
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pct returns the p-th percentile of ds.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(float64(p)/100*float64(len(s)))) - 1
	return s[max(i, 0)].Round(10 * time.Microsecond)
}
