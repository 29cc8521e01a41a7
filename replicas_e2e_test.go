package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the tests read the replicas' database
	_ "modernc.org/sqlite"             // and the single process's

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// Replica test settings: a tick of the feeds' schedule, the lease, and the
// least B-cubed F1 of the replicas' grouping against one process's (issue
// 17 asks 0.98): one process fed the same items in the same order, and one
// process polling the same feeds by itself, which meets the items in an
// order of its own (see TestReplicasDeliverOnce).
const (
	replicaTick  = 2 * time.Second
	replicaLease = 3 * time.Second
	minReplicaF1 = 0.98
)

// hookSink records the deliveries POSTed to a webhook channel.
type hookSink struct {
	mu    sync.Mutex
	lines []deliveryLine
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var d deliveryLine
	if err := json.Unmarshal(body, &d); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.lines = append(h.lines, d)
	h.mu.Unlock()
}

// alerts returns how many alerts arrived for each (story, channel).
func (h *hookSink) alerts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for _, d := range h.lines {
		if d.Kind != "alert" {
			continue
		}
		for _, s := range d.Stories {
			out[s.ID+" in "+d.Channel]++
		}
	}
	return out
}

// replicaConfig writes a configuration for the farm's feeds (served at
// base/f/<i>) with the store given.
func replicaConfig(t *testing.T, dir, name, storeSection, base, hook string, feeds int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n[defaults]\nschedule = \"@every %s\"\nschedule_jitter = 0\nmax_age = \"3650d\"\n"+
		"fetch_concurrency = 16\nhost_concurrency = 16\nhost_interval = \"0s\"\n\n", storeSection, replicaTick)
	for i := range feeds {
		fmt.Fprintf(&b, "[[feed]]\nname = \"f%d\"\nurl = \"%s/f/%d\"\n\n", i, base, i)
	}
	fmt.Fprintf(&b, "[[channel]]\nname = \"hook\"\nwebhook = %q\n\n", hook)
	b.WriteString("[[rule]]\nname = \"news\"\nquery = 'the OR a OR to OR and OR in OR of OR on OR city OR talks OR officials'\nchannels = [\"hook\"]\n\n[log]\nlevel = \"debug\"\n")
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReplicasDeliverOnce runs three replicas (processes) on one
// PostgreSQL, polling 200 feeds of overlapping coverage into a webhook:
// each (story, channel) is alerted once, no feed is fetched twice in a
// tick, the grouping agrees with one process's fed the same items in the
// same order and with one process's polling the same feeds by itself
// (B-cubed F1 ≥ minReplicaF1 both); a replica
// killed mid-run has its feeds polled by the others within its lease;
// PostgreSQL restarted mid-run is recovered from, nothing lost or doubled.
func TestReplicasDeliverOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip(storetest.EnvPostgres + " is not set")
	}
	// A server of its own, which it restarts: the other packages' tests
	// use the one WIREWATCH_TEST_POSTGRES names meanwhile.
	pgdir, dsn := startPostgres(t)
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	const feeds = 200
	farmOpts := farm.Options{Feeds: feeds, Seed: 17, MinItems: 2, MaxItems: 4, MinBytes: 2000, MaxBytes: 6000, Shared: 0.2}
	fm, err := farm.Start(farmOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	sink := &hookSink{}
	hookSrv := httptest.NewServer(sink)
	t.Cleanup(hookSrv.Close)

	dir := t.TempDir()
	cfg := replicaConfig(t, dir, "replicas.toml", fmt.Sprintf("[store]\ndsn = %q\nlease = %q\nmax_conns = 5\n", dsn, replicaLease),
		serveFarm(t, fm), hookSrv.URL, feeds)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	// farmItems is how many items the farm's feeds carry now.
	farmItems := func() int {
		n := 0
		for i := range feeds {
			b := string(fm.Body(i)) // RSS, Atom or JSON Feed
			n += strings.Count(b, "<item>") + strings.Count(b, "<entry>") + strings.Count(b, `"content_html":`)
		}
		return n
	}
	published := farmItems() // so far
	count := func(query string) int {
		var n int
		if err := db.QueryRow(query).Scan(&n); err != nil {
			return -1 // PostgreSQL restarting: not yet
		}
		return n
	}
	var ds []*daemon
	logs := func() string {
		var b strings.Builder
		for i, d := range ds {
			fmt.Fprintf(&b, "--- replica %d:\n%s\n", i, tail(d.stderr.String(), 3000))
		}
		return b.String()
	}
	state := func() string {
		return fmt.Sprintf("farm items %d, stored %d, alerts unsent %d, live matched stories %d, with alerts %d", published,
			count(`SELECT COUNT(*) FROM items`), count(`SELECT COUNT(*) FROM deliveries WHERE kind = 'alert' AND sent_at = 0`),
			count(`SELECT COUNT(*) FROM stories s WHERE merged_into = 0 AND EXISTS (SELECT 1 FROM story_rules r WHERE r.story_id = s.id)`),
			count(`SELECT COUNT(DISTINCT story_id) FROM story_alerts`))
	}
	wait := func(what string, within time.Duration, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(within)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out after %v waiting for %s (%s); logs:\n%s", within, what, state(), logs())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// settled: every item the farm published is stored, and every alert
	// due has been sent. (A feed's document holds its latest items: the
	// farm's items are counted before the first Advance.)
	settled := func() bool {
		return count(`SELECT COUNT(*) FROM items`) == published &&
			count(`SELECT COUNT(*) FROM deliveries WHERE kind = 'alert' AND sent_at = 0`) == 0 &&
			count(`SELECT COUNT(*) FROM stories s WHERE merged_into = 0 AND EXISTS (SELECT 1 FROM story_rules r WHERE r.story_id = s.id)
				AND NOT EXISTS (SELECT 1 FROM story_alerts a WHERE a.story_id = s.id)`) == 0
	}

	// One process on SQLite runs beside them on a copy of the farm (the
	// same seed, the same items published): its grouping is the reference.
	fm2, err := farm.Start(farmOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm2.Close() })
	single := replicaConfig(t, dir, "single.toml", fmt.Sprintf("[store]\npath = %q\n", filepath.Join(dir, "single.db")),
		serveFarm(t, fm2), "http://127.0.0.1:9/", feeds)
	sd := startDaemon(t, bin, single)
	singleDB, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "single.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { singleDB.Close() })
	singleItems := func() int {
		var n int
		if err := singleDB.QueryRow(`SELECT COUNT(*) FROM items`).Scan(&n); err != nil {
			return -1 // not created yet
		}
		return n
	}
	advance := func(share float64, n int) {
		k := fm.Advance(share, n)
		if k2 := fm2.Advance(share, n); k2 != k {
			t.Fatalf("the farm's copy published %d items, the farm %d", k2, k)
		}
		published += k
	}

	// The migration runs once, under its lock, whichever replica comes first.
	for range 3 {
		ds = append(ds, startDaemon(t, bin, cfg))
	}
	wait("the replicas to store every item and send every alert", 90*time.Second, settled)

	// No feed was fetched twice in one tick.
	onePerTick := func(phase string) {
		t.Helper()
		for host, st := range fm.HostStats() {
			if st.Requests > 1 && st.MinInterval < replicaTick/2 {
				t.Errorf("%s: %s: fetched twice within %v (a tick is %v); what the replicas logged of it:\n%s",
					phase, host, st.MinInterval, replicaTick, feedLines(ds, host))
			}
		}
	}
	onePerTick("three replicas")
	polledBy := func() map[int]int { // replicas that polled feeds, by log lines
		out := map[int]int{}
		for i, d := range ds {
			out[i] = strings.Count(d.stderr.String(), `msg="feed polled"`)
		}
		return out
	}
	t.Logf("polls by replica (log lines): %v", polledBy())

	// Kill a replica mid-run: the others poll every feed again within a
	// lease (its claims run out) and a tick.
	if err := ds[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	ds[0].cmd.Wait()
	fm.ResetStats()
	killed := time.Now()
	advance(0.3, 1)
	wait("every feed to be polled after the kill", replicaLease+2*replicaTick+5*time.Second, func() bool {
		hs := fm.HostStats()
		for i := range feeds {
			if hs[farm.Host(i)].Requests == 0 {
				return false
			}
		}
		return true
	})
	t.Logf("every feed polled %v after the kill", time.Since(killed).Round(time.Millisecond))
	wait("the others to store the new items and send their alerts", 60*time.Second, settled)

	// Restart PostgreSQL mid-run: the replicas recover by themselves.
	problems := func() int { // lines logged at WARN or ERROR
		n := 0
		for _, d := range ds[1:] {
			n += strings.Count(d.stderr.String(), "level=ERROR") + strings.Count(d.stderr.String(), "level=WARN")
		}
		return n
	}
	before := problems()
	if out, err := exec.Command("scripts/postgres.sh", "restart", pgdir).CombinedOutput(); err != nil {
		t.Fatalf("restart PostgreSQL: %v\n%s", err, out)
	}
	advance(0.3, 1)
	wait("the replicas to store the items published after the restart and send their alerts", 60*time.Second, settled)
	onePerTick("after the kill and the restart")
	t.Logf("warnings and errors the replicas logged since the restart: %d", problems()-before)
	wait("the single process to store every item", 60*time.Second, func() bool { return singleItems() == published })
	for _, d := range append(ds[1:], sd) {
		d.cmd.Process.Signal(syscall.SIGTERM)
		if err := d.cmd.Wait(); err != nil {
			t.Errorf("a replica did not stop cleanly on SIGTERM: %v\n%s", err, tail(d.stderr.String(), 3000))
		}
	}

	// Each (story, channel) alerted once, and every alert queued was sent.
	alerts := sink.alerts()
	for key, n := range alerts {
		if n != 1 {
			t.Errorf("story %s: %d alerts, want 1", key, n)
		}
	}
	if sent := count(`SELECT COUNT(*) FROM deliveries WHERE kind = 'alert' AND sent_at > 0`); sent != len(alerts) {
		t.Errorf("%d alerts marked sent, %d (story, channel) alerted", sent, len(alerts))
	}
	if len(alerts) == 0 {
		t.Fatal("no alerts at all")
	}

	// The grouping agrees with one process's fed the same items in the
	// same order: the order the replicas stored them in (ids grow with it:
	// items are stored under the grouping lock), a feed's poll at a time.
	// Measured 0.985–1.000 (23 runs on a loaded 2-core machine). What is
	// left is the grouper's history: it caches an item's norms when it
	// scores it, and a replica loads the others' items without scoring
	// them and does not run their consolidation passes (replicas made to
	// score each other's items as they loaded them, with consolidation off
	// on both sides, scored 1.0000 in 4 runs of 4).
	got := storyOf(t, cfg)
	for i, d := range append(ds, sd) {
		t.Logf("daemon %d: %d consolidations", i, strings.Count(d.stderr.String(), `msg="stories consolidated"`))
	}
	f1 := bcubedF1(replayed(t, db), got)
	t.Logf("%d items, %d alerts; B-cubed F1 of the replicas' grouping against one process's fed the same items in the same order: %.4f",
		len(got), len(alerts), f1)
	if f1 < minReplicaF1 {
		t.Errorf("B-cubed F1 against one process's in the replicas' order = %.4f, want ≥ %.2f", f1, minReplicaF1)
	}
	// And with one process's polling the same feeds by itself. Grouping
	// depends somewhat on the order items arrive in (feeds/stories/README.md,
	// "Feed order"), which concurrent polls change from run to run: on this
	// farm the replicas scored 0.992–0.998 against one process (9 runs on a
	// loaded 2-core machine; replicas whose indexes did not catch up with
	// each other's items scored 0.82). When the farm's invented names
	// often met on one consonant skeleton and every story drew on the whole
	// vocabulary, so that different stories were nearly alike, they scored
	// 0.944–0.980. Replayed in its own order, the one process's items group
	// as it grouped them (1.000): the replay is a faithful reference.
	want := storyOf(t, single)
	if len(got) != len(want) {
		t.Errorf("replicas grouped %d items, one process %d", len(got), len(want))
	}
	self, order := bcubedF1(replayed(t, singleDB), want), bcubedF1(want, got)
	t.Logf("B-cubed F1: one process's grouping against its own replay %.4f; the replicas' against one process's run %.4f", self, order)
	if self < minReplicaF1 {
		t.Errorf("B-cubed F1 of one process against its replay = %.4f, want ≥ %.2f", self, minReplicaF1)
	}
	if order < minReplicaF1 {
		t.Errorf("B-cubed F1 against one process's run = %.4f, want ≥ %.2f", order, minReplicaF1)
	}
}

// replayed ingests the items stored in src, in the order they were stored
// (by id) and a poll at a time (a feed's items stored at one instant), into
// one pipeline on a fresh SQLite store, as one process would have, and
// returns the story of each item (by URL: the farm gives every item its own).
func replayed(t *testing.T, src *sql.DB) map[string]string {
	t.Helper()
	rows, err := src.Query(`SELECT feed, guid, url, title, body, source, published, dated, first_seen, hash, credits, wire, origin FROM items ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type stored struct {
		it        feeds.Item
		firstSeen int64
	}
	var all []stored
	for rows.Next() {
		var s stored
		var pub, dated, wire int64
		var credits string
		if err := rows.Scan(&s.it.Feed, &s.it.ID, &s.it.URL, &s.it.Title, &s.it.Text, &s.it.Source, &pub, &dated, &s.firstSeen,
			&s.it.Hash, &credits, &wire, &s.it.Origin); err != nil {
			t.Fatal(err)
		}
		s.it.Published, s.it.Dated, s.it.Wire = time.UnixMilli(pub).UTC(), dated != 0, wire != 0
		if credits != "" {
			s.it.Credits = strings.Split(credits, ",")
		}
		all = append(all, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "replay.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := bot.NewPipeline(st, stories.NewSimilar(stories.SimilarOptions{}), nil, log, time.Now)
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].it.Feed == all[i].it.Feed && all[j].firstSeen == all[i].firstSeen {
			j++
		}
		var items []feeds.Item
		for _, s := range all[i:j] {
			items = append(items, s.it)
		}
		if _, err := p.Ingest(ctx, bot.Feed{Name: all[i].it.Feed, MaxAge: 3650 * 24 * time.Hour}, items, nil); err != nil {
			t.Fatal(err)
		}
		i = j
	}
	out := map[string]string{}
	for _, s := range all {
		var id int64
		err := st.InTx(ctx, func(tx *store.Tx) error {
			ref, err := tx.ItemRef(ctx, s.it.Feed, s.it.ID)
			if err != nil {
				return err
			}
			id, err = tx.Resolve(ctx, ref.StoryID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out[s.it.URL] = strconv.FormatInt(id, 10)
	}
	return out
}

// startPostgres starts a throwaway PostgreSQL server (scripts/postgres.sh),
// stopped when the test ends, and returns its directory and DSN.
func startPostgres(t *testing.T) (dir, dsn string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "wirewatch-pg") // not t.TempDir: the server's user must reach it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { exec.Command("scripts/postgres.sh", "stop", dir).Run() })
	if out, err := exec.Command("scripts/postgres.sh", "start", dir).CombinedOutput(); err != nil {
		t.Fatalf("start PostgreSQL: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "dsn"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, strings.TrimSpace(string(b))
}

// feedLines returns the lines each replica logged about the farm's feed
// at host (f<i>.localhost is feed f<i>): when each of its requests
// started (at level debug, which replicaConfig sets), each poll's end and
// its failures.
func feedLines(ds []*daemon, host string) string {
	name := "feed=" + strings.TrimSuffix(host, ".localhost") + " "
	var b strings.Builder
	for i, d := range ds {
		for _, line := range strings.Split(d.stderr.String(), "\n") {
			if strings.Contains(line+" ", name) {
				fmt.Fprintf(&b, "replica %d: %s\n", i, line)
			}
		}
	}
	return b.String()
}

// serveFarm serves a farm's feeds at base/f/<i> (the farm tells them apart
// by host name) and returns base.
func serveFarm(t *testing.T, fm *farm.Farm) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/f/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		r.Host, r.URL.Path = farm.Host(i), "/feed"
		fm.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// bcubedF1 is the B-cubed F1 of the clustering got against want, over the
// items of want.
func bcubedF1(want, got map[string]string) float64 {
	members := func(m map[string]string) map[string][]string {
		out := map[string][]string{}
		for item, c := range m {
			out[c] = append(out[c], item)
		}
		return out
	}
	wantC, gotC := members(want), members(got)
	var p, r float64
	n := 0
	for item, wc := range want {
		gc, ok := got[item]
		if !ok {
			n++ // missing: precision and recall 0
			continue
		}
		both := 0
		for _, other := range wantC[wc] {
			if got[other] == gc {
				both++
			}
		}
		p += float64(both) / float64(len(gotC[gc]))
		r += float64(both) / float64(len(wantC[wc]))
		n++
	}
	if n == 0 {
		return 0
	}
	p, r = p/float64(n), r/float64(n)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
