package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpsChannelPausedWebhook: a webhook that answers 404 pauses its
// channel; the ops channel hears of it once, however many runs see it.
func TestOpsChannelPausedWebhook(t *testing.T) {
	srv := newNewsServer(t)
	now := time.Now().UTC()
	for p, body := range storyFeeds(now) {
		srv.set(p, body)
	}
	hook := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(hook.Close)
	dir := t.TempDir()
	opsFile := filepath.Join(dir, "ops.jsonl")
	cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml"}, filepath.Join(dir, "out.jsonl"), fmt.Sprintf(`
[[channel]]
name = "hook"
webhook = %q

[[channel]]
name = "ops"
jsonl = %q

[[rule]]
name = "hooked"
query = "kabulov"
channels = ["hook"]
`, hook.URL+"/hooks/s3cret", opsFile))
	body, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(body), "[defaults]\n", "[defaults]\nops_channel = \"ops\"\n", 1)), 0o644)

	for range 2 {
		if code, _, errOut := runCmd(t, "once", "-config", cfg); code != exitOK {
			t.Fatalf("once = %d: %s", code, errOut)
		}
	}
	b, err := os.ReadFile(opsFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 1 {
		t.Fatalf("ops channel got %d lines, want 1:\n%s", len(lines), b)
	}
	var notice struct {
		Kind, Channel, Text string
	}
	if err := json.Unmarshal([]byte(lines[0]), &notice); err != nil {
		t.Fatal(err)
	}
	if notice.Kind != "notice" || !strings.Contains(notice.Text, "Channel hook is paused: webhook http://127.0.0.1") ||
		strings.Contains(notice.Text, "s3cret") {
		t.Errorf("notice = %+v", notice)
	}
}
