package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/cli"
)

// onceConfig writes a configuration of three local feeds — two carrying
// a Kabulov story, one down (503) — and a jsonl channel on stdout.
func onceConfig(t *testing.T) string {
	t.Helper()
	now := time.Now().UTC()
	item := func(site, id, title string) string {
		return fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>%[1]s</title><link>https://%[1]s/</link>`+
			`<item><guid>%[2]s</guid><title>%[3]s</title><link>https://%[1]s/%[2]s</link><description>%[3]s.</description>`+
			`<pubDate>%[4]s</pubDate></item></channel></rss>`, site, id, title, now.Add(-time.Hour).Format(time.RFC1123Z))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/tass.xml", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, item("tass.com", "1", "Kabulov says Moscow will keep talking to the Taliban"))
	})
	mux.HandleFunc("/tolo.xml", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, item("tolonews.com", "2", "Kabulov: Moscow to keep talking to the Taliban"))
	})
	mux.HandleFunc("/down.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "600")
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "[store]\npath = %q\n\n", filepath.Join(dir, "w.db"))
	for _, name := range []string{"tass", "tolo", "down"} {
		fmt.Fprintf(&b, "[[feed]]\nname = %q\nurl = %q\n\n", name, srv.URL+"/"+name+".xml")
	}
	b.WriteString("[[channel]]\nname = \"out\"\njsonl = \"-\"\n\n[[rule]]\nname = \"kabulov\"\nquery = \"kabulov\"\nchannels = [\"out\"]\n")
	path := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runOnce runs once over cfg with the given standard output and error.
func runOnce(t *testing.T, cfg string, stdout, stderr io.Writer) {
	t.Helper()
	if err := cli.Run(context.Background(), []string{"once", "-config", cfg}, stdout, stderr); err != nil {
		t.Fatalf("once: %v", err)
	}
}

// TestOnceOnATerminal: stderr a terminal, stdout a pipe. Stderr shows the
// progress line, rewritten in place and cleared before the summary, and the
// failed feed as one readable line; stdout gets JSON lines.
func TestOnceOnATerminal(t *testing.T) {
	cfg := onceConfig(t)
	term := openPTY(t)
	var stdout bytes.Buffer
	runOnce(t, cfg, &stdout, term.Term)
	got := term.Output()

	for _, want := range []string{
		"\r0/3 feeds · 0 new\x1b[K",
		"\r3/3 feeds · 2 new · 1 failed\x1b[K",
		"\r\x1b[Konce: 2 of 3 feeds polled, 1 failed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal lacks %q:\n%q", want, got)
		}
	}
	// Above the progress line: it is cleared, the line printed, then the
	// progress shown again. A retry that falls on the next day (a run just
	// before midnight) shows its date too.
	failure := regexp.MustCompile(`\r\x1b\[Kfeed down failed: http 503 Service Unavailable · next try (\d{4}-\d\d-\d\d \d\d:\d\d \S+|\d\d:\d\d)\r\n\r\d/3 feeds`)
	if !failure.MatchString(got) {
		t.Errorf("terminal lacks the readable failure line:\n%q", got)
	}
	for _, raw := range []string{"level=", "msg=", "retry_at="} {
		if strings.Contains(got, raw) {
			t.Errorf("terminal shows a raw log record (%s):\n%q", raw, got)
		}
	}
	var line struct{ Kind string }
	if err := json.Unmarshal(bytes.SplitN(stdout.Bytes(), []byte("\n"), 2)[0], &line); err != nil || line.Kind != "alert" {
		t.Errorf("stdout (a pipe) = %q, want JSON lines starting with an alert (%v)", stdout.String(), err)
	}

	// The next run leaves the feed alone: its server asked for ten minutes.
	again := openPTY(t)
	runOnce(t, cfg, io.Discard, again.Term)
	got = again.Output()
	waiting := regexp.MustCompile(`\r\x1b\[Kfeed down not polled: its server asked to wait \(Retry-After\) · next try (\d{4}-\d\d-\d\d \d\d:\d\d \S+|\d\d:\d\d)\r\n`)
	if !waiting.MatchString(got) {
		t.Errorf("second run: terminal lacks the line saying down was not polled:\n%q", got)
	}
	for _, want := range []string{"\r3/3 feeds · 0 new · 1 waiting\x1b[K", "once: 2 of 3 feeds polled, 0 failed, 1 waiting for their servers (Retry-After)"} {
		if !strings.Contains(got, want) {
			t.Errorf("second run: terminal lacks %q:\n%q", want, got)
		}
	}
}

// TestOnceOnAPipe: with stderr and stdout pipes, no progress line and no
// terminal control codes: the log records as [log] asks, and JSON.
func TestOnceOnAPipe(t *testing.T) {
	cfg := onceConfig(t)
	var stdout, stderr bytes.Buffer
	runOnce(t, cfg, &stdout, &stderr)
	if s := stderr.String(); strings.ContainsAny(s, "\r\x1b") || strings.Contains(s, "3/3 feeds") {
		t.Errorf("stderr (a pipe) has a progress line:\n%q", s)
	}
	if !strings.Contains(stderr.String(), `level=WARN msg="feed poll failed" feed=down`) {
		t.Errorf("stderr lacks the log record of the failed feed:\n%s", stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), `{"delivery_id":`) {
		t.Errorf("stdout = %q, want JSON lines", stdout.String())
	}
}

// TestAlertsOnATerminalStdout: a jsonl channel on stdout prints alerts as
// the stories command does when stdout is a terminal, above the progress
// line of a terminal stderr.
func TestAlertsOnATerminalStdout(t *testing.T) {
	cfg := onceConfig(t)
	out, errTerm := openPTY(t), openPTY(t)
	runOnce(t, cfg, out.Term, errTerm.Term)
	got := strings.ReplaceAll(out.Output(), "\r\n", "\n")
	// The feeds are polled at once: either may bring the alert.
	want := regexp.MustCompile(`^alert in channel out\n#1  Kabulov[^\n]*\n     [12] outlets?: (tass|tolonews)\.com[^\n]* · updated [^\n]* · rules: kabulov\n     https://(tass|tolonews)\.com/[12]\n`)
	if !want.MatchString(got) {
		t.Errorf("stdout (a terminal) = %q, want the alert as text", got)
	}
	if strings.Contains(got, "{") {
		t.Errorf("stdout (a terminal) has JSON:\n%s", got)
	}
	if !strings.Contains(errTerm.Output(), "3/3 feeds") {
		t.Error("stderr (a terminal) lacks the progress line")
	}
}
