package rules

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// testAliases are the aliases the language tests use.
var testAliases = Aliases{
	"CSTO":    {"CSTO", "Collective Security Treaty Organization", "ОДКБ", "Организация Договора о коллективной безопасности"},
	"Kabulov": {"Kabulov", "Кабулов"},
	"envoys":  {"@Kabulov", "Lavrov", "Лавров"},
	"blocs":   {"@CSTO", "@envoys", "SCO", "ШОС"},
	"acronym": {"=CSTO"},
	"tajik":   {"tajik*", "таджик*"},
}

// testItem is an item of the language tests.
type testItem struct {
	title, text, source, feed, lang string
	tags                            []string
}

// doc returns the item prepared for matching.
func (it testItem) doc() *Doc {
	return NewItem(Item{Title: it.title, Text: it.text, Source: it.source, Feed: it.feed, Tags: it.tags, Lang: it.lang})
}

func body(s string) testItem { return testItem{text: s} }
func head(s string) testItem { return testItem{title: s} }

// langCase is a query, how it is parsed, an item and whether it matches.
type langCase struct {
	name  string
	query string
	opts  Options
	item  testItem
	want  bool
}

// languageCases cover every construct of the rule language.
func languageCases() []langCase {
	en := Options{Stem: English, Aliases: testAliases}
	ru := Options{Stem: Russian, Aliases: testAliases}
	al := Options{Aliases: testAliases}
	re := Options{Regexp: true}
	return []langCase{
		// Words and word boundaries.
		{"word", "kabulov", Options{}, body("Zamir Kabulov said"), true},
		{"word absent", "kabulov", Options{}, body("Lavrov said"), false},
		{"word is not a substring", "kabul", Options{}, body("Kabulov arrived"), false},
		{"word is not a suffix", "bulov", Options{}, body("Kabulov arrived"), false},
		{"word at start of text", "kabul", Options{}, body("Kabul, Monday"), true},
		{"word at end of text", "kabul", Options{}, body("arrived in Kabul."), true},
		{"word before a slash", "kabul", Options{}, body("Kabul/Tashkent route"), true},
		{"word in parentheses", "csto", Options{}, body("the alliance (CSTO) met"), true},
		{"digits", "2024", Options{}, body("in 2024, elections"), true},
		{"letters glued to digits are one word", "covid", Options{}, body("covid19"), false},
		{"word case-insensitive", "KABULOV", Options{}, body("kabulov"), true},
		{"word in title", "kabulov", Options{}, head("Kabulov speaks"), true},

		// Possessives and hyphens.
		{"possessive in text", "kabulov", Options{}, body("Kabulov's remarks"), true},
		{"typographic possessive", "kabulov", Options{}, body("Kabulov’s remarks"), true},
		{"possessive in query", "Kabulov's", Options{}, body("Kabulov said"), true},
		{"possessive with stem", "Kabulov", en, body("Kabulov's remarks"), true},
		{"hyphenated compound, first word", "taliban", Options{}, body("a Taliban-led government"), true},
		{"hyphenated compound, second word", "led", Options{}, body("a Taliban-led government"), true},
		{"hyphenated compound with stem", "Taliban", en, body("a Taliban-led government"), true},
		{"hyphenated query is a phrase", "taliban-led", Options{}, body("Taliban led talks"), true},
		{"hyphenated query in order only", "taliban-led", Options{}, body("led by the Taliban"), false},
		{"en dash splits", "tajik", Options{}, body("Tajik–Afghan border"), true},

		// Diacritics and scripts.
		{"macron", "kabulov", Options{}, body("Kābulov said"), true},
		{"diacritic in query", "Türkiye", Options{}, body("TURKIYE and Azerbaijan"), true},
		{"dotted capital I", "ilham", Options{}, body("İlham Əliyev"), true},
		{"schwa", "aliyev", Options{}, body("İlham Əliyev"), true},
		{"decomposed accent", "cafe", Options{}, body("cafe\u0301"), true},
		{"yo is ye", "ещё", Options{}, body("Еще одна встреча"), true},
		{"cyrillic case", "одкб", Options{}, body("саммит ОДКБ"), true},
		{"latin word does not match cyrillic", "kabulov", Options{}, body("Кабулов"), false},
		{"arabic", "طالبان", Options{}, body("حکومت طالبان"), true},

		// Phrases.
		{"phrase", `"zamir kabulov"`, Options{}, body("envoy Zamir Kabulov said"), true},
		{"phrase words apart", `"zamir kabulov"`, Options{}, body("Zamir N. Kabulov"), false},
		{"phrase reversed", `"zamir kabulov"`, Options{}, body("Kabulov Zamir"), false},
		{"phrase across fields", `"zamir kabulov"`, Options{}, testItem{title: "Zamir", text: "Kabulov said"}, false},
		{"phrase across punctuation", `"kabul tashkent"`, Options{}, body("Kabul, Tashkent"), true},
		{"phrase with prefix", `"zamir kab*"`, Options{}, body("Zamir Kabulov"), true},
		{"typographic quotes", "«Замир Кабулов»", Options{}, body("Замир Кабулов заявил"), true},

		// Operators and groups.
		{"and", "kabulov taliban", Options{}, testItem{title: "Kabulov", text: "met the Taliban"}, true},
		{"and missing one", "kabulov AND taliban", Options{}, body("Kabulov"), false},
		{"or", "kabulov OR lavrov", Options{}, body("Lavrov said"), true},
		{"not", "taliban NOT football", Options{}, body("Taliban ban football"), false},
		{"not allows", "taliban NOT football", Options{}, body("Taliban ban music"), true},
		{"minus word", "taliban -football", Options{}, body("Taliban football"), false},
		{"minus word allows", "taliban -football", Options{}, body("Taliban music"), true},
		{"minus phrase", `taliban -"world cup"`, Options{}, body("Taliban world and cup"), true},
		{"minus group", "taliban -(football OR cricket)", Options{}, body("Taliban cricket"), false},
		{"group", "(kabulov OR lavrov) (csto OR sco)", Options{}, body("Lavrov at the SCO"), true},
		{"group missing", "(kabulov OR lavrov) (csto OR sco)", Options{}, body("Lavrov at the UN"), false},
		{"precedence", "a OR b c", Options{}, body("a"), true},
		{"lower-case or is a word", "kabul or tashkent", Options{}, body("Kabul"), false},

		// Prefixes.
		{"prefix itself", "kabul*", Options{}, body("Kabul"), true},
		{"prefix longer", "kabul*", Options{}, body("Kabulov"), true},
		{"prefix of possessive", "kabul*", Options{}, body("Kabulov's"), true},
		{"prefix no match", "kabul*", Options{}, body("Kandahar"), false},
		{"prefix not inside a word", "bulov*", Options{}, body("Kabulov"), false},
		{"cyrillic prefix", "кабулов*", Options{}, body("Кабулова"), true},

		// Field scopes.
		{"title scope", "title:kabulov", Options{}, head("Kabulov speaks"), true},
		{"title scope, text only", "title:kabulov", Options{}, body("Kabulov speaks"), false},
		{"text scope", "text:kabulov", Options{}, body("Kabulov speaks"), true},
		{"text scope, title only", "text:kabulov", Options{}, head("Kabulov speaks"), false},
		{"title phrase", `title:"zamir kabulov"`, Options{}, head("Zamir Kabulov"), true},
		{"title group", "title:(kabulov OR lavrov)", Options{}, testItem{title: "Lavrov", text: "Kabulov"}, true},
		{"title group, text only", "title:(kabulov OR lavrov)", Options{}, body("Lavrov Kabulov"), false},
		{"title prefix", "title:kabul*", Options{}, head("Kabulov"), true},
		{"title and text", "title:kabulov text:csto", Options{}, testItem{title: "Kabulov", text: "CSTO"}, true},
		{"negated title", "csto -title:exercise", Options{}, testItem{title: "CSTO news", text: "exercise"}, true},
		{"source domain", "csto source:tass.com", Options{}, testItem{text: "CSTO", source: "tass.com"}, true},
		{"source subdomain", "csto source:tass.com", Options{}, testItem{text: "CSTO", source: "en.tass.com"}, true},
		{"source other", "csto source:tass.com", Options{}, testItem{text: "CSTO", source: "ria.ru"}, false},
		{"source not a suffix of a domain", "csto source:ass.com", Options{}, testItem{text: "CSTO", source: "tass.com"}, false},
		{"source feed name", `csto source:"TASS English"`, Options{}, testItem{text: "CSTO", feed: "tass english"}, true},
		{"minus source", "csto -source:tass.com", Options{}, testItem{text: "CSTO", source: "tass.com"}, false},
		{"tag", "csto tag:central-asia", Options{}, testItem{text: "CSTO", tags: []string{"Central-Asia"}}, true},
		{"tag missing", "csto tag:central-asia", Options{}, testItem{text: "CSTO", tags: []string{"russia"}}, false},
		{"lang from feed", "csto lang:en", Options{}, testItem{text: "CSTO", lang: "en"}, true},
		{"lang from feed differs", "csto lang:ru", Options{}, testItem{text: "CSTO", lang: "en"}, false},
		{"lang detected russian", "одкб lang:ru", Options{}, body("Саммит ОДКБ прошёл в Душанбе, сообщили в Москве"), true},
		{"lang detected english", "csto lang:en", Options{}, body("The CSTO said that the summit is in Dushanbe"), true},
		{"lang detected ukrainian", "лавров lang:uk", Options{}, body("Лавров заявив, що Україна і Росія"), true},
		{"lang detected kyrgyz", "бишкекте lang:ky", Options{}, body("Кыргызстандын өкмөтү жаңы мыйзамды кабыл алды. Бишкекте жыйын өттү."), true},
		{"lang detected kazakh", "астанада lang:kk", Options{}, body("Қазақстан үкіметі жаңа заң қабылдады. Астанада жиын өтті."), true},
		{"lang detected tajik", "душанбе lang:tg", Options{}, body("Ҳукумати Тоҷикистон қонуни навро қабул кард. Дар Душанбе ҷаласа гузашт."), true},
		{"lang detected arabic", "كابل lang:ar", Options{}, body("قالت الحكومة الأفغانية في كابل إن المحادثات مع روسيا ستستمر"), true},
		{"lang detected arabic is not persian", "كابل lang:fa", Options{}, body("قالت الحكومة الأفغانية في كابل إن المحادثات مع روسيا ستستمر"), false},
		{"lang detected persian", "کابل lang:fa", Options{}, body("وزارت امور خارجه در کابل گفت که گفتگوها با روسیه ادامه خواهد یافت"), true},
		{"lang alone", "lang:ru", Options{}, body("Саммит ОДКБ"), true},
		{"lang with a region", "csto lang:pt", Options{}, testItem{text: "CSTO", lang: "pt-BR"}, true},
		{"lang region itself", "csto lang:pt-br", Options{}, testItem{text: "CSTO", lang: "pt-BR"}, true},

		// Proximity.
		{"proximity within", `"kabulov csto"~5`, Options{}, body("Kabulov said the CSTO would help"), true},
		{"proximity any order", `"kabulov csto"~5`, Options{}, body("the CSTO, Kabulov said"), true},
		{"proximity too far", `"kabulov csto"~2`, Options{}, body("Kabulov said on Tuesday the CSTO"), false},
		{"proximity N words between", `"kabulov csto"~2`, Options{}, body("Kabulov a b CSTO"), true},
		{"proximity N+1 words between", `"kabulov csto"~1`, Options{}, body("Kabulov a b CSTO"), false},
		{"proximity 0 is adjacent in any order", `"kabulov csto"~0`, Options{}, body("CSTO Kabulov"), true},
		{"proximity across fields", `"kabulov csto"~10`, Options{}, testItem{title: "Kabulov", text: "CSTO"}, false},
		{"proximity three words", `"kabulov csto border"~6`, Options{}, body("border talks: Kabulov and the CSTO"), true},
		{"near", "kabulov NEAR/3 csto", Options{}, body("Kabulov met CSTO officials"), true},
		{"near too far", "kabulov NEAR/0 csto", Options{}, body("Kabulov met CSTO officials"), false},
		{"near N words between", "kabulov NEAR/1 csto", Options{}, body("Kabulov met CSTO officials"), true},
		{"near reversed", "kabulov NEAR/3 csto", Options{}, body("CSTO officials met Kabulov"), true},
		{"near phrase", `"zamir kabulov" NEAR/2 csto`, Options{}, body("Zamir Kabulov and CSTO"), true},
		{"near default distance", "kabulov NEAR csto", Options{}, body("Kabulov a b c d e f g h i j CSTO"), true},
		{"near beyond default distance", "kabulov NEAR csto", Options{}, body("Kabulov a b c d e f g h i j k CSTO"), false},
		{"near alias", "@Kabulov NEAR/5 @CSTO", al, body("Кабулов заявил, что ОДКБ готова"), true},
		{"near group", "(kabulov OR lavrov) NEAR/2 csto", Options{}, body("Lavrov: CSTO"), true},
		{"near in title only", "title:(kabulov NEAR/2 csto)", Options{}, testItem{title: "Kabulov", text: "Kabulov CSTO"}, false},

		// Case-sensitive terms.
		{"cased matches", "=CSTO", Options{}, body("the CSTO met"), true},
		{"cased rejects lower", "=CSTO", Options{}, body("csto"), false},
		{"cased rejects title case", "=US", Options{}, body("talk to us"), false},
		{"cased acronym", "=US", Options{}, body("the US said"), true},
		{"cased possessive", "=CSTO", Options{}, body("the CSTO's summit"), true},
		{"cased prefix", "=CST*", Options{}, body("the CSTO met"), true},
		{"cased prefix rejects lower", "=CST*", Options{}, body("the csto met"), false},
		{"cased prefix in a phrase", `="Zamir Kab*"`, Options{}, body("Zamir kabulov"), false},
		{"cased phrase", `="Kabul Times"`, Options{}, body("the Kabul Times reported"), true},
		{"cased phrase rejects", `="Kabul Times"`, Options{}, body("kabul times"), false},
		{"uncased by default", "CSTO", Options{}, body("csto"), true},

		// Aliases.
		{"alias latin", "@CSTO", al, body("the CSTO met"), true},
		{"alias cyrillic", "@CSTO", al, body("Саммит ОДКБ"), true},
		{"alias phrase", "@CSTO", al, body("Collective Security Treaty Organization"), true},
		{"alias cyrillic phrase", "@CSTO", al, body("Организация Договора о коллективной безопасности"), true},
		{"alias no match", "@CSTO", al, body("NATO summit"), false},
		{"alias in lower case", "@csto", al, body("ОДКБ"), true},
		{"nested alias", "@envoys", al, body("Кабулов"), true},
		{"nested twice", "@blocs", al, body("Kabulov"), true},
		{"nested alias own entry", "@blocs", al, body("ШОС"), true},
		{"alias with operators", "@CSTO -exercise", al, body("ОДКБ exercise"), false},
		{"alias in title", "title:@CSTO", al, testItem{title: "news", text: "ОДКБ"}, false},
		{"cased alias entry", "@acronym", al, body("csto"), false},
		{"alias prefixes", "@tajik", al, body("таджикские пограничники"), true},
		{"alias stemmed", "@CSTO", ru, body("Организации Договора о коллективной безопасности"), true},

		// Inflection (stem).
		{"russian name genitive", "Кабулов", ru, body("заявление Кабулова"), true},
		{"russian name dative", "Кабулов", ru, body("по словам Кабулову"), true},
		{"russian name instrumental", "Кабулов", ru, body("встреча с Кабуловым"), true},
		{"russian name prepositional", "Кабулов", ru, body("о Кабулове"), true},
		{"russian name not a place", "Кабулов", ru, body("в Кабуле"), false},
		{"russian place not a name", "Кабул", ru, body("Кабулов заявил"), false},
		{"russian place inflected", "Кабул", ru, body("в Кабуле"), true},
		{"russian place genitive", "Кабул", ru, body("из Кабула"), true},
		{"russian name in feminine -a", "Мария", ru, body("у Марии"), true},
		{"russian name in -ий genitive", "Дмитрий", ru, body("по словам Дмитрия Пескова"), true},
		{"russian name in -ий instrumental", "Георгий", ru, body("с Георгием"), true},
		{"russian surname in -ий", "Достоевский", ru, body("романы Достоевского"), true},
		{"russian word stemmed", "граница", ru, body("укрепить границу"), true},
		{"russian word stemmed plural", "граница", ru, body("границы"), true},
		{"russian stem no unrelated", "граница", ru, body("гранит"), false},
		{"russian phrase stemmed", `"Замир Кабулов"`, ru, body("Заявление Замира Кабулова"), true},
		{"russian without stem", "Кабулов", Options{}, body("Кабулова"), false},
		{"russian stem ignores latin", "Kabulov", ru, body("Kabulova"), false},
		{"english name exact", "Kabul", en, body("Kabulov"), false},
		{"english name itself", "Kabul", en, body("in Kabul"), true},
		{"english word stemmed", "talks", en, body("talking to reporters"), true},
		{"english word y to i", "country", en, body("both countries"), true},
		{"english stem no prefix match", "talks", en, body("talkative"), false},
		{"english stem ignores cyrillic", "talks", en, body("талкс"), false},
		{"cased not stemmed", "=Кабулов", ru, body("Кабулова"), false},

		// Regular expressions.
		{"regexp", `/ta?d?jik/`, re, body("Tadjik border"), true},
		{"regexp case-insensitive", `/csto/`, re, body("CSTO"), true},
		{"regexp cased", `=/CSTO/`, re, body("csto"), false},
		{"regexp substring", `/kabul/`, re, body("Kabulov"), true},
		{"regexp in title", `title:/kabul/`, re, body("Kabulov"), false},
		{"regexp slash", `/24\/7/`, re, body("open 24/7"), true},
	}
}

// TestLanguage checks each language case with Query.Match, and that the
// query's canonical form parses back to itself.
func TestLanguage(t *testing.T) {
	tests := languageCases()
	if len(tests) < 100 {
		t.Fatalf("%d cases, want at least 100", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseWith(tt.query, tt.opts)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if got, want := q.Match(tt.item.doc()), tt.want; got != want {
				t.Errorf("Parse(%q).Match(%+v) = %v, want %v", tt.query, tt.item, got, want)
			}
			// The compiled form re-parses to the same query.
			again, err := ParseWith(q.canonical(), tt.opts)
			if err != nil {
				t.Fatalf("Parse(%q) (canonical): %v", q.canonical(), err)
			}
			if got, want := again.canonical(), q.canonical(); got != want {
				t.Errorf("canonical form re-parses as %q, want %q", got, want)
			}
		})
	}
}

func TestLanguageErrors(t *testing.T) {
	tests := []struct {
		name  string
		query string
		opts  Options
		col   int
		msg   string
	}{
		{"unknown alias", "kabulov OR @NATO", Options{Aliases: testAliases}, 12, "unknown alias @NATO"},
		{"alias without aliases", "@CSTO", Options{}, 1, "unknown alias"},
		{"alias cycle", "x @a", Options{Aliases: Aliases{"a": {"@b"}, "b": {"@a"}}}, 3, "alias cycle: @a → @b → @a"},
		{"alias self cycle", "@a", Options{Aliases: Aliases{"a": {"x", "@a"}}}, 1, "alias cycle"},
		{"empty alias name", "x @", Options{}, 3, "missing alias name"},
		{"regexp not enabled", "x /kab/", Options{}, 3, "not enabled"},
		{"regexp invalid", "x /(kab/", Options{Regexp: true}, 3, "regular expression"},
		{"regexp too long", "/" + strings.Repeat("a", 300) + "/", Options{Regexp: true}, 1, "longer than"},
		{"regexp too large", "/a{1,1000}/", Options{Regexp: true}, 1, "too large"},
		{"regexp matching everything", "/x*/", Options{Regexp: true}, 1, "only negative"},
		{"unterminated regexp", "a /kab", Options{Regexp: true}, 3, "unterminated"},
		{"proximity without number", `"a b"~`, Options{}, 6, "~ needs a number"},
		{"near without right operand", "a NEAR/5", Options{}, 3, "missing term after NEAR"},
		{"near without left operand", "NEAR/5 a", Options{}, 1, "missing term before NEAR"},
		{"near bad number", "a NEAR/x b", Options{}, 3, "NEAR/ needs a number"},
		{"near with not", "a NEAR/5 (b -c)", Options{}, 11, "NEAR joins"},
		{"near distances differ", "a NEAR/5 b NEAR/6 c", Options{}, 12, "one distance"},
		{"field without term", "kabulov title:", Options{}, 9, "missing term after title:"},
		{"field with space", "title: kabulov", Options{}, 1, "space after title:"},
		{"source without value", "x source:(a)", Options{}, 3, "source: needs a value"},
		{"cased without term", "x = y", Options{}, 3, "space after ="},
		{"cased group", "=(a b)", Options{}, 1, "= goes before"},
		{"only negative field", "-title:football", Options{}, 1, "only negative"},
		{"only negative source", "NOT source:tass.com", Options{}, 1, "only negative"},
		{"short prefix", "k*", Options{}, 2, "at least 2 letters"},
		{"unclosed in scope", "title:(a OR b", Options{}, 7, "unclosed parenthesis"},
		{"alias entry error", "@bad", Options{Aliases: Aliases{"bad": {"x*y"}}}, 1, `alias @bad: "x*y": * must come right after a word`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseWith(tt.query, tt.opts)
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q) error = %v, want a *SyntaxError", tt.query, err)
			}
			if se.Col != tt.col || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("Parse(%q) = column %d: %s, want column %d: …%s…", tt.query, se.Col, se.Msg, tt.col, tt.msg)
			}
		})
	}
}

func TestAliasesCheck(t *testing.T) {
	a := Aliases{
		"ok":        {"CSTO", "@nested"},
		"nested":    {"ОДКБ"},
		"cycle1":    {"@cycle2"},
		"cycle2":    {"@cycle1"},
		"unknown":   {"x", "@missing"},
		"empty":     {},
		"bad":       {"a*b"},
		"two words": {"x"},
	}
	var got []string
	for _, e := range a.Check() {
		got = append(got, e.Error())
	}
	want := []string{
		`alias bad: "a*b": * must come right after a word, at its end`,
		`alias cycle1: "@cycle2": alias cycle: @cycle1 → @cycle2 → @cycle1`,
		`alias cycle2: "@cycle1": alias cycle: @cycle2 → @cycle1 → @cycle2`,
		`alias empty: has no entries`,
		`alias two words: cannot be written as @NAME: use letters, digits, - or _`,
		`alias unknown: "@missing": unknown alias @missing`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Check() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMatcherAgrees compiles all the language cases into one Matcher and
// checks that it finds, for each case's item, exactly the queries that
// match it alone.
func TestMatcherAgrees(t *testing.T) {
	cases := languageCases()
	var rs []Rule
	for _, c := range cases {
		q, err := ParseWith(c.query, c.opts)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.query, err)
		}
		rs = append(rs, Rule{Query: q})
	}
	m := Compile(rs)
	for _, c := range cases {
		d := c.item.doc()
		var want []int
		for i, r := range rs {
			if r.Query.Match(d) {
				want = append(want, i)
			}
		}
		var got []int
		for _, h := range m.Match(d) {
			got = append(got, h.Rule)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: Matcher hits %v, want %v", c.name, got, want)
		}
	}
}

func TestMatcherOptionsAndSpans(t *testing.T) {
	parse := func(src string) *Query {
		q, err := ParseWith(src, Options{Aliases: testAliases, Stem: Russian})
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	m := Compile([]Rule{
		{Query: parse(`"zamir kabulov" OR csto`)},
		{Query: parse("@CSTO"), Exclude: parse("title:exercise")},
		{Query: parse("kabulov"), Feeds: []string{"TASS"}},
		{Query: parse("kabulov"), Tags: []string{"russia"}},
		{Query: parse("Кабулов NEAR/3 @CSTO")},
		{Query: parse("kabul*")},
	})
	title := "Envoy Zamir Kābulov’s visit"
	text := "Кабулова спросили об ОДКБ. The CSTO met."
	tests := []struct {
		name string
		item Item
		want string // rule: spans as field:text, …
	}{
		{"spans in the original text", Item{Title: title, Text: text, Feed: "tass"},
			`0: 0:Zamir Kābulov 1:CSTO | 1: 1:ОДКБ 1:CSTO | 2: 0:Kābulov | 4: 1:Кабулова 1:ОДКБ | 5: 0:Kābulov`},
		{"exclude, feeds and tags", Item{Title: "CSTO exercise: Kabulov", Feed: "ria", Tags: []string{"Russia"}},
			`0: 0:CSTO | 3: 0:Kabulov | 5: 0:Kabulov`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []string
			for _, h := range m.Match(NewItem(tt.item)) {
				var sp []string
				for _, s := range h.Spans {
					f := []string{tt.item.Title, tt.item.Text}[s.Field]
					sp = append(sp, fmt.Sprintf("%d:%s", s.Field, f[s.Start:s.End]))
				}
				parts = append(parts, fmt.Sprintf("%d: %s", h.Rule, strings.Join(sp, " ")))
			}
			if got := strings.Join(parts, " | "); got != tt.want {
				t.Errorf("hits = %s\nwant   %s", got, tt.want)
			}
		})
	}
}

// TestMatcherConcurrent matches from many goroutines (run with -race).
func TestMatcherConcurrent(t *testing.T) {
	rs, _ := benchRules(200)
	m := Compile(rs)
	items := benchItems()
	want := make([]int, len(items))
	for i, it := range items {
		want[i] = len(m.Match(NewItem(it)))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (g + i) % len(items)
				if got := len(m.Match(NewItem(items[k]))); got != want[k] {
					t.Errorf("item %d: %d hits, want %d", k, got, want[k])
				}
			}
		})
	}
	wg.Wait()
}
