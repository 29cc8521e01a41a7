package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestItemsBetween: the story grouper loads the stored items of a range of
// item dates, oldest first, with their stories — old dates as well as new.
func TestItemsBetween(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	base := time.Date(2017, 2, 10, 8, 0, 0, 0, time.UTC)
	stories := map[string]int64{}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for i, id := range []string{"a", "b", "c", "d"} {
			at := base.Add(time.Duration(i) * 24 * time.Hour)
			sid, err := addItem(ctx, tx, 0, id, at, base.AddDate(9, 0, 0))
			if err != nil {
				return err
			}
			stories[id] = sid
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ItemsBetween(ctx, base.Add(24*time.Hour), base.Add(3*24*time.Hour), func(storyID int64, it *feeds.Item) error {
			if storyID != stories[it.ID] {
				t.Errorf("item %s in story %d, want %d", it.ID, storyID, stories[it.ID])
			}
			got = append(got, it.ID)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b", "c"}; !slices.Equal(got, want) {
		t.Errorf("items between = %v, want %v (from inclusive, to exclusive, oldest first)", got, want)
	}
}
