package rules

import "testing"

func TestWhy(t *testing.T) {
	opts := Options{Aliases: Aliases{
		"CSTO":    {"CSTO", "Collective Security Treaty Organization", "@CSTO_RU"},
		"CSTO_RU": {"ОДКБ", "Организация Договора о коллективной безопасности"},
	}, Stem: Russian}
	tests := []struct {
		name, query, title, text, want string
	}{
		{"word", "kabulov", "Kabulov speaks", "", "kabulov"},
		{"one alternative of an OR", "kabulov OR taliban OR csto", "Taliban talks", "", "taliban"},
		{"two alternatives", "kabulov OR taliban OR csto", "Kabulov and the Taliban", "", "kabulov OR taliban"},
		{"AND with an OR inside", "(kabulov OR lavrov) AND moscow", "Lavrov in Moscow", "", "lavrov AND moscow"},
		{"alias entry", "@CSTO", "Collective Security Treaty Organization meets", "", `@CSTO→"collective security treaty organization"`},
		{"nested alias entry", "@CSTO drills", "ОДКБ: drills in Tajikistan", "", "@CSTO→@CSTO_RU→Одкб AND drills"},
		{"inflected name", "Кабулов", "", "встреча с Кабуловым", "Кабулов"},
		{"NOT", "taliban -football", "Taliban talks", "", "taliban AND NOT football"},
		{"title scope", "title:taliban", "Taliban talks", "", "title:taliban"},
		{"proximity", `"kabulov csto"~5`, "", "Kabulov said the CSTO would", `"kabulov csto"~5`},
		{"no match", "kabulov", "Taliban talks", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseWith(tt.query, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Why(NewDoc(tt.title, tt.text)); got != tt.want {
				t.Errorf("Why(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}
