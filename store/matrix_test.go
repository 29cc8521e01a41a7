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
	prefix, err := db.InitMatrixSession(ctx, user, "p1", now)
	if err != nil {
		t.Fatal(err)
	}
	if prefix != "p1" {
		t.Errorf("new session's prefix = %q, want p1", prefix)
	}
	s, err := db.MatrixSession(ctx, user)
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
	// A second Init keeps what is there, prefix included.
	if prefix, err := db.InitMatrixSession(ctx, user, "p2", later.Add(time.Hour)); err != nil || prefix != "p1" {
		t.Fatalf("second InitMatrixSession = %q, %v; want p1", prefix, err)
	}
	if dev, tok, err := db.MatrixLogin(ctx, user); err != nil || dev != "DEV1" || tok != "syt_secret" {
		t.Errorf("MatrixLogin = %q, %q, %v; want DEV1, syt_secret", dev, tok, err)
	}
	if next, err := db.MatrixSyncToken(ctx, user); err != nil || next != "s42_1" {
		t.Errorf("MatrixSyncToken = %q, %v; want s42_1", next, err)
	}
	s, err = db.MatrixSession(ctx, user)
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

func TestMatrixPickleKey(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	if k, err := db.MatrixPickleKey(ctx); err != nil || k != "" {
		t.Fatalf("MatrixPickleKey before any = %q, %v; want empty", k, err)
	}
	for _, key := range []string{"k1", "k2"} { // the first key stays
		if got, err := db.InitMatrixPickleKey(ctx, key, now); err != nil || got != "k1" {
			t.Errorf("InitMatrixPickleKey(%s) = %q, %v; want k1", key, got, err)
		}
	}
	if k, err := db.MatrixPickleKey(ctx); err != nil || k != "k1" {
		t.Errorf("MatrixPickleKey = %q, %v; want k1", k, err)
	}
	if _, err := db.Setting(ctx, "nothing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Setting(nothing) = %v, want ErrNotFound", err)
	}
}

func TestCryptoDatabaseSharesTheStore(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	cdb, err := db.CryptoDatabase()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := db.CryptoDatabase(); again != cdb {
		t.Error("CryptoDatabase made a second wrapper")
	}
	// A table made through mautrix's wrapper is in wirewatch's database.
	if _, err := cdb.Exec(ctx, `CREATE TABLE crypto_probe (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.InitSetting(ctx, "probe", "x", time.Now()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := cdb.QueryRow(ctx, `SELECT COUNT(*) FROM settings WHERE name = 'probe'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the wrapper sees %d probe settings (%v), want 1", n, err)
	}
}
