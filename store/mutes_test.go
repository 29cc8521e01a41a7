package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

func TestMutes(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	mutedRules := func(at time.Time) map[string]bool {
		t.Helper()
		var got map[string]bool
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.MutedRules(ctx, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	if err := db.SetMute(ctx, &store.Mute{Rule: "kabulov", Until: now.Add(2 * time.Hour), By: "U1", At: now}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMute(ctx, &store.Mute{Rule: "taliban", Until: now.Add(time.Hour), At: now}); err != nil {
		t.Fatal(err)
	}
	// Muting again replaces the earlier mute.
	if err := db.SetMute(ctx, &store.Mute{Rule: "taliban", Until: now.Add(30 * time.Minute), By: "U2", At: now}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		at   time.Time
		want []string
	}{
		{"both in force", now, []string{"kabulov", "taliban"}},
		{"the shorter one ended", now.Add(30 * time.Minute), []string{"kabulov"}},
		{"both ended", now.Add(2 * time.Hour), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := db.Mutes(ctx, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range list {
				got = append(got, m.Rule)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("mutes = %v, want %v", got, tt.want)
			}
			set := mutedRules(tt.at)
			for i, r := range tt.want {
				if got[i] != r {
					t.Errorf("mutes[%d] = %q, want %q", i, got[i], r)
				}
				if !set[r] {
					t.Errorf("MutedRules lacks %q", r)
				}
			}
			if len(set) != len(tt.want) {
				t.Errorf("MutedRules = %v, want %v", set, tt.want)
			}
		})
	}
	list, _ := db.Mutes(ctx, now)
	if got, want := list[1].By, "U2"; got != want {
		t.Errorf("taliban muted by %q, want %q (the later mute)", got, want)
	}
	if got, want := list[1].Until, now.Add(30*time.Minute); !got.Equal(want) {
		t.Errorf("taliban muted until %v, want %v", got, want)
	}

	if was, err := db.Unmute(ctx, "kabulov", now); err != nil || !was {
		t.Errorf("Unmute(kabulov) = %v, %v; want true (it was in force)", was, err)
	}
	if was, err := db.Unmute(ctx, "kabulov", now); err != nil || was {
		t.Errorf("Unmute(kabulov) again = %v, %v; want false", was, err)
	}
	if was, err := db.Unmute(ctx, "taliban", now.Add(time.Hour)); err != nil || was {
		t.Errorf("Unmute(taliban) after it ended = %v, %v; want false", was, err)
	}
	if got := mutedRules(now); len(got) != 0 {
		t.Errorf("MutedRules after unmute = %v, want none", got)
	}
}

func TestChannelPauses(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

	newly, err := db.PauseChannel(ctx, "ops", "not_in_channel", now, now.Add(time.Hour))
	if err != nil || !newly {
		t.Fatalf("PauseChannel = %v, %v; want newly paused", newly, err)
	}
	newly, err = db.PauseChannel(ctx, "ops", "invalid_auth", now.Add(time.Hour), now.Add(2*time.Hour))
	if err != nil || newly {
		t.Fatalf("PauseChannel again = %v, %v; want already paused", newly, err)
	}
	list, err := db.PausedChannels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("paused channels = %d, want 1", len(list))
	}
	p := list[0]
	if p.Channel != "ops" || p.Reason != "invalid_auth" || !p.PausedAt.Equal(now) || !p.RetryAt.Equal(now.Add(2*time.Hour)) {
		t.Errorf("pause = %+v, want ops, the latest reason and retry, the first pause time", p)
	}
	if was, err := db.ResumeChannel(ctx, "ops"); err != nil || !was {
		t.Errorf("ResumeChannel = %v, %v; want true", was, err)
	}
	if was, err := db.ResumeChannel(ctx, "ops"); err != nil || was {
		t.Errorf("ResumeChannel again = %v, %v; want false", was, err)
	}
	if list, _ := db.PausedChannels(ctx); len(list) != 0 {
		t.Errorf("paused channels after resume = %d, want 0", len(list))
	}
}

func TestStartDelivery(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.Enqueue(ctx, &store.Delivery{Channel: "ops", Kind: store.KindDigest, Rule: "r", Seq: 1, Created: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := db.DueDeliveries(ctx, now)
	if err != nil || len(due) != 1 {
		t.Fatalf("due = %d, %v", len(due), err)
	}
	id := due[0].ID
	for i, want := range []bool{false, true, true} {
		again, err := db.StartDelivery(ctx, id, now.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if again != want {
			t.Errorf("start %d: started before = %v, want %v", i+1, again, want)
		}
	}
}

func TestRetryPausedChannels(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for i, ch := range []string{"ops", "ops", "desk"} {
			d := &store.Delivery{Channel: ch, Kind: store.KindDigest, Rule: "r", Seq: i + 1, Created: now, NextAttempt: now.Add(time.Hour)}
			if err := tx.Enqueue(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.PauseChannel(ctx, "ops", "not_in_channel", now, now.Add(time.Hour))
	n, err := db.RetryPausedChannels(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("RetryPausedChannels = %d, %v; want 1 paused channel", n, err)
	}
	due, _ := db.DueDeliveries(ctx, now)
	if len(due) != 2 || due[0].Channel != "ops" || due[1].Channel != "ops" {
		t.Errorf("due = %d deliveries, want the paused channel's 2 (desk's waits for its own retry time)", len(due))
	}
	paused, _ := db.PausedChannels(ctx)
	if len(paused) != 1 || !paused[0].RetryAt.Equal(now) {
		t.Errorf("paused = %+v, want ops due now", paused)
	}
}
