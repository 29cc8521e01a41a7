//go:build goolm

package matrix_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// connectWithKey connects user's encrypting client over db with a
// configured pickle key ("" for none), closing it at once.
func connectWithKey(t *testing.T, hs *homeserver, user string, db *store.DB, key string) error {
	t.Helper()
	c, err := matrix.Connect(context.Background(), matrix.ClientConfig{Homeserver: hs.URL, UserID: user,
		Password: testPassword, HTTPClient: testHTTPClient(), Encryption: true, PickleKey: key}, db, slog.New(slog.DiscardHandler))
	if err == nil {
		c.Close()
	}
	return err
}

func TestPickleKey(t *testing.T) {
	hs := needHomeserver(t)
	ctx := context.Background()

	t.Run("generated", func(t *testing.T) {
		db := storetest.MustOpen(t)
		user := string(hs.newUser(t, "gen"))
		if err := connectWithKey(t, hs, user, db, ""); err != nil {
			t.Fatal(err)
		}
		key, err := db.MatrixPickleKey(ctx)
		if err != nil || len(key) != 64 {
			t.Fatalf("generated key = %d characters, %v; want 64", len(key), err)
		}
		if err := connectWithKey(t, hs, user, db, ""); err != nil {
			t.Errorf("restart with the generated key: %v", err)
		}
		if err := connectWithKey(t, hs, user, db, key); err != nil {
			t.Errorf("restart with the generated key configured: %v", err)
		}
		err = connectWithKey(t, hs, user, db, "another key")
		if err == nil || !strings.Contains(err.Error(), "pickle_key") {
			t.Errorf("restart with another key = %v, want an error naming pickle_key", err)
		}
	})

	t.Run("legacy", func(t *testing.T) {
		// State written with the fixed key of earlier versions (configured
		// here to make it) opens without a configured key.
		db := storetest.MustOpen(t)
		user := string(hs.newUser(t, "old"))
		if err := connectWithKey(t, hs, user, db, "wirewatch olm pickle key"); err != nil {
			t.Fatal(err)
		}
		if err := connectWithKey(t, hs, user, db, ""); err != nil {
			t.Errorf("restart without a configured key: %v", err)
		}
		if key, err := db.MatrixPickleKey(ctx); err != nil || key != "" {
			t.Errorf("stored key = %q, %v; want none generated for old state", key, err)
		}
	})
}
