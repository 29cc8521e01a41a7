package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpsRefusalResolvedByRestart: a refused reload the ops channel was
// told of is resolved when run starts again on a file that loads (the
// fixed file, restarted rather than reloaded): the ops channel hears of
// the recovery, and of the next refused reload, once each, as README says.
// It heard of neither: the refusal stayed reported, so that later
// refusals were never told.
func TestOpsRefusalResolvedByRestart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wirewatch.toml")
	src := fmt.Sprintf(`[store]
path = %q

[defaults]
ops_channel = "ops"

[[feed]]
name = "wire"
url = %q

[[channel]]
name = "ops"
jsonl = %q
`, filepath.Join(dir, "w.db"), filepath.Join(dir, "wire.xml"), filepath.Join(dir, "ops.jsonl"))
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A run: it starts, a reload is refused, it flushes; then a restart.
	session := func(refuse bool) {
		t.Helper()
		err := withApp(ctx, cfg, io.Discard, io.Discard, func(a *app) error {
			a.startConfig(ctx)
			if refuse {
				a.reloadRefused(ctx, path, errors.New(`wirewatch.toml:12: rule[1].channels: no channel named "ops2"`))
			}
			_, err := a.service.Dispatcher.Flush(ctx, true)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	session(true)
	session(false) // restarted on the fixed file
	session(true)  // a later refusal
	b, _ := os.ReadFile(filepath.Join(dir, "ops.jsonl"))
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var d struct {
			Kind, Text string
		}
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("ops line %q: %v", l, err)
		}
		got = append(got, d.Text)
	}
	want := []string{"⚠ The changed configuration was refused", "✓ The configuration was reloaded", "⚠ The changed configuration was refused"}
	if len(got) != len(want) {
		t.Fatalf("ops channel got %q, want %d notices", got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("notice %d = %q, want %q…", i, got[i], want[i])
		}
	}
}
