package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	wslack "github.com/wirewatch/wirewatch/bot/slack"
)

var at = bottest.Start()

func newSender(t *testing.T, f *fakeSlack, onUpdate string) *wslack.Sender {
	t.Helper()
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, APIURL: f.url()}, slog.New(slog.DiscardHandler))
	return wslack.NewSender(c, wslack.SenderConfig{Name: "desk", Channel: "C0NEWSDESK", OnUpdate: onUpdate,
		Location: time.UTC})
}

// hostile is feed text that tries every kind of Slack markup.
const hostile = `Kabulov <!here> & <!channel> @channel @here <@U123> <https://evil.example|click> <b>bold</b>`

// texts returns the text of every text object in the blocks, in order.
func texts(blocks []map[string]any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				out = append(out, s)
			}
			for k, x := range v {
				if k != "text" || fmt.Sprint(x) != x {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, b := range blocks {
		walk(map[string]any(b))
	}
	return out
}

// neutralized fails the test when text carries live Slack markup.
func neutralized(t *testing.T, what, text string) {
	t.Helper()
	for _, bad := range []string{"<!here>", "<!channel>", "<@U123>", "<https://evil.example|click", "<b>", "@channel", "@here"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s contains live markup %q: %s", what, bad, text)
		}
	}
}

func TestAlertPayload(t *testing.T) {
	f := newFakeSlack(t)
	s := newSender(t, f, "")
	st := bottest.Story("Kabulov: Moscow will keep talking to the Taliban", "tass.com", "tolonews.com")
	m := &bot.Message{ID: 42, Kind: "alert", Channel: "desk", Stories: []*bot.Story{st}, Matched: []string{"kabulov"},
		Snippet: bot.MatchSnippet(st, map[string]string{st.Items[1].URL: "Russia's special envoy Zamir Kabulov told TASS on Thursday that talks would go on. " + hostile}, bottest.DeskRules(t))}
	ts, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	posts := f.allPosts()
	if len(posts) != 1 {
		t.Fatalf("posted %d messages, want 1", len(posts))
	}
	p := posts[0]
	if ts != p.TS || !strings.Contains(ts, ".") {
		t.Errorf("remote id = %q, want the post's ts %q", ts, p.TS)
	}
	if p.Channel != "C0NEWSDESK" || p.ThreadTS != "" {
		t.Errorf("posted to %q thread %q, want C0NEWSDESK, no thread", p.Channel, p.ThreadTS)
	}
	if p.UnfurlLinks != "false" || p.UnfurlMedia != "false" {
		t.Errorf("unfurl_links=%q unfurl_media=%q, want both false", p.UnfurlLinks, p.UnfurlMedia)
	}
	if p.Metadata == nil || p.Metadata.EventType != "wirewatch_delivery" ||
		p.Metadata.EventPayload["delivery_id"] != "42" || p.Metadata.EventPayload["part"] != "1" {
		t.Errorf("metadata = %+v, want wirewatch_delivery with delivery_id 42, part 1", p.Metadata)
	}

	got := texts(p.Blocks)
	want := []string{
		"*<https://tass.com/news/0|Kabulov: Moscow will keep talking to the Taliban>*",
		"> Russia's special envoy *Zamir Kabulov* told TASS on Thursday that talks would go on. *Kabulov* &lt;!here&gt; &amp; &lt;!channel&gt; @\u2060channel @\u2060here &lt;@U123&gt; &lt;https://evil.example|click&gt; &lt;b&gt;bold&lt;/b&gt;",
		"*Outlets:* <https://tass.com/news/0|tass.com>, <https://tolonews.com/news/1|tolonews.com>",
		"2 outlets, 1 independent source · matched kabulov · first report <!date^1795165200^{date_short_pretty} {time}|2026-11-20 09:00 UTC> · story #7",
	}
	got = got[:min(len(got), len(want))] // the buttons are in the golden files
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("block texts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, b := range p.Blocks {
		if tx, ok := b["text"].(map[string]any); ok && tx["type"] == "mrkdwn" && tx["verbatim"] != true {
			t.Errorf("mrkdwn text %v is not verbatim: Slack would link bare names in it", tx)
		}
	}
	wantText := "Kabulov: Moscow will keep talking to the Taliban (2 outlets, 1 independent source; kabulov) https://tass.com/news/0"
	if p.Text != wantText {
		t.Errorf("fallback text = %q, want %q", p.Text, wantText)
	}
	neutralized(t, "blocks", p.BlocksJSON)
}

func TestFeedMarkupNeutralized(t *testing.T) {
	f := newFakeSlack(t)
	s := newSender(t, f, "")
	st := bottest.Story(hostile, "evil.example", "tass.com")
	st.Rules = []string{"kabulov"}
	for i, m := range []*bot.Message{
		{ID: 1, Kind: "alert", Channel: "desk", Stories: []*bot.Story{st}, Snippet: bot.MatchSnippet(st, map[string]string{st.Items[0].URL: hostile}, bottest.DeskRules(t))},
		{ID: 2, Kind: "digest", Channel: "desk", Rule: "csto", Stories: []*bot.Story{st}},
	} {
		if _, err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	for i, p := range f.allPosts() {
		neutralized(t, fmt.Sprintf("post %d fallback", i), p.Text)
		for _, tx := range texts(p.Blocks) {
			neutralized(t, fmt.Sprintf("post %d block", i), tx)
		}
		if all := strings.Join(texts(p.Blocks), "\n"); !strings.Contains(all, "&lt;!here&gt;") {
			t.Errorf("post %d: the markup is not shown as text: %s", i, all)
		}
	}
}

func TestUpdatePayloads(t *testing.T) {
	tests := []struct {
		name       string
		onUpdate   string
		replyTo    string // "alert": the alert's ts
		wantEdits  int
		wantThread bool // a reply in the alert's thread
		wantOwn    bool // a message of its own
		wantRemote string
	}{
		{"both", "both", "alert", 1, true, false, "thread"},
		{"default is both", "", "alert", 1, true, false, "thread"},
		{"edit", "edit", "alert", 1, false, false, "alert"},
		{"thread", "thread", "alert", 0, true, false, "thread"},
		{"none", "none", "alert", 0, false, false, "alert"},
		{"alert unknown", "both", "", 0, false, true, "own"},
		{"alert deleted", "both", "1763629100.000001", 0, false, true, "own"},
		{"alert deleted, thread only", "thread", "1763629100.000001", 0, false, true, "own"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			s := newSender(t, f, tt.onUpdate)
			ctx := context.Background()
			st := bottest.Story("Kabulov says Moscow will keep talking to the Taliban", "tass.com", "tolonews.com")
			alertTS, err := s.Send(ctx, &bot.Message{ID: 1, Kind: "alert", Channel: "desk", Stories: []*bot.Story{st}})
			if err != nil {
				t.Fatal(err)
			}
			now := bottest.Story(st.Title, "tass.com", "tolonews.com", "urdupoint.com", "akipress.com")
			replyTo := tt.replyTo
			if replyTo == "alert" {
				replyTo = alertTS
			}
			m := &bot.Message{ID: 2, Kind: "update", Channel: "desk", Seq: 1, Stories: []*bot.Story{now},
				New: []string{now.Items[2].URL, now.Items[3].URL}, ReplyTo: replyTo}
			remote, err := s.Send(ctx, m)
			if err != nil {
				t.Fatalf("Send update: %v", err)
			}

			edits := f.allUpdates()
			if len(edits) != tt.wantEdits {
				t.Fatalf("edits = %d, want %d", len(edits), tt.wantEdits)
			}
			if len(edits) == 1 {
				e := edits[0]
				if e.Channel != "C0NEWSDESK" || e.TS != alertTS {
					t.Errorf("edited %s/%s, want the alert %s", e.Channel, e.TS, alertTS)
				}
				all := strings.Join(texts(e.Blocks), "\n")
				for _, w := range []string{"<https://akipress.com/news/3|akipress.com>", "4 outlets, 3 independent sources", "Updated <!date^1795168800^{date_short_pretty} {time}|2026-11-20 10:00 UTC>"} {
					if !strings.Contains(all, w) {
						t.Errorf("edited blocks lack %q:\n%s", w, all)
					}
				}
				if !strings.HasPrefix(e.Text, "Updated 2026-11-20 10:00 UTC: Kabulov says") {
					t.Errorf("edited fallback = %q", e.Text)
				}
			}
			posts := f.allPosts()[1:] // after the alert
			var thread, own []*post
			for _, p := range posts {
				if p.ThreadTS != "" {
					thread = append(thread, p)
				} else {
					own = append(own, p)
				}
			}
			if got := len(thread) == 1; got != tt.wantThread || len(thread) > 1 {
				t.Errorf("thread replies = %d, want %v", len(thread), tt.wantThread)
			}
			if len(thread) == 1 {
				p := thread[0]
				if p.ThreadTS != alertTS {
					t.Errorf("thread_ts = %q, want the alert's %q", p.ThreadTS, alertTS)
				}
				wantBlock := "Now also reported by <https://urdupoint.com/news/2|urdupoint.com>, <https://akipress.com/news/3|akipress.com> — 4 outlets, 3 independent sources."
				if got := texts(p.Blocks); len(got) == 0 || got[0] != wantBlock {
					t.Errorf("thread reply blocks = %q, want %q", got, wantBlock)
				}
				if want := "Now also reported by urdupoint.com, akipress.com — 4 outlets, 3 independent sources."; p.Text != want {
					t.Errorf("thread reply text = %q, want %q", p.Text, want)
				}
				if p.Metadata == nil || p.Metadata.EventPayload["delivery_id"] != "2" {
					t.Errorf("thread reply metadata = %+v, want delivery 2", p.Metadata)
				}
			}
			if got := len(own) == 1; got != tt.wantOwn || len(own) > 1 {
				t.Errorf("messages of its own = %d, want %v", len(own), tt.wantOwn)
			}
			if len(own) == 1 && !strings.HasPrefix(own[0].Text, "Update: Kabulov says") {
				t.Errorf("own update text = %q", own[0].Text)
			}
			want := map[string]string{"alert": alertTS}
			if len(thread) == 1 {
				want["thread"] = thread[0].TS
			}
			if len(own) == 1 {
				want["own"] = own[0].TS
			}
			if remote != want[tt.wantRemote] || remote == "" {
				t.Errorf("remote id = %q, want the %s's ts %q", remote, tt.wantRemote, want[tt.wantRemote])
			}
		})
	}
}

func TestDigestPayload(t *testing.T) {
	tests := []struct {
		name    string
		stories int
		outlets int // of the first story
		parts   []int
	}{
		{"one message", 3, 2, []int{3}},
		{"at the limit", 45, 2, []int{45}},
		{"split", 100, 2, []int{45, 45, 10}},
		{"a story with very many outlets", 2, 400, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			s := newSender(t, f, "")
			var list []*bot.Story
			for i := range tt.stories {
				n := 1
				if i == 0 {
					n = tt.outlets
				}
				var outlets []string
				for k := range n {
					outlets = append(outlets, fmt.Sprintf("outlet%d-%d.example", i, k))
				}
				st := bottest.Story(fmt.Sprintf("CSTO story %03d", i), outlets...)
				st.ID = fmt.Sprint(i)
				list = append(list, st)
			}
			remote, err := s.Send(context.Background(), &bot.Message{ID: 9, Kind: "digest", Channel: "desk", Rule: "csto", Seq: 1, Stories: list})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			posts := f.allPosts()
			if len(posts) != len(tt.parts) {
				t.Fatalf("posted %d messages, want %d", len(posts), len(tt.parts))
			}
			if remote != posts[0].TS {
				t.Errorf("remote id = %q, want the first part's %q", remote, posts[0].TS)
			}
			next := 0
			for i, p := range posts {
				if len(p.Blocks) > 50 {
					t.Errorf("part %d has %d blocks, over Slack's 50", i+1, len(p.Blocks))
				}
				header := p.Blocks[0]
				wantHeader := fmt.Sprintf("Digest: csto — %d stories", tt.stories)
				if len(tt.parts) > 1 {
					wantHeader += fmt.Sprintf(" (%d/%d)", i+1, len(tt.parts))
				}
				if header["type"] != "header" || texts([]map[string]any{header})[0] != wantHeader {
					t.Errorf("part %d header = %v, want %q", i+1, header, wantHeader)
				}
				sections := 0
				for _, b := range p.Blocks[1:] {
					if b["type"] != "section" {
						continue
					}
					tx := texts([]map[string]any{b})[0]
					if len(tx) > 3000 {
						t.Errorf("part %d: section of %d characters, over Slack's 3000", i+1, len(tx))
					}
					wantTitle := fmt.Sprintf("|CSTO story %03d>*", next)
					if !strings.Contains(tx, wantTitle) {
						t.Errorf("part %d section %d = %.80q…, want story %d (stories keep their order)", i+1, sections, tx, next)
					}
					if next == 0 && tt.outlets > 100 && !strings.Contains(tx, "more") {
						t.Errorf("a story's 400 outlets do not say how many were left out")
					}
					next++
					sections++
				}
				if sections != tt.parts[i] {
					t.Errorf("part %d lists %d stories, want %d", i+1, sections, tt.parts[i])
				}
				if p.Metadata == nil || p.Metadata.EventPayload["part"] != fmt.Sprint(i+1) || p.Metadata.EventPayload["delivery_id"] != "9" {
					t.Errorf("part %d metadata = %+v", i+1, p.Metadata)
				}
				if !strings.HasPrefix(p.Text, wantHeader+"\n• CSTO story") {
					t.Errorf("part %d fallback = %.80q…", i+1, p.Text)
				}
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		reply     reply
		permanent bool
		want      string // in the error text
	}{
		{"rate limited", reply{status: 429, retryAfter: "7"}, false, "rate limited"},
		{"server error", reply{status: 503}, false, "503"},
		{"channel_not_found", reply{code: "channel_not_found"}, true, "channel_not_found"},
		{"not_in_channel", reply{code: "not_in_channel"}, true, "not_in_channel"},
		{"invalid_auth", reply{code: "invalid_auth"}, true, "invalid_auth"},
		{"account_inactive", reply{code: "account_inactive"}, true, "account_inactive"},
		{"is_archived", reply{code: "is_archived"}, true, "is_archived"},
		{"internal_error", reply{code: "internal_error"}, false, "internal_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			s := newSender(t, f, "")
			f.fail("chat.postMessage", tt.reply)
			_, err := s.Send(context.Background(), &bot.Message{ID: 1, Kind: "alert", Stories: []*bot.Story{bottest.Story("x", "a.example")}})
			if err == nil {
				t.Fatal("Send = nil, want an error")
			}
			if got := bot.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "chat.postMessage") {
				t.Errorf("error %q does not name the method and %q", err, tt.want)
			}
			if strings.Contains(err.Error(), botToken) || strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
}

func TestResolveChannels(t *testing.T) {
	f := newFakeSlack(t)
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, APIURL: f.url()}, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	got, err := c.ResolveChannels(ctx, []string{"#ops", "C0SOMETHING", "#news-desk"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"#ops": "C0OPS", "C0SOMETHING": "C0SOMETHING", "#news-desk": "C0NEWSDESK"}
	if b, _ := json.Marshal(got); string(b) != mustJSON(want) {
		t.Errorf("resolved %s, want %s", b, mustJSON(want))
	}
	if n := f.count("conversations.list"); n != 3 {
		t.Errorf("conversations.list called %d times, want 3 (one channel a page: news-desk, old, ops)", n)
	}
	_, err = c.ResolveChannels(ctx, []string{"#ops", "#nowhere"})
	if err == nil || !bot.IsPermanent(err) || !strings.Contains(err.Error(), "#nowhere") {
		t.Errorf("unknown channel: err = %v, want a permanent error naming #nowhere", err)
	}
	before := f.count("conversations.list")
	if _, err := c.ResolveChannels(ctx, []string{"C1", "G2"}); err != nil || f.count("conversations.list") != before {
		t.Errorf("IDs only: err = %v, %d list calls; want no call", err, f.count("conversations.list")-before)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCheck(t *testing.T) {
	f := newFakeSlack(t)
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, APIURL: f.url()}, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	id, err := c.AuthTest(ctx)
	if err != nil || id.Team == "" || id.UserID == "" {
		t.Errorf("AuthTest = %+v, %v; want the team and bot user", id, err)
	}
	tests := []struct {
		channel string
		want    string // "" for fine
	}{
		{"C0NEWSDESK", ""},
		{"C0OPS", "not in channel C0OPS"},
		{"C0OLD", "archived"},
		{"C0NOPE", "channel_not_found"},
	}
	for _, tt := range tests {
		err := c.CheckChannel(ctx, tt.channel)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckChannel(%s) = %v, want nil", tt.channel, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !bot.IsPermanent(err)):
			t.Errorf("CheckChannel(%s) = %v, want a permanent error saying %q", tt.channel, err, tt.want)
		}
	}
	bad := wslack.New(wslack.ClientConfig{BotToken: "xoxb-WRONG", APIURL: f.url()}, slog.New(slog.DiscardHandler))
	if err := bad.CheckChannel(ctx, "C0NEWSDESK"); err == nil || !bot.IsPermanent(err) || strings.Contains(err.Error(), "WRONG") {
		t.Errorf("CheckChannel with a bad token = %v, want a permanent invalid_auth without the token", err)
	}
}
