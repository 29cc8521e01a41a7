package rules

import (
	"slices"
	"testing"

	fold "github.com/wirewatch/wirewatch/text"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		name  string
		query string
		title string
		text  string
		want  bool
	}{
		// Scripts and case.
		{"cyrillic upper query, lower text", "ОДКБ", "", "Саммит одкб в Душанбе", true},
		{"cyrillic lower query, upper text", "одкб", "САММИТ ОДКБ", "", true},
		{"cyrillic phrase", `"Замир Кабулов"`, "Заявление Замира Кабулова", "Замир Кабулов заявил", true},
		{"cyrillic inflection is another word", "кабулов", "Заявление Кабулова", "", false},
		{"cyrillic prefix covers inflection", "кабулов*", "Заявление Кабулова", "", true},
		{"yo folds to ye", "ещё", "", "Еще одна встреча", true},
		{"ye matches yo", "еще", "", "Ещё одна встреча", true},
		{"short i differs from i", "мои", "", "мой", false},
		{"decomposed short i", "мой", "", "мои\u0306 дом", true},
		{"stress mark ignored", "кабулов", "", "Кабу\u0301лов", true},
		{"arabic script", "طالبان", "", "حکومت طالبان در کابل", true},
		{"arabic kaf and yeh fold to persian", "کابل", "", "الحكومة في كابل", true},
		{"arabic alef with hamza", "افغانستان", "", "أفغانستان", true},
		{"arabic harakat ignored", "كتاب", "", "كِتَاب", true},
		{"persian zwnj inside word", "میشود", "", "گفته می\u200cشود", true},
		{"han substring", "中国", "", "中国外交部发言人", true},
		{"han not contiguous", "中部", "", "中国外交部发言人", false},
		{"greek tonos", "αθηνα", "Αθήνα", "", true},
		{"greek final sigma", "κοσμος", "ΚΟΣΜΟΣ", "", true},

		// Diacritics.
		{"macron in text", "kabulov", "Kābulov said", "", true},
		{"macron in query", "Kābulov", "KABULOV said", "", true},
		{"tadjikistan", "tadjikistan", "", "Tādjikistān and Afghanistan", true},
		{"turkiye", "turkiye", "", "Türkiye and Azerbaijan", true},
		{"turkiye dotted capital", "türkiye", "", "TÜRKİYE", true},
		{"turkish s and g", "erdogan basbakan", "", "Erdoğan başbakan", true},
		{"dotless i", "kirgizistan", "", "Kırgızistan", true},
		{"azerbaijani schwa", "aliyev", "", "İlham Əliyev", true},
		{"decomposed accent", "cafe", "", "cafe\u0301", true},
		{"sharp s", "strasse", "", "Berliner Straße", true},
		{"fullwidth", "csto", "", "ＣＳＴＯ", true},

		// Word boundaries.
		{"kabul is not kabulov", "kabul", "", "Kabulov arrived", false},
		{"kabul in kabul", "kabul", "", "in Kabul today", true},
		{"possessive", "csto", "", "the CSTO's summit", true},
		{"possessive phrase", `"csto summit"`, "", "the CSTO’s summit", true},
		{"possessive typographic", "kabulov", "", "Kabulov’s remarks", true},
		{"digits are word characters", "2024", "", "in 2024, elections", true},
		{"digits inside word", "covid", "", "covid19", false},

		// Punctuation.
		{"hyphen splits, first", "tajik", "", "the Tajik-Afghan border", true},
		{"hyphen splits, second", "afghan", "", "the Tajik-Afghan border", true},
		{"hyphen phrase", `"tajik afghan"`, "", "the Tajik-Afghan border", true},
		{"hyphenated query", "tajik-afghan", "", "Tajik Afghan border", true},
		{"comma between phrase words", `"kabul tashkent"`, "", "Kabul, Tashkent", true},

		// Phrases.
		{"phrase consecutive", `"zamir kabulov"`, "", "envoy Zamir Kabulov said", true},
		{"phrase not consecutive", `"zamir kabulov"`, "", "Zamir N. Kabulov said", false},
		{"phrase wrong order", `"zamir kabulov"`, "", "Kabulov Zamir", false},
		{"phrase across fields", `"zamir kabulov"`, "Interview with Zamir", "Kabulov said", false},
		{"phrase in title", `"zamir kabulov"`, "Zamir Kabulov speaks", "", true},
		{"phrase in text", `"zamir kabulov"`, "", "Zamir Kabulov speaks", true},
		{"phrase with prefix", `"zamir kab*"`, "", "Zamir Kabulov speaks", true},
		{"phrase of prefixes", `"zam* kab*"`, "", "Zamir Kabulov speaks", true},
		{"phrase of prefixes not consecutive", `"zam* kab*"`, "Zamir", "Kabulov", false},
		{"phrase repeated word", `"a a b"`, "", "a a a b", true},

		// Operators.
		{"or first", `kabulov OR "zamir kabulov"`, "", "Kabulov said", true},
		{"or neither", `kabulov OR "zamir kabulov"`, "", "Lavrov said", false},
		{"and both", "kabulov taliban", "Kabulov", "met the Taliban", true},
		{"and one", "kabulov taliban", "Kabulov", "met", false},
		{"not excludes", "taliban NOT football", "", "Taliban ban football", false},
		{"not allows", "taliban NOT football", "", "Taliban ban music", true},
		{"minus excludes", "taliban -football", "Football", "Taliban", false},
		{"minus phrase", `taliban -"world cup"`, "", "Taliban world and cup", true},
		{"minus phrase excludes", `taliban -"world cup"`, "", "Taliban world cup", false},
		{"minus group", "taliban -(football OR cricket)", "", "Taliban cricket", false},
		{"csto example",
			`(csto OR одкб OR "collective security treaty organization") AND -exercise`,
			"Collective Security Treaty Organization meets", "", true},
		{"csto example excluded",
			`(csto OR одкб OR "collective security treaty organization") AND -exercise`,
			"CSTO exercise", "", false},
		{"taliban example",
			`taliban AND (tajikistan OR "tajik border") NOT football`,
			"Taliban near the Tajik border", "", true},

		// Prefixes.
		{"prefix matches itself", "kabul*", "", "Kabul", true},
		{"prefix matches longer", "kabul*", "", "Kabulov", true},
		{"prefix no match", "kabul*", "", "Kandahar", false},
		{"lower-case and is a word", "war and peace", "", "war, peace", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			d := NewDoc(tt.title, tt.text)
			if got, want := q.Match(d), tt.want; got != want {
				t.Errorf("Parse(%q).Match(%q, %q) = %v, want %v (tokens %q | %q)",
					tt.query, tt.title, tt.text, got, want, fold.Tokens(tt.title), fold.Tokens(tt.text))
			}
		})
	}
}

// A word with a bidirectional mark in it (copied from right-to-left text)
// is still the word a rule names.
func TestMatchBidiMarks(t *testing.T) {
	q, err := Parse(`kabulov AND "کابل"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []rune{0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069} {
		text := "Zamir Kabu" + string(m) + "lov arrived in کا" + string(m) + "بل."
		if !q.Match(NewDoc("", text)) {
			t.Errorf("Match(%+q) = false, want true (tokens %q)", text, fold.Tokens(text))
		}
	}
}

func TestMatchEmptyDoc(t *testing.T) {
	tests := []struct {
		name string
		doc  *Doc
	}{
		{"nil", nil},
		{"no fields", NewDoc()},
		{"empty fields", NewDoc("", "")},
		{"zero value", &Doc{}},
	}
	q, err := Parse(`kabulov OR "zamir kabulov" OR kab* OR "zam* kab*"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := q.Match(tt.doc), false; got != want {
				t.Errorf("Match = %v, want %v", got, want)
			}
		})
	}
}

// TestTriggersMostSpecific: an AND is triggered by its most specific
// operand's terms, as the README says: of operands with as many terms, not
// the first written, so that "said kabulov" is not tried on every item
// that says "said".
func TestTriggersMostSpecific(t *testing.T) {
	for query, want := range map[string][]string{
		"said kabulov":              {"kabulov"},
		"kabulov said":              {"kabulov"},
		"ka* kabulov":               {"kabulov"},
		"source:tass.com kabulov":   {"kabulov"},
		"title:the kabulov":         {"kabulov"},
		"said NEAR/5 kabulov":       {"kabulov"},
		"(said OR the) kabulov":     {"kabulov"},
		"(csto OR одкб) (a OR the)": {"csto", "одкб"},
	} {
		q, err := Parse(query)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range q.trig {
			got = append(got, q.atoms[a].tok)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: triggered by %q, want %q", query, got, want)
		}
	}
}
