package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/webhook"
	"github.com/wirewatch/wirewatch/store"
)

// The secret parts of every test URL: no error text may contain them.
const (
	secretPath  = "SECRET123"
	secretQuery = "SECRET456"
	hookPath    = "/hooks/" + secretPath
	hookQuery   = "?token=" + secretQuery
)

// hook is a webhook endpoint answering every POST with a fixed status and
// headers, keeping what it was sent.
type hook struct {
	status int
	header http.Header

	mu   sync.Mutex
	reqs []request
}

// request is one POST as the endpoint saw it.
type request struct {
	method string
	path   string
	query  string
	header http.Header
	body   []byte
}

func newHook(t *testing.T, status int, header http.Header) (*hook, *httptest.Server) {
	t.Helper()
	h := &hook{status: status, header: header}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.reqs = append(h.reqs, request{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone(), body: body})
		h.mu.Unlock()
		for k, vs := range h.header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(h.status)
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func (h *hook) requests() []request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]request(nil), h.reqs...)
}

// noSecret fails the test if text shows any part of the URL's secret.
func noSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{secretPath, secretQuery, "/hooks/", "token="} {
		if strings.Contains(text, s) {
			t.Errorf("%s %q contains %q, want the URL's path and query redacted", what, text, s)
		}
	}
}

func message() *bot.Message {
	return &bot.Message{
		ID:      42,
		Kind:    "alert",
		Channel: "hook",
		Stories: []*bot.Story{{ID: "7", Title: "Kabulov says Moscow will keep talking to the Taliban",
			Sources: 1, Outlets: []string{"tass.com"}, Rules: []string{"kabulov"}}},
		ReplyTo: "not-in-the-json",
	}
}

func TestSendSuccess(t *testing.T) {
	tests := []struct {
		name   string
		status int
	}{
		{"200 ok", http.StatusOK},
		{"201 created", http.StatusCreated},
		{"202 accepted", http.StatusAccepted},
		{"204 no content", http.StatusNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newHook(t, tt.status, nil)
			s := webhook.New(srv.URL+hookPath+hookQuery, "wirewatch-test/1.0", nil)
			remote, err := s.Send(context.Background(), message())
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got, want := remote, "42"; got != want {
				t.Errorf("remote id = %q, want %q", got, want)
			}
			reqs := h.requests()
			if got, want := len(reqs), 1; got != want {
				t.Fatalf("endpoint got %d requests, want %d", got, want)
			}
			r := reqs[0]
			if got, want := r.method, http.MethodPost; got != want {
				t.Errorf("method = %s, want %s", got, want)
			}
			if got, want := r.path, hookPath; got != want {
				t.Errorf("path = %q, want %q", got, want)
			}
			if got, want := r.query, hookQuery[1:]; got != want {
				t.Errorf("query = %q, want %q", got, want)
			}
			for _, hd := range []struct{ key, want string }{
				{"Content-Type", "application/json"},
				{"User-Agent", "wirewatch-test/1.0"},
				{"X-Wirewatch-Delivery", "42"},
			} {
				if got := r.header.Get(hd.key); got != hd.want {
					t.Errorf("header %s = %q, want %q", hd.key, got, hd.want)
				}
			}

			var line struct {
				DeliveryID *int64           `json:"delivery_id"`
				Kind       string           `json:"kind"`
				Channel    string           `json:"channel"`
				Stories    []map[string]any `json:"stories"`
			}
			if err := json.Unmarshal(r.body, &line); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			if line.DeliveryID == nil || *line.DeliveryID != 42 {
				t.Errorf("delivery_id = %v, want 42 (body %s)", line.DeliveryID, r.body)
			}
			if got, want := line.Kind, "alert"; got != want {
				t.Errorf("kind = %q, want %q", got, want)
			}
			if got, want := line.Channel, "hook"; got != want {
				t.Errorf("channel = %q, want %q", got, want)
			}
			if got, want := len(line.Stories), 1; got != want {
				t.Fatalf("stories = %d, want %d (body %s)", got, want, r.body)
			}
			if got, want := line.Stories[0]["id"], "7"; got != want {
				t.Errorf("stories[0].id = %v, want %q", got, want)
			}
			if strings.Contains(string(r.body), "not-in-the-json") {
				t.Errorf("body %s carries ReplyTo, want it left out", r.body)
			}
		})
	}
}

func TestSendStatusErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		permanent  bool
	}{
		{"500", http.StatusInternalServerError, "", false},
		{"502", http.StatusBadGateway, "", false},
		{"503 with Retry-After", http.StatusServiceUnavailable, "7", false},
		{"503 with a bad Retry-After", http.StatusServiceUnavailable, "soon", false},
		{"429", http.StatusTooManyRequests, "", false},
		{"429 with Retry-After", http.StatusTooManyRequests, "30", false},
		{"408", http.StatusRequestTimeout, "", false},
		{"400", http.StatusBadRequest, "", true},
		{"401", http.StatusUnauthorized, "", true},
		{"403", http.StatusForbidden, "", true},
		{"404", http.StatusNotFound, "", true},
		{"410", http.StatusGone, "", true},
		{"413", http.StatusRequestEntityTooLarge, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			if tt.retryAfter != "" {
				header.Set("Retry-After", tt.retryAfter)
			}
			_, srv := newHook(t, tt.status, header)
			s := webhook.New(srv.URL+hookPath+hookQuery, "wirewatch-test/1.0", nil)
			remote, err := s.Send(context.Background(), message())
			if err == nil {
				t.Fatalf("Send = %q, nil; want an error for http %d", remote, tt.status)
			}
			if remote != "" {
				t.Errorf("remote id = %q on error, want empty", remote)
			}
			if got, want := bot.IsPermanent(err), tt.permanent; got != want {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, want)
			}
			if got, want := err.Error(), strconv.Itoa(tt.status); !strings.Contains(got, want) {
				t.Errorf("error %q does not name the status %s", got, want)
			}
			if got, want := err.Error(), srv.URL; !strings.Contains(got, want) {
				t.Errorf("error %q does not name the endpoint %s", got, want)
			}
			noSecret(t, "error", err.Error())
		})
	}
}

func TestSendTransportErrors(t *testing.T) {
	tests := []struct {
		name string
		send func(t *testing.T) error
	}{
		{"connection refused", func(t *testing.T) error {
			srv := httptest.NewServer(http.NotFoundHandler())
			raw := srv.URL + hookPath + hookQuery
			srv.Close()
			_, err := webhook.New(raw, "wirewatch-test/1.0", nil).Send(context.Background(), message())
			return err
		}},
		{"client timeout", func(t *testing.T) error {
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-release
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(release) })
			client := &http.Client{Timeout: time.Millisecond}
			_, err := webhook.New(srv.URL+hookPath+hookQuery, "wirewatch-test/1.0", client).Send(context.Background(), message())
			return err
		}},
		{"user info", func(t *testing.T) error {
			srv := httptest.NewServer(http.NotFoundHandler())
			raw := strings.Replace(srv.URL, "://", "://user:"+secretQuery+"@", 1) + hookPath
			srv.Close()
			_, err := webhook.New(raw, "wirewatch-test/1.0", nil).Send(context.Background(), message())
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.send(t)
			if err == nil {
				t.Fatal("Send = nil, want an error")
			}
			if bot.IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = true, want a transient error", err)
			}
			noSecret(t, "error", err.Error())
		})
	}
}

// TestDispatcherHonoursRetryAfter checks through the dispatcher what the
// webhook's error carries, as bot exports no accessor for the wait: when the
// failed delivery is tried again, and that its recorded error is redacted.
func TestDispatcherHonoursRetryAfter(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantWait   time.Duration
		wantPaused bool
	}{
		// Backoff(1, 0) is one minute; a Retry-After is waited exactly.
		{"503 without Retry-After", http.StatusServiceUnavailable, "", time.Minute, false},
		{"503 with a short Retry-After", http.StatusServiceUnavailable, "7", 7 * time.Second, false},
		{"503 with Retry-After", http.StatusServiceUnavailable, "3600", time.Hour, false},
		{"429 with Retry-After", http.StatusTooManyRequests, "600", 10 * time.Minute, false},
		{"500 with Retry-After", http.StatusInternalServerError, "120", 2 * time.Minute, false},
		// A Retry-After is waited at most an hour (it was not capped).
		{"503 with a day's Retry-After", http.StatusServiceUnavailable, "86400", time.Hour, false},
		{"503 with an overflowing Retry-After", http.StatusServiceUnavailable, "99999999999999", time.Hour, false},
		// Permanent: the channel pauses for an hour whatever the header says.
		{"404", http.StatusNotFound, "5", time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			if tt.retryAfter != "" {
				header.Set("Retry-After", tt.retryAfter)
			}
			h, srv := newHook(t, tt.status, header)
			db, now, del := queueAlert(t)
			ctx := context.Background()
			log := slog.New(slog.DiscardHandler)
			sender := webhook.New(srv.URL+hookPath+hookQuery, "wirewatch-test/1.0", nil)
			disp := bot.NewDispatcher(db, nil, map[string]bot.Sender{"hook": sender}, log, func() time.Time { return now })

			res, err := disp.Flush(ctx, false)
			if err != nil {
				t.Fatalf("Flush: %v", err)
			}
			if res.Sent != 0 || res.Failed != 1 || res.Pending != 1 {
				t.Fatalf("Flush = %+v, want 0 sent, 1 failed, 1 pending", res)
			}
			if got, want := len(h.requests()), 1; got != want {
				t.Fatalf("endpoint got %d requests, want %d", got, want)
			}
			got, err := db.Delivery(ctx, del)
			if err != nil {
				t.Fatal(err)
			}
			if want := now.Add(tt.wantWait); !got.NextAttempt.Equal(want) {
				t.Errorf("next attempt = %v, want %v (now + %v)", got.NextAttempt, want, tt.wantWait)
			}
			if got, want := got.Attempts, 1; got != want {
				t.Errorf("attempts = %d, want %d", got, want)
			}
			if !strings.Contains(got.LastError, strconv.Itoa(tt.status)) {
				t.Errorf("last error %q does not name the status %d", got.LastError, tt.status)
			}
			noSecret(t, "recorded error", got.LastError)
			// Not due a moment before the wait is over; due once it is.
			if due, err := db.DueDeliveries(ctx, now.Add(tt.wantWait-time.Second)); err != nil || len(due) != 0 {
				t.Errorf("due before the wait = %d (%v), want 0", len(due), err)
			}
			if due, err := db.DueDeliveries(ctx, now.Add(tt.wantWait)); err != nil || len(due) != 1 {
				t.Errorf("due after the wait = %d (%v), want 1", len(due), err)
			}
		})
	}
}

// queueAlert opens a store and ingests one item that a rule alerts to the
// channel "hook"; it returns the store, the ingest time and the delivery id.
func queueAlert(t *testing.T) (*store.DB, time.Time, int64) {
	t.Helper()
	ctx := context.Background()
	f := bottest.New(t, nil, nil, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "hook"))
	now := f.Clock.Now()
	it := bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking to the Taliban", now)
	if res := f.Ingest(t, it); res.Alerts != 1 {
		t.Fatalf("Ingest = %+v; want 1 alert", res)
	}
	due, err := f.DB.DueDeliveries(ctx, now)
	if err != nil || len(due) != 1 {
		t.Fatalf("due deliveries = %d (%v), want 1", len(due), err)
	}
	return f.DB, now, due[0].ID
}
