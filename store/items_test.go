package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// Each item added to a story brings its latest time, its earliest and its
// title up to date: the earliest report's title, unless a wire agency's
// report is among its items.
func TestAddItemKeepsTheStoryUpToDate(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		name, id, source string
		at               time.Duration // published, after t0
		title            string        // the story's, after the item
		first, latest    time.Duration
	}{
		{"first", "a", "x.org", 0, "a", 0, 0},
		{"later", "b", "y.org", time.Hour, "a", 0, time.Hour},
		{"earlier", "c", "z.org", -time.Hour, "c", -time.Hour, time.Hour},
		{"between", "d", "x.org", 30 * time.Minute, "c", -time.Hour, time.Hour},
		{"a wire agency's, later", "e", "tass.com", 2 * time.Hour, "e", -time.Hour, 2 * time.Hour},
		{"earlier than all, after the agency's", "f", "y.org", -2 * time.Hour, "e", -2 * time.Hour, 2 * time.Hour},
		{"the same time as the latest", "g", "z.org", 2 * time.Hour, "e", -2 * time.Hour, 2 * time.Hour},
	}
	if feeds.WireOf("tass.com") == "" {
		t.Fatal("tass.com is no wire agency's outlet")
	}
	var storyID int64
	for _, s := range steps {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			it := &feeds.Item{Feed: "f", ID: s.id, URL: "https://" + s.source + "/" + s.id, Title: s.id,
				Source: s.source, Published: t0.Add(s.at), Dated: true}
			it.Attribute()
			if storyID == 0 {
				var err error
				if storyID, err = tx.CreateStory(ctx, it.Title, it.Title, it.Published); err != nil {
					return err
				}
			}
			_, err := tx.AddItem(ctx, it, nil, storyID, t0)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		st, err := db.Story(ctx, storyID)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if st.Title != s.title || !st.FirstSeen.Equal(t0.Add(s.first)) || !st.Updated.Equal(t0.Add(s.latest)) {
			t.Errorf("%s: title %q, first %v, latest %v; want %q, %v, %v", s.name, st.Title, st.FirstSeen.Sub(t0),
				st.Updated.Sub(t0), s.title, s.first, s.latest)
		}
	}
}
