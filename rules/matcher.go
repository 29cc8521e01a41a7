package rules

import (
	"slices"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/rules/internal/trie"
	"github.com/wirewatch/wirewatch/text"
)

// Rule is one rule of a Matcher: its query and the options that narrow it.
type Rule struct {
	Query   *Query
	Exclude *Query   // items it matches are left out (nil: none)
	Feeds   []string // only items of these feeds, by name (empty: any)
	Tags    []string // only items of feeds with one of these tags (empty: any)
}

// Hit is a rule that matched an item, and where.
type Hit struct {
	Rule  int    // index in the rules given to Compile
	Spans []Span // the matched words, in field and text order
}

// Span is a matched part of an item's title or text: a byte range of the
// original (unfolded) field.
type Span struct {
	Field      Field
	Start, End int
}

// Matcher matches many rules against items at once. All the rules' words,
// prefixes and item facts are compiled into one table (a byte trie over
// folded tokens, plus a map of item facts), each entry listing the queries
// it can trigger. Matching walks an item's tokens through the trie once,
// then evaluates only the queries whose trigger terms occurred: its cost
// grows with the item's length and the queries it hits, not with the
// number of rules. Rules whose queries have one shape (see shape) share
// one evaluation: users repeat a query across rules and channels.
// It is safe for concurrent use.
type Matcher struct {
	rules   []mrule
	queries []mquery // the distinct queries of the rules and their exclusions
	atoms   []atomSpec
	plain   []bool // atom → it needs no check beyond the trie (case, stem, name)
	word    []bool // atom → it is a plain word, the one a token can reach: see scratch.words
	trie    trie.Trie
	meta    map[string][]int32 // metaKey → atoms
	post    [][]int32          // atom → queries of rules it triggers
	always  []int32            // queries of rules without triggers, tried on every item
	lang    bool               // some rule looks at the language
	pool    sync.Pool          // *scratch
}

// mquery is a distinct query of a Matcher: the tree of one of the queries
// of its shape, the global atom of each of its atoms, and the rules it is
// the query of. Its must holds up to four global atoms it cannot match
// without (see musts), then -1s: in place, so that most candidates that do
// not match are told without a read beyond the mquery; when the query is
// a phrase (or a word) of at most four words, they are its words, in
// order, and it is matched from them without a read of its tree.
type mquery struct {
	root   node
	glob   []int32
	must   [4]int32
	phrase int8    // how many words of must are the phrase the query is; 0: it is not one
	in     field   // the phrase's fields
	rules  []int32 // ascending
	open   bool    // one of its rules takes items of any feed and tags
}

// mrule is a rule compiled into a Matcher: its query and exclusion (-1:
// none) among the Matcher's queries.
type mrule struct {
	q, ex       int32
	feeds, tags []string // folded
}

// Compile builds a Matcher for the rules; their indexes name them in Hits.
func Compile(rs []Rule) *Matcher {
	m := &Matcher{meta: map[string][]int32{}}
	atoms, queries := map[string]int32{}, map[string]int32{}
	global := func(a atomSpec) int32 {
		k := a.key()
		g, ok := atoms[k]
		if !ok {
			g = int32(len(m.atoms))
			atoms[k] = g
			m.atoms = append(m.atoms, a)
			m.plain = append(m.plain, a.cased == "" && a.stemmed == "" && a.name == "")
			m.word = append(m.word, a.kind == aWord && a.cased == "")
			m.post = append(m.post, nil)
			switch a.kind {
			case aMeta:
				m.meta[a.tok] = append(m.meta[a.tok], g)
				m.lang = m.lang || strings.HasPrefix(a.tok, metaKey("lang", ""))
			default:
				m.trie.Add(a.tok, a.kind == aPrefix, g)
			}
		}
		return g
	}
	query := func(q *Query) int32 {
		glob := make([]int32, len(q.atoms))
		for i, a := range q.atoms {
			glob[i] = global(a)
		}
		var b strings.Builder
		shape(&b, q.root, glob)
		id, ok := queries[b.String()]
		if !ok {
			id = int32(len(m.queries))
			queries[b.String()] = id
			mq := mquery{root: q.root, glob: glob, must: [4]int32{-1, -1, -1, -1}}
			must := musts(nil, q.root)
			for i, a := range must[:min(len(must), len(mq.must))] {
				mq.must[i] = glob[a]
			}
			if t, ok := q.root.(*termNode); ok && t.prox < 0 && len(t.elems) <= len(mq.must) {
				mq.phrase, mq.in = int8(len(t.elems)), t.in
			}
			m.queries = append(m.queries, mq)
		}
		return id
	}
	for i, r := range rs {
		mr := mrule{q: query(r.Query), ex: -1}
		if r.Exclude != nil {
			mr.ex = query(r.Exclude)
		}
		for _, f := range r.Feeds {
			mr.feeds = append(mr.feeds, text.Fold(strings.TrimSpace(f)))
		}
		for _, t := range r.Tags {
			mr.tags = append(mr.tags, text.Fold(strings.TrimSpace(t)))
		}
		m.rules = append(m.rules, mr)
		mq := &m.queries[mr.q]
		mq.open = mq.open || len(mr.feeds)+len(mr.tags) == 0
		if mq.rules = append(mq.rules, int32(i)); len(mq.rules) > 1 {
			continue // triggered already
		}
		// r.Query has mq's shape, so its atoms are numbered as mq's.
		if r.Query.any {
			m.always = append(m.always, mr.q)
			continue
		}
		for _, a := range r.Query.trig {
			g := mq.glob[a]
			if p := m.post[g]; len(p) == 0 || p[len(p)-1] != mr.q {
				m.post[g] = append(p, mr.q)
			}
		}
	}
	m.trie.Freeze()
	m.pool.New = func() any { return newScratch(m.word, len(m.queries)) }
	return m
}

// Len returns the number of rules.
func (m *Matcher) Len() int { return len(m.rules) }

// Match returns the rules the item matches, in order, with their spans.
func (m *Matcher) Match(d *Doc) []Hit { return m.match(d, true) }

// MatchRules is Match without the spans (each Hit's Spans is nil): what
// deciding what an item causes needs, for less than finding where.
func (m *Matcher) MatchRules(d *Doc) []Hit { return m.match(d, false) }

// match returns the rules the item matches; spans tells whether to find
// where.
func (m *Matcher) match(d *Doc, spans bool) []Hit {
	if d == nil {
		d = NewItem(Item{})
	}
	s := m.pool.Get().(*scratch)
	defer func() { s.reset(); m.pool.Put(s) }()
	m.scan(d, s)

	// The candidates: each query once, in no particular order.
	cands := s.cands[:0]
	for _, a := range s.touched {
		for _, q := range m.post[a] {
			if st := &s.qs[q]; st.epoch != s.epoch {
				*st = qstate{epoch: s.epoch}
				cands = append(cands, q)
			}
		}
	}
	for _, q := range m.always {
		s.qs[q] = qstate{epoch: s.epoch}
		cands = append(cands, q)
	}
	s.cands = cands

	// The rules whose query matches, of those the item's feed and tags
	// let through; in order. A query is evaluated only when one of its
	// rules lets the item through.
	c := &s.ctx
	c.d, c.s = d, s
	admits := func(r int32) bool { return m.rules[r].admits(d) }
	matched := s.matched[:0]
	for _, q := range cands {
		mq := &m.queries[q]
		if !mq.open && !slices.ContainsFunc(mq.rules, admits) || !m.holds(c, q) {
			continue
		}
		for _, r := range mq.rules {
			if admits(r) {
				matched = append(matched, r)
			}
		}
	}
	slices.Sort(matched)
	s.matched = matched

	var hits []Hit
	for _, r := range matched {
		mr := &m.rules[r]
		if mr.ex >= 0 && m.holds(c, mr.ex) {
			continue
		}
		h := Hit{Rule: int(r)}
		if spans {
			h.Spans = m.spans(c, mr.q)
		}
		if hits == nil {
			hits = make([]Hit, 0, len(matched))
		}
		hits = append(hits, h)
	}
	return hits
}

// holds reports whether query q matches the item, evaluating it once per
// match.
func (m *Matcher) holds(c *evalCtx, q int32) bool {
	st := &c.s.qs[q]
	if st.epoch != c.s.epoch {
		*st = qstate{epoch: c.s.epoch}
	}
	if !st.evaluated {
		mq := &m.queries[q]
		c.glob, c.collect, c.spans = mq.glob, false, c.spans[:0]
		st.evaluated = true
		if mq.phrase > 0 {
			st.ok = c.phrase(mq.must[:mq.phrase], mq.in, nil)
		} else {
			st.ok = !slices.ContainsFunc(mq.must[:], func(a int32) bool { return a >= 0 && len(c.s.hits[a]) == 0 }) && c.eval(mq.root)
		}
	}
	return st.ok
}

// spans returns where query q, which matches, matches the item: found once
// per match, a copy for each rule.
func (m *Matcher) spans(c *evalCtx, q int32) []Span {
	st := &c.s.qs[q]
	if st.spans == 0 {
		mq := &m.queries[q]
		c.glob, c.collect, c.spans = mq.glob, true, c.spans[:0]
		c.eval(mq.root)
		c.s.spans = append(c.s.spans, tidy(c.spans))
		st.spans = int32(len(c.s.spans))
		return c.s.spans[st.spans-1]
	}
	return slices.Clone(c.s.spans[st.spans-1])
}

// scan records in s which of the atoms occur in the item, and where.
func (m *Matcher) scan(d *Doc, s *scratch) {
	t := &m.trie
	for pos := range d.toks {
		// Walk the token down the trie: prefixes on the way, the word at
		// its end.
		tok := d.token(int32(pos))
		n := t.Root()
		for i := 0; i < len(tok) && n != nil; i++ {
			if n = t.Step(n, tok[i]); n != nil {
				if pre := t.Prefixes(n); pre != nil {
					m.found(s, d, pre, int32(pos))
				}
			}
		}
		word := int32(-1)
		if n != nil {
			if ws := t.Words(n); ws != nil {
				word = m.found(s, d, ws, int32(pos))
			}
		}
		s.words = append(s.words, word)
	}
	for _, k := range d.meta {
		for _, a := range m.meta[k] {
			s.add(a, 0)
		}
	}
	if m.lang {
		l := d.language()
		for _, a := range m.meta[metaKey("lang", l)] {
			s.add(a, 0)
		}
		if base, _, region := strings.Cut(l, "-"); region { // pt-br is pt too
			for _, a := range m.meta[metaKey("lang", base)] {
				s.add(a, 0)
			}
		}
	}
}

// found records that the token at pos reached atoms in the trie, those it
// fits; it returns the plain word among them, or -1.
func (m *Matcher) found(s *scratch, d *Doc, atoms []int32, pos int32) int32 {
	word := int32(-1)
	for _, a := range atoms {
		if m.plain[a] || m.fits(s, d, a, pos) {
			s.add(a, pos)
			if m.word[a] {
				word = a
			}
		}
	}
	return word
}

// fits reports whether the token at pos, which the trie led to atom a,
// matches it: in case, stem or inflection.
func (m *Matcher) fits(s *scratch, d *Doc, a, pos int32) bool {
	at := &m.atoms[a]
	switch {
	case at.cased != "" && at.kind == aPrefix:
		return sameCasePrefix(d.original(pos), at.cased)
	case at.cased != "":
		return sameCase(d.original(pos), at.cased)
	case at.stemmed != "":
		return s.stem(at.stem, d.token(pos)) == at.stemmed
	case at.name != "":
		return at.stem.nameMatches(at.name, d.token(pos))
	}
	return true
}

// admits reports whether the rule's feeds and tags let the item through.
func (mr *mrule) admits(d *Doc) bool {
	if len(mr.feeds) > 0 && !slices.Contains(mr.feeds, text.Fold(strings.TrimSpace(d.item.Feed))) {
		return false
	}
	if len(mr.tags) > 0 && !slices.ContainsFunc(d.item.Tags, func(t string) bool {
		return slices.Contains(mr.tags, text.Fold(strings.TrimSpace(t)))
	}) {
		return false
	}
	return true
}

// sameCase reports whether the word as written in an item has the case of
// the word as written in a rule: every letter upper or lower alike.
func sameCase(got, want string) bool {
	g, w := []rune(got), []rune(want)
	if len(g) != len(w) {
		return got == want
	}
	for i := range g {
		if isUpper(g[i]) != isUpper(w[i]) {
			return false
		}
	}
	return true
}

// sameCasePrefix reports whether the word as written in an item starts
// with a prefix as written in a rule (=CST*) in its case.
func sameCasePrefix(got, want string) bool {
	g, w := []rune(got), []rune(want)
	if len(g) < len(w) {
		return false
	}
	return sameCase(string(g[:len(w)]), want)
}

// scratch is one match's working memory, pooled.
type scratch struct {
	hits    [][]int32            // atom → positions of the tokens that matched it, ascending
	touched []int32              // atoms with hits
	word    []bool               // atom → it is a plain word (Matcher.word)
	words   []int32              // position → the plain word its token matched, or -1
	qs      []qstate             // query → what this match knows of it
	epoch   uint32               // this match's, in qs
	cands   []int32              // queries
	matched []int32              // rules
	spans   [][]Span             // queries' spans, by qstate.spans
	stems   [3]map[string]string // per Stem, token → its stem
	ctx     evalCtx              // its buffers reused
}

// qstate is what a match knows of a query; its fields are valid when epoch
// is the match's.
type qstate struct {
	epoch         uint32
	evaluated, ok bool  // whether it was evaluated, and matches
	spans         int32 // 1 + its index in scratch.spans, 0 if not found yet
}

// newScratch returns the working memory of matches of the atoms (word:
// which are plain words) and queries.
func newScratch(word []bool, queries int) *scratch {
	return &scratch{hits: make([][]int32, len(word)), word: word, qs: make([]qstate, queries), epoch: 1}
}

// add records that the token at pos matched atom a.
func (s *scratch) add(a, pos int32) {
	if len(s.hits[a]) == 0 {
		s.touched = append(s.touched, a)
	}
	s.hits[a] = append(s.hits[a], pos)
}

// stem returns the Snowball stem of tok, computed once per match.
func (s *scratch) stem(st Stem, tok string) string {
	if s.stems[st] == nil {
		s.stems[st] = map[string]string{}
	}
	v, ok := s.stems[st][tok]
	if !ok {
		v = st.stem(tok)
		s.stems[st][tok] = v
	}
	return v
}

// reset makes s ready for the next match.
func (s *scratch) reset() {
	for _, a := range s.touched {
		s.hits[a] = s.hits[a][:0]
	}
	s.touched, s.words = s.touched[:0], s.words[:0]
	if s.epoch++; s.epoch == 0 {
		clear(s.qs)
		s.epoch = 1
	}
	clear(s.spans) // the hits have them
	s.spans = s.spans[:0]
	for i := range s.stems {
		clear(s.stems[i])
	}
	s.ctx.d, s.ctx.glob = nil, nil
}
