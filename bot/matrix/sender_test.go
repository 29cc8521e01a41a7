package matrix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

var at = bottest.Start()

// hostile is feed text that tries HTML and Matrix mentions.
const hostile = `Kabulov <script>alert(1)</script> & <a href="https://evil.example">click</a> @room <b>bold</b>`

// room is a room alice created on a homeserver, with the bot invited, and
// the bot's client logged in with its password over its own store.
type room struct {
	hs    *homeserver
	id    id.RoomID
	bot   id.UserID
	alice *mautrix.Client
	db    *store.DB
	dbDir string
	c     *matrix.Client
	log   *bottest.SyncBuffer
	enc   bool // the room is end-to-end encrypted, and the bot's client encrypts
}

// newRoom creates users bot and alice, a room of alice's with the bot
// invited (not joined), and the bot's client.
func newRoom(t *testing.T, hs *homeserver) *room { return newRoomWith(t, hs, false) }

// newRoomWith is newRoom; with enc, the room is end-to-end encrypted from
// its creation and the bot's client has encryption on.
func newRoomWith(t *testing.T, hs *homeserver, enc bool) *room {
	t.Helper()
	ctx := context.Background()
	r := &room{hs: hs, bot: hs.newUser(t, "bot"), dbDir: t.TempDir(), log: &bottest.SyncBuffer{}, enc: enc}
	t.Cleanup(func() {
		if t.Failed() { // what the bot's client did, for a failure seen once
			l := r.log.String()
			t.Logf("the bot's log (its last 8,000 bytes):\n%s", l[max(0, len(l)-8000):])
		}
	})
	r.alice = hs.login(t, hs.newUser(t, "alice"))
	req := &mautrix.ReqCreateRoom{Name: "news desk", Preset: "private_chat", Invite: []id.UserID{r.bot}}
	if enc {
		req.InitialState = []*event.Event{{Type: event.StateEncryption, StateKey: new(string),
			Content: event.Content{Parsed: &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}}}}
	}
	resp, err := r.alice.CreateRoom(ctx, req)
	if err != nil {
		t.Fatalf("create room: %v", err)
	}
	r.id = resp.RoomID
	r.open(t)
	return r
}

// open opens the bot's store and connects its client, as a start does.
func (r *room) open(t *testing.T) {
	t.Helper()
	db := storetest.MustOpenAt(t, filepath.Join(r.dbDir, "w.db"))
	r.db = db
	r.c = r.connect(t, db)
}

func (r *room) connect(t *testing.T, db *store.DB) *matrix.Client {
	t.Helper()
	log := slog.New(slog.NewTextHandler(r.log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, err := matrix.Connect(context.Background(), matrix.ClientConfig{Homeserver: r.hs.URL, UserID: string(r.bot),
		Password: testPassword, HTTPClient: testHTTPClient(), Encryption: r.enc}, db, log)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testHTTPClient gives up on a request sooner than the default, so that a
// stopped homeserver fails a send at once.
func testHTTPClient() *http.Client { return &http.Client{Timeout: 40 * time.Second} }

func (r *room) sender(t *testing.T, onUpdate string) *matrix.Sender {
	return matrix.NewSender(r.c, matrix.SenderConfig{Name: "desk", Room: string(r.id), OnUpdate: onUpdate,
		Location: time.UTC})
}

// messages returns the room's m.room.message events, oldest first, as
// alice sees them.
func (r *room) messages(t *testing.T) []*event.Event {
	t.Helper()
	resp, err := r.alice.Messages(context.Background(), r.id, "", "", mautrix.DirectionBackward,
		&mautrix.FilterPart{Types: []event.Type{event.EventMessage}}, 200)
	if err != nil {
		t.Fatalf("messages: %v", err)
	}
	out := make([]*event.Event, 0, len(resp.Chunk))
	for i := len(resp.Chunk) - 1; i >= 0; i-- {
		ev := resp.Chunk[i]
		if ev.Type == event.EventMessage {
			out = append(out, ev)
		}
	}
	return out
}

// fromBot returns the messages the bot sent.
func (r *room) fromBot(t *testing.T) []*event.Event {
	var out []*event.Event
	for _, ev := range r.messages(t) {
		if ev.Sender == r.bot {
			out = append(out, ev)
		}
	}
	return out
}

// waitBot waits until the room shows n messages from the bot, and
// returns them (the homeserver's timeline trails a send a little).
func (r *room) waitBot(t *testing.T, n int) []*event.Event {
	t.Helper()
	var msgs []*event.Event
	eventually(t, 10*time.Second, fmt.Sprintf("%d messages from the bot", n), func() (bool, error) {
		msgs = r.fromBot(t)
		return len(msgs) >= n, nil
	})
	if len(msgs) != n {
		t.Fatalf("the bot sent %d messages, want %d", len(msgs), n)
	}
	return msgs
}

// content returns an event's content as a map.
func content(t *testing.T, ev *event.Event) map[string]any {
	t.Helper()
	if ev.Content.Raw != nil {
		return ev.Content.Raw
	}
	var m map[string]any
	if err := json.Unmarshal(ev.Content.VeryRaw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// live fails the test when text carries live HTML or an @room.
func live(t *testing.T, what, text string) {
	t.Helper()
	for _, bad := range []string{"<script", `href="https://evil`, "<b>bold", "@room"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s contains live markup %q: %s", what, bad, text)
		}
	}
}

func TestAlertInRoom(t *testing.T) {
	r := newRoom(t, needHomeserver(t))
	s := r.sender(t, "")
	st := bottest.Story("Kabulov: Moscow will keep talking to the Taliban @room", "tass.com", "tolonews.com")
	m := &bot.Message{ID: 42, Kind: "alert", Channel: "desk", Stories: []*bot.Story{st}, Matched: []string{"kabulov"},
		Snippet: bot.MatchSnippet(st, map[string]string{st.Items[1].URL: "Russia's special envoy Zamir Kabulov told TASS on Thursday that talks would go on. " + hostile}, bottest.DeskRules(t))}
	// The bot was invited and has not joined: the first delivery joins.
	evID, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	ev := r.waitBot(t, 1)[0]
	if string(ev.ID) != evID {
		t.Errorf("remote id = %q, want the event's %q", evID, ev.ID)
	}
	c := content(t, ev)
	if str(c, "msgtype") != "m.notice" || str(c, "format") != "org.matrix.custom.html" {
		t.Errorf("msgtype %q, format %q; want m.notice with org.matrix.custom.html", str(c, "msgtype"), str(c, "format"))
	}
	if mentions, ok := c["m.mentions"].(map[string]any); !ok || len(mentions) != 0 {
		t.Errorf("m.mentions = %v, want {} (no one mentioned)", c["m.mentions"])
	}
	if got := str(c, "org.wirewatch.txn"); !strings.HasSuffix(got, ".alert.42.1") {
		t.Errorf("org.wirewatch.txn = %q, want the delivery's transaction id", got)
	}
	h, body := str(c, "formatted_body"), str(c, "body")
	for _, want := range []string{
		`<p><b><a href="https://tass.com/news/0">Kabulov: Moscow will keep talking to the Taliban @` + "\u2060" + `room</a></b></p>`,
		`<blockquote>Russia&#39;s special envoy <b>Zamir Kabulov</b> told TASS on Thursday that talks would go on. <b>Kabulov</b> &lt;script&gt;`,
		`<p><b>Outlets:</b> <a href="https://tass.com/news/0">tass.com</a>, <a href="https://tolonews.com/news/1">tolonews.com</a></p>`,
		`<p><i>2 outlets, 1 independent source · matched kabulov · first report 2026-11-20 09:00 UTC · story #7</i></p>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("formatted_body lacks %q:\n%s", want, h)
		}
	}
	live(t, "formatted_body", h)
	wantBody := "Kabulov: Moscow will keep talking to the Taliban @\u2060room\nhttps://tass.com/news/0\n> "
	if !strings.HasPrefix(body, wantBody) || !strings.Contains(body, "\nOutlets: tass.com, tolonews.com\n2 outlets, 1 independent source · matched kabulov") {
		t.Errorf("body = %q", body)
	}
	if strings.Contains(body, "@room") {
		t.Errorf("body mentions @room: %q", body)
	}
}

// barrier sends a message as alice and waits until the room shows it: the
// events sent before it are then in the room's timeline too.
func (r *room) barrier(t *testing.T) {
	t.Helper()
	resp, err := r.alice.SendText(context.Background(), r.id, "barrier")
	if err != nil {
		t.Fatalf("barrier: %v", err)
	}
	r.waitVisible(t, resp.EventID)
}

// waitVisible waits until the room's timeline (what a sync serves) shows ev.
func (r *room) waitVisible(t *testing.T, ev id.EventID) {
	t.Helper()
	eventually(t, 10*time.Second, "event "+string(ev)+" in the timeline", func() (bool, error) {
		for _, m := range r.messages(t) {
			if m.ID == ev {
				return true, nil
			}
		}
		return false, nil
	})
}

func TestUpdateEditsAndThreads(t *testing.T) {
	tests := []struct {
		onUpdate   string
		wantEdit   bool
		wantThread bool
	}{
		{"both", true, true},
		{"edit", true, false},
		{"thread", false, true},
		{"none", false, false},
	}
	hs := needHomeserver(t)
	for _, tt := range tests {
		t.Run(tt.onUpdate, func(t *testing.T) {
			r := newRoom(t, hs)
			s := r.sender(t, tt.onUpdate)
			ctx := context.Background()
			st := bottest.Story("Kabulov says Moscow will keep talking", "tass.com")
			alertID, err := s.Send(ctx, &bot.Message{ID: 1, Kind: "alert", Stories: []*bot.Story{st}})
			if err != nil {
				t.Fatal(err)
			}
			st = bottest.Story("Kabulov says Moscow will keep talking", "tass.com", "tolonews.com", "<b>evil</b>.example")
			upd := &bot.Message{ID: 2, Kind: "update", Stories: []*bot.Story{st}, ReplyTo: alertID, Matched: []string{"kabulov"},
				New: []string{st.Items[1].URL, st.Items[2].URL}}
			remote, err := s.Send(ctx, upd)
			if err != nil {
				t.Fatal(err)
			}
			r.barrier(t)
			msgs := r.fromBot(t)
			var edit, thread *event.Event
			for _, ev := range msgs[1:] {
				rel, _ := content(t, ev)["m.relates_to"].(map[string]any)
				switch {
				case rel["rel_type"] == "m.replace" && rel["event_id"] == alertID:
					edit = ev
				case rel["rel_type"] == "m.thread" && rel["event_id"] == alertID:
					thread = ev
				default:
					t.Errorf("unexpected message %s: %v", ev.ID, content(t, ev))
				}
			}
			if (edit != nil) != tt.wantEdit || (thread != nil) != tt.wantThread {
				t.Fatalf("edit %v, thread reply %v; want %v, %v", edit != nil, thread != nil, tt.wantEdit, tt.wantThread)
			}
			if len(msgs) != 1+btoi(tt.wantEdit)+btoi(tt.wantThread) {
				t.Errorf("the bot sent %d messages", len(msgs))
			}
			switch {
			case thread != nil:
				if remote != string(thread.ID) {
					t.Errorf("remote id = %q, want the thread reply's %q", remote, thread.ID)
				}
			case edit != nil:
				if remote != string(edit.ID) {
					t.Errorf("remote id = %q, want the edit's %q", remote, edit.ID)
				}
			default:
				if remote != alertID {
					t.Errorf("remote id = %q, want the alert's %q", remote, alertID)
				}
			}
			if edit != nil {
				c := content(t, edit)
				nc, _ := c["m.new_content"].(map[string]any)
				h := str(nc, "formatted_body")
				if !strings.Contains(h, "<p><i>Updated 2026-11-20 10:00 UTC · 3 outlets, 2 independent sources · matched kabulov") ||
					!strings.Contains(h, `<a href="https://tolonews.com/news/1">tolonews.com</a>, <a href="https://&lt;b&gt;evil&lt;/b%3E.example/news/2">&lt;b&gt;evil&lt;/b&gt;.example</a></p>`) {
					t.Errorf("edit's new content = %s", h)
				}
				if str(nc, "msgtype") != "m.notice" || !strings.HasPrefix(str(c, "body"), "* Kabulov says") {
					t.Errorf("edit = %v", c)
				}
				if _, ok := nc["m.relates_to"]; ok {
					t.Errorf("m.new_content has a relation: %v", nc)
				}
			}
			if thread != nil {
				c := content(t, thread)
				rel := c["m.relates_to"].(map[string]any)
				if rel["is_falling_back"] != true || rel["m.in_reply_to"].(map[string]any)["event_id"] != alertID {
					t.Errorf("thread relation = %v, want a reply fallback to the alert", rel)
				}
				if want := "Now also reported by tolonews.com, <b>evil</b>.example — 3 outlets, 2 independent sources."; str(c, "body") != want {
					t.Errorf("thread reply body = %q, want %q", str(c, "body"), want)
				}
				if want := `<p>Now also reported by <a href="https://tolonews.com/news/1">tolonews.com</a>, ` +
					`<a href="https://&lt;b&gt;evil&lt;/b%3E.example/news/2">&lt;b&gt;evil&lt;/b&gt;.example</a> — 3 outlets, 2 independent sources.</p>`; str(c, "formatted_body") != want {
					t.Errorf("thread reply html = %q\nwant %q", str(c, "formatted_body"), want)
				}
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestUpdateWithoutAlertIsStandalone(t *testing.T) {
	r := newRoom(t, needHomeserver(t))
	st := bottest.Story("Kabulov says Moscow will keep talking", "tass.com", "tolonews.com")
	if _, err := r.sender(t, "both").Send(context.Background(), &bot.Message{ID: 2, Kind: "update", Stories: []*bot.Story{st}}); err != nil {
		t.Fatal(err)
	}
	c := content(t, r.waitBot(t, 1)[0])
	if _, ok := c["m.relates_to"]; ok || !strings.Contains(str(c, "formatted_body"), "<p><i>Update · 2 outlets") {
		t.Errorf("standalone update = %v", c)
	}
}

func TestDigestParts(t *testing.T) {
	r := newRoom(t, needHomeserver(t))
	s := r.sender(t, "")
	var stories []*bot.Story
	for i := range 120 {
		outlets := []string{"akipress.com"}
		if i == 0 {
			for k := range 300 {
				outlets = append(outlets, fmt.Sprintf("outlet%03d.example", k))
			}
		}
		st := bottest.Story(fmt.Sprintf("CSTO story %03d <i>", i), outlets...)
		st.ID = fmt.Sprint(i + 1)
		stories = append(stories, st)
	}
	remote, err := s.Send(context.Background(), &bot.Message{ID: 9, Kind: "digest", Rule: "csto", Stories: stories})
	if err != nil {
		t.Fatal(err)
	}
	r.barrier(t)
	msgs := r.fromBot(t)
	if len(msgs) < 2 {
		t.Fatalf("the digest took %d messages, want it split", len(msgs))
	}
	if remote != string(msgs[0].ID) {
		t.Errorf("remote id = %q, want the first part's %q", remote, msgs[0].ID)
	}
	next := 0
	for i, ev := range msgs {
		c := content(t, ev)
		h, body := str(c, "formatted_body"), str(c, "body")
		if len(h)+len(body) > 30000 {
			t.Errorf("part %d is %d bytes", i+1, len(h)+len(body))
		}
		head := fmt.Sprintf("Digest: csto — 120 stories (%d/%d)", i+1, len(msgs))
		if !strings.HasPrefix(h, "<h4>"+head+"</h4><ol") || !strings.HasPrefix(body, head+"\n") {
			t.Errorf("part %d starts %.80q / %.80q", i+1, h, body)
		}
		if got := str(c, "org.wirewatch.txn"); !strings.HasSuffix(got, fmt.Sprintf(".digest.9.%d", i+1)) {
			t.Errorf("part %d txn = %q", i+1, got)
		}
		for _, line := range strings.Split(body, "\n") {
			if !strings.Contains(line, "CSTO story") {
				continue
			}
			if want := fmt.Sprintf("%d. CSTO story %03d <i> (", next+1, next); !strings.HasPrefix(line, want) {
				t.Errorf("part %d: line %q, want it to start %q (stories keep their order)", i+1, line, want)
			}
			if next == 0 && !strings.Contains(line, "and 296 more · story #1)") {
				t.Errorf("300 outlets are not cut short: %.200q", line)
			}
			next++
		}
		if strings.Contains(h, "<i> (") || strings.Contains(h, "CSTO story 000 <i>") {
			t.Errorf("part %d shows a title's markup live", i+1)
		}
	}
	if next != 120 {
		t.Errorf("the parts list %d stories, want 120", next)
	}
}

func TestResendIsNotPostedTwice(t *testing.T) {
	hs := ownHomeserver(t)
	r := newRoom(t, hs)
	s := r.sender(t, "")
	ctx := context.Background()
	m := &bot.Message{ID: 5, Kind: "alert", Stories: []*bot.Story{bottest.Story("Kabulov says talks go on", "tass.com")}}
	first, err := s.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	// The homeserver takes the same transaction id as the same event.
	again, err := s.Send(ctx, m)
	if err != nil || again != first {
		t.Errorf("second send = %q, %v; want the first event %q", again, err, first)
	}
	// A restarted homeserver has forgotten its transactions: a resend
	// finds the event in the room's history.
	hs.restart(t)
	m.Resend = true
	again, err = r.sender(t, "").Send(ctx, m)
	if err != nil || again != first {
		t.Errorf("resend after a homeserver restart = %q, %v; want the first event %q", again, err, first)
	}
	r.barrier(t)
	if n := len(r.fromBot(t)); n != 1 {
		t.Errorf("the bot sent %d messages, want 1", n)
	}
	if !strings.Contains(r.log.String(), "delivery found in the room; not posting it again") {
		t.Errorf("log lacks the resend's find:\n%s", r.log)
	}
}
