package bot

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
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
		rule("big", "exercise", ModeAlert, 0, "desk"),
		rule("tass", "sanctions", ModeAlert, 0, "ops"),
		rule("ru-tag", "sanctions", ModeDigest, 0, "desk"),
		rule("envoy", "envoy", ModeAlert, 0, "sport"),
		rule("russian", "санкции lang:ru", ModeAlert, 0, "ru"),
	}
	rs[4].MinOutlets = 3
	rs[5].Feeds = []string{"tass"}
	rs[6].Tags = []string{"russia"}
	exclude, err := rules.Parse("football")
	if err != nil {
		t.Fatal(err)
	}
	rs[7].Exclude = exclude
	set := newRuleSet(rs)
	kabulov := &feeds.Item{URL: "https://tass.com/1", Title: "Kabulov says Moscow will keep talking", Published: now.Add(-time.Hour)}
	csto := &feeds.Item{URL: "https://akipress.com/2", Title: "CSTO drills begin", Published: now.Add(-time.Hour)}
	other := &feeds.Item{URL: "https://dawn.com/3", Title: "Flood in Sindh", Published: now.Add(-time.Hour)}
	old := &feeds.Item{URL: "https://tass.com/4", Title: "Kabulov said it in 2020", Published: now.Add(-72 * time.Hour)}
	exercise := &feeds.Item{URL: "https://akipress.com/5", Title: "Joint exercise near the Panj", Published: now.Add(-time.Hour)}
	sanctions := &feeds.Item{Feed: "tass", URL: "https://tass.com/6", Title: "New sanctions announced", Published: now.Add(-time.Hour)}
	sanctionsRIA := &feeds.Item{Feed: "ria", URL: "https://ria.ru/7", Title: "New sanctions announced", Published: now.Add(-time.Hour)}
	envoy := &feeds.Item{URL: "https://dawn.com/8", Title: "Envoy visits Dushanbe", Published: now.Add(-time.Hour)}
	envoyFootball := &feeds.Item{URL: "https://dawn.com/9", Title: "Envoy at the football final", Published: now.Add(-time.Hour)}
	санкции := &feeds.Item{URL: "https://ria.ru/10", Title: "Новые санкции", Published: now.Add(-time.Hour)}

	tests := []struct {
		name  string
		item  *feeds.Item
		feed  Feed // MaxAge 48h unless set
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
			name: "min_outlets holds an alert",
			item: exercise, state: StoryState{Outlets: 2, NewOutlet: true},
			want: Decision{Matched: []string{"big"}, Held: 1},
		},
		{
			name: "min_outlets reached, counting the item's outlet",
			item: exercise, state: StoryState{Rules: []string{"big"}, Outlets: 3, NewOutlet: true},
			want: Decision{Matched: []string{"big"}, Alerts: []string{"desk"}},
		},
		{
			name: "feeds admits its feed's items",
			item: sanctions, state: StoryState{NewOutlet: true},
			want: Decision{Matched: []string{"tass"}, Alerts: []string{"ops"}},
		},
		{
			name: "feeds leaves out other feeds; tags admits a tagged feed",
			item: sanctionsRIA, feed: Feed{Name: "ria", Tags: []string{"russia"}}, state: StoryState{NewOutlet: true},
			want: Decision{Matched: []string{"ru-tag"}, Digests: []DigestEntry{{Rule: "ru-tag", Channel: "desk"}}},
		},
		{
			name: "exclude lets other items through",
			item: envoy, state: StoryState{NewOutlet: true},
			want: Decision{Matched: []string{"envoy"}, Alerts: []string{"sport"}},
		},
		{
			name: "exclude leaves out the items it matches",
			item: envoyFootball, state: StoryState{NewOutlet: true},
			want: Decision{},
		},
		{
			name: "lang: is the feed's language",
			item: санкции, feed: Feed{Lang: "ru"}, state: StoryState{NewOutlet: true},
			want: Decision{Matched: []string{"russian"}, Alerts: []string{"ru"}},
		},
		{
			name: "lang: of another feed language",
			item: санкции, feed: Feed{Lang: "uk"}, state: StoryState{NewOutlet: true},
			want: Decision{},
		},
		{
			name: "an edit joins no digest of a rule its story matched",
			item: kabulov, state: StoryState{Rules: []string{"afghan", "quiet", "weekly"}, Alerted: []string{"desk", "ops"}, Edit: true},
			want: Decision{Matched: []string{"afghan", "weekly", "quiet"}},
		},
		{
			name: "an edit joins the digest of a rule its story did not match",
			item: sanctionsRIA, feed: Feed{Name: "ria", Tags: []string{"russia"}}, state: StoryState{Rules: []string{"afghan"}, Alerted: []string{"desk", "ops"}, Edit: true},
			want: Decision{Matched: []string{"ru-tag"}, Digests: []DigestEntry{{Rule: "ru-tag", Channel: "desk"}}},
		},
		{
			name: "a rule no longer configured is ignored",
			item: other, state: StoryState{Rules: []string{"gone"}},
			want: Decision{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.feed.MaxAge == 0 {
				tt.feed.MaxAge = 48 * time.Hour
			}
			got := decide(tt.item, itemDoc(tt.item, tt.feed), tt.feed, tt.state, set, tt.muted, now)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decide =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestDecideAlertsAsTheUnion: the alerts decide gives are those of the
// story's rules and the item's taken together in name order, each channel
// once, as a plain union says, on random stories and rule sets.
func TestDecideAlertsAsTheUnion(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	words := []string{"kabulov", "csto", "taliban", "border", "envoy", "drills"}
	chans := []string{"desk", "ops", "ru", "sport"}
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for range 500 {
		var rs []Rule
		for i := range 1 + r.IntN(12) {
			q, err := rules.Parse(words[r.IntN(len(words))])
			if err != nil {
				t.Fatal(err)
			}
			mode := ModeAlert
			if r.IntN(4) == 0 {
				mode = ModeDigest
			}
			rs = append(rs, Rule{Name: fmt.Sprintf("r%02d", r.IntN(40)+i*40), Query: q, Mode: mode,
				MinSources: r.IntN(3), Channels: []string{chans[r.IntN(len(chans))], chans[r.IntN(len(chans))]}})
		}
		set := newRuleSet(rs)
		var st StoryState
		for _, rl := range rs {
			if r.IntN(3) == 0 {
				st.Rules = append(st.Rules, rl.Name)
			}
		}
		st.Rules = append(st.Rules, "gone") // a rule no longer configured
		slices.Sort(st.Rules)
		for _, ch := range chans {
			if r.IntN(3) == 0 {
				st.Alerted = append(st.Alerted, ch)
			}
		}
		st.Independent = r.IntN(3)
		it := &feeds.Item{URL: "https://tass.com/1", Title: words[r.IntN(len(words))] + " " + words[r.IntN(len(words))], Published: now}
		muted := map[string]bool{rs[r.IntN(len(rs))].Name: r.IntN(2) == 0}
		feed := Feed{MaxAge: time.Hour}
		d := decide(it, itemDoc(it, feed), feed, st, set, muted, now)

		names := slices.Sorted(slices.Values(append(slices.Clone(st.Rules), d.Matched...)))
		names = slices.Compact(names)
		var want []string
		held := 0
		for _, name := range names {
			rl := set.byName[name]
			if rl == nil || rl.Mode != ModeAlert || muted[name] {
				continue
			}
			if rl.MinSources > 1 && st.Independent < rl.MinSources {
				held++
				continue
			}
			for _, ch := range rl.Channels {
				if !slices.Contains(st.Alerted, ch) && !slices.Contains(want, ch) {
					want = append(want, ch)
				}
			}
		}
		if !slices.Equal(d.Alerts, want) || d.Held != held {
			t.Fatalf("story rules %v, alerted %v, matched %v: alerts %v, held %d; want %v, %d", st.Rules, st.Alerted, d.Matched, d.Alerts, d.Held, want, held)
		}
	}
}
