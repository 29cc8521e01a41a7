package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/config"
)

// reloadEnv is a running daemon on a file feed, and what the test changes.
type reloadEnv struct {
	t      *testing.T
	dir    string
	feed   string // the RSS file
	config string
	log    *bottest.SyncBuffer
	hup    chan os.Signal
	items  []string // titles in the feed
	mtime  time.Time

	mu      sync.Mutex
	refused []error // what OnRefused heard
}

// feedItem is an item of the test feed.
func (e *reloadEnv) addItem(title string) {
	e.t.Helper()
	e.items = append(e.items, title)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example</link>`)
	now := time.Now().UTC()
	for i, it := range e.items {
		fmt.Fprintf(&b, `<item><guid>https://wire.example/%d</guid><link>https://wire.example/%d</link><title>%s</title><description>%s</description><pubDate>%s</pubDate></item>`,
			i, i, html.EscapeString(it), html.EscapeString(it+"."), now.Add(-time.Duration(len(e.items)-i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	if err := os.WriteFile(e.feed, []byte(b.String()), 0o644); err != nil {
		e.t.Fatal(err)
	}
	// The file's time is its Last-Modified, in whole seconds: make each
	// version newer than the last.
	e.mtime = e.mtime.Add(2 * time.Second)
	if err := os.Chtimes(e.feed, e.mtime, e.mtime); err != nil {
		e.t.Fatal(err)
	}
}

// writeConfig writes the configuration file: the store, the feed, the
// channels "out" and "second", and what rules (TOML) says.
func (e *reloadEnv) writeConfig(rules string) {
	e.t.Helper()
	cfg := fmt.Sprintf(`[store]
path = %q

[defaults]
schedule = "@every 1s"

[[feed]]
name = "wire"
url = %q

[[channel]]
name = "out"
jsonl = %q

[[channel]]
name = "second"
jsonl = %q

%s`, filepath.Join(e.dir, "w.db"), e.feed, filepath.Join(e.dir, "out.jsonl"), filepath.Join(e.dir, "second.jsonl"), rules)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// startReloadEnv starts run on a feed with one item and a rule for it.
func startReloadEnv(t *testing.T, poll time.Duration) *reloadEnv {
	dir := t.TempDir()
	e := &reloadEnv{t: t, dir: dir, feed: filepath.Join(dir, "wire.xml"), config: filepath.Join(dir, "wirewatch.toml"),
		log: &bottest.SyncBuffer{}, hup: make(chan os.Signal, 1), mtime: time.Now().Add(-time.Hour)}
	e.addItem("Kabulov meets the Taliban in Kabul")
	e.writeConfig(ruleKabulov)
	cfg, err := loadConfig(e.config)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runDaemon(ctx, cfg, &bytes.Buffer{}, e.log, daemonOptions{hup: e.hup, reloadPoll: poll,
			onReloadRefused: func(_ context.Context, _ string, err error) {
				e.mu.Lock()
				e.refused = append(e.refused, err)
				e.mu.Unlock()
			}})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v\n%s", err, e.log.String())
		}
	})
	e.wait("the first alert", func() bool { return len(e.deliveries("out")) == 1 })
	return e
}

const ruleKabulov = `[[rule]]
name = "kabulov"
query = "kabulov"
channels = ["out"]
`

// delivery is what the test reads of a jsonl delivery line.
type delivery struct {
	Kind    string `json:"kind"`
	Stories []struct {
		Title string   `json:"title"`
		Rules []string `json:"rules"`
	} `json:"stories"`
}

// deliveries returns the lines a jsonl channel received.
func (e *reloadEnv) deliveries(channel string) []delivery {
	b, _ := os.ReadFile(filepath.Join(e.dir, channel+".jsonl"))
	var out []delivery
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l == "" {
			continue
		}
		var d delivery
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			e.t.Fatalf("delivery line %q: %v", l, err)
		}
		out = append(out, d)
	}
	return out
}

// wait polls cond until it holds, or fails the test after 30 seconds.
func (e *reloadEnv) wait(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s; log:\n%s", what, e.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logCount returns how many log lines hold s.
func (e *reloadEnv) logCount(s string) int { return strings.Count(e.log.String(), s) }

// TestReloadUnderRunningPipeline edits the configuration of a running
// `run`: a new rule (through an alias) sending to a channel that had no
// rule matches the next item; a broken edit is refused with every error's
// line and key, and the old rules keep matching; feeds says which
// configuration is live.
func TestReloadUnderRunningPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon")
	}
	e := startReloadEnv(t, 50*time.Millisecond)

	e.writeConfig(ruleKabulov + `
[[rule]]
name = "csto"
query = "@CSTO"
channels = ["second"]

[alias]
CSTO = ["CSTO", "ОДКБ", "Collective Security Treaty Organization"]
`)
	e.wait("the reload", func() bool { return e.logCount("msg=\"config reloaded\"") == 1 })
	if log := e.log.String(); !strings.Contains(log, "generation=2") || !strings.Contains(log, "rules_added=[csto]") {
		t.Errorf("the reload's log line does not give the generation and the new rule:\n%s", log)
	}
	e.addItem("ОДКБ проведёт учения у афганской границы")
	e.wait("the new rule's alert", func() bool { return len(e.deliveries("second")) == 1 })
	if d := e.deliveries("second")[0]; d.Kind != "alert" || !slices.Contains(d.Stories[0].Rules, "csto") {
		t.Errorf("second channel got %+v, want the csto alert", d)
	}

	// A broken edit: a query that does not parse and a misspelt key (so
	// the rule has no channels either).
	e.writeConfig(`[[rule]]
name = "kabulov"
query = "kabulov"
channels = ["out"]

[[rule]]
name = "csto"
query = "csto AND ("
chanels = ["second"]
`)
	// The hook hears of the refusal after it is logged: wait for both.
	e.wait("the refusal", func() bool {
		e.mu.Lock()
		heard := len(e.refused)
		e.mu.Unlock()
		return heard == 1 && e.logCount("config reload refused") == 1
	})
	log := e.log.String()
	for _, want := range []string{
		`line=27 key=rule[1].chanels error="unknown key (did you mean \"channels\"?)"`,
		`line=26 key=rule[1].query error="column 10: unclosed parenthesis"`,
		`line=24 key=rule[1].channels error="name at least one channel"`,
		"the running configuration stays",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	e.mu.Lock()
	refused := slices.Clone(e.refused)
	e.mu.Unlock()
	var cerrs config.Errors
	if len(refused) != 1 || !errors.As(refused[0], &cerrs) || len(cerrs) != 3 {
		t.Errorf("OnRefused heard %v, want one refusal with 3 config errors", refused)
	}
	// The old rules keep running: the alias matches in English too.
	e.addItem("Collective Security Treaty Organization to hold drills in Tajikistan")
	e.wait("the old rule's alert", func() bool { return len(e.deliveries("second")) == 2 })

	var feeds bytes.Buffer
	ctx := context.Background()
	db, err := openStore(ctx, &config.Config{Store: config.Store{Path: filepath.Join(e.dir, "w.db")}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{Path: e.config, Hash: fileHash(e.config)}
	if err := writeLiveConfig(ctx, &feeds, db, cfg, time.UTC); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"config: generation 2 live since", "this file differs", "reload REFUSED", "3 errors", "wirewatch.toml:27: rule[1].chanels: unknown key"} {
		if !strings.Contains(feeds.String(), want) {
			t.Errorf("feeds does not say %q:\n%s", want, feeds.String())
		}
	}
}

// TestReloadOnSIGHUP reloads on the signal alone (the file is not watched
// here), and reports settings that need a restart.
func TestReloadOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon")
	}
	e := startReloadEnv(t, -1)
	e.writeConfig(ruleKabulov + `
[[rule]]
name = "taliban"
query = "taliban"
channels = ["second"]

[http]
listen = "127.0.0.1:0"
`)
	e.hup <- syscall.SIGHUP
	e.wait("the reload", func() bool { return e.logCount("config reloaded") == 1 })
	// The one reload is the signal's: the file alone (not watched) did not
	// reload it first.
	if e.logCount("cause=SIGHUP generation=2") != 1 {
		t.Errorf("the reload was not the signal's:\n%s", e.log.String())
	}
	if !strings.Contains(e.log.String(), `keys=[http.listen]`) {
		t.Errorf("the log does not say that http.listen needs a restart:\n%s", e.log.String())
	}
	e.addItem("Taliban name a new envoy")
	e.wait("the new rule's alert", func() bool { return len(e.deliveries("second")) == 1 })
}
