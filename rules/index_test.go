package rules

import (
	"strings"
	"testing"
)

// TestPlan: what the index is asked for a query; ALL where it cannot narrow.
func TestPlan(t *testing.T) {
	aliases := Aliases{"csto": {"CSTO", "ОДКБ", "Collective Security Treaty Organization"}}
	cases := []struct {
		query string
		opts  Options
		want  string
		exact bool
	}{
		{"kabulov", Options{}, `"kabulov"`, true},
		{`"Zamir Kabulov"`, Options{}, `"zamir kabulov"`, true},
		{"kabul*", Options{}, `"kabul*"`, true},
		{"title:Кабулов", Options{}, `title:"кабулов"`, true},
		{"Кабулов", Options{Stem: Russian}, `"кабулов*"`, false},
		{"границы", Options{Stem: Russian}, `"грани*"`, false},
		{"=CSTO", Options{}, `"csto"`, false},
		{"@csto", Options{Aliases: aliases}, `("csto" OR "одкб" OR "collective security treaty organization")`, true},
		{"taliban NOT football", Options{}, `("taliban" NOT "football")`, true},
		{"taliban -=CSTO", Options{}, `"taliban"`, false},
		{`"kabulov csto"~10`, Options{}, `NEAR("kabulov" "csto", 11)`, false},
		{`taliban NEAR/5 "zamir kabulov"`, Options{}, `NEAR("taliban" "zamir kabulov", 13)`, false},
		{`title:taliban NEAR/5 envoy`, Options{}, `(title:"taliban" AND "envoy")`, false},
		{"csto NEAR/5 (border OR frontier)", Options{}, `("csto" AND ("border" OR "frontier"))`, false},
		{"source:tass.com lavrov", Options{}, `(fact:` + factToken(metaKey("source", "tass.com")) + ` AND "lavrov")`, true},
		{"/ta?jik/", Options{Regexp: true}, `ALL`, false},
		{"/ta?jik/ border", Options{Regexp: true}, `"border"`, false},
		{"kabulov OR /dushanbe/", Options{Regexp: true}, `ALL`, false},
		{"tag:central-asia", Options{}, `ALL`, false},
		{"lang:ru kabulov", Options{}, `"kabulov"`, false},
		{"kabulov OR NOT NOT csto", Options{}, `("kabulov" OR "csto")`, true},
	}
	for _, c := range cases {
		q, err := ParseWith(c.query, c.opts)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		p := q.Plan()
		if got := p.String(); got != c.want || p.Exact != c.exact {
			t.Errorf("%s: plan %s (exact %v), want %s (exact %v)", c.query, got, p.Exact, c.want, c.exact)
		}
	}
}

// TestIndexDoc: the index holds the matcher's tokens.
func TestIndexDoc(t *testing.T) {
	d := NewIndexDoc(Item{Title: "Kabulov's CSTO talks", Text: "Délisting — ОДКБ, Tajik-Afghan", Source: "news.bbc.co.uk", Feed: "BBC"})
	if d.Title != "kabulov csto talks" || d.Text != "delisting одкб tajik afghan" {
		t.Errorf("doc %q / %q", d.Title, d.Text)
	}
	want := factToken(metaKey("source", "news.bbc.co.uk")) + " " + factToken(metaKey("source", "bbc.co.uk")) + " " +
		factToken(metaKey("source", "co.uk")) + " " + factToken(metaKey("source", "bbc"))
	if d.Facts != want {
		t.Errorf("facts %q, want %q", d.Facts, want)
	}
}

// TestDocIndexDoc: an item's document, made with its feed's tags and
// language for matching, gives the index what NewIndexDoc gives.
func TestDocIndexDoc(t *testing.T) {
	it := Item{Title: "Kabulov's CSTO talks", Text: "Délisting — ОДКБ, Tajik-Afghan", Source: "news.bbc.co.uk", Feed: "BBC"}
	want := NewIndexDoc(it)
	it.Tags, it.Lang = []string{"Asia", "msource:bbc"}, "en"
	if got := NewItem(it).IndexDoc(); got != want {
		t.Errorf("NewItem(it).IndexDoc() = %+v, want %+v", got, want)
	}
}

// FuzzIndexDocTokens: IndexDoc's title and text are the document's tokens
// joined by single spaces (it copies stretches of them at once).
func FuzzIndexDocTokens(f *testing.F) {
	for _, s := range [][2]string{
		{"Kabulov's CSTO talks", "Délisting — ОДКБ, Tajik-Afghan"},
		{"one two  three", "a b c d e f g h, i j; k l m n o p q r s t"},
		{"", "  leading and trailing  "},
		{"东京 とうきょう Tokyo", "it's the CSTO's s' 's "},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, body string) {
		d := NewItem(Item{Title: title, Text: body})
		join := func(from, to int32) string {
			var toks []string
			for i := from; i < to; i++ {
				toks = append(toks, d.token(i))
			}
			return strings.Join(toks, " ")
		}
		got := d.IndexDoc()
		if want := join(0, d.split); got.Title != want {
			t.Fatalf("title %q: IndexDoc %q, want %q", title, got.Title, want)
		}
		if want := join(d.split, int32(len(d.toks))); got.Text != want {
			t.Fatalf("text %q: IndexDoc %q, want %q", body, got.Text, want)
		}
	})
}
