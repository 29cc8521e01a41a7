package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/cli"
)

// fakeSlack answers the few Web API methods the wiring uses.
type fakeSlack struct {
	*httptest.Server
	mu    sync.Mutex
	posts []url.Values
	known map[string]string // more channels the bot is in: name → ID
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/auth.test":
			io.WriteString(w, `{"ok":true,"team":"Newsroom","team_id":"T1","user":"wirewatch","user_id":"UBOT"}`)
		case "/api/conversations.list":
			channels := `{"id":"C0DESK","name":"news-desk","is_member":true}`
			f.mu.Lock()
			for name, id := range f.known {
				channels += fmt.Sprintf(`,{"id":%q,"name":%q,"is_member":true}`, id, name)
			}
			f.mu.Unlock()
			io.WriteString(w, `{"ok":true,"channels":[`+channels+`],"response_metadata":{"next_cursor":""}}`)
		case "/api/conversations.info":
			f.mu.Lock()
			member := r.Form.Get("channel") == "C0DESK"
			for _, id := range f.known {
				member = member || r.Form.Get("channel") == id
			}
			f.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":%q,"is_member":%v}}`, r.Form.Get("channel"), member)
		case "/api/conversations.history": // a resend looks for its message first
			var msgs []string
			f.mu.Lock()
			for i, p := range f.posts {
				if p.Get("channel") == r.Form.Get("channel") && p.Get("thread_ts") == "" && p.Get("metadata") != "" {
					msgs = append(msgs, fmt.Sprintf(`{"type":"message","ts":"1763629200.%06d","metadata":%s}`, i+1, p.Get("metadata")))
				}
			}
			f.mu.Unlock()
			io.WriteString(w, `{"ok":true,"messages":[`+strings.Join(msgs, ",")+`],"has_more":false}`)
		case "/api/chat.postMessage":
			f.mu.Lock()
			f.posts = append(f.posts, r.Form)
			n := len(f.posts)
			f.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1763629200.%06d"}`, r.Form.Get("channel"), n)
		default:
			io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// signedCommand sends a slash command signed as Slack does.
func signedCommand(addr, secret, text string) (*http.Response, error) {
	body := url.Values{"user_id": {"U1"}, "command": {"/wirewatch"}, "text": {text}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return http.DefaultClient.Do(req)
}

// TestSlackWiring runs the commands against a fake Slack: once posts the
// alert to the channel resolved from #news-desk, check -online names the
// team and the channel it cannot post to, and run answers a signed slash
// command on the [http] listener.
func TestSlackWiring(t *testing.T) {
	slack := newFakeSlack(t)
	news := newNewsServer(t)
	now := time.Now().UTC()
	news.set("/tass.xml", rss("https://tass.com", "TASS", rssItem{GUID: "1", Link: "https://tass.com/1",
		Title: "Kabulov says Moscow will keep talking", Text: "Zamir Kabulov said so.", Published: now.Add(-time.Hour)}))
	dir := t.TempDir()
	addr := freeAddr(t)
	cfg := filepath.Join(dir, "w.toml")
	err := os.WriteFile(cfg, []byte(fmt.Sprintf(`
[store]
path = "w.db"
[slack]
bot_token = "xoxb-1"
api_url = %q
signing_secret = "s3cret"
[http]
listen = %q
[[feed]]
name = "tass"
url = %q
[[channel]]
name = "desk"
slack = "#news-desk"
[[channel]]
name = "ops"
slack = "C0OPSXXX"
[[rule]]
name = "kabulov"
query = "kabulov"
channels = ["desk"]
`, slack.URL+"/api/", addr, news.URL+"/tass.xml")), 0o600)
	if err != nil {
		t.Fatal(err)
	}

	code, _, stderr := runCmd(t, "once", "-config", cfg)
	slack.mu.Lock()
	posts := slack.posts
	slack.mu.Unlock()
	if code != exitOK || len(posts) != 1 {
		t.Fatalf("once = %d with %d posts, want 0 and 1; stderr:\n%s", code, len(posts), stderr)
	}
	if got := posts[0].Get("channel"); got != "C0DESK" {
		t.Errorf("posted to %q, want C0DESK (resolved from #news-desk)", got)
	}
	if !strings.Contains(posts[0].Get("blocks"), "Kabulov says Moscow will keep talking") {
		t.Errorf("alert blocks lack the story title: %s", posts[0].Get("blocks"))
	}
	if strings.Contains(stderr, "xoxb-1") {
		t.Errorf("the bot token appears in the log:\n%s", stderr)
	}

	code, out, _ := runCmd(t, "check", "-online", "-config", cfg)
	if code != exitFailed {
		t.Errorf("check -online = %d, want %d: the bot is not in ops", code, exitFailed)
	}
	for _, want := range []string{"team Newsroom", "channel desk", "channel ops (C0OPSXXX): cannot post"} {
		if !strings.Contains(out, want) {
			t.Errorf("check -online output lacks %q:\n%s", want, out)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- exitStatus(cli.Run(ctx, []string{"run", "-config", cfg}, io.Discard, io.Discard)) }()
	var resp *http.Response
	deadline := time.Now().Add(30 * time.Second)
	for resp == nil {
		if resp, err = signedCommand(addr, "s3cret", "search kabulov"); err != nil {
			if time.Now().After(deadline) {
				t.Fatalf("no answer on %s: %v", addr, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	var answer struct {
		Text string `json:"text"`
	}
	json.NewDecoder(resp.Body).Decode(&answer)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(answer.Text, "Kabulov says Moscow will keep talking") {
		t.Errorf("search answer = %d %q, want 200 with the story", resp.StatusCode, answer.Text)
	}
	if resp, err := signedCommand(addr, "wrong", "search kabulov"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("badly signed command: %v %v, want 401", resp, err)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("run exit = %d, want 0 after shutdown", code)
	}
}

// TestStartsDespiteChatProblems is the regression test of run refusing to
// start over a chat-side problem (an unknown Slack #name, the Matrix
// homeserver down), so that jsonl and webhook channels got nothing either.
// Each of those channels waits (the unknown name paused, shown by feeds);
// the others work; once Slack knows the channel, its backlog goes out.
func TestStartsDespiteChatProblems(t *testing.T) {
	srv := newNewsServer(t)
	now := time.Now().UTC()
	for p, body := range storyFeeds(now) {
		srv.set(p, body)
	}
	slack := newFakeSlack(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "alerts.jsonl")
	cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml"}, out, fmt.Sprintf(`
[slack]
bot_token = "xoxb-test"
api_url = %q

[matrix]
homeserver = "http://%s"
user_id = "@wirewatch:localhost"
password = "secret"

[[channel]]
name = "desk"
slack = "#no-such-channel"

[[channel]]
name = "room"
matrix = "#news:localhost"

[[rule]]
name = "everywhere"
query = "kabulov"
channels = ["desk", "room"]
`, slack.URL+"/api/", freeAddr(t)))
	code, _, errOut := runCmd(t, "once", "-config", cfg)
	if code == exitUsage {
		t.Fatalf("once refused to start: exit %d\n%s", code, errOut)
	}
	b, _ := os.ReadFile(out)
	if lines := parseLines(t, string(b)); len(lines) == 0 || lines[0].Kind != "alert" {
		t.Fatalf("the jsonl channel got %d deliveries, want the alert:\n%s", len(lines), errOut)
	}
	_, feeds, _ := runCmd(t, "feeds", "-config", cfg)
	if !strings.Contains(feeds, "desk") || !strings.Contains(feeds, "no-such-channel") {
		t.Errorf("feeds does not show the paused Slack channel:\n%s", feeds)
	}
	slack.mu.Lock()
	n := len(slack.posts)
	slack.known = map[string]string{"no-such-channel": "C0LATE"} // the bot is invited
	slack.mu.Unlock()
	if n != 0 {
		t.Errorf("%d posts to Slack, want none yet", n)
	}
	// Slack knows the channel now: the next run resolves it and sends the
	// backlog there.
	if code, _, errOut = runCmd(t, "once", "-config", cfg); code == exitUsage {
		t.Fatalf("second once: exit %d\n%s", code, errOut)
	}
	slack.mu.Lock()
	defer slack.mu.Unlock()
	if len(slack.posts) != 1 || slack.posts[0].Get("channel") != "C0LATE" {
		t.Errorf("after the channel became known: %d posts %v, want the alert in C0LATE\n%s", len(slack.posts), slack.posts, errOut)
	}
}
