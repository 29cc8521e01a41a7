package command_test

import (
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
)

// TestRuleNamesWithSpaces is the regression test of rules whose names hold
// a space (the configuration allows them) being out of reach of mute,
// unmute and digest: "mute kabulov watch 24h", which Slack's Mute button
// sends for an alert of that rule and the usage hint itself suggests,
// answered "name a rule and a duration".
func TestRuleNamesWithSpaces(t *testing.T) {
	f := newCmdFixture(t,
		bottest.MustRule(t, "kabulov watch", "kabulov", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "csto daily", "csto", bot.ModeDigest, "desk"))
	for _, tt := range []struct{ text, want string }{
		{"mute kabulov watch 24h", "Muted kabulov watch until"},
		{"unmute kabulov watch", "Unmuted kabulov watch."},
		{"digest csto daily", "No stories are waiting for a digest."},
		{"mute kabulov 24h", `there is no rule named "kabulov"`},
		{"mute kabulov watch", "name a rule and a duration"},
		{"digest kabulov watch", "kabulov watch is an alert rule"},
	} {
		if r := f.run(tt.text, true); !strings.Contains(r.Title, tt.want) {
			t.Errorf("%s: title = %q, want it to contain %q", tt.text, r.Title, tt.want)
		}
	}
}
