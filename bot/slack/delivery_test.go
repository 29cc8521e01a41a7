package slack_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	wslack "github.com/wirewatch/wirewatch/bot/slack"
)

// env is the pipeline and dispatcher on a real SQLite store, delivering to
// the Slack channel "desk" through the fake Web API.
type env struct {
	*bottest.Fixture
	f *fakeSlack
}

func newEnv(t *testing.T, onUpdate string) *env {
	t.Helper()
	e := &env{Fixture: bottest.New(t, nil, nil, bottest.DeskRules(t)...), f: newFakeSlack(t)}
	e.restart(t, onUpdate)
	return e
}

// restart builds a new Slack client, sender and dispatcher over the same
// store, as a new process would.
func (e *env) restart(t *testing.T, onUpdate string) {
	t.Helper()
	e.Dispatch(map[string]bot.Sender{"desk": newSender(t, e.f, onUpdate)})
}

// postsPerDelivery counts the posts carrying each delivery id (and part).
func postsPerDelivery(posts []*post) map[string]int {
	out := map[string]int{}
	for _, p := range posts {
		if p.Metadata != nil {
			out[fmt.Sprintf("%v/%v", p.Metadata.EventPayload["delivery_id"], p.Metadata.EventPayload["part"])]++
		}
	}
	return out
}

// exactlyOnce fails unless every delivery was posted once.
func exactlyOnce(t *testing.T, posts []*post, want int) {
	t.Helper()
	per := postsPerDelivery(posts)
	if len(posts) != want || len(per) != want {
		t.Errorf("%d posts of %d deliveries, want %d of %d", len(posts), len(per), want, want)
	}
	for id, n := range per {
		if n != 1 {
			t.Errorf("delivery %s posted %d times", id, n)
		}
	}
}

func TestRateLimitIsWaitedOut(t *testing.T) {
	e := newEnv(t, "")
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	e.f.fail("chat.postMessage", reply{status: http.StatusTooManyRequests, retryAfter: "1"},
		reply{status: http.StatusTooManyRequests, retryAfter: "1"})

	steps := []struct {
		advance   time.Duration
		wantCalls int // chat.postMessage requests so far
		wantSent  int
	}{
		{0, 1, 0},                      // 429
		{0, 1, 0},                      // waiting: not tried again
		{999 * time.Millisecond, 1, 0}, // still waiting for Retry-After
		{time.Millisecond, 2, 0},       // 429 again
		{time.Second, 3, 1},            // sent after the second wait
		{time.Hour, 3, 0},              // and only once
	}
	for i, s := range steps {
		e.Clock.Advance(s.advance)
		res := e.Flush(t)
		if got := e.f.count("chat.postMessage"); got != s.wantCalls || res.Sent != s.wantSent {
			t.Fatalf("step %d: %d posts tried, %d sent; want %d and %d", i, got, res.Sent, s.wantCalls, s.wantSent)
		}
	}
	exactlyOnce(t, e.f.allPosts(), 1)
	due, _ := e.DB.DueDeliveries(context.Background(), at.Add(24*time.Hour))
	if len(due) != 0 {
		t.Errorf("%d deliveries still pending", len(due))
	}
}

func TestOutageThenRecovery(t *testing.T) {
	e := newEnv(t, "")
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at),
		bottest.Item("2", "akipress.com", "Kabulov meets Afghan delegation", at))
	e.f.setDown(true)
	if res := e.Flush(t); res.Sent != 0 || res.Failed != 1 || res.Pending != 2 {
		t.Fatalf("flush during the outage = %+v, want 1 failed (the channel then waits), 2 pending", res)
	}
	// A poll during the outage queues another alert.
	e.Clock.Advance(time.Minute)
	e.Ingest(t, bottest.Item("3", "tolonews.com", "Kabulov to visit Kabul", e.Clock.Now()))
	if res := e.Flush(t); res.Sent != 0 || res.Pending != 3 {
		t.Fatalf("second flush during the outage = %+v, want nothing sent, 3 pending", res)
	}
	if paused, _ := e.DB.PausedChannels(context.Background()); len(paused) != 0 {
		t.Errorf("an outage paused the channel: %+v (it is transient)", paused)
	}
	e.f.setDown(false)
	e.Clock.Advance(2 * time.Minute)
	if res := e.Flush(t); res.Sent != 3 || res.Pending != 0 {
		t.Fatalf("flush after the outage = %+v, want 3 sent", res)
	}
	e.Clock.Advance(time.Hour)
	e.Flush(t)
	exactlyOnce(t, e.f.allPosts(), 3)
	// In the order they were queued.
	for i, p := range e.f.allPosts() {
		if got := fmt.Sprint(p.Metadata.EventPayload["delivery_id"]); got != fmt.Sprint(i+1) {
			t.Errorf("post %d is delivery %s, want %d", i, got, i+1)
		}
	}
}

// lostReplyResent posts an alert whose reply is lost (a failure, the post
// made), with history answering as script says, then flushes again a
// minute later: the resend must go out (Sent 1), whatever it posts.
func lostReplyResent(t *testing.T, script ...reply) *env {
	t.Helper()
	e := newEnv(t, "")
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	e.f.mu.Lock()
	e.f.dropReplies = 1
	e.f.mu.Unlock()
	if len(script) > 0 {
		e.f.fail("conversations.history", script...)
	}
	if res := e.Flush(t); res.Failed != 1 {
		t.Fatalf("flush = %+v, want the lost reply to count as a failure", res)
	}
	e.Clock.Advance(time.Minute)
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("retry = %+v, want 1 sent (the channel not paused)", res)
	}
	return e
}

func TestLostReplyIsNotPostedAgain(t *testing.T) {
	e := lostReplyResent(t)
	posts := e.f.allPosts()
	exactlyOnce(t, posts, 1)
	if n := e.f.count("conversations.history"); n != 1 {
		t.Errorf("conversations.history called %d times, want 1 (the resend's look-up)", n)
	}
	del, _ := e.DB.Delivery(context.Background(), 1)
	if del.RemoteID != posts[0].TS {
		t.Errorf("recorded remote id %q, want the post's ts %q", del.RemoteID, posts[0].TS)
	}
}

// TestResendNotInChannelPosts: a bot that posts with chat:write.public
// without being a member cannot read the channel; a resend's look-up then
// posts (as without the history scopes) rather than pausing the channel
// for good.
func TestResendNotInChannelPosts(t *testing.T) {
	e := lostReplyResent(t, reply{code: "not_in_channel"})
	// Without the history the lost reply's post cannot be found: it is
	// posted again, as README says of a bot without the history scopes.
	if n := len(e.f.allPosts()); n != 2 {
		t.Errorf("%d posts, want 2 (the lost reply's and the resend)", n)
	}
}

func TestCrashAfterPostIsNotPostedAgain(t *testing.T) {
	tests := []struct {
		name      string
		onUpdate  string
		setup     func(t *testing.T, e *env) // queue the delivery that will crash
		crashOn   func(p *post) bool         // the post after which the process dies
		wantPosts int                        // posts in the end
		lookup    string                     // the method the resend looks with
	}{
		{"alert", "", func(t *testing.T, e *env) {
			e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
		}, func(p *post) bool { return true }, 1, "conversations.history"},
		{"update in the thread", "thread", func(t *testing.T, e *env) {
			e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
			e.Flush(t)
			e.Clock.Advance(bot.UpdateInterval)
			e.Ingest(t, bottest.Item("2", "tolonews.com", "Kabulov says Moscow will keep talking", e.Clock.Now()))
		}, func(p *post) bool { return p.ThreadTS != "" }, 2, "conversations.replies"},
		{"second part of a digest", "", func(t *testing.T, e *env) {
			for i := range 50 {
				e.Ingest(t, bottest.Item(fmt.Sprint(i), "akipress.com", fmt.Sprintf("CSTO drills, day %d", i), at))
			}
			if n, _, err := e.Digester.Queue(context.Background(), true); n != 1 || err != nil {
				t.Fatalf("queued %d digests (%v), want 1", n, err)
			}
		}, func(p *post) bool { return p.Metadata.EventPayload["part"] == "2" }, 2, "conversations.history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.onUpdate)
			tt.setup(t, e)
			before := len(e.f.allPosts())

			// The process dies right after Slack took the post: the reply
			// never arrives and nothing is recorded.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e.f.mu.Lock()
			e.f.afterPost = func(r *http.Request, p *post) {
				if tt.crashOn(p) {
					cancel()
					<-r.Context().Done()
				}
			}
			e.f.mu.Unlock()
			e.Dispatcher.Flush(ctx, false)
			e.f.mu.Lock()
			e.f.afterPost = nil
			e.f.mu.Unlock()
			if got := len(e.f.allPosts()); got != tt.wantPosts {
				t.Fatalf("%d posts before the restart, want %d", got, tt.wantPosts)
			}
			due, _ := e.DB.DueDeliveries(context.Background(), e.Clock.Now())
			if len(due) != 1 || due[0].Attempts != 0 {
				t.Fatalf("after the crash: %d due (%+v), want the unrecorded delivery, no failure recorded", len(due), due)
			}

			e.restart(t, tt.onUpdate)
			lookups := e.f.count(tt.lookup)
			if res := e.Flush(t); res.Sent != 1 || res.Pending != 0 {
				t.Fatalf("flush after the restart = %+v, want 1 sent", res)
			}
			posts := e.f.allPosts()
			exactlyOnce(t, posts, tt.wantPosts)
			if e.f.count(tt.lookup) != lookups+1 {
				t.Errorf("%s called %d times after the restart, want 1", tt.lookup, e.f.count(tt.lookup)-lookups)
			}
			del, _ := e.DB.Delivery(context.Background(), due[0].ID)
			if del.RemoteID != posts[before].TS {
				t.Errorf("recorded remote id %q, want the first post's ts %q", del.RemoteID, posts[before].TS)
			}
		})
	}
}

func TestUpdateThroughDispatcher(t *testing.T) {
	e := newEnv(t, "both")
	title := "Kabulov says Moscow will keep talking"
	e.Ingest(t, bottest.Item("1", "tass.com", title, at))
	e.Flush(t)
	alert := e.f.allPosts()[0]
	e.Clock.Advance(bot.UpdateInterval)
	if res := e.Ingest(t, bottest.Item("2", "tolonews.com", title, e.Clock.Now())); res.Updates != 1 {
		t.Fatalf("ingest = %+v, want 1 update", res)
	}
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v, want the update sent", res)
	}
	edits := e.f.allUpdates()
	if len(edits) != 1 || edits[0].TS != alert.TS {
		t.Fatalf("edits = %+v, want one of the alert %s", edits, alert.TS)
	}
	posts := e.f.allPosts()
	if len(posts) != 2 || posts[1].ThreadTS != alert.TS {
		t.Fatalf("posts = %d, want the alert and a reply in its thread", len(posts))
	}
	if want := "Now also reported by tolonews.com — 2 outlets."; posts[1].Text != want {
		t.Errorf("thread reply = %q, want %q", posts[1].Text, want)
	}
}

func TestPermanentErrorPausesSlackChannel(t *testing.T) {
	e := newEnv(t, "")
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	e.f.fail("chat.postMessage", reply{code: "not_in_channel"})
	e.Flush(t)
	paused, _ := e.DB.PausedChannels(context.Background())
	if len(paused) != 1 || paused[0].Channel != "desk" || paused[0].Reason != "slack chat.postMessage: not_in_channel" {
		t.Fatalf("paused = %+v, want desk with the Slack error", paused)
	}
	e.Clock.Advance(time.Hour)
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush an hour later = %+v, want the alert sent", res)
	}
	exactlyOnce(t, e.f.allPosts(), 1)
}

// TestRefusedMessageIsNotRetried is the regression test of invalid_blocks
// being classed as temporary: the message was retried for ever. A message
// Slack refuses as it is is logged and dropped; the channel is not paused
// and the next message goes out.
func TestRefusedMessageIsNotRetried(t *testing.T) {
	for _, code := range []string{"invalid_blocks", "msg_too_long", "msg_blocks_too_long"} {
		t.Run(code, func(t *testing.T) {
			e := newEnv(t, "")
			e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
			e.f.fail("chat.postMessage", reply{code: code})
			if res := e.Flush(t); res.Sent != 0 || res.Pending != 0 {
				t.Fatalf("flush = %+v, want nothing sent and nothing left pending", res)
			}
			if paused, _ := e.DB.PausedChannels(context.Background()); len(paused) != 0 {
				t.Errorf("paused = %+v, want none", paused)
			}
			e.Clock.Advance(2 * time.Hour)
			e.Flush(t)
			if n := e.f.count("chat.postMessage"); n != 1 {
				t.Errorf("chat.postMessage called %d times, want 1 (no retry)", n)
			}
			e.Ingest(t, bottest.Item("2", "tolonews.com", "Kabulov meets Taliban delegation in Kazan", e.Clock.Now()))
			if res := e.Flush(t); res.Sent != 1 {
				t.Errorf("next alert: flush = %+v, want it sent", res)
			}
		})
	}
}

// TestAlertOfTwoRulesIsPosted is the regression test of an alert caused by
// two rules of one channel: its two mute buttons had one action_id, Slack
// refused the message (invalid_blocks) and the alert was dropped. Each
// button now has an action_id of its own, and pressing the second mutes
// its rule.
func TestAlertOfTwoRulesIsPosted(t *testing.T) {
	rs := append(bottest.DeskRules(t), bottest.MustRule(t, "envoy", "envoy", bot.ModeAlert, "desk"))
	e := &env{Fixture: bottest.New(t, nil, nil, rs...), f: newFakeSlack(t)}
	e.restart(t, "")
	e.Ingest(t, bottest.Item("1", "tass.com", "Envoy Kabulov says Moscow will keep talking", at))
	if res := e.Flush(t); res.Sent != 1 || res.Pending != 0 {
		t.Fatalf("flush = %+v, want the alert sent", res)
	}
	posts := e.f.allPosts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want the alert", len(posts))
	}
	var mutes []map[string]any
	for _, b := range posts[0].Blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, el := range b["elements"].([]any) {
			if el := el.(map[string]any); strings.HasPrefix(el["action_id"].(string), "wirewatch_mute") {
				mutes = append(mutes, el)
			}
		}
	}
	if len(mutes) != 2 || !strings.Contains(mutes[1]["value"].(string), `"r":"envoy"`) {
		t.Fatalf("mute buttons = %v, want one for each of kabulov and envoy", mutes)
	}

	// The second button mutes its rule.
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, APIURL: e.f.url()}, e.Log)
	h := wslack.NewCommandHandler(c, e.Commands(nil, e.Feed), wslack.CommandConfig{SigningSecret: signingSecret,
		Admins: []string{"UADMIN"}, Now: e.Clock.Now})
	a := &actionEnv{env: e, h: h, alert: posts[0], log: &bytes.Buffer{}}
	answer := a.pressAction(t, "UADMIN", map[string]any{"action_id": mutes[1]["action_id"], "block_id": "wirewatch_actions_1",
		"type": "button", "value": mutes[1]["value"]})
	if text, _ := answer["text"].(string); !strings.Contains(text, "Muted envoy until") {
		t.Errorf("answer = %v, want envoy muted", answer)
	}
}

// TestDigestRetryKeepsItsParts: a digest whose second part failed after
// its first was posted is retried with the parts it had, although a story
// of the second part gained an outlet meanwhile (which puts it first in a
// digest rendered now): every story is posted once, none twice or never.
func TestDigestRetryKeepsItsParts(t *testing.T) {
	e := newEnv(t, "")
	const stories = 50
	for i := range stories {
		e.Ingest(t, bottest.Item(fmt.Sprint(i), "akipress.com", fmt.Sprintf("CSTO drills, day %d", i), at))
	}
	if n, _, err := e.Digester.Queue(context.Background(), true); n != 1 || err != nil {
		t.Fatalf("queued %d digests (%v), want 1", n, err)
	}
	// Slack takes the first part, then asks to wait.
	e.f.mu.Lock()
	e.f.afterPost = func(_ *http.Request, p *post) {
		if p.Metadata.EventPayload["part"] == "1" {
			e.f.fail("chat.postMessage", reply{status: http.StatusTooManyRequests, retryAfter: "1"})
		}
	}
	e.f.mu.Unlock()
	if res := e.Flush(t); res.Failed != 1 {
		t.Fatalf("flush = %+v, want the digest's second part to fail", res)
	}
	e.f.mu.Lock()
	e.f.afterPost = nil
	e.f.mu.Unlock()
	posts := e.f.allPosts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want the first part", len(posts))
	}
	// listed counts the posts that show each story.
	listed := func(posts []*post) map[int]int {
		out := map[int]int{}
		for _, p := range posts {
			for _, tx := range texts(p.Blocks) {
				for i := range stories {
					if strings.Contains(tx, fmt.Sprintf("|CSTO drills, day %d>", i)) {
						out[i]++
					}
				}
			}
		}
		return out
	}
	first := listed(posts)
	later := -1 // a story of the part not posted yet
	for i := range stories {
		if first[i] == 0 {
			later = i
			break
		}
	}
	if later < 0 {
		t.Fatalf("the first part lists all %d stories, want fewer", stories)
	}
	e.Clock.Advance(time.Minute)
	e.Ingest(t, bottest.Item("late", "tass.com", fmt.Sprintf("CSTO drills, day %d", later), e.Clock.Now()))

	if res := e.Flush(t); res.Sent != 1 || res.Pending != 0 {
		t.Fatalf("retry = %+v, want the digest sent", res)
	}
	posts = e.f.allPosts()
	exactlyOnce(t, posts, 2)
	got := listed(posts)
	for i := range stories {
		if got[i] != 1 {
			t.Errorf("story %d is listed in %d posts, want 1", i, got[i])
		}
	}
}
