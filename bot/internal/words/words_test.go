package words

import (
	"slices"
	"testing"

	fold "github.com/wirewatch/wirewatch/text"
)

// TestTokensAgreesWithFold: the ASCII fast path of tokens gives
// what fold.Tokens gives.
func TestTokensAgreesWithFold(t *testing.T) {
	for _, w := range []string{"Kabulov", "CSTO", "2026", "G7", "abcXYZ019", "x", "Kabulov's", "Ümit", "naïve", "ОДКБ", "l'état"} {
		if got, want := tokens([]rune(w)), fold.Tokens(w); !slices.Equal(got, want) {
			t.Errorf("tokens(%q) = %q, want %q", w, got, want)
		}
	}
}
