package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestJoinKeepsDeliveryOnItsWay: joining story B into story A drops B's
// unsent alert that A has too, unless it was handed to its sender already:
// then it stays, so that the sender can mark it sent; if it fails, it goes
// instead of being tried again (A's alert says the same).
func TestJoinKeepsDeliveryOnItsWay(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	for _, outcome := range []string{"sent", "failed", "not started"} {
		t.Run(outcome, func(t *testing.T) {
			db := storetest.MustOpen(t)
			ctx := context.Background()
			story := func(id string) (storyID, delivery int64) {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					if storyID, err = addItem(ctx, tx, 0, id, now, now); err != nil {
						return err
					}
					return tx.Enqueue(ctx, &store.Delivery{Channel: "c", Kind: store.KindAlert, StoryID: storyID, Created: now})
				})
				if err != nil {
					t.Fatal(err)
				}
				due, err := db.DueDeliveries(ctx, now)
				if err != nil || len(due) == 0 {
					t.Fatalf("due: %v, %v", due, err)
				}
				return storyID, due[len(due)-1].ID
			}
			a, _ := story("a")
			b, onItsWay := story("b")
			if outcome != "not started" {
				if _, err := db.StartDelivery(ctx, onItsWay, now); err != nil {
					t.Fatal(err)
				}
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				ok, err := tx.JoinStories(ctx, a, b, now)
				if err == nil && !ok {
					err = fmt.Errorf("not joined")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			switch outcome {
			case "sent":
				err = db.MarkSent(ctx, onItsWay, "m1", now)
			case "failed":
				err = db.MarkFailed(ctx, onItsWay, "timeout", now)
			}
			if err != nil {
				t.Fatal(err)
			}
			pending, err := db.PendingDeliveries(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if pending != 1 { // A's alert
				t.Errorf("%d deliveries pending after B's alert was %s, want A's alone", pending, outcome)
			}
			if outcome == "sent" {
				if id, err := db.StoryOfMessage(ctx, "m1"); err != nil || id != b {
					t.Errorf("B's alert marked sent: story of its message %d, %v; want %d", id, err, b)
				}
			}
		})
	}
}
