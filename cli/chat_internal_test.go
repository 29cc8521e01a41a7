package cli

import (
	"net/http"
	"testing"
)

// TestHTTPServerHasTimeouts is the regression test of the HTTP listener
// without read, write and idle timeouts: one slow client could hold a
// connection (and its goroutine) for ever.
func TestHTTPServerHasTimeouts(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler())
	for name, d := range map[string]int64{
		"ReadHeaderTimeout": int64(srv.ReadHeaderTimeout), "ReadTimeout": int64(srv.ReadTimeout),
		"WriteTimeout": int64(srv.WriteTimeout), "IdleTimeout": int64(srv.IdleTimeout),
	} {
		if d <= 0 {
			t.Errorf("%s = %d, want a timeout", name, d)
		}
	}
	if srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d, want a bound under the 1 MiB default", srv.MaxHeaderBytes)
	}
}
