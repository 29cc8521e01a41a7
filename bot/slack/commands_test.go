package slack_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot/bottest"
	wslack "github.com/wirewatch/wirewatch/bot/slack"
)

const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// sign returns Slack's signature of a request body sent at ts.
func sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// commandForm is a slash command as Slack posts it.
func commandForm(user, text, responseURL string) url.Values {
	return url.Values{"token": {"deprecated"}, "team_id": {"T0001"}, "channel_id": {"C0NEWSDESK"},
		"user_id": {user}, "user_name": {"someone"}, "command": {"/wirewatch"}, "text": {text},
		"response_url": {responseURL}, "trigger_id": {"1.2.3"}}
}

// cmdEnv is a store with one alerted story, the command set over it, and
// the Slack command handler.
type cmdEnv struct {
	*env
	h   *wslack.CommandHandler
	log *bytes.Buffer
}

func newCmdEnv(t *testing.T) *cmdEnv {
	t.Helper()
	e := newEnv(t, "")
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking <!here>", at))
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	cmds := e.Commands(log, e.Feed)
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, AppToken: appToken, APIURL: e.f.url()}, log)
	h := wslack.NewCommandHandler(c, cmds, wslack.CommandConfig{SigningSecret: signingSecret, Admins: []string{"UADMIN"}, Now: e.Clock.Now})
	return &cmdEnv{env: e, h: h, log: &buf}
}

// answer is the JSON of a command's answer.
type answer struct {
	ResponseType string           `json:"response_type"`
	Text         string           `json:"text"`
	Blocks       []map[string]any `json:"blocks"`
	UnfurlLinks  *bool            `json:"unfurl_links"`
}

func TestHTTPCommands(t *testing.T) {
	e := newCmdEnv(t)
	now := e.Clock.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	body := []byte(commandForm("U1", "search kabulov", "https://hooks.example/commands/T0001/1/SECRET").Encode())
	good := sign(signingSecret, ts, body)

	tests := []struct {
		name       string
		method     string
		header     map[string]string
		body       []byte
		wantStatus int
		wantReason string // in the log, for refusals
	}{
		{"valid", "POST", map[string]string{"X-Slack-Signature": good, "X-Slack-Request-Timestamp": ts}, body, 200, ""},
		{"wrong signature", "POST", map[string]string{"X-Slack-Signature": sign("other-secret", ts, body), "X-Slack-Request-Timestamp": ts}, body, 401, "signature does not match"},
		{"body changed", "POST", map[string]string{"X-Slack-Signature": good, "X-Slack-Request-Timestamp": ts}, append(body, '&', 'x'), 401, "signature does not match"},
		{"not v0", "POST", map[string]string{"X-Slack-Signature": "v1=" + good[3:], "X-Slack-Request-Timestamp": ts}, body, 401, "signature does not match"},
		{"not hex", "POST", map[string]string{"X-Slack-Signature": "v0=zz", "X-Slack-Request-Timestamp": ts}, body, 401, "signature does not match"},
		{"no signature", "POST", map[string]string{"X-Slack-Request-Timestamp": ts}, body, 401, "missing"},
		{"no timestamp", "POST", map[string]string{"X-Slack-Signature": good}, body, 401, "missing"},
		{"no headers", "POST", nil, body, 401, "missing"},
		{"6 minutes old", "POST", func() map[string]string {
			old := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
			return map[string]string{"X-Slack-Signature": sign(signingSecret, old, body), "X-Slack-Request-Timestamp": old}
		}(), body, 401, "5-minute window"},
		{"6 minutes ahead", "POST", func() map[string]string {
			ahead := strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10)
			return map[string]string{"X-Slack-Signature": sign(signingSecret, ahead, body), "X-Slack-Request-Timestamp": ahead}
		}(), body, 401, "5-minute window"},
		{"4 minutes old", "POST", func() map[string]string {
			old := strconv.FormatInt(now.Add(-4*time.Minute).Unix(), 10)
			return map[string]string{"X-Slack-Signature": sign(signingSecret, old, body), "X-Slack-Request-Timestamp": old}
		}(), body, 200, ""},
		{"GET", "GET", nil, nil, 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.log.Reset()
			req := httptest.NewRequest(tt.method, "/slack/commands", bytes.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, req)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantReason != "" {
				if !strings.Contains(e.log.String(), "slack request refused") || !strings.Contains(e.log.String(), tt.wantReason) {
					t.Errorf("log lacks the refusal and %q:\n%s", tt.wantReason, e.log)
				}
				if strings.Contains(w.Body.String(), "kabulov") {
					t.Errorf("a refused request was answered: %s", w.Body)
				}
			}
			if tt.wantStatus != 200 {
				return
			}
			var a answer
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
				t.Fatalf("answer %s: %v", w.Body, err)
			}
			if a.ResponseType != "ephemeral" {
				t.Errorf("response_type = %q, want ephemeral", a.ResponseType)
			}
			if a.UnfurlLinks == nil || *a.UnfurlLinks {
				t.Errorf("unfurl_links = %v, want false", a.UnfurlLinks)
			}
			all := strings.Join(texts(a.Blocks), "\n")
			for _, w := range []string{"*1 story matching kabulov in all history*",
				"*<https://tass.com/1|Kabulov says Moscow will keep talking &lt;!here&gt;>*  #1", "<https://tass.com/1|tass.com>"} {
				if !strings.Contains(all, w) {
					t.Errorf("answer blocks lack %q:\n%s", w, all)
				}
			}
			if !strings.HasPrefix(a.Text, "1 story matching kabulov") || strings.Contains(a.Text, "<!here>") {
				t.Errorf("answer text = %q", a.Text)
			}
		})
	}
}

func TestHTTPCommandAnswers(t *testing.T) {
	e := newCmdEnv(t)
	tests := []struct {
		name     string
		user     string
		text     string
		wantType string
		want     string // in the fallback text
	}{
		{"admin only, refused", "U1", "mute kabulov 2h", "ephemeral", "Sorry, only admins can use mute."},
		{"admin", "UADMIN", "mute kabulov 2h", "ephemeral", "Muted kabulov until 2026-11-20 11:00 UTC."},
		{"in channel", "U1", "rules in:channel", "in_channel", "kabulov: alert to desk"},
		// Slack escapes & as &amp;; the query sees "&", the answer escapes it once.
		{"escaped by Slack", "U1", "search kabulov &amp; moscow", "ephemeral", `query "kabulov &amp; moscow": column 9: "&amp;" has no letters`},
		{"help", "U1", "", "ephemeral", "/wirewatch search QUERY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(commandForm(tt.user, tt.text, "https://hooks.example/x").Encode())
			ts := strconv.FormatInt(e.Clock.Now().Unix(), 10)
			req := httptest.NewRequest("POST", "/slack/commands", bytes.NewReader(body))
			req.Header.Set("X-Slack-Signature", sign(signingSecret, ts, body))
			req.Header.Set("X-Slack-Request-Timestamp", ts)
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, req)
			var a answer
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || w.Code != 200 {
				t.Fatalf("status %d, answer %s: %v", w.Code, w.Body, err)
			}
			if a.ResponseType != tt.wantType {
				t.Errorf("response_type = %q, want %q", a.ResponseType, tt.wantType)
			}
			if !strings.Contains(a.Text, tt.want) {
				t.Errorf("answer = %q, want it to contain %q", a.Text, tt.want)
			}
		})
	}
}

func TestSocketModeCommand(t *testing.T) {
	e := newCmdEnv(t)
	envelope := map[string]any{
		"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": true,
		"payload": commandPayload("UADMIN", "search kabulov"),
	}
	b, _ := json.Marshal(envelope)
	e.f.mu.Lock()
	e.f.envelopes = []string{string(b)}
	e.f.mu.Unlock()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.h.RunSocketMode(ctx) }()

	var ack map[string]any
	select {
	case ack = <-e.f.fromSocket:
	case err := <-done:
		t.Fatalf("RunSocketMode returned %v before acknowledging", err)
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing
		t.Fatal("no acknowledgement")
	}
	if ack["envelope_id"] != "env-1" {
		t.Errorf("acknowledged %v, want envelope env-1", ack["envelope_id"])
	}
	payload, _ := ack["payload"].(map[string]any)
	if payload["response_type"] != "ephemeral" {
		t.Errorf("payload response_type = %v, want ephemeral", payload["response_type"])
	}
	if text, _ := payload["text"].(string); !strings.HasPrefix(text, "1 story matching kabulov") {
		t.Errorf("payload text = %q, want the search's answer", text)
	}
	blocks, _ := json.Marshal(payload["blocks"])
	if !strings.Contains(string(blocks), "https://tass.com/1") {
		t.Errorf("payload blocks lack the story's link: %s", blocks)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunSocketMode after cancel = %v, want nil", err)
	}
	if e.f.count("apps.connections.open") != 1 {
		t.Errorf("apps.connections.open called %d times, want 1", e.f.count("apps.connections.open"))
	}
}

func commandPayload(user, text string) map[string]any {
	out := map[string]any{}
	for k, v := range commandForm(user, text, "https://hooks.example/commands/T0001/1/SECRET") {
		out[k] = v[0]
	}
	return out
}

func TestSocketModeRefusedToken(t *testing.T) {
	e := newEnv(t, "")
	log := slog.New(slog.DiscardHandler)
	cmds := e.Commands(log)
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, AppToken: "xapp-WRONG", APIURL: e.f.url()}, log)
	h := wslack.NewCommandHandler(c, cmds, wslack.CommandConfig{})
	err := h.RunSocketMode(context.Background())
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Errorf("RunSocketMode = %v, want invalid_auth", err)
	}
	if strings.Contains(err.Error(), "WRONG") {
		t.Errorf("error %q shows the token", err)
	}
}

func TestHTTPCommandsWithoutSecret(t *testing.T) {
	e := newEnv(t, "")
	log := slog.New(slog.DiscardHandler)
	cmds := e.Commands(log)
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, APIURL: e.f.url()}, log)
	h := wslack.NewCommandHandler(c, cmds, wslack.CommandConfig{Now: e.Clock.Now})
	body := []byte(commandForm("U1", "help", "").Encode())
	ts := strconv.FormatInt(e.Clock.Now().Unix(), 10)
	req := httptest.NewRequest("POST", "/slack/commands", bytes.NewReader(body))
	req.Header.Set("X-Slack-Signature", sign("", ts, body)) // signed with the empty secret
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401 without a signing secret", w.Code)
	}
}
