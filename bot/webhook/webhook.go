// Package webhook delivers messages as JSON POSTs to an HTTP endpoint.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/feeds"
)

// Sender POSTs each message's JSON to one URL. Retries are the
// dispatcher's: a failed POST stays in the outbox.
type Sender struct {
	url       string
	client    *http.Client
	userAgent string
}

var (
	_ bot.Sender      = (*Sender)(nil)
	_ bot.SnippetFree = (*Sender)(nil)
)

// NoSnippets implements bot.SnippetFree: the JSON posted has no snippet.
func (s *Sender) NoSnippets() {}

// New returns a sender posting to rawURL. client nil means a client with a
// 30 s timeout.
func New(rawURL, userAgent string, client *http.Client) *Sender {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	// Redirects are not followed: on 301-303 Go would turn the POST into a
	// GET without a body, and a 2xx answer to that would count as delivered.
	// A 3xx is reported instead (as a permanent error: fix the URL).
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Sender{url: rawURL, client: &c, userAgent: userAgent}
}

// Send implements bot.Sender. The body is the delivery line of
// shared/DESIGN.md; the header X-Wirewatch-Delivery carries the outbox id,
// so a receiver can drop a repeat after a crash. 2xx is success; 408, 429
// and 5xx are retried (honouring Retry-After); other statuses are permanent.
func (s *Sender) Send(ctx context.Context, m *bot.Message) (string, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return "", bot.Permanent(fmt.Errorf("encode delivery: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return "", bot.Permanent(fmt.Errorf("webhook %s: bad request: %w", redact(s.url), stripURL(err)))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.userAgent)
	req.Header.Set("X-Wirewatch-Delivery", strconv.FormatInt(m.ID, 10))
	resp, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("webhook %s: %w", redact(s.url), stripURL(err))
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return strconv.FormatInt(m.ID, 10), nil
	}
	err = fmt.Errorf("webhook %s: http %s", redact(s.url), resp.Status)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500:
		return "", bot.RetryAfter(err, retryAfter(resp.Header.Get("Retry-After")))
	default:
		return "", bot.Permanent(err)
	}
}

// maxRetryAfter caps a receiver's Retry-After: an hour, so a receiver that
// asks for a day (or sends nonsense) still gets its deliveries today.
const maxRetryAfter = time.Hour

// retryAfter reads a Retry-After header, seconds or an HTTP date, at most
// maxRetryAfter.
func retryAfter(v string) time.Duration {
	return min(feeds.ParseRetryAfter(v, time.Now()), maxRetryAfter)
}

// redact shows only a webhook URL's scheme and host: its path, query and
// user info often carry the secret (Slack's incoming webhooks, for one).
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(webhook url)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// stripURL removes the full URL that net/http puts in its errors.
func stripURL(err error) error {
	if uerr, ok := err.(*url.Error); ok {
		return uerr.Err
	}
	return err
}
