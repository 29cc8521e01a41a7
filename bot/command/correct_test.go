package command_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/command"
)

func TestCommandsMergeAndSplit(t *testing.T) {
	f := newCmdFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", headline, now), bottest.Item("2", "dawn.com", "Kabulov: Moscow Format talks to resume in spring", now))
	list, _ := f.DB.Stories(context.Background(), time.Time{}, 0)
	if len(list) != 2 {
		t.Fatalf("stories = %d, want 2", len(list))
	}
	a, b := list[1].ID, list[0].ID
	id := func(n int64) string { return "#" + strconv.FormatInt(n, 10) }

	tests := []struct {
		name  string
		text  string
		admin bool
		want  string
	}{
		{"not an admin", "merge " + id(a) + " " + id(b), false, "only admins"},
		{"missing argument", "merge " + id(a), true, "give two story IDs"},
		{"bad id", "merge x " + id(b), true, `"x" is not a story ID`},
		{"merge", "merge " + id(a) + " " + id(b), true, "Merged story " + id(b) + " into story " + id(a)},
		{"merge again", "merge " + id(a) + " " + id(b), true, "was merged into story"},
		{"split, Slack-wrapped link", "split " + id(a) + " <https://dawn.com/2|dawn.com/2>", true, "Took https://dawn.com/2 out of story " + id(a)},
		{"split unknown url", "split " + id(a) + " https://nowhere.example/1", true, "has no item with URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.run(tt.text, tt.admin).Text()
			if !strings.Contains(strings.ToLower(got), strings.ToLower(tt.want)) {
				t.Errorf("%q answered:\n%s\nwant it to contain %q", tt.text, got, tt.want)
			}
		})
	}
	sa, _ := f.DB.Story(context.Background(), a)
	if got := sa.Sources(); len(got) != 1 || got[0] != "tass.com" {
		t.Errorf("story a outlets after merge and split = %v, want [tass.com]", got)
	}
}

// TestSplitOfMergedStory: "Not the same story" on the alert of a story
// merged since into another (by a person or the grouper), or a Matrix
// reply `split OUTLET` to it, splits the outlet's report off the story it
// is in now, as `story` of it shows that story. It answered that the
// merged story had no report from that outlet.
func TestSplitOfMergedStory(t *testing.T) {
	f := newCmdFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	now := f.Clock.Now()
	const talks = "Kabulov: Moscow Format talks to resume in spring"
	f.Ingest(t, bottest.Item("1", "tass.com", headline, now), bottest.Item("2", "dawn.com", talks, now),
		bottest.Item("3", "khaama.com", talks, now))
	list, _ := f.DB.Stories(context.Background(), time.Time{}, 0)
	if len(list) != 2 {
		t.Fatalf("stories = %d, want 2", len(list))
	}
	a, b := list[1].ID, list[0].ID
	if list[0].Items[0].Source == "tass.com" {
		a, b = b, a
	}
	id := func(n int64) string { return "#" + strconv.FormatInt(n, 10) }
	if got := f.run("merge "+id(a)+" "+id(b), true).Text(); !strings.Contains(got, "Merged") {
		t.Fatalf("merge answered %q", got)
	}
	// The button of b's alert (split B OUTLET), as a reply to it would.
	got := f.cmds.Run(context.Background(), command.Request{Text: "split khaama.com", Prefix: "/wirewatch", User: "U1", Admin: true,
		Story: strconv.FormatInt(b, 10)}).Text()
	if want := "Took https://khaama.com/3 out of story " + id(a); !strings.Contains(got, want) {
		t.Errorf("split answered:\n%s\nwant it to contain %q", got, want)
	}
	sa, _ := f.DB.Story(context.Background(), a)
	if got := sa.Sources(); len(got) != 2 || slices.Contains(got, "khaama.com") {
		t.Errorf("story a outlets after the split = %v, want tass.com and dawn.com", got)
	}
}
