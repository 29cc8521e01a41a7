package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/bot/bottest"
)

// golden compares a Slack message (its fallback text and blocks, as the
// Web API gets them) with testdata/NAME.golden.
func golden(t *testing.T, name, text string, blocks []slack.Block) {
	t.Helper()
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // <url|label> as Slack reads it
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"text": text, "blocks": blocks}); err != nil {
		t.Fatal(err)
	}
	bottest.Golden(t, name, out.Bytes())
}

// TestGoldenMessages renders the scenario's alert, update (the edited
// alert and the reply in its thread) and digest, and every command's
// answer: the headline links to TASS's report, whose title it is; the
// snippet and "matched" name kabulov alone (the story also matched a
// digest rule and another channel's rule); the snippet skips the page's
// clutter and the headline; five outlets, then "and 3 more · story #1";
// times in each reader's zone.
func TestGoldenMessages(t *testing.T) {
	r := bottest.Render(t)
	loc := time.UTC
	msg := alertMessage(r.Alert, "", time.Time{}, loc)
	golden(t, "alert", msg.text, msg.blocks)
	msg = alertMessage(r.Update, "Updated", r.Update.Stories[0].Updated, loc)
	golden(t, "update-edit", msg.text, msg.blocks)
	msg = threadReply(r.Update)
	golden(t, "update-thread", msg.text, msg.blocks)
	for i, m := range digestMessages(r.Digest.Rule, r.Digest.Stories) {
		golden(t, fmt.Sprintf("digest-%d", i+1), m.text, m.blocks)
	}
	for _, a := range r.Answers(t, "/wirewatch", false) {
		m := replyMessage(a.Reply)
		golden(t, "command-"+a.Name, m.Text, m.Blocks.BlockSet)
	}
}
