package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRulesListAndTest(t *testing.T) {
	code, out, errOut := runCmd(t, "rules", "list", "-config", "config.example.toml")
	if code != exitOK {
		t.Fatalf("rules list exit = %d: %s", code, errOut)
	}
	for _, want := range []string{"kabulov", "csto", "tajik-afghan-border", "min_sources 2", "digest (0 8 * * *)"} {
		if !strings.Contains(out, want) {
			t.Errorf("rules list lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := runCmd(t, "rules", "test", "-config", "config.example.toml", "nosuchrule"); code != exitUsage {
		t.Errorf("rules test of a missing rule: exit = %d, want %d", code, exitUsage)
	}
}

func TestOPMLExportImport(t *testing.T) {
	code, opml, errOut := runCmd(t, "export-opml", "-config", "config.example.toml")
	if code != exitOK {
		t.Fatalf("export-opml exit = %d: %s", code, errOut)
	}
	path := filepath.Join(t.TempDir(), "feeds.opml")
	if err := os.WriteFile(path, []byte(opml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, toml, errOut := runCmd(t, "import-opml", path)
	if code != exitOK {
		t.Fatalf("import-opml exit = %d: %s", code, errOut)
	}
	for _, want := range []string{"[[feed]]", "name = 'tass'", "url = 'https://tass.com/rss/v2.xml'", "name = 'google-news-kabulov'"} {
		if !strings.Contains(toml, want) {
			t.Errorf("import-opml output lacks %q:\n%s", want, toml)
		}
	}
	// What it prints is a configuration fragment that loads.
	cfg := filepath.Join(t.TempDir(), "w.toml")
	body := toml + "\n[[channel]]\nname = \"out\"\njsonl = \"-\"\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd(t, "check", "-config", cfg); code != exitOK {
		t.Errorf("check of imported feeds: exit = %d\n%s%s", code, out, errOut)
	}
}

func TestMigrate(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.toml")
	if err := os.WriteFile(cfg, []byte("[store]\npath = \"w.db\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "migrate", "-config", cfg)
	if code != exitOK || !regexp.MustCompile(`w\.db: schema version [1-9]`).MatchString(out) {
		t.Errorf("migrate = %d %q %q, want the database's schema version", code, out, errOut)
	}
}
