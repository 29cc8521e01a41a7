package matrix_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// fakeToken is the access token the fake homeserver accepts.
const fakeToken = "syt_fake_SECRET"

// answer is a scripted answer of the fake homeserver: a status and a
// Matrix error (or a JSON body), or a dropped connection.
type answer struct {
	status int
	code   string         // errcode
	extra  map[string]any // more fields of the error
	body   map[string]any // a success's body
	drop   bool
}

// fakeHomeserver answers the few client-server API calls a sender makes,
// playing scripted answers first; it exists to test error handling that
// Dendrite cannot be made to show.
type fakeHomeserver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	script map[string][]answer // by call: "send", "join", "state"
	calls  map[string]int
}

func newFakeHomeserver(t *testing.T) *fakeHomeserver {
	f := &fakeHomeserver{script: map[string][]answer{}, calls: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeHomeserver) fail(call string, as ...answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[call] = append(f.script[call], as...)
}

func (f *fakeHomeserver) count(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[call]
}

func (f *fakeHomeserver) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+fakeToken {
		reply(w, answer{status: 401, code: "M_UNKNOWN_TOKEN"})
		return
	}
	p := r.URL.Path
	call := ""
	ok := answer{status: 200, body: map[string]any{}}
	switch {
	case strings.HasSuffix(p, "/account/whoami"):
		call, ok.body = "whoami", map[string]any{"user_id": "@bot:fake", "device_id": "FAKEDEVICE"}
	case strings.Contains(p, "/send/m.room.message/"):
		call, ok.body = "send", map[string]any{"event_id": "$sent"}
	case strings.HasSuffix(p, "/join"):
		call, ok.body = "join", map[string]any{"room_id": "!room:fake"}
	case strings.HasSuffix(p, "/messages"):
		call, ok.body = "messages", map[string]any{"chunk": []any{}, "start": "t1"}
	case strings.Contains(p, "/state/m.room.encryption"):
		call, ok = "state", answer{status: 404, code: "M_NOT_FOUND"}
	default:
		reply(w, answer{status: 404, code: "M_UNRECOGNIZED"})
		return
	}
	f.mu.Lock()
	f.calls[call]++
	if s := f.script[call]; len(s) > 0 {
		ok, f.script[call] = s[0], s[1:]
	}
	f.mu.Unlock()
	if ok.drop {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	reply(w, ok)
}

func reply(w http.ResponseWriter, a answer) {
	body := a.body
	if a.code != "" {
		body = map[string]any{"errcode": a.code, "error": "scripted " + a.code}
		for k, v := range a.extra {
			body[k] = v
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	json.NewEncoder(w).Encode(body)
}

// fakeClient connects to the fake with an access token.
func fakeClient(t *testing.T, f *fakeHomeserver) *matrix.Client {
	c, _ := fakeClientDB(t, f)
	return c
}

// fakeClientDB is fakeClient, also returning the client's store.
func fakeClientDB(t *testing.T, f *fakeHomeserver) (*matrix.Client, *store.DB) {
	t.Helper()
	db := storetest.MustOpen(t)
	c, err := matrix.Connect(context.Background(), matrix.ClientConfig{Homeserver: f.srv.URL, UserID: "@bot:fake",
		AccessToken: fakeToken}, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return c, db
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		script    map[string][]answer
		permanent bool
		want      string // in the error, "" for success
		joins     int
	}{
		{"rate limited", map[string][]answer{"send": {{status: 429, code: "M_LIMIT_EXCEEDED", extra: map[string]any{"retry_after_ms": 150000}}}},
			false, "M_LIMIT_EXCEEDED", 0},
		{"bad gateway", map[string][]answer{"send": {{status: 502}}}, false, "HTTP 502", 0},
		{"server error", map[string][]answer{"send": {{status: 500, code: "M_UNKNOWN"}}}, false, "M_UNKNOWN", 0},
		{"connection dropped", map[string][]answer{"send": {{drop: true}}}, false, "EOF", 0},
		{"forbidden, cannot join", map[string][]answer{"send": {{status: 403, code: "M_FORBIDDEN"}}, "join": {{status: 403, code: "M_FORBIDDEN"}}},
			true, "not in room !room:fake and cannot join it (invite @bot:fake)", 1},
		{"forbidden, then joins", map[string][]answer{"send": {{status: 403, code: "M_FORBIDDEN"}}}, false, "", 1},
		{"not joined, joins", map[string][]answer{"state": {{status: 403, code: "M_FORBIDDEN"}}}, false, "", 1},
		{"unknown room", map[string][]answer{"state": {{status: 403, code: "M_FORBIDDEN"}}, "join": {{status: 404, code: "M_NOT_FOUND"}}},
			true, "M_NOT_FOUND", 1},
		{"encrypted room", map[string][]answer{"state": {{status: 200, body: map[string]any{"algorithm": "m.megolm.v1.aes-sha2"}}}},
			true, "end-to-end encrypted", 0},
		{"token revoked", map[string][]answer{"send": {{status: 401, code: "M_UNKNOWN_TOKEN"}}}, true, "M_UNKNOWN_TOKEN", 0},
		{"too large", map[string][]answer{"send": {{status: 413, code: "M_TOO_LARGE"}}}, false, "M_TOO_LARGE", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeHomeserver(t)
			c := fakeClient(t, f)
			for call, as := range tt.script {
				f.fail(call, as...)
			}
			s := matrix.NewSender(c, matrix.SenderConfig{Name: "desk", Room: "!room:fake"})
			ev, err := s.Send(context.Background(), &bot.Message{ID: 1, Kind: "alert", Stories: []*bot.Story{bottest.Story("x", "a.example")}})
			if tt.want == "" {
				if err != nil || ev != "$sent" {
					t.Errorf("Send = %q, %v; want $sent", ev, err)
				}
			} else {
				if err == nil {
					t.Fatal("Send = nil, want an error")
				}
				if got := bot.IsPermanent(err); got != tt.permanent {
					t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
				}
				// A message the homeserver refuses is dropped, the room goes on.
				if got, want := bot.IsRejected(err), strings.HasPrefix(tt.want, "M_TOO_LARGE"); got != want {
					t.Errorf("IsRejected(%v) = %v, want %v", err, got, want)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not say %q", err, tt.want)
				}
				if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "http://") {
					t.Errorf("error %q shows the token or a URL", err)
				}
			}
			if n := f.count("join"); n != tt.joins {
				t.Errorf("%d joins, want %d", n, tt.joins)
			}
		})
	}
}

func TestRateLimitIsWaitedOut(t *testing.T) {
	f := newFakeHomeserver(t)
	c, db := fakeClientDB(t, f)
	fx := bottest.New(t, db, nil, bottest.DeskRules(t)...)
	fx.Dispatch(map[string]bot.Sender{"desk": matrix.NewSender(c, matrix.SenderConfig{Name: "desk", Room: "!room:fake"})})
	ctx := context.Background()
	fx.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says", at))
	// 2.5 minutes, more than the dispatcher's first backoff of one.
	f.fail("send", answer{status: 429, code: "M_LIMIT_EXCEEDED", extra: map[string]any{"retry_after_ms": 150000}})
	steps := []struct {
		advance   time.Duration
		wantSends int
		wantSent  int
	}{
		{0, 1, 0},
		{2*time.Minute + 29*time.Second, 1, 0}, // still waiting as the homeserver asked
		{time.Second, 2, 1},
		{time.Hour, 2, 0},
	}
	for i, st := range steps {
		fx.Clock.Advance(st.advance)
		res := fx.Flush(t)
		if got := f.count("send"); got != st.wantSends || res.Sent != st.wantSent {
			t.Fatalf("step %d: %d sends tried, %d sent; want %d and %d", i, got, res.Sent, st.wantSends, st.wantSent)
		}
	}
	if paused, _ := db.PausedChannels(ctx); len(paused) != 0 {
		t.Errorf("a rate limit paused the room: %+v", paused)
	}
	if n := f.count("messages"); n != 1 {
		t.Errorf("%d history look-ups, want 1 (the resend's)", n)
	}
}
