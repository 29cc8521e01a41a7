package stories

import (
	"context"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

func TestTitleKey(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"case and punctuation", "Russia's Kabulov: Moscow will keep talking to the Taliban!", "russias kabulov moscow will keep talking to the taliban"},
		{"upper case and typographic apostrophe", "RUSSIA’S KABULOV: MOSCOW WILL KEEP TALKING TO THE TALIBAN", "russias kabulov moscow will keep talking to the taliban"},
		{"diacritics", "Kābulov visits Dushanbe today", "kabulov visits dushanbe today"},
		{"cyrillic", "Кабулов: Россия продолжит диалог", "кабулов россия продолжит диалог"},
		{"too short", "Live updates", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TitleKey(tt.in); got != tt.want {
				t.Errorf("TitleKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// fakeLookup answers from maps, recording the since it was asked with.
type fakeLookup struct {
	byURL, byKey map[string]int64
	since        time.Time
}

func (f *fakeLookup) StoryByURL(_ context.Context, url string, since time.Time) (int64, error) {
	f.since = since
	return f.byURL[url], nil
}

func (f *fakeLookup) StoryByTitleKey(_ context.Context, key string, since time.Time) (int64, error) {
	f.since = since
	return f.byKey[key], nil
}

func (f *fakeLookup) ItemsBetween(context.Context, time.Time, time.Time, func(int64, *feeds.Item) error) error {
	return nil
}

func TestExactAssign(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	l := &fakeLookup{
		byURL: map[string]int64{"https://tass.com/world/1": 7},
		byKey: map[string]int64{"kabulov says moscow will keep talking": 9},
	}
	tests := []struct {
		name string
		item feeds.Item
		want int64
	}{
		{"same url", feeds.Item{URL: "https://tass.com/world/1", Title: "Other words entirely here"}, 7},
		{"same title", feeds.Item{URL: "https://tolonews.com/x", Title: "Kabulov says Moscow will keep talking"}, 9},
		{"new story", feeds.Item{URL: "https://tolonews.com/y", Title: "Floods hit Badakhshan province"}, 0},
		{"no url, short title", feeds.Item{Title: "Briefing"}, 0},
	}
	g := Exact{Window: 72 * time.Hour}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.item.Published = now
			got, err := g.Assign(context.Background(), l, &tt.item)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Assign = %d, want %d", got, tt.want)
			}
		})
	}
	if want := now.Add(-72 * time.Hour); !l.since.Equal(want) {
		t.Errorf("looked back to %v, want %v", l.since, want)
	}
}
