//go:build goolm

package matrix

import (
	"context"
	"testing"
	"time"

	"go.mau.fi/util/dbutil"
)

// keyStore is a CryptoStore holding only a generated pickle key.
type keyStore struct{ key string }

func (s *keyStore) CryptoDatabase() (*dbutil.Database, error)       { return nil, nil }
func (s *keyStore) MatrixPickleKey(context.Context) (string, error) { return s.key, nil }
func (s *keyStore) InitMatrixPickleKey(_ context.Context, key string, _ time.Time) (string, error) {
	if s.key == "" {
		s.key = key
	}
	return s.key, nil
}

func TestPickleKeyChoice(t *testing.T) {
	tests := []struct {
		name       string
		configured string
		stored     string
		hasAccount bool
		want       string // "new": a new random key, then stored
	}{
		{name: "configured wins", configured: "mine", stored: "gen", hasAccount: true, want: "mine"},
		{name: "stored generated key", stored: "gen", hasAccount: true, want: "gen"},
		{name: "old state", hasAccount: true, want: legacyPickleKey},
		{name: "new installation", want: "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &keyStore{key: tt.stored}
			got, err := pickleKey(context.Background(), st, tt.configured, tt.hasAccount, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "new" {
				if len(got) != 64 || st.key != got {
					t.Errorf("key = %q (stored %q), want 64 random hex characters, stored", got, st.key)
				}
				return
			}
			if got != tt.want {
				t.Errorf("key = %q, want %q", got, tt.want)
			}
		})
	}
}
