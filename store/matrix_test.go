package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

func TestMatrixSession(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	const user = "@wirewatch:example.org"

	if _, err := db.MatrixSession(ctx, user); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("MatrixSession before any = %v, want ErrNotFound", err)
	}
	if err := db.SaveMatrixSyncToken(ctx, user, "s1", now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveMatrixSyncToken without a session = %v, want ErrNotFound", err)
	}
	s, err := db.EnsureMatrixSession(ctx, user, "p1", now)
	if err != nil {
		t.Fatal(err)
	}
	if s.UserID != user || s.TxnPrefix != "p1" || s.DeviceID != "" || s.NextBatch != "" || !s.Created.Equal(now) {
		t.Errorf("new session = %+v", s)
	}
	later := now.Add(time.Minute)
	if err := db.SaveMatrixLogin(ctx, user, "DEV1", "syt_secret", later); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveMatrixSyncToken(ctx, user, "s42_1", later); err != nil {
		t.Fatal(err)
	}
	// A second Ensure keeps what is there, prefix included.
	s, err = db.EnsureMatrixSession(ctx, user, "p2", later.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := store.MatrixSession{UserID: user, DeviceID: "DEV1", AccessToken: "syt_secret", NextBatch: "s42_1",
		TxnPrefix: "p1", Created: now, Updated: later}
	if *s != want {
		t.Errorf("session = %+v, want %+v", *s, want)
	}
	if _, err := db.MatrixSession(ctx, "@other:example.org"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another user's session = %v, want ErrNotFound", err)
	}
}
