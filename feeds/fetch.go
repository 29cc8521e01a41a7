package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fetcher defaults, used when FetcherOptions leaves a field zero.
const (
	DefaultUserAgent    = "wirewatch (+https://github.com/wirewatch/wirewatch)"
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodyBytes = 10 << 20
	DefaultMaxRedirects = 5
)

// acceptFeeds is the Accept header of every feed request.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// maxRetryAfter bounds a server's Retry-After.
const maxRetryAfter = 24 * time.Hour

// ErrTooLarge means a feed body (after decompression) exceeded MaxBodyBytes.
var ErrTooLarge = errors.New("feed body too large")

// HTTPError is a response status other than 2xx and 304.
type HTTPError struct {
	Status     int           // the HTTP status code
	RetryAfter time.Duration // the server's Retry-After, 0 when absent
}

// Error returns the status like "http 503 Service Unavailable".
func (e *HTTPError) Error() string {
	return fmt.Sprintf("http %d %s", e.Status, http.StatusText(e.Status))
}

// Fetcher makes feed requests politely. Safe for concurrent use.
type Fetcher struct {
	client    *http.Client
	articles  *http.Client // article pages: no loopback, private or link-local addresses
	userAgent string
	maxBody   int64
	now       func() time.Time
	limit     *limiter
}

// FetcherOptions configure a Fetcher; zero fields take the defaults.
type FetcherOptions struct {
	UserAgent    string            // e.g. "wirewatch/1.2 (+https://github.com/wirewatch/wirewatch)"
	Timeout      time.Duration     // whole request including the body, default 30s
	MaxBodyBytes int64             // default 10 MiB, compressed and decompressed
	MaxRedirects int               // default 5
	Transport    http.RoundTripper // optional, for tests; default a clone of http.DefaultTransport

	// Politeness: HTTP requests at once in all (default 16) and to one host
	// name (default 2), and the least time between the starts of two
	// requests to one host name (default none).
	FetchConcurrency int
	HostConcurrency  int
	HostInterval     time.Duration
}

// NewFetcher returns a Fetcher with opts, defaults filled in.
func NewFetcher(opts FetcherOptions) *Fetcher {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	articles := opts.Transport
	if opts.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = http.ProxyFromEnvironment
		opts.Transport = t
		articles = publicOnly(t)
	}
	if opts.FetchConcurrency <= 0 {
		opts.FetchConcurrency = DefaultFetchConcurrency
	}
	if opts.HostConcurrency <= 0 {
		opts.HostConcurrency = DefaultHostConcurrency
	}
	maxRedirects := opts.MaxRedirects
	client := func(rt http.RoundTripper) *http.Client {
		return &http.Client{
			Transport: rt,
			Timeout:   opts.Timeout,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > maxRedirects {
					return fmt.Errorf("stopped after %d redirects", maxRedirects)
				}
				if req.URL.Host != via[0].URL.Host {
					keepOnlySafeHeaders(req.Header)
				}
				return nil
			},
		}
	}
	return &Fetcher{
		client:    client(opts.Transport),
		articles:  client(articles),
		userAgent: opts.UserAgent,
		maxBody:   opts.MaxBodyBytes,
		now:       time.Now,
		limit:     newLimiter(opts.FetchConcurrency, opts.HostConcurrency, max(opts.HostInterval, 0)),
	}
}

// keepOnlySafeHeaders removes headers that may carry secrets (per-feed
// headers such as API keys) before a redirect to another host.
func keepOnlySafeHeaders(h http.Header) {
	for k := range h {
		switch k {
		case "User-Agent", "Accept", "Accept-Encoding", "Accept-Language",
			"If-None-Match", "If-Modified-Since", "Referer":
		default:
			delete(h, k)
		}
	}
}

// Request is one feed fetch.
type Request struct {
	URL          string            // http(s)://, file:// or a plain filesystem path
	ETag         string            // from the last 200 response
	LastModified string            // from the last 200 response
	Headers      map[string]string // per-feed extra headers: may override User-Agent and Accept, "Host" sets the host; Accept-Encoding stays gzip
	Accept       string            // the Accept header; "" asks for feeds
	PublicOnly   bool              // refuse loopback, private, link-local and unspecified addresses, at dial time
	// Ready, when set, is asked right before the request is sent (after
	// its turn on the host came): an error ends the fetch unsent.
	Ready func() error
}

func (r Request) ready() error {
	if r.Ready == nil {
		return nil
	}
	return r.Ready()
}

// Response is the outcome of a successful fetch.
type Response struct {
	Body         []byte // nil when NotModified
	NotModified  bool   // 304: nothing changed, parse nothing
	ETag         string // validator for the next request
	LastModified string // validator for the next request
	URL          string // final URL after redirects
	Status       int    // HTTP status; 200 or 304 for files
	ContentType  string // the Content-Type header ("" for files): its charset, for ToUTF8
}

// Fetch gets req.URL: over HTTP with conditional headers, or from a file.
// Errors name the URL (password redacted) and never header values; a status
// other than 2xx and 304 is an *HTTPError, a body over the limit ErrTooLarge.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	raw := strings.TrimSpace(req.URL)
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return f.fetchHTTP(ctx, raw, req)
	case strings.HasPrefix(lower, "file://"):
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", raw, err)
		}
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("fetch %s: file url with a host other than localhost", raw)
		}
		return f.fetchFile(u.Path, req)
	case strings.Contains(raw, "://"):
		return nil, fmt.Errorf("fetch %s: only http, https and file urls are supported", raw)
	case raw == "":
		return nil, errors.New("fetch: empty url")
	}
	return f.fetchFile(raw, req)
}

func (f *Fetcher) fetchHTTP(ctx context.Context, raw string, req Request) (*Response, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", raw, err)
	}
	name := RedactURL(hreq.URL)
	release, err := f.limit.acquire(ctx, hostKey(hreq.URL))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", name, err)
	}
	defer release()
	if err := req.ready(); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", name, err)
	}
	hreq.Header.Set("User-Agent", f.userAgent)
	accept := req.Accept
	if accept == "" {
		accept = acceptFeeds
	}
	hreq.Header.Set("Accept", accept)
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	for k, v := range req.Headers {
		if strings.EqualFold(k, "Host") {
			hreq.Host = v
			continue
		}
		hreq.Header.Set(k, v)
	}
	// Set by us, Go's transport leaves decompression to readBody, where the
	// size limit applies to the decompressed bytes too.
	hreq.Header.Set("Accept-Encoding", "gzip")

	client := f.client
	if req.PublicOnly {
		client = f.articles
	}
	resp, err := client.Do(hreq)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the URL
		}
		return nil, fmt.Errorf("fetch %s: %w", name, err)
	}
	defer resp.Body.Close()

	out := &Response{
		Status:       resp.StatusCode,
		URL:          resp.Request.URL.String(),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		herr := &HTTPError{Status: resp.StatusCode}
		herr.RetryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), f.now())
		return nil, fmt.Errorf("fetch %s: %w", name, herr)
	}
	if out.Body, err = f.readBody(resp); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", name, err)
	}
	return out, nil
}

// readBody reads a response body within the size limit, gunzipping it when
// the server says so; the limit holds for the compressed and the
// decompressed bytes alike, so a gzip bomb stops at the limit.
func (f *Fetcher) readBody(resp *http.Response) ([]byte, error) {
	if resp.ContentLength > f.maxBody {
		return nil, f.tooLarge()
	}
	var body io.Reader = &capReader{r: resp.Body, left: f.maxBody, f: f}
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		defer zr.Close()
		body = zr
	default:
		return nil, fmt.Errorf("unsupported content encoding %q", enc)
	}
	return f.readLimited(body)
}

// readLimited reads r to its end, failing with ErrTooLarge past the limit.
// It reads into a buffer kept for the next body and returns a copy of the
// body's size: read into a slice grown as it fills (io.ReadAll), a body
// without a known length cost about twice its size in allocations.
func (f *Fetcher) readLimited(r io.Reader) ([]byte, error) {
	buf := readBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxKeptReadBuffer {
			buf.Reset()
			readBuffers.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(&capReader{r: r, left: f.maxBody, f: f}); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("read body: %w", err)
	}
	return append(make([]byte, 0, buf.Len()), buf.Bytes()...), nil
}

// readBuffers are the buffers readLimited reads bodies into.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxKeptReadBuffer is the largest buffer readBuffers keeps: one that a
// rare large body grew is left to the collector.
const maxKeptReadBuffer = 4 << 20

// capReader passes at most left bytes of r on, then fails with f's
// tooLarge if r has more.
type capReader struct {
	r    io.Reader
	left int64
	f    *Fetcher
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, c.f.tooLarge()
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (f *Fetcher) tooLarge() error {
	return fmt.Errorf("%w: over the limit of %d bytes", ErrTooLarge, f.maxBody)
}

// fetchFile reads a feed from the filesystem. Its modification time serves
// as Last-Modified, so an unchanged file is NotModified.
func (f *Fetcher) fetchFile(path string, req Request) (*Response, error) {
	if err := req.ready(); err != nil {
		return nil, fmt.Errorf("fetch file %s: %w", path, err)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("fetch file: %w", err) // *PathError names the path
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("fetch file: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("fetch file %s: is a directory", path)
	}
	out := &Response{
		URL:          req.URL,
		Status:       http.StatusOK,
		LastModified: info.ModTime().UTC().Format(http.TimeFormat),
		// To the nanosecond, with the size: a file rewritten within the
		// second its last poll read it has the same Last-Modified.
		ETag: fmt.Sprintf(`"%x-%x"`, info.ModTime().UnixNano(), info.Size()),
	}
	if req.ETag != "" && req.ETag == out.ETag ||
		req.ETag == "" && req.LastModified != "" && req.LastModified == out.LastModified { // a state saved before files had an ETag
		out.NotModified = true
		out.Status = http.StatusNotModified
		return out, nil
	}
	if info.Size() > f.maxBody {
		return nil, fmt.Errorf("fetch file %s: %w", path, f.tooLarge())
	}
	if out.Body, err = f.readLimited(fh); err != nil {
		return nil, fmt.Errorf("fetch file %s: %w", path, err)
	}
	return out, nil
}

// ParseRetryAfter reads a Retry-After header value, seconds or an HTTP date, as a
// duration from now; 0 when absent, invalid or past; at most 24 hours.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now).Round(time.Second)
	}
	return min(max(d, 0), maxRetryAfter)
}
