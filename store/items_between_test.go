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
// item dates, with their stories — old dates as well as new.
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
		t.Errorf("items between = %v, want %v (from inclusive, to exclusive)", got, want)
	}
}

// TestItemsBetweenStoredOrder: items come in the order they were stored,
// not in date order — a feed polled later may bring earlier dates — so that
// the grouper's index, reloaded after a restart, holds them as the index
// that grouped them did (a story's core is its first item indexed).
func TestItemsBetweenStoredOrder(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	base := time.Date(2017, 2, 10, 8, 0, 0, 0, time.UTC)
	stored := []string{"c", "a", "d", "b"} // a poll of a later-dated feed came first
	at := map[string]time.Duration{"a": 0, "b": time.Hour, "c": 2 * time.Hour, "d": 3 * time.Hour}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for _, id := range stored {
			if _, err := addItem(ctx, tx, 0, id, base.Add(at[id]), base.AddDate(9, 0, 0)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ItemsBetween(ctx, base, base.Add(24*time.Hour), func(_ int64, it *feeds.Item) error {
			got = append(got, it.ID)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, stored) {
		t.Errorf("items between = %v, want %v (the order they were stored)", got, stored)
	}
}
