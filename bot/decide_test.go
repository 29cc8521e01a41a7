package bot

import (
	"reflect"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	rule := func(name, query, mode string, minSources int, channels ...string) Rule {
		q, err := rules.Parse(query)
		if err != nil {
			t.Fatalf("rule %s: %v", name, err)
		}
		return Rule{Name: name, Query: q, Mode: mode, MinSources: minSources, Channels: channels}
	}
	rs := []Rule{
		rule("afghan", "kabulov OR taliban", ModeAlert, 0, "desk", "ops"),
		rule("csto", "csto", ModeAlert, 3, "desk"),
		rule("weekly", "kabulov", ModeDigest, 0, "desk"),
		rule("quiet", "moscow", ModeAlert, 0, "ops"),
	}
	kabulov := &feeds.Item{URL: "https://tass.com/1", Title: "Kabulov says Moscow will keep talking", Published: now.Add(-time.Hour)}
	csto := &feeds.Item{URL: "https://akipress.com/2", Title: "CSTO drills begin", Published: now.Add(-time.Hour)}
	other := &feeds.Item{URL: "https://dawn.com/3", Title: "Flood in Sindh", Published: now.Add(-time.Hour)}
	old := &feeds.Item{URL: "https://tass.com/4", Title: "Kabulov said it in 2020", Published: now.Add(-72 * time.Hour)}

	tests := []struct {
		name  string
		item  *feeds.Item
		state StoryState
		muted map[string]bool
		want  Decision
	}{
		{
			name: "first match alerts every channel of its rules and joins digests",
			item: kabulov, state: StoryState{NewOutlet: true},
			want: Decision{Matched: []string{"afghan", "weekly", "quiet"}, Alerts: []string{"desk", "ops"},
				Digests: []DigestEntry{{Rule: "weekly", Channel: "desk"}}},
		},
		{
			name: "muted rules are dropped, counted, and alert nowhere",
			item: kabulov, state: StoryState{NewOutlet: true}, muted: map[string]bool{"afghan": true},
			want: Decision{Matched: []string{"weekly", "quiet"}, Muted: 1, Alerts: []string{"ops"},
				Digests: []DigestEntry{{Rule: "weekly", Channel: "desk"}}},
		},
		{
			name: "a new outlet updates the channels alerted before; the rest are alerted now",
			item: other, state: StoryState{Rules: []string{"afghan"}, Alerted: []string{"desk"}, NewOutlet: true},
			want: Decision{Updates: []string{"desk"}, Alerts: []string{"ops"}},
		},
		{
			name: "an outlet the story had brings no update",
			item: other, state: StoryState{Rules: []string{"afghan"}, Alerted: []string{"desk", "ops"}},
			want: Decision{},
		},
		{
			name: "min_sources holds an alert",
			item: csto, state: StoryState{Independent: 2, NewOutlet: true},
			want: Decision{Matched: []string{"csto"}, Held: 1},
		},
		{
			name: "min_sources reached",
			item: csto, state: StoryState{Rules: []string{"csto"}, Independent: 3, NewOutlet: true},
			want: Decision{Matched: []string{"csto"}, Alerts: []string{"desk"}},
		},
		{
			name: "past max_age: matched and recorded, never alerted",
			item: old, state: StoryState{Alerted: []string{"desk"}, NewOutlet: true},
			want: Decision{Matched: []string{"afghan", "weekly"}},
		},
		{
			name: "a rule no longer configured is ignored",
			item: other, state: StoryState{Rules: []string{"gone"}},
			want: Decision{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decide(tt.item, tt.state, rs, tt.muted, 48*time.Hour, now)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decide =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}
