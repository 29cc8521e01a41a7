package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGHUPReloads sends SIGHUP to a running daemon after adding a rule
// to its configuration: it reloads (and does not die of the signal), and
// the new rule alerts the next item.
func TestSIGHUPReloads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	now := time.Now().UTC()
	srv := newNewsServer(t)
	srv.set("/wire.xml", rss("https://wire.example", "Wire",
		rssItem{GUID: "w1", Link: "https://wire.example/1", Title: "Kabulov meets Taliban envoys", Text: "Zamir Kabulov met them.", Published: now.Add(-time.Hour)}))
	dir := t.TempDir()
	out := filepath.Join(dir, "alerts.jsonl")
	addr := freeAddr(t)
	listen := fmt.Sprintf("\n[http]\nlisten = %q\n", addr)
	cfg := writeConfig(t, dir, srv.URL, []string{"/wire.xml"}, out, listen)
	lines := func() []deliveryLine {
		b, _ := os.ReadFile(out)
		return parseLines(t, string(b))
	}
	d := startDaemon(t, bin, cfg)
	waitFor(t, "the first alert", d, func() bool { return len(lines()) == 1 })

	writeConfig(t, dir, srv.URL, []string{"/wire.xml"}, out, listen+`
[[rule]]
name = "envoy"
query = "envoy NOT kabulov"
channels = ["out"]
`)
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reload on SIGHUP", d, func() bool {
		log := d.stderr.String()
		return strings.Contains(log, `msg="config reloaded"`) && strings.Contains(log, "cause=SIGHUP")
	})
	srv.set("/wire.xml", rss("https://wire.example", "Wire",
		rssItem{GUID: "w1", Link: "https://wire.example/1", Title: "Kabulov meets Taliban envoys", Text: "Zamir Kabulov met them.", Published: now.Add(-time.Hour)},
		rssItem{GUID: "w2", Link: "https://wire.example/2", Title: "China names a new envoy to Kabul", Text: "Beijing named its envoy.", Published: now.Add(-time.Minute)}))
	waitFor(t, "the new rule's alert", d, func() bool { return len(lines()) == 2 })
	if got := lines()[1]; len(got.Stories) == 0 || !strings.Contains(strings.Join(got.Stories[0].Rules, ","), "envoy") {
		t.Errorf("second delivery = %+v, want the envoy rule's alert", got)
	}
	// The metrics follow the reload: the new rule has its series. A poll is
	// counted once its ingest is done, and its alert may go out before.
	hit := `wirewatch_rule_hits_total{rule="envoy"}`
	waitFor(t, "the envoy rule's hit on /metrics", d, func() bool { return scrape(t, addr)[hit] >= 1 })
	if m := scrape(t, addr); m[hit] != 1 {
		t.Errorf("after the reload, wirewatch_rule_hits_total{rule=\"envoy\"} = %v, want 1", m[`wirewatch_rule_hits_total{rule="envoy"}`])
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Wait(); err != nil {
		t.Errorf("daemon did not stop cleanly: %v\n%s", err, d.stderr.String())
	}
}
