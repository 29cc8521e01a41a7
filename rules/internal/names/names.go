// Package names matches a Russian name with its case endings (rules.Stem):
// Кабулов → Кабулова, Кабулову, Кабуловым; Мария → Марии, Марию.
package names

import (
	"strings"
	"unicode/utf8"
)

// endings are the Russian case endings a name may take.
var endings = []string{
	"а", "я", "у", "ю", "е", "ы", "и", "ом", "ем", "ём", "ой", "ей", "ою", "ею",
	"ым", "им", "ых", "их", "ыми", "ими", "ого", "его", "ому", "ему", "ая", "яя", "ую", "юю",
}

// Base returns the part of a folded Russian name that its case endings
// follow.
func Base(tok string) string {
	for _, end := range []string{"ий", "ый", "ой", "ая", "а", "я", "й", "ь"} {
		if strings.HasSuffix(tok, end) && utf8.RuneCountInString(tok) > utf8.RuneCountInString(end)+2 {
			return strings.TrimSuffix(tok, end)
		}
	}
	return tok
}

// Matches reports whether the folded word w is the Russian name tok
// inflected (or tok itself).
func Matches(tok, w string) bool {
	if w == tok {
		return true
	}
	base := Base(tok)
	if inflects(w, base) {
		return true
	}
	// A name in -ий that declines as a noun (Дмитрий, Георгий) drops only
	// its -й: Дмитрия, Дмитрием, Дмитрии. Base drops -ий, for the
	// surnames that decline as adjectives (Достоевский, Достоевского), and
	// is a prefix of this base too, so the trie leads here.
	if strings.HasSuffix(tok, "ий") && base != tok {
		return inflects(w, strings.TrimSuffix(tok, "й"))
	}
	return false
}

// inflects reports whether the folded word w is base with a Russian case
// ending.
func inflects(w, base string) bool {
	if !strings.HasPrefix(w, base) {
		return false
	}
	end := w[len(base):]
	for _, e := range endings {
		if end == e {
			return true
		}
	}
	return false
}
