package rules

import "testing"

// TestArticles matches rules of the kinds analysts write against whole news
// items, as they come from feeds: long texts in English and Russian with
// typographic punctuation.
func TestArticles(t *testing.T) {
	items := benchItems()
	en, ru, floods := items[0], items[1], items[2]
	en.Text = "DUSHANBE, Nov. 18 (Reuters) — " + en.Text + "\n\nKabulov’s remarks came a day after a CSTO-led drill near Kūlob."
	aliases := Aliases{
		"CSTO":    {"CSTO", "Collective Security Treaty Organization", "ОДКБ", "Организация Договора о коллективной безопасности"},
		"Kabulov": {"Kabulov", "Кабулов*"},
	}
	tests := []struct {
		name  string
		query string
		item  Item
		want  bool
	}{
		{"word", "Dushanbe", en, true},
		{"word absent", "Islamabad", en, false},
		{"word boundary", "kabul", Item{Text: "Zamir Kabulov said on Tuesday"}, false},
		{"word boundary, the city", "kabul", en, true},
		{"phrase", `"Zamir Kabulov"`, en, true},
		{"phrase in Russian", `"Замир Кабулов"`, ru, true},
		{"phrase broken by a word", `"Kabulov said Tuesday"`, en, false},
		{"not", "taliban NOT cricket", en, true},
		{"not excludes", "monsoon NOT Hyderabad", floods, false},
		{"minus word", "Sindh -cricket", floods, true},
		{"minus word excludes", "Sindh -monsoon", floods, false},
		{"title scope", "title:Kabulov", en, true},
		{"title scope, word only in text", "title:Dushanbe", en, false},
		{"prefix", "Tajik*", en, true},
		{"prefix in Russian", "Таджик*", ru, true},
		{"group", "(Kazakhstan OR Kyrgyzstan) (water OR energy)", en, true},
		{"group missing part", "(Kazakhstan OR Kyrgyzstan) cotton", en, false},
		{"alias in Latin", "@CSTO", en, true},
		{"alias in Cyrillic", "@CSTO", ru, true},
		{"alias of a prefix", "@Kabulov title:@CSTO", ru, true},
		{"alias not there", "@CSTO", floods, false},
		{"proximity", `"Kabulov CSTO"~10`, en, true},
		{"proximity too close to ask", `"Kabulov Baku"~3`, en, false},
		{"near", "Kabulov NEAR/12 @CSTO", en, true},
		{"diacritics in the text", "Kulob", en, true},
		{"diacritics in the query", "Türkiye Əliyev", en, true},
		{"diacritics folded both ways", "ilham aliyev", en, true},
		{"possessive", `"Kabulov remarks"`, en, true},
		{"hyphenated compound", "drill CSTO", en, true},
		{"dateline", `"Dushanbe Nov 18"`, en, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseWith(tt.query, Options{Aliases: aliases})
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if got := q.Match(NewItem(tt.item)); got != tt.want {
				t.Errorf("Parse(%q).Match(%.60q…) = %v, want %v", tt.query, tt.item.Title, got, tt.want)
			}
		})
	}
}
