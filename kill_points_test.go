package main

import (
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot/crash"
)

// killNews is a few outlets' feeds, published in rounds: each round,
// events that several outlets report in their own words.
type killNews struct {
	srv     *newsServer
	rng     *rand.Rand
	now     time.Time
	outlets []string
	items   [][]rssItem
	round   int
}

func (k *killNews) publish() {
	words := strings.Fields("ceasefire talks border drone strike minister court ruling flood dam protest capital " +
		"election recount sanctions oil tanker summit envoy embassy hostage release outbreak vaccine strike port")
	for e := range 2 {
		event := k.round*2 + e
		w := make([]string, 4)
		for i := range w {
			w[i] = words[k.rng.IntN(len(words))]
		}
		at := k.now.Add(time.Duration(-200+event*3) * time.Minute)
		for o, outlet := range k.outlets {
			if k.rng.IntN(3) == 0 {
				continue // this outlet does not report it
			}
			url := fmt.Sprintf("https://%s/news/%d", outlet, event)
			k.items[o] = append(k.items[o], rssItem{GUID: url, Link: url,
				Title:     fmt.Sprintf("%s %s: %s and %s in event %d", strings.ToUpper(w[0][:1])+w[0][1:], w[1], w[2], w[3], event),
				Text:      fmt.Sprintf("Officials said the %s %s went on as %s and %s were reported (event %d, %s).", w[0], w[1], w[2], w[3], event, outlet),
				Published: at.Add(time.Duration(o) * time.Minute)})
		}
	}
	k.round++
	k.set()
}

func (k *killNews) set() {
	for o, outlet := range k.outlets {
		k.srv.set("/"+strings.Split(outlet, ".")[0]+".xml", rss("https://"+outlet, outlet, k.items[o]...))
	}
}

// killConfig writes a config of the outlets' feeds, one rule matching
// every item, delivering to a JSONL file in dir.
func killConfig(t *testing.T, dir, base string, outlets []string) (cfg, out string) {
	t.Helper()
	out = filepath.Join(dir, "alerts.jsonl")
	var b strings.Builder
	// The feeds share one host: no interval between their requests.
	fmt.Fprintf(&b, "[store]\npath = %q\n\n[defaults]\nschedule = \"@every 1s\"\nhost_interval = \"1ms\"\nhost_concurrency = 8\n\n", filepath.Join(dir, "w.db"))
	for _, o := range outlets {
		name := strings.Split(o, ".")[0]
		fmt.Fprintf(&b, "[[feed]]\nname = %q\nurl = %q\n\n", name, base+"/"+name+".xml")
	}
	fmt.Fprintf(&b, "[[channel]]\nname = \"out\"\njsonl = %q\n\n[[rule]]\nname = \"any\"\nquery = 'said'\nchannels = [\"out\"]\n", out)
	cfg = filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, out
}

// onceKilledAt runs `wirewatch once`, which kills itself (SIGKILL) at the
// n-th point of kind ("any", or one of crash.Env's names: a feed fetched,
// a batch about to commit or committed, a delivery started or sent) it
// passes, in whatever order the work goes. It reports whether the process was killed (false:
// it finished first, successfully) and where.
func onceKilledAt(t *testing.T, bin, cfg, kind string, n int) (bool, string) {
	t.Helper()
	cmd := exec.Command(bin, "once", "-config", cfg)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d", crash.Env, kind, n))
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
		_, at, _ := strings.Cut(string(out), "crash: killed at ")
		return true, strings.TrimSpace(at)
	}
	if err != nil {
		t.Fatalf("once, not killed, failed: %v\n%s", err, out)
	}
	return false, ""
}

// runState is what a run left: the items stored, the outbox, and the lines
// delivered.
type runState struct {
	items      []string          // feed/guid, sorted
	deliveries map[int64]bool    // outbox id → sent
	lines      []deliveryLine    // the JSONL file
	stories    map[string]string // item URL → the URLs of its story's items (the grouping)
}

func readRun(t *testing.T, dir, out string) runState {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "w.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := runState{deliveries: map[int64]bool{}, stories: map[string]string{}}
	rows, err := db.Query(`SELECT feed, guid, url, story_id FROM items ORDER BY feed, guid`)
	if err != nil {
		t.Fatal(err)
	}
	byStory := map[int64][]string{}
	var urls []string
	var ids []int64
	for rows.Next() {
		var feed, guid, url string
		var story int64
		if err := rows.Scan(&feed, &guid, &url, &story); err != nil {
			t.Fatal(err)
		}
		st.items = append(st.items, feed+"/"+guid)
		byStory[story] = append(byStory[story], url)
		urls, ids = append(urls, url), append(ids, story)
	}
	rows.Close()
	for i, url := range urls {
		members := slices.Clone(byStory[ids[i]])
		slices.Sort(members)
		st.stories[url] = strings.Join(members, " ")
	}
	rows, err = db.Query(`SELECT id, sent_at FROM deliveries`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, sent int64
		if err := rows.Scan(&id, &sent); err != nil {
			t.Fatal(err)
		}
		st.deliveries[id] = sent != 0
	}
	rows.Close()
	b, _ := os.ReadFile(out)
	st.lines = parseLines(t, string(b))
	return st
}

// TestKillAtTwentyPointsMatchesUnkilledRun: news comes in rounds; each
// round, `wirewatch once` is SIGKILLed at a point drawn by a seeded random
// generator (its n-th crash point, of any kind or of one: a fetch done, a
// batch before or after its commit, a delivery started or sent), then
// started again, until 20 runs died. A last run
// finishes. Compared with a run of the same rounds never killed: every
// item is stored, every queued delivery was written exactly once (no
// delivery id twice, none lost), each story alerted once in the channel,
// and the items are grouped alike.
func TestKillAtTwentyPointsMatchesUnkilledRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	const kills, seed = 20, 16
	outlets := []string{"tass.com", "tolonews.com", "afghanistantimes.af", "reuters.com", "apnews.com", "aljazeera.com"}
	now := time.Now().UTC()
	rounds := 0               // the killed run's, which the unkilled one publishes too
	where := map[string]int{} // kills by point
	run := func(killed bool) runState {
		srv := newNewsServer(t)
		news := &killNews{srv: srv, rng: rand.New(rand.NewPCG(seed, 1)), now: now, outlets: outlets, items: make([][]rssItem, len(outlets))}
		points := rand.New(rand.NewPCG(seed, 2))
		dir := t.TempDir()
		cfg, out := killConfig(t, dir, srv.URL, outlets)
		died := 0
		for life := 0; killed && died < kills && life < 3*kills || !killed && news.round < rounds; life++ {
			if life%2 == 0 {
				news.publish()
			}
			if !killed {
				if code, _, stderr := runCmd(t, "once", "-config", cfg); code != exitOK {
					t.Fatalf("once exit %d:\n%s", code, stderr)
				}
				continue
			}
			// Each kind of point in turn, and any; the n-th drawn.
			kind := []string{"any", "fetched", "ingest", "ingested", "send", "sent"}[died%6]
			most := 2 // a run has few batches, and few deliveries
			switch kind {
			case "any":
				most = 16
			case "fetched":
				most = len(outlets)
			}
			n := 1 + points.IntN(most)
			if ok, at := onceKilledAt(t, bin, cfg, kind, n); ok {
				died++
				where[at]++
			}
		}
		if killed {
			rounds = news.round
		}
		if killed && died < kills {
			t.Fatalf("only %d runs were killed, want %d", died, kills)
		}
		// The last run finishes what the killed ones left.
		if code, _, stderr := runCmd(t, "once", "-config", cfg); code != exitOK {
			t.Fatalf("last once exit %d:\n%s", code, stderr)
		}
		return readRun(t, dir, out)
	}
	got := run(true)
	want := run(false)
	t.Logf("killed at: %v", where)
	for _, kind := range []string{"fetched", "ingest", "ingested", "send", "sent"} {
		if where[kind] == 0 {
			t.Errorf("kills at %v, want some at %s", where, kind)
		}
	}

	if !slices.Equal(got.items, want.items) {
		t.Errorf("items stored: %d, want %d (the unkilled run's)\ngot  %q\nwant %q", len(got.items), len(want.items), got.items, want.items)
	}
	for name, st := range map[string]runState{"killed": got, "unkilled": want} {
		written := map[int64]int{}
		alerted := map[string]int{}
		for _, l := range st.lines {
			written[l.ID]++
			if l.Kind == "alert" {
				for _, s := range l.Stories {
					alerted[s.ID]++
				}
			}
		}
		for id, n := range written {
			if n > 1 {
				t.Errorf("%s run: delivery %d written %d times", name, id, n)
			}
			if _, ok := st.deliveries[id]; !ok {
				t.Errorf("%s run: delivery %d written but not in the outbox", name, id)
			}
		}
		for id, sent := range st.deliveries {
			if !sent || written[id] != 1 {
				t.Errorf("%s run: delivery %d sent %v, written %d times; want sent, written once", name, id, sent, written[id])
			}
		}
		for story, n := range alerted {
			if n > 1 {
				t.Errorf("%s run: story %s alerted %d times in the channel", name, story, n)
			}
		}
		if len(alerted) == 0 {
			t.Errorf("%s run: nothing alerted", name)
		}
	}
	for url, members := range want.stories {
		if got.stories[url] != members {
			t.Errorf("%s is grouped with [%s], want [%s] (as unkilled)", url, got.stories[url], members)
		}
	}
}
