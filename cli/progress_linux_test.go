package cli_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/cli"
)

// TestImportOPMLOnATerminal: import-opml fetching three feeds shows once's
// kind of progress line on a terminal stderr, rewritten in place and
// cleared before its summary.
func TestImportOPMLOnATerminal(t *testing.T) {
	mux := http.NewServeMux()
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>x</title></item></channel></rss>`
	mux.HandleFunc("/a.xml", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed) })
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/b.xml"></head></html>`)
	})
	mux.HandleFunc("/b.xml", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirewatch.toml")
	os.WriteFile(cfg, []byte("[[channel]]\nname = \"out\"\njsonl = \"-\"\n"), 0o644)
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(fmt.Sprintf(`<opml version="2.0"><body><outline text="A" xmlUrl="%[1]s/a.xml"/>`+
		`<outline text="Page" xmlUrl="%[1]s/page"/><outline text="Gone" xmlUrl="%[1]s/gone.xml"/></body></opml>`, srv.URL)), 0o644)

	term := openPTY(t)
	if err := cli.Run(context.Background(), []string{"import-opml", "-config", cfg, opml}, io.Discard, term.Term); err != nil {
		t.Fatal(err)
	}
	got := term.Output()
	for _, want := range []string{
		"\r0/3 feeds · 0 web pages\x1b[K",
		"\r3/3 feeds · 1 web page · 1 failed\x1b[K",
		"\r\x1b[Kimport-opml: added 3 new feeds",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal lacks %q:\n%q", want, got)
		}
	}
}
