package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

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
