package rules

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// oracleWords are the words random rules and items are made of: few, so
// that rules hit items often and phrases occur, some inflected, some cased.
var oracleWords = strings.Fields("kabul kabulov Kabulov CSTO csto border borders talks Talks summit " +
	"граница границы Кабулов кабулова one two")

// randomQuery returns a random query in most of the language's constructs.
func randomQuery(r *rand.Rand, depth int) string {
	word := func() string { return oracleWords[r.IntN(len(oracleWords))] }
	if depth <= 0 || r.IntN(3) == 0 {
		switch r.IntN(12) {
		case 0:
			return fmt.Sprintf("%q", word()+" "+word())
		case 1:
			return fmt.Sprintf("%q~%d", word()+" "+word(), r.IntN(3))
		case 2:
			return word()[:3] + "*"
		case 3:
			return "=" + word()
		case 4:
			return []string{"title:", "text:"}[r.IntN(2)] + word()
		case 5:
			return []string{"source:example.com", "source:other.org", "tag:asia", "lang:ru", "lang:en"}[r.IntN(5)]
		case 6:
			return "@CSTO"
		case 7:
			return []string{"/bord?er/", "=/bord?er/"}[r.IntN(2)]
		case 8:
			return fmt.Sprintf("%q", word()+" "+word()+" "+word())
		}
		return word()
	}
	a, b := randomQuery(r, depth-1), randomQuery(r, depth-1)
	switch r.IntN(5) {
	case 0:
		return "(" + a + " OR " + b + ")"
	case 1:
		return "(" + a + " -" + b + ")"
	case 2:
		return fmt.Sprintf("(%s NEAR/%d %s)", a, r.IntN(4), b)
	}
	return "(" + a + " " + b + ")"
}

// randomItem returns a random item of the oracle's words.
func randomItem(r *rand.Rand) Item {
	text := func(n int) string {
		var b strings.Builder
		for range n {
			w := oracleWords[r.IntN(len(oracleWords))]
			if r.IntN(4) == 0 {
				w = strings.ToUpper(w)
			}
			b.WriteString(w + []string{" ", ", ", ". ", "-"}[r.IntN(4)])
		}
		return b.String()
	}
	return Item{Title: text(r.IntN(6)), Text: text(r.IntN(40)), Source: []string{"example.com", "news.example.com", "other.org"}[r.IntN(3)],
		Feed: []string{"A", "B"}[r.IntN(2)], Tags: [][]string{nil, {"asia"}, {"Europe", "asia"}}[r.IntN(3)], Lang: []string{"", "ru", "en"}[r.IntN(3)]}
}

// TestMatcherOracle compiles many random rules, some repeated, with
// exclusions, feeds and tags, and checks that a Matcher's hits and spans
// are, for random items, those of each rule matched on its own.
func TestMatcherOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	opts := []Options{{}, {Stem: Russian, Aliases: testAliases, Regexp: true}, {Stem: English, Aliases: testAliases, Regexp: true}}
	var rs []Rule
	for len(rs) < 400 {
		if len(rs) > 0 && r.IntN(4) == 0 { // the same query again, or written again
			rule := rs[r.IntN(len(rs))]
			if q, err := ParseWith(rule.Query.String(), opts[r.IntN(len(opts))]); err == nil && r.IntN(2) == 0 {
				rule.Query = q
			}
			rs = append(rs, rule)
			continue
		}
		q, err := ParseWith(randomQuery(r, 3), opts[r.IntN(len(opts))])
		if err != nil {
			continue
		}
		rule := Rule{Query: q}
		if ex, err := ParseWith(randomQuery(r, 1), opts[r.IntN(len(opts))]); err == nil && r.IntN(5) == 0 {
			rule.Exclude = ex
		}
		if r.IntN(6) == 0 {
			rule.Feeds = []string{"a"}
		}
		if r.IntN(6) == 0 {
			rule.Tags = []string{"ASIA"}
		}
		rs = append(rs, rule)
	}
	var docs []*Doc
	for range 200 {
		docs = append(docs, NewItem(randomItem(r)))
	}
	if hits := checkOracle(t, rs, docs); hits < 1000 {
		t.Errorf("%d hits in all: too few to tell", hits)
	}
}

// TestMatcherOraclePhrases checks the rules of BenchmarkMatchPhrases on
// farm-like items as TestMatcherOracle does.
func TestMatcherOraclePhrases(t *testing.T) {
	var docs []*Doc
	for _, it := range farmItems(30) {
		docs = append(docs, NewItem(it))
	}
	if hits := checkOracle(t, phraseRules(1000), docs); hits < 100 {
		t.Errorf("%d hits in all: too few to tell", hits)
	}
}

// checkOracle checks that a Matcher of the rules finds in each document
// the hits and spans that the reference finds rule by rule (and
// MatchRules the same hits without spans); it returns the hits.
func checkOracle(t *testing.T, rs []Rule, docs []*Doc) int {
	m := Compile(rs)
	hits := 0
	for _, d := range docs {
		var want []Hit
		for i, rule := range rs {
			if spans, ok := reference(rule, d); ok {
				want = append(want, Hit{Rule: i, Spans: spans})
			}
		}
		got := m.Match(d)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("item %+v: hits\n%v\nwant\n%v", d.item, got, want)
		}
		// MatchRules finds the same rules, without their spans.
		for i := range want {
			want[i].Spans = nil
		}
		if rules := m.MatchRules(d); !reflect.DeepEqual(rules, want) {
			t.Fatalf("item %+v: rules\n%v\nwant\n%v", d.item, rules, want)
		}
		hits += len(got)
	}
	return hits
}

// reference matches a rule the plain way, as Matchers did before they
// shared evaluations and took shortcuts: its feeds and tags, then its
// query's and its exclusion's trees evaluated on their atoms' hits, with
// a binary search for each word of a phrase; then its spans.
func reference(rule Rule, d *Doc) ([]Span, bool) {
	eval := func(q *Query, collect bool) (*evalCtx, bool) {
		m := Compile([]Rule{{Query: q, Feeds: rule.Feeds, Tags: rule.Tags}})
		if !m.rules[0].admits(d) {
			return nil, false
		}
		s := newScratch(make([]bool, len(m.atoms)), 1) // no plain words: binary searches
		m.scan(d, s)
		c := &evalCtx{d: d, s: s, glob: m.queries[0].glob, collect: collect}
		return c, c.eval(q.root)
	}
	if _, ok := eval(rule.Query, false); !ok {
		return nil, false
	}
	if rule.Exclude != nil {
		if _, ok := eval(rule.Exclude, false); ok {
			return nil, false
		}
	}
	c, _ := eval(rule.Query, true)
	return tidy(c.spans), true
}
