package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
)

func TestErrorGist(t *testing.T) {
	refused := &url.Error{Op: "Get", URL: "https://example.com/feed?token=s3cret",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"http status", fmt.Errorf("fetch https://x.example/rss: %w", &feeds.HTTPError{Status: 503}), "http 503 Service Unavailable"},
		{"connection refused", fmt.Errorf("fetch https://example.com/feed?token=s3cret: %w", refused), "connection refused"},
		{"no such host", fmt.Errorf("fetch x: %w", &net.DNSError{Err: "no such host", Name: "nowhere.example", IsNotFound: true}), "no such host nowhere.example"},
		{"timeout", fmt.Errorf("fetch x: %w", context.DeadlineExceeded), "timed out"},
		{"too large", fmt.Errorf("fetch x: %w: over the limit of 10 bytes", feeds.ErrTooLarge), "feed too large"},
		{"parse", errors.New(`parse feed "malformed": XML syntax error on line 1: unexpected EOF`), "XML syntax error on line 1: unexpected EOF"},
		{"other", errors.New("store: database is locked"), "store: database is locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorGist(tt.err); got != tt.want {
				t.Errorf("errorGist = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTermHandlerLines: a feed's failed poll reads "feed NAME failed",
// whether or not a next try is known; another record about a feed with an
// error and a next try keeps its own message.
func TestTermHandlerLines(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	next := at.Add(30 * time.Minute)
	tests := []struct {
		msg   string
		attrs []slog.Attr
		want  string
	}{
		{schedule.MsgPollFailed, []slog.Attr{slog.String("feed", "tass"), slog.Any("error", errors.New("boom")), slog.Time("retry_at", next)},
			"feed tass failed: boom · next try 10:30\n"},
		{schedule.MsgPollFailed, []slog.Attr{slog.String("feed", "tass"), slog.Any("error", errors.New("boom"))},
			"feed tass failed: boom\n"},
		{"article fetch failed", []slog.Attr{slog.String("feed", "tass"), slog.Any("error", errors.New("boom")), slog.Time("retry_at", next)},
			"warning: feed tass: article fetch failed: boom · next try 10:30\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		h := &termHandler{status: newStatusLine(&b), level: slog.LevelInfo, loc: time.UTC}
		r := slog.NewRecord(at, slog.LevelWarn, tt.msg, 0)
		r.AddAttrs(tt.attrs...)
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.msg, got, tt.want)
		}
	}
}
