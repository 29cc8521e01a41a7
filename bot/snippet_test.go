package bot_test

import (
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/rules"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		terms []string
		n     int
		want  string // "" when nothing matches
	}{
		{"word", "Moscow will keep talking, Kabulov said.", []string{"kabulov"}, 240,
			"Moscow will keep talking, *Kabulov* said."},
		{"case and diacritics", "KABÚLOV and kabulov", []string{"kabulov"}, 240, "*KABÚLOV* and *kabulov*"},
		{"possessive", "Kabulov's remarks", []string{"kabulov"}, 240, "*Kabulov's* remarks"},
		{"phrase in one bold run", "envoy Zamir  Kabulov told", []string{"zamir kabulov"}, 240, "envoy *Zamir Kabulov* told"},
		{"phrase across punctuation", "Zamir, Kabulov", []string{"zamir kabulov"}, 240, "*Zamir*, *Kabulov*"},
		{"phrase not consecutive", "Zamir met Kabulov", []string{"zamir kabulov"}, 240, ""},
		{"prefix", "Kabul and Kabulistan, not kab", []string{"kabul*"}, 240, "*Kabul* and *Kabulistan*, not kab"},
		{"hyphenated term", "the Tajik-Afghan border", []string{"tajik afghan"}, 240, "the *Tajik*-*Afghan* border"},
		{"no match", "nothing here", []string{"kabulov"}, 240, ""},
		{"window", strings.Repeat("lorem ipsum ", 30) + "Kabulov said " + strings.Repeat("dolor sit ", 30), []string{"kabulov"}, 60,
			"…ipsum lorem ipsum *Kabulov* said dolor sit dolor sit dolor sit…"},
		{"markup kept as text", "<b>Kabulov</b> & co", []string{"kabulov"}, 240, "<b>*Kabulov*</b> & co"},
		{"white space", "  Kabulov\n\tsaid  ", []string{"kabulov"}, 240, "*Kabulov* said"},
		{"cyrillic", "Замир Кабулов заявил", []string{"кабулов"}, 240, "Замир *Кабулов* заявил"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var terms [][]string
			for _, s := range tt.terms {
				terms = append(terms, strings.Fields(s))
			}
			parts := bot.Highlight(tt.text, terms, tt.n)
			if got := bot.MarkSnippet(parts, nil, "*", "*"); (parts != nil) != (tt.want != "") || got != tt.want {
				t.Errorf("Highlight = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	q, err := rules.Parse(`kabulov OR "zamir kabulov"`)
	if err != nil {
		t.Fatal(err)
	}
	queries := []*rules.Query{q}
	st := &bot.Story{Title: "Russia Ready To Cooperate With Taliban On Security", Rules: []string{"kabulov"}, Items: []bot.StoryItem{
		{URL: "https://a.example/1", Title: "Talks go on"},
		{URL: "https://b.example/2", Title: "Kabulov: talks go on"},
	}}
	tests := []struct {
		name    string
		texts   map[string]string
		queries []*rules.Query
		want    string
	}{
		{"text first", map[string]string{"https://a.example/1": "Envoy Zamir Kabulov said so."}, queries, "Envoy *Zamir Kabulov* said so."},
		{"else a title", nil, queries, "*Kabulov*: talks go on"},
		{"no rule with terms", nil, nil, ""},
		{"page clutter and the headline left out",
			map[string]string{"https://a.example/1": "Skip to main content Latest news Thumbnail Home / Latest Updates / " +
				"Russia Ready To Cooperate With Taliban On Security. Moscow is ready to work with Kabul, envoy Zamir Kabulov said."},
			queries, "Moscow is ready to work with Kabul, envoy *Zamir Kabulov* said."},
		{"a body that only repeats the title falls back to titles",
			map[string]string{"https://b.example/2": "Kabulov: talks go on"}, queries, "*Kabulov*: talks go on"},
		{"the window opens at the sentence of the first term",
			map[string]string{"https://a.example/1": "The weather in Kabul was mild. Officials met for an hour. Envoy Zamir Kabulov said talks would go on."},
			queries, "…Envoy *Zamir Kabulov* said talks would go on."},
	}
	parse := func(src string) []*rules.Query {
		q, err := rules.ParseWith(src, rules.Options{Stem: rules.Russian, Regexp: true, Aliases: rules.Aliases{
			"CSTO": {"CSTO", "Collective Security Treaty Organization", "ОДКБ"}}})
		if err != nil {
			t.Fatal(err)
		}
		return []*rules.Query{q}
	}
	text := func(s string) map[string]string { return map[string]string{"https://a.example/1": s} }
	tests = append(tests, []struct {
		name    string
		texts   map[string]string
		queries []*rules.Query
		want    string
	}{
		// The matcher's spans: what matched is bold, however it is written.
		{"an inflected name", text("Лавров встретился с Кабуловым в Кабуле."), parse("Кабулов"),
			"Лавров встретился с *Кабуловым* в Кабуле."},
		{"alias entries", text("The Collective Security Treaty Organization (ОДКБ in Russian) met."), parse("@CSTO"),
			"The *Collective Security Treaty Organization* (*ОДКБ* in Russian) met."},
		{"proximity: the words that are near, not the others", text("Kabulov said the CSTO would act. The CSTO was founded in 1992."),
			parse(`"kabulov csto"~3`), "*Kabulov* said the *CSTO* would act. The CSTO was founded in 1992."},
		{"a regular expression", text("Tajik and Tadjik spellings"), parse("/ta?d?jik/"), "*Tajik* and *Tadjik* spellings"},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.MarkSnippet(bot.Snippet(st, tt.texts, tt.queries, 240), nil, "*", "*"); got != tt.want {
				t.Errorf("Snippet = %q, want %q", got, tt.want)
			}
		})
	}
}
