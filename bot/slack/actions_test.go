package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	wslack "github.com/wirewatch/wirewatch/bot/slack"
)

// actionEnv is a story alerted in "desk" with two outlets, through the
// dispatcher to the fake Slack, and the handler of its buttons.
type actionEnv struct {
	*env
	h     *wslack.CommandHandler
	alert *post
	log   *bytes.Buffer
}

func newActionEnv(t *testing.T) *actionEnv {
	t.Helper()
	e := newEnv(t, "both")
	title := "Kabulov says Moscow will keep talking to the Taliban"
	e.Ingest(t, bottest.Item("1", "tass.com", title, at), bottest.Item("2", "tolonews.com", title, at.Add(time.Hour)))
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v, want the alert sent", res)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, APIURL: e.f.url()}, log)
	h := wslack.NewCommandHandler(c, e.Commands(log, e.Feed), wslack.CommandConfig{SigningSecret: signingSecret,
		Admins: []string{"UADMIN"}, Now: e.Clock.Now, Alerts: bot.NewArchive(e.DB, e.Rules, nil)})
	return &actionEnv{env: e, h: h, alert: e.f.allPosts()[0], log: &buf}
}

// splitOption returns the value of the alert's "Not the same story" menu
// option for an outlet, as Slack would send it back.
func splitOption(t *testing.T, p *post, outlet string) string {
	t.Helper()
	for _, b := range p.Blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, el := range b["elements"].([]any) {
			el := el.(map[string]any)
			if el["action_id"] != "wirewatch_split" {
				continue
			}
			for _, o := range el["options"].([]any) {
				o := o.(map[string]any)
				if o["text"].(map[string]any)["text"] == outlet {
					return o["value"].(string)
				}
			}
		}
	}
	t.Fatalf("the alert has no split option for %s: %s", outlet, p.BlocksJSON)
	return ""
}

// press posts a block_actions payload to /slack/actions, signed, as Slack
// does when user picks value in the alert's split menu, and returns the
// answer posted to the response_url.
func (e *actionEnv) press(t *testing.T, user, value string) map[string]any {
	t.Helper()
	return e.pressAction(t, user, map[string]any{"action_id": "wirewatch_split", "block_id": "wirewatch_actions_1",
		"type": "static_select", "selected_option": map[string]any{"value": value}})
}

// pressAction is press of any action of the alert's buttons.
func (e *actionEnv) pressAction(t *testing.T, user string, action map[string]any) map[string]any {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "channel": map[string]any{"id": "C0NEWSDESK"},
		"container":    map[string]any{"type": "message", "message_ts": e.alert.TS, "channel_id": "C0NEWSDESK"},
		"message":      map[string]any{"ts": e.alert.TS},
		"response_url": e.f.url() + "respond",
		"actions":      []any{action},
	})
	body := []byte(url.Values{"payload": {string(payload)}}.Encode())
	ts := strconv.FormatInt(e.Clock.Now().Unix(), 10)
	req := httptest.NewRequest(http.MethodPost, "/slack/actions", bytes.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(signingSecret, ts, body))
	w := httptest.NewRecorder()
	e.h.ServeActions(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("POST /slack/actions = %d, want 200", w.Code)
	}
	select {
	case m := <-e.f.responses:
		return m
	case <-time.After(10 * time.Second): // a bound, not a wait: the answer comes at once
		t.Fatalf("no answer at the response_url; log:\n%s", e.log)
		return nil
	}
}

func TestSplitButtonAsAdmin(t *testing.T) {
	e := newActionEnv(t)
	ctx := context.Background()
	answer := e.press(t, "UADMIN", splitOption(t, e.alert, "tolonews.com"))
	if answer["response_type"] != "ephemeral" || !strings.Contains(answer["text"].(string), "out of story #1: it is story #2") {
		t.Errorf("answer = %v, want an ephemeral confirmation of the split", answer)
	}

	// The story's message is edited: one outlet now, saying what changed.
	edits := e.f.allUpdates()
	if len(edits) != 1 || edits[0].TS != e.alert.TS || edits[0].Channel != "C0NEWSDESK" {
		t.Fatalf("edits = %+v, want one of the alert %s", edits, e.alert.TS)
	}
	all := strings.Join(texts(edits[0].Blocks), "\n")
	for _, want := range []string{"Split off tolonews.com", "*Outlets:* <https://tass.com/1|tass.com>\n", "1 outlet"} {
		if !strings.Contains(all, want) {
			t.Errorf("edited alert lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "tolonews.com/news/2|") {
		t.Errorf("edited alert still lists tolonews.com:\n%s", all)
	}

	// The split-off report is a story of its own, alerted: kabulov matches it.
	st, err := e.DB.Story(ctx, 2)
	if err != nil || len(st.Items) != 1 || st.Items[0].Source != "tolonews.com" {
		t.Fatalf("story #2 = %+v, %v; want the tolonews.com report", st, err)
	}
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush after the split = %+v, want the new story's alert", res)
	}
	posts := e.f.allPosts()
	if len(posts) != 2 || !strings.Contains(posts[1].Text, "https://tolonews.com/2") || posts[1].ThreadTS != "" {
		t.Errorf("posts = %d, want the alert of story #2 as a message of its own", len(posts))
	}
}

func TestSplitButtonRefusesNonAdmins(t *testing.T) {
	e := newActionEnv(t)
	answer := e.press(t, "U1", splitOption(t, e.alert, "tolonews.com"))
	if answer["response_type"] != "ephemeral" || !strings.Contains(answer["text"].(string), "Sorry, only admins can use split") {
		t.Errorf("answer = %v, want a polite ephemeral refusal", answer)
	}
	if edits := e.f.allUpdates(); len(edits) != 0 {
		t.Errorf("edits = %d, want none", len(edits))
	}
	st, err := e.DB.Story(context.Background(), 1)
	if err != nil || len(st.Sources()) != 2 {
		t.Errorf("story #1 after a refused split: %v outlets, %v; want both still", st.Sources(), err)
	}
	if res := e.Flush(t); res.Sent != 0 {
		t.Errorf("flush = %+v, want nothing sent", res)
	}
}

func TestSplitButtonWithoutMatchIsNotAlerted(t *testing.T) {
	e := newActionEnv(t)
	ctx := context.Background()
	// A rule set where nothing matches the split-off report: no alert.
	if _, err := bot.Split(ctx, e.DB, nil, nil, 1, "https://tolonews.com/2", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if res := e.Flush(t); res.Sent != 0 {
		t.Errorf("flush = %+v, want no alert: no rule matches the split-off story", res)
	}
}

// TestSplitButtonOfMergedStory: the split menu of an alert whose story was
// merged since into another splits the report off the story it is in now,
// and edits the alert to show that story without it. It answered that the
// merged story had no such report, and edited the alert into an empty one.
func TestSplitButtonOfMergedStory(t *testing.T) {
	e := newActionEnv(t)
	ctx := context.Background()
	e.Ingest(t, bottest.Item("3", "khaama.com", "Kabulov meets the Taliban's foreign minister in Kabul", at.Add(2*time.Hour)))
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v, want the second story's alert", res)
	}
	if err := bot.Merge(ctx, e.DB, e.Rules, []bot.Feed{e.Feed}, 2, 1, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	answer := e.press(t, "UADMIN", splitOption(t, e.alert, "tolonews.com"))
	if !strings.Contains(answer["text"].(string), "out of story #2: it is story #3") {
		t.Errorf("answer = %v, want the report split off story #2, which story #1 went into", answer)
	}
	edits := e.f.allUpdates()
	if len(edits) != 1 || edits[0].TS != e.alert.TS {
		t.Fatalf("edits = %+v, want one of the alert %s", edits, e.alert.TS)
	}
	all := strings.Join(texts(edits[0].Blocks), "\n")
	for _, want := range []string{"Split off tolonews.com", "tass.com", "khaama.com", "2 outlets"} {
		if !strings.Contains(all, want) {
			t.Errorf("edited alert lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "tolonews.com/2|") {
		t.Errorf("edited alert still lists tolonews.com:\n%s", all)
	}
}
