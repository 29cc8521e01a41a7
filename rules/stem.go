package rules

import (
	"fmt"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
	"github.com/wirewatch/wirewatch/rules/internal/names"
)

// Stem names the language whose inflection a rule's words match.
type Stem uint8

// The stemming languages.
const (
	NoStem Stem = iota
	English
	Russian
)

// ParseStem returns the Stem named "english", "russian", or "" (none).
func ParseStem(s string) (Stem, error) {
	switch s {
	case "", "none":
		return NoStem, nil
	case "english":
		return English, nil
	case "russian":
		return Russian, nil
	}
	return NoStem, fmt.Errorf("unknown stem %q: use english or russian", s)
}

// String returns the stem's name, "" for NoStem.
func (s Stem) String() string {
	switch s {
	case English:
		return "english"
	case Russian:
		return "russian"
	}
	return ""
}

// Inflection. A stemmed word written in lower case matches the words that
// Snowball stems alike ("граница" matches "границу", "границы"; "talks"
// matches "talk", "talking"). A word written capitalized is a name, and
// Snowball would merge unrelated names (it stems Кабулов and Кабул alike),
// so a name matches itself and itself with a case ending of its language:
// Кабулов → Кабулова, Кабулову, Кабуловым, Кабулове; Кабул → Кабула,
// Кабуле — never Кабулов, because -ов is no case ending. A name ending in
// -а, -я, -й or -ь drops it first (Мария → Марии, Марию). English names
// match only themselves (the possessive 's is dropped from every word).

// applies reports whether the stemmer works on words of this token's
// script: English on Latin letters, Russian on Cyrillic.
func (s Stem) applies(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	switch s {
	case English:
		return 'a' <= r && r <= 'z'
	case Russian:
		return 0x0430 <= r && r <= 0x045F
	}
	return false
}

// stem returns the Snowball stem of the folded word tok.
func (s Stem) stem(tok string) string {
	switch s {
	case English:
		return english.Stem(tok, true)
	case Russian:
		return russian.Stem(tok, true)
	}
	return tok
}

// nameBase returns the part of a folded name that its case endings follow.
func (s Stem) nameBase(tok string) string {
	if s != Russian {
		return tok
	}
	return names.Base(tok)
}

// nameMatches reports whether the folded word w is the name tok inflected.
func (s Stem) nameMatches(tok, w string) bool {
	if w == tok || s != Russian {
		return w == tok
	}
	return names.Matches(tok, w)
}

// stemKey returns the prefix a word must start with to stem to stem: the
// stem, less its last letter (English turns a final y into i).
func stemKey(stem string) string {
	if _, n := utf8.DecodeLastRuneInString(stem); utf8.RuneCountInString(stem) > 2 {
		return stem[:len(stem)-n]
	}
	return stem
}
