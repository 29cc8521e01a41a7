//go:build unix

// Command capacity measures wirewatch's throughput on a feed farm: feeds
// polled per second when most answer 304 and when most changed, new items
// per CPU-second from bytes to outbox, CPU per 1,000 items, the messages
// then sent and their CPU (apart: messages wait until every feed of the
// pass is ingested), peak RSS, and gofeed's own parse rate on the same
// feeds in the same run.
//
//	go run ./bench/capacity -feeds 1000 -rules 100
//
// The farm runs in a child process (this command with -serve), so that the
// CPU measured is wirewatch's alone.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/jsonl"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/cli/memlimit"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "capacity:", err)
		os.Exit(1)
	}
}

type options struct {
	feeds, rules, maxItems, concurrency int
	minItems, minBytes, maxBytes        int
	sweep                               string
	memLimit                            int64
	seed                                uint64
	serve, broad                        bool
	cpuprofile, memprofile              string
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("capacity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.feeds, "feeds", 100, "feeds in the farm")
	fs.IntVar(&o.rules, "rules", 100, "rules")
	fs.IntVar(&o.maxItems, "max-items", 200, "most items per feed (-min-items to this, small ones more often)")
	fs.IntVar(&o.minItems, "min-items", 5, "fewest items per feed")
	fs.IntVar(&o.minBytes, "min-bytes", 1000, "shortest item text in bytes")
	fs.IntVar(&o.maxBytes, "max-bytes", 10000, "longest item text in bytes (-min-bytes to this, short ones more often)")
	fs.IntVar(&o.concurrency, "concurrency", feeds.DefaultFetchConcurrency, "feed requests at once")
	fs.Uint64Var(&o.seed, "seed", 1, "the farm's seed")
	fs.BoolVar(&o.broad, "broad", false, "rules of two common words anywhere, which nearly every item matches (default: two-word phrases, which about 1% of items match each)")
	fs.BoolVar(&o.serve, "serve", false, "serve the farm (the child process), reading commands on stdin")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the polls here")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a profile of what the polls allocated here")
	fs.StringVar(&o.sweep, "rules-sweep", "", "rule counts to measure one after another, each in a process of its own (e.g. 100,1000,10000); -rules is ignored")
	fs.Int64Var(&o.memLimit, "memlimit", 200<<20, "the Go heap's soft limit in bytes, as wirewatch sets it when GOMEMLIMIT is unset (0: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The farm takes its defaults for a range it cannot use: say so instead.
	if o.minItems < 1 || o.maxItems < o.minItems {
		return fmt.Errorf("-min-items %d and -max-items %d: want 1 ≤ min ≤ max", o.minItems, o.maxItems)
	}
	if o.minBytes < 1 || o.maxBytes < o.minBytes {
		return fmt.Errorf("-min-bytes %d and -max-bytes %d: want 1 ≤ min ≤ max", o.minBytes, o.maxBytes)
	}
	if o.serve {
		return serve(o, stdin, stdout)
	}
	if o.sweep != "" {
		return sweep(ctx, o.sweep, args, stdout)
	}
	return measure(ctx, o, stdout)
}

// sweep runs this command once per rule count in counts, each in a child
// process (so that each peak RSS is its own), with the other arguments.
func sweep(ctx context.Context, counts string, args []string, stdout io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := strings.TrimLeft(args[i], "-")
		name, _, hasValue := strings.Cut(a, "=")
		if name == "rules-sweep" || name == "rules" {
			if !hasValue {
				i++ // its value
			}
			continue
		}
		rest = append(rest, args[i])
	}
	for _, c := range strings.Split(counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			return fmt.Errorf("rules-sweep: %q is not a rule count", c)
		}
		cmd := exec.CommandContext(ctx, exe, append(slices.Clone(rest), "-rules", strconv.Itoa(n))...)
		cmd.Stdout, cmd.Stderr = stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%d rules: %w", n, err)
		}
	}
	return nil
}

// serve runs the farm, prints its address, then answers commands one a
// line: "advance SHARE N" (prints the items published), "body I" is not
// needed: the parent fetches documents over HTTP.
func serve(o options, stdin io.Reader, stdout io.Writer) error {
	fm, err := farm.Start(farm.Options{Feeds: o.feeds, Seed: o.seed,
		MinItems: o.minItems, MaxItems: o.maxItems, MinBytes: o.minBytes, MaxBytes: o.maxBytes})
	if err != nil {
		return err
	}
	defer fm.Close()
	fmt.Fprintln(stdout, fm.Addr())
	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "advance" {
			share, _ := strconv.ParseFloat(f[1], 64)
			n, _ := strconv.Atoi(f[2])
			fmt.Fprintln(stdout, fm.Advance(share, n))
			continue
		}
		if len(f) == 1 && f[0] == "stats" {
			st := fm.Stats()
			fmt.Fprintln(stdout, st.Requests, st.NotModified, st.Bytes)
			continue
		}
		fmt.Fprintln(stdout, "?")
	}
	return nil
}

// child is the farm process.
type child struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	addr string
}

func startChild(o options) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-serve", "-feeds", strconv.Itoa(o.feeds), "-max-items", strconv.Itoa(o.maxItems),
		"-min-items", strconv.Itoa(o.minItems), "-min-bytes", strconv.Itoa(o.minBytes), "-max-bytes", strconv.Itoa(o.maxBytes),
		"-seed", strconv.FormatUint(o.seed, 10))
	cmd.Stderr = os.Stderr
	in, _ := cmd.StdinPipe()
	outp, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, in: in, out: bufio.NewScanner(outp)}
	c.addr, err = c.line()
	return c, err
}

func (c *child) line() (string, error) {
	if !c.out.Scan() {
		return "", errors.New("farm process ended")
	}
	return c.out.Text(), nil
}

func (c *child) ask(cmd string) (string, error) {
	fmt.Fprintln(c.in, cmd)
	return c.line()
}

func (c *child) close() {
	c.in.Close()
	c.cmd.Wait()
}

// cpu returns the process's CPU time so far and its peak RSS in bytes.
func cpu() (time.Duration, int64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Maxrss * 1024
}

func measure(ctx context.Context, o options, stdout io.Writer) error {
	stopLimit := func() {}
	follow := o.memLimit > 0 && os.Getenv("GOMEMLIMIT") == "" // as wirewatch's main does
	if follow {
		stopLimit = memlimit.Follow(o.memLimit)
	}
	defer stopLimit()
	ch, err := startChild(o)
	if err != nil {
		return err
	}
	defer ch.close()
	_, port, _ := net.SplitHostPort(ch.addr)
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, ch.addr)
	}
	// As http.DefaultTransport: at most 100 idle connections in all.
	transport := &http.Transport{DialContext: dial, MaxIdleConns: 100, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second}

	dir, err := os.MkdirTemp("", "wirewatch-capacity-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "capacity.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return time.Now().UTC() }
	rs, err := makeRules(o.rules, o.broad)
	if err != nil {
		return err
	}
	var outBytes, outLines atomic.Int64
	held := &heldWriter{w: countWriter{&outBytes, &outLines}}
	out := jsonl.NewWriter(held)
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{Transport: transport, FetchConcurrency: o.concurrency})
	pipeline := bot.NewPipeline(db, stories.NewSimilar(stories.SimilarOptions{}), rs, log, now)
	if err := pipeline.LoadIndex(ctx); err != nil {
		return err
	}
	sched, _ := cron.ParseStandard("*/5 * * * *")
	var fl []bot.Feed
	for i := range o.feeds {
		fl = append(fl, bot.Feed{Name: fmt.Sprintf("f%d", i), URL: "http://" + farm.Host(i) + ":" + port + "/feed",
			Schedule: sched, MaxAge: 48 * time.Hour})
	}
	pipeline.SetFeeds(fl) // as run does: consolidation alerts a merged story
	var mu sync.Mutex
	var polls, failed, newItems, notModified int
	var ingestCPU time.Duration
	svc := &schedule.Service{DB: db, Poller: bot.NewPoller(db, fetcher, pipeline, log, now),
		Dispatcher: bot.NewDispatcher(db, rs, map[string]bot.Sender{"out": out}, log, now),
		Digester:   schedule.NewDigester(db, rs, time.UTC, log, now), Feeds: fl, Log: log, Now: now, Concurrency: o.concurrency,
		OnPoll: func(f bot.Feed, res bot.PollResult, err error) {
			mu.Lock()
			defer mu.Unlock()
			polls++
			if err != nil {
				failed++
			}
			newItems += res.New
			if res.NotModified {
				notModified++
			}
			if polls == len(fl) {
				// Every feed is ingested: what is left is delivery.
				ingestCPU, _ = cpu()
				held.release()
			}
		}}
	if o.cpuprofile != "" {
		pf, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	kind := "phrase"
	if o.broad {
		kind = "broad"
	}
	limit := "none"
	if l := debug.SetMemoryLimit(-1); l < math.MaxInt64 {
		limit = strconv.FormatInt(l>>20, 10) + " MB"
		if follow {
			limit += fmt.Sprintf(", or %.2f× the live heap past it", memlimit.Headroom)
		}
	}
	fmt.Fprintf(stdout, "capacity: %d feeds, %d %s rules, %d cores (GOMAXPROCS %d), %s, memory limit %s\n", o.feeds, o.rules, kind,
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), limit)
	fmt.Fprintf(stdout, "%-14s %7s %6s %5s %8s %8s %9s %10s %11s %9s %7s %10s %8s\n", "pass", "feeds", "304", "fail", "new", "wall_s",
		"cpu_s", "feeds/s", "new/cpu_s", "cpu_ms/1k", "sent", "send_cpu_s", "rss_MB")
	var firstRate float64
	pass := func(name string) error {
		mu.Lock()
		polls, failed, newItems, notModified = 0, 0, 0, 0
		mu.Unlock()
		// Messages wait until every feed is ingested, so that the CPU from
		// bytes to outbox and the CPU of delivery are measured apart.
		held.hold()
		sent0 := outLines.Load()
		c0, _ := cpu()
		t0 := time.Now()
		if _, err := svc.Once(ctx, false); err != nil {
			held.release()
			return fmt.Errorf("%s: %w", name, err)
		}
		wall := time.Since(t0)
		c1, rss := cpu()
		mu.Lock()
		defer mu.Unlock()
		c, send := ingestCPU-c0, c1-ingestCPU
		perK, rate := 0.0, 0.0
		if newItems > 0 {
			perK = float64(c.Milliseconds()) * 1000 / float64(newItems)
			rate = float64(newItems) / c.Seconds()
		}
		if firstRate == 0 {
			firstRate = rate
		}
		fmt.Fprintf(stdout, "%-14s %7d %6d %5d %8d %8.2f %9.2f %10.0f %11.0f %9.0f %7d %10.2f %8.0f\n", name, polls, notModified, failed, newItems,
			wall.Seconds(), c.Seconds(), float64(polls)/wall.Seconds(), rate, perK, outLines.Load()-sent0, send.Seconds(), float64(rss)/(1<<20))
		return nil
	}
	if err := pass("first (all new)"); err != nil {
		return err
	}
	if err := pass("all 304"); err != nil {
		return err
	}
	if _, err := ch.ask("advance 0.1 3"); err != nil {
		return err
	}
	if err := pass("10% changed"); err != nil {
		return err
	}
	if _, err := ch.ask("advance 1 5"); err != nil {
		return err
	}
	if err := pass("all changed"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "outbox: %d bytes written to the channel\n", outBytes.Load())
	if o.cpuprofile != "" {
		pprof.StopCPUProfile() // gofeed alone is not profiled
	}
	if o.memprofile != "" {
		if err := writeHeapProfile(o.memprofile); err != nil {
			return err
		}
	}
	stopLimit() // parseRate measures gofeed without a limit
	rate, err := parseRate(ctx, fl, transport, stdout)
	if err == nil && firstRate > 0 {
		fmt.Fprintf(stdout, "first pass, bytes to outbox: 1/%.1f of gofeed's parse rate\n", rate/firstRate)
	}
	return err
}

// parseRate fetches every feed's document and reports gofeed's parse rate
// on them, and returns it, in items per CPU-second.
func parseRate(ctx context.Context, fl []bot.Feed, rt http.RoundTripper, stdout io.Writer) (float64, error) {
	client := &http.Client{Transport: rt, Timeout: time.Minute}
	var docs [][]byte
	var size int64
	for _, f := range fl {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		docs = append(docs, b)
		size += int64(len(b))
	}
	// The documents alone may exceed the memory limit set for wirewatch:
	// gofeed is measured without one, as it would run by itself.
	debug.SetMemoryLimit(math.MaxInt64)
	runtime.GC()
	c0, _ := cpu()
	items := 0
	p := gofeed.NewParser()
	for _, d := range docs {
		parsed, err := p.ParseString(string(d))
		if err != nil {
			return 0, err
		}
		items += len(parsed.Items)
	}
	c, _ := cpu()
	c -= c0
	rate := float64(items) / c.Seconds()
	fmt.Fprintf(stdout, "gofeed alone: %d items (%d MB) in %.2f CPU-s: %.0f items per CPU-second\n", items, size>>20, c.Seconds(), rate)
	return rate, nil
}

// makeRules returns n alert rules in the channel "out" on the farm's
// vocabulary (farm.RuleQueries).
func makeRules(n int, broad bool) ([]bot.Rule, error) {
	var rs []bot.Rule
	for i, src := range farm.RuleQueries(n, broad) {
		q, err := rules.Parse(src)
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", src, err)
		}
		rs = append(rs, bot.Rule{Name: fmt.Sprintf("r%d", i), Query: q, Channels: []string{"out"}, Mode: bot.ModeAlert})
	}
	return rs, nil
}
