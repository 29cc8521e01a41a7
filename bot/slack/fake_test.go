package slack_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
)

// fakeSlack is slack-go's slacktest server with the Web API methods it
// lacks or fakes too loosely replaced by our own: chat.postMessage (unique
// sub-second timestamps, metadata kept), chat.update, conversations.history
// and .replies (with metadata), conversations.list, and scripted failures
// (429 with Retry-After, error codes, an outage, a crash after the post).
type fakeSlack struct {
	srv *slacktest.Server

	mu       sync.Mutex
	seq      int
	posts    []*post            // messages posted, in order
	updates  []*post            // chat.update calls that succeeded
	calls    map[string]int     // requests per method
	script   map[string][]reply // the next answers per method, before normal service
	down     bool               // every request fails at the network level
	channels map[string]string  // name → ID, for conversations.list
	notIn    map[string]bool    // channel IDs the bot is not a member of
	archived map[string]bool    // archived channel IDs
	// afterPost, when set, runs after a post is recorded and before it is
	// answered (a test blocks there to crash the client).
	afterPost func(r *http.Request, p *post)
	// dropReplies is how many of the next posts are recorded but never
	// answered: the connection closes instead (a reply lost on the way).
	dropReplies int
	// envelopes are what the Socket Mode websocket sends after its hello;
	// fromSocket receives what the client sends back.
	envelopes  []string
	fromSocket chan map[string]any
	// responses receives what is posted to response_url (url()+"respond"):
	// the answers to commands and button presses.
	responses chan map[string]any
}

// post is one message as the fake received it.
type post struct {
	Channel     string
	TS          string
	ThreadTS    string
	Text        string
	Blocks      []map[string]any
	BlocksJSON  string
	Metadata    *slack.SlackMetadata
	UnfurlLinks string
	UnfurlMedia string
}

// reply is a scripted answer: an HTTP status with a Retry-After, or a
// Slack error code.
type reply struct {
	status     int
	retryAfter string
	code       string
}

const (
	botToken = "xoxb-SECRET-TOKEN"
	appToken = "xapp-SECRET-APP-TOKEN"
)

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{calls: map[string]int{}, script: map[string][]reply{}, fromSocket: make(chan map[string]any, 10),
		responses: make(chan map[string]any, 10),
		channels:  map[string]string{"news-desk": "C0NEWSDESK", "ops": "C0OPS", "old": "C0OLD"},
		notIn:     map[string]bool{"C0OPS": true}, archived: map[string]bool{"C0OLD": true}}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", f.handle("chat.postMessage", f.postMessage))
		c.Handle("/chat.update", f.handle("chat.update", f.update))
		c.Handle("/conversations.history", f.handle("conversations.history", f.history))
		c.Handle("/conversations.replies", f.handle("conversations.replies", f.replies))
		c.Handle("/conversations.list", f.handle("conversations.list", f.list))
		c.Handle("/conversations.info", f.handle("conversations.info", f.info))
		c.Handle("/apps.connections.open", f.connectionsOpen)
		c.Handle("/socket", slacktest.Websocket(f.socket))
		c.Handle("/respond", f.respond)
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

// url is the API URL to give the client.
func (f *fakeSlack) url() string { return f.srv.GetAPIURL() }

// fail scripts the next answers of a method.
func (f *fakeSlack) fail(method string, rs ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[method] = append(f.script[method], rs...)
}

func (f *fakeSlack) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

func (f *fakeSlack) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *fakeSlack) allPosts() []*post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.posts)
}

func (f *fakeSlack) allUpdates() []*post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.updates)
}

// handle wraps a method: it checks the token, counts the call, and plays
// the outage and the script before the method's normal service.
func (f *fakeSlack) handle(method string, serve func(w http.ResponseWriter, r *http.Request, form url.Values)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls[method]++
		down := f.down
		var next *reply
		if rs := f.script[method]; len(rs) > 0 {
			next, f.script[method] = &rs[0], rs[1:]
		}
		f.mu.Unlock()
		if down {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		token := r.Form.Get("token")
		if token == "" {
			token = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		}
		if token != botToken {
			writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
			return
		}
		switch {
		case next == nil:
			serve(w, r, r.Form)
		case next.status != 0:
			if next.retryAfter != "" {
				w.Header().Set("Retry-After", next.retryAfter)
			}
			w.WriteHeader(next.status)
		default:
			writeJSON(w, map[string]any{"ok": false, "error": next.code})
		}
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request, form url.Values) {
	p := &post{Channel: form.Get("channel"), ThreadTS: form.Get("thread_ts"), Text: form.Get("text"),
		BlocksJSON: form.Get("blocks"), UnfurlLinks: form.Get("unfurl_links"), UnfurlMedia: form.Get("unfurl_media")}
	if p.BlocksJSON != "" {
		if err := json.Unmarshal([]byte(p.BlocksJSON), &p.Blocks); err != nil || !uniqueActionIDs(p.Blocks) {
			writeJSON(w, map[string]any{"ok": false, "error": "invalid_blocks"})
			return
		}
	}
	if md := form.Get("metadata"); md != "" {
		p.Metadata = &slack.SlackMetadata{}
		if err := json.Unmarshal([]byte(md), p.Metadata); err != nil {
			writeJSON(w, map[string]any{"ok": false, "error": "invalid_metadata"})
			return
		}
	}
	f.mu.Lock()
	if p.ThreadTS != "" && f.find(p.Channel, p.ThreadTS) == nil {
		f.mu.Unlock()
		writeJSON(w, map[string]any{"ok": false, "error": "thread_not_found"})
		return
	}
	f.seq++
	p.TS = fmt.Sprintf("1763629200.%06d", f.seq)
	f.posts = append(f.posts, p)
	after := f.afterPost
	drop := f.dropReplies > 0
	if drop {
		f.dropReplies--
	}
	f.mu.Unlock()
	if after != nil {
		after(r, p)
	}
	if drop {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	writeJSON(w, map[string]any{"ok": true, "channel": p.Channel, "ts": p.TS})
}

// uniqueActionIDs reports whether each actions block's elements have
// action_ids of their own, as Slack requires (it refuses the message as
// invalid_blocks otherwise).
func uniqueActionIDs(blocks []map[string]any) bool {
	for _, b := range blocks {
		if b["type"] != "actions" {
			continue
		}
		els, _ := b["elements"].([]any)
		seen := map[any]bool{}
		for _, el := range els {
			id := el.(map[string]any)["action_id"]
			if seen[id] {
				return false
			}
			seen[id] = true
		}
	}
	return true
}

// find returns the top-level post with this ts; f.mu is held.
func (f *fakeSlack) find(channel, ts string) *post {
	for _, p := range f.posts {
		if p.Channel == channel && p.TS == ts && p.ThreadTS == "" {
			return p
		}
	}
	return nil
}

func (f *fakeSlack) update(w http.ResponseWriter, r *http.Request, form url.Values) {
	p := &post{Channel: form.Get("channel"), TS: form.Get("ts"), Text: form.Get("text"), BlocksJSON: form.Get("blocks")}
	json.Unmarshal([]byte(p.BlocksJSON), &p.Blocks)
	if !uniqueActionIDs(p.Blocks) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_blocks"})
		return
	}
	f.mu.Lock()
	orig := f.find(p.Channel, p.TS)
	if orig == nil {
		f.mu.Unlock()
		writeJSON(w, map[string]any{"ok": false, "error": "message_not_found"})
		return
	}
	orig.Text, orig.Blocks, orig.BlocksJSON = p.Text, p.Blocks, p.BlocksJSON
	f.updates = append(f.updates, p)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "channel": p.Channel, "ts": p.TS, "text": p.Text})
}

// wire is a message as conversations.history shows it.
func wire(p *post, withMetadata bool) map[string]any {
	m := map[string]any{"type": "message", "ts": p.TS, "text": p.Text}
	if p.ThreadTS != "" {
		m["thread_ts"] = p.ThreadTS
	}
	if withMetadata && p.Metadata != nil {
		m["metadata"] = p.Metadata
	}
	return m
}

func (f *fakeSlack) history(w http.ResponseWriter, r *http.Request, form url.Values) {
	limit, _ := strconv.Atoi(form.Get("limit"))
	withMD := form.Get("include_all_metadata") == "1"
	f.mu.Lock()
	var msgs []map[string]any
	for i := len(f.posts) - 1; i >= 0 && (limit == 0 || len(msgs) < limit); i-- { // newest first
		if p := f.posts[i]; p.Channel == form.Get("channel") && p.ThreadTS == "" {
			msgs = append(msgs, wire(p, withMD))
		}
	}
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "messages": msgs, "has_more": false})
}

func (f *fakeSlack) replies(w http.ResponseWriter, r *http.Request, form url.Values) {
	withMD := form.Get("include_all_metadata") == "1"
	ch, ts := form.Get("channel"), form.Get("ts")
	f.mu.Lock()
	defer f.mu.Unlock()
	parent := f.find(ch, ts)
	if parent == nil {
		writeJSON(w, map[string]any{"ok": false, "error": "thread_not_found"})
		return
	}
	msgs := []map[string]any{wire(parent, withMD)}
	for _, p := range f.posts {
		if p.Channel == ch && p.ThreadTS == ts {
			msgs = append(msgs, wire(p, withMD))
		}
	}
	writeJSON(w, map[string]any{"ok": true, "messages": msgs, "has_more": false})
}

func (f *fakeSlack) list(w http.ResponseWriter, r *http.Request, form url.Values) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var chans []map[string]any
	for name, id := range f.channels {
		chans = append(chans, map[string]any{"id": id, "name": name, "is_channel": true})
	}
	slices.SortFunc(chans, func(a, b map[string]any) int {
		return strings.Compare(a["name"].(string), b["name"].(string))
	})
	// One per page, to exercise the cursor.
	start := 0
	if c := form.Get("cursor"); c != "" {
		start, _ = strconv.Atoi(c)
	}
	next := ""
	if start+1 < len(chans) {
		next = strconv.Itoa(start + 1)
	}
	writeJSON(w, map[string]any{"ok": true, "channels": chans[start : start+1],
		"response_metadata": map[string]any{"next_cursor": next}})
}

// connectionsOpen answers apps.connections.open (with the app token) with
// the URL of our Socket Mode websocket.
func (f *fakeSlack) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls["apps.connections.open"]++
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+appToken {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "url": "ws://" + r.Host + "/socket"})
}

// socket is the Socket Mode websocket: it says hello, sends the
// envelopes, and passes on what the client sends until it goes away.
func (f *fakeSlack) socket(c *websocket.Conn) {
	f.mu.Lock()
	envelopes := slices.Clone(f.envelopes)
	f.mu.Unlock()
	if err := c.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A0WIREWATCH"}}); err != nil {
		return
	}
	for _, e := range envelopes {
		if err := c.WriteMessage(websocket.TextMessage, []byte(e)); err != nil {
			return
		}
	}
	for {
		var m map[string]any
		if err := c.ReadJSON(&m); err != nil {
			return
		}
		f.fromSocket <- m
	}
}

func (f *fakeSlack) info(w http.ResponseWriter, r *http.Request, form url.Values) {
	id := form.Get("channel")
	f.mu.Lock()
	defer f.mu.Unlock()
	for name, cid := range f.channels {
		if cid == id {
			writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": id, "name": name,
				"is_channel": true, "is_member": !f.notIn[id], "is_archived": f.archived[id]}})
			return
		}
	}
	writeJSON(w, map[string]any{"ok": false, "error": "channel_not_found"})
}

// respond is a response_url: it passes on each answer posted to it.
func (f *fakeSlack) respond(w http.ResponseWriter, r *http.Request) {
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.responses <- m
	w.WriteHeader(http.StatusOK)
}
