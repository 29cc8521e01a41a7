package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/cli"
)

// binDir is where buildBinary built wirewatch; TestMain removes it.
var binDir string

// TestMain runs the tests, then removes the binary they built (34 MB a
// run in the temporary directory otherwise).
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary builds wirewatch once per test binary run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "wirewatch-bin")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "wirewatch")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{out: string(out), err: err}
	}
	return bin, nil
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

// daemon is a running `wirewatch run`.
type daemon struct {
	cmd    *exec.Cmd
	stderr *bottest.SyncBuffer
}

func startDaemon(t *testing.T, bin, cfg string) *daemon {
	t.Helper()
	d := &daemon{stderr: &bottest.SyncBuffer{}}
	d.cmd = exec.Command(bin, "run", "-config", cfg)
	d.cmd.Stderr = d.stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if d.cmd.ProcessState == nil {
			d.cmd.Process.Kill()
			d.cmd.Wait()
		}
	})
	return d
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d *daemon, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; daemon log:\n%s", what, d.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestKillAndRestartDeliversOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	now := time.Now().UTC()
	srv := newNewsServer(t)
	feedsNow := storyFeeds(now)
	srv.set("/tass.xml", feedsNow["/tass.xml"])
	srv.set("/tolo.xml", feedsNow["/tolo.xml"])
	dir := t.TempDir()
	out := filepath.Join(dir, "alerts.jsonl")
	cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml"}, out, "")
	srv.set("/afgtimes.xml", rss("https://www.afghanistantimes.af", "Afghanistan Times"))

	lines := func() []deliveryLine {
		b, _ := os.ReadFile(out)
		return parseLines(t, string(b))
	}

	// First life: the alert is delivered and recorded; then SIGKILL.
	d := startDaemon(t, bin, cfg)
	waitFor(t, "the first alert to be recorded", d, func() bool {
		return len(lines()) == 1 && strings.Contains(d.stderr.String(), "msg=dispatched")
	})
	if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	d.cmd.Wait()

	// While it is down, a third outlet reports the story and a CSTO story breaks.
	srv.set("/afgtimes.xml", feedsNow["/afgtimes.xml"])
	srv.set("/tolo.xml", rss("https://tolonews.com", "TOLOnews",
		rssItem{GUID: "https://tolonews.com/afghanistan-190311", Link: "https://tolonews.com/afghanistan-190311", Title: "RUSSIA’S KABULOV: MOSCOW WILL KEEP TALKING TO THE TALIBAN ON BORDER SECURITY",
			Text: "Zamir Kabulov said Moscow would keep talking.", Published: now.Add(-2 * time.Hour)},
		rssItem{GUID: "https://tolonews.com/csto-1", Link: "https://tolonews.com/csto-1", Title: "CSTO to hold drills near Afghan border",
			Text: "The Collective Security Treaty Organization will hold exercises in Tajikistan.", Published: now.Add(-10 * time.Minute)}))

	// Second life: it picks up where it stopped. The CSTO alert goes out;
	// the update for the new outlet is held (at most one message per story
	// and channel every 10 minutes) and stays in the outbox. (It may have
	// been queued in the first life already, when TASS was polled after
	// the alert went out; the new outlet then joins it.)
	d = startDaemon(t, bin, cfg)
	waitFor(t, "the CSTO alert and the new outlet's item", d, func() bool {
		return len(lines()) >= 2 && strings.Contains(d.stderr.String(), "feed=afgtimes items=1 new=1")
	})
	// A second run on the same database refuses to start (the run lock);
	// were the lock broken, it would run until the context ends.
	lockCtx, cancelLock := context.WithTimeout(context.Background(), 20*time.Second)
	var lockErr bytes.Buffer
	code := exitStatus(cli.Run(lockCtx, []string{"run", "-config", cfg}, io.Discard, &lockErr))
	cancelLock()
	if errOut := lockErr.String(); code != exitFailed || !strings.Contains(errOut, "already running wirewatch on") {
		t.Errorf("second run: exit %d, stderr %q; want 1 and the lock holder named", code, errOut)
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Wait(); err != nil {
		t.Errorf("daemon did not stop cleanly on SIGTERM: %v\n%s", err, d.stderr.String())
	}
	if n := len(lines()); n != 2 {
		t.Fatalf("after the second life: %d deliveries, want 2 (the update held)", n)
	}

	// `once` sends what is held.
	code, _, stderr := runCmd(t, "once", "-config", cfg)
	if code != exitOK {
		t.Fatalf("once exit = %d:\n%s", code, stderr)
	}

	got := lines()
	seen := map[int64]bool{}
	kinds := map[string]int{}
	for _, l := range got {
		if seen[l.ID] {
			t.Errorf("delivery %d written twice", l.ID)
		}
		seen[l.ID] = true
		kinds[l.Kind]++
	}
	if len(got) != 3 || kinds["alert"] != 2 || kinds["update"] != 1 {
		t.Errorf("deliveries = %v (%d lines), want 2 alerts and 1 update:\n%s", kinds, len(got), d.stderr.String())
	}
}
