package bot

import (
	"slices"
	"testing"

	fold "github.com/wirewatch/wirewatch/text"
)

// TestWordTokensAgreesWithFold: the ASCII fast path of wordTokens gives
// what fold.Tokens gives.
func TestWordTokensAgreesWithFold(t *testing.T) {
	for _, w := range []string{"Kabulov", "CSTO", "2026", "G7", "abcXYZ019", "x", "Kabulov's", "Ümit", "naïve", "ОДКБ", "l'état"} {
		if got, want := wordTokens([]rune(w)), fold.Tokens(w); !slices.Equal(got, want) {
			t.Errorf("wordTokens(%q) = %q, want %q", w, got, want)
		}
	}
}
