package rules

import (
	"github.com/wirewatch/wirewatch/text"
	"slices"
	"testing"
)

// seedQueries returns valid and invalid queries to start fuzzing from.
func seedQueries() []string {
	return []string{
		`kabulov OR "zamir kabulov"`,
		`(csto OR одкб OR "collective security treaty organization") AND -exercise`,
		`taliban AND (tajikistan OR "tajik border") NOT football`,
		`kabul* -"world cup" NOT NOT x`,
		`«Замир Кабулов» “csto’s” 中国 tajik-afgh*`,
		`((a)) OR (b c`,
		`a AND`,
		`-football`,
		`"zam* kab*" - x`,
		`title:"Zamir Kabulov"~5 OR text:(@CSTO NEAR/3 =CSTO) source:tass.com -tag:sport lang:ru`,
		`/ta?jik\/x/ @blocs Кабулов "граница таджикистана" =/CSTO/`,
		`title:=@acronym NEAR csto "a b"~0 @envoys`,
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seedQueries() {
		f.Add(s)
	}
	full := Options{Aliases: testAliases, Stem: Russian, Regexp: true}
	doc := NewItem(Item{Title: "Zamir Kabulov: CSTO", Text: "Кабулов заявил, что ОДКБ готова. Kabulov's talks; Tajik-Afghan border",
		Source: "tass.com", Feed: "TASS", Tags: []string{"sport"}})
	f.Fuzz(func(t *testing.T, src string) {
		for _, opts := range []Options{{}, full} {
			fuzzParse(t, src, opts, doc)
		}
	})
}

// fuzzParse checks that a query parses to a syntax error or round-trips,
// and that matching it never panics.
func fuzzParse(t *testing.T, src string, opts Options, doc *Doc) {
	{
		q, err := ParseWith(src, opts)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", src, err)
			}
			return
		}
		Parse := func(s string) (*Query, error) { return ParseWith(s, opts) }
		again, err := Parse(q.String())
		if err != nil {
			t.Fatalf("Parse(String()) of %q: %v", src, err)
		}
		if got, want := again.canonical(), q.canonical(); got != want {
			t.Fatalf("Parse(String()) of %q = %s, want %s", src, got, want)
		}
		canon := q.canonical()
		c, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, src, err)
		}
		if got, want := c.canonical(), canon; got != want {
			t.Fatalf("canonical form of %q re-parses as %q, want %q", src, got, want)
		}
		// Matching must not panic.
		q.Match(NewDoc(src))
		q.Spans(NewDoc(src, src))
		q.Spans(doc)
		Compile([]Rule{{Query: q}, {Query: q, Exclude: q, Feeds: []string{"TASS"}}}).Match(doc)
		q.Terms()
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range seedQueries() {
		f.Add(s)
	}
	f.Add("Kabulov's Tādjikistān ОДКБ мои\u0306 كـــابل می\u200cشود हिन्दी")
	f.Fuzz(func(t *testing.T, s string) {
		folded := text.Fold(s)
		if got, want := text.Fold(folded), folded; got != want {
			t.Fatalf("Fold(Fold(%+q)) = %+q, want %+q", s, got, want)
		}
		toks := text.Tokens(s)
		for _, tok := range toks {
			if got, want := text.Tokens(tok), []string{tok}; !slices.Equal(got, want) {
				t.Fatalf("Tokens(%+q) = %+q, want %+q (a token of %+q)", tok, got, want, s)
			}
		}
		// Every token of a document is found as a word.
		d := NewDoc(s)
		for _, tok := range toks {
			q := newQuery(tok, &termNode{elems: []elem{{tok: tok}}, prox: -1, in: inBoth})
			if !q.Match(d) {
				t.Fatalf("token %+q of %+q not found in its Doc", tok, s)
			}
		}
	})
}
