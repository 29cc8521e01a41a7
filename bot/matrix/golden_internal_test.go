package matrix

import (
	"fmt"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot/bottest"
)

// golden compares a Matrix message (its plain body, then its HTML) with
// testdata/NAME.golden.
func golden(t *testing.T, name string, m message) {
	t.Helper()
	bottest.Golden(t, name, []byte("body:\n"+m.body+"\n\nformatted_body:\n"+m.html+"\n"))
}

// TestGoldenMessages renders the scenario's alert, update (the edited
// alert and the reply in its thread) and digest, and every command's
// answer, as the Slack test does; times in the configured zone.
func TestGoldenMessages(t *testing.T) {
	r := bottest.Render(t)
	loc := time.UTC
	golden(t, "alert", alertMessage(r.Alert, "", time.Time{}, loc))
	golden(t, "update-edit", alertMessage(r.Update, "Updated", r.Update.Stories[0].Updated, loc))
	golden(t, "update-thread", threadReply(r.Update.Stories[0], r.Update.New))
	for i, m := range digestMessages(r.Digest.Rule, r.Digest.Stories) {
		golden(t, fmt.Sprintf("digest-%d", i+1), m)
	}
	for _, a := range r.Answers(t, "!wirewatch", true) {
		golden(t, "command-"+a.Name, replyMessage(a.Reply))
	}
}
