package rules

import (
	"slices"
	"unicode"
)

// evalCtx evaluates one query of a Matcher on one item, from the atoms'
// hits.
type evalCtx struct {
	d       *Doc
	s       *scratch
	glob    []int32 // the query's atoms → the Matcher's
	collect bool    // record where positive terms matched in spans
	spans   []Span
	ivs     []ival // reused by eval for a term's occurrences
}

// ival is a run of token positions [s, e] that an operand matched.
type ival struct{ s, e int32 }

func isUpper(r rune) bool { return unicode.IsUpper(r) }

// hits returns the positions where the query's atom a matched.
func (c *evalCtx) hits(a int32) []int32 { return c.s.hits[c.glob[a]] }

// at reports whether the Matcher's atom g matched the token at pos: a
// plain word in one step, others by a search of its hits.
func (c *evalCtx) at(g, pos int32) bool {
	if c.s.word[g] {
		return c.s.words[pos] == g
	}
	_, hit := slices.BinarySearch(c.s.hits[g], pos)
	return hit
}

// in reports whether position pos is in one of the fields.
func (c *evalCtx) in(pos int32, f field) bool {
	if pos < c.d.split {
		return f&inTitle != 0
	}
	return f&inText != 0
}

// eval reports whether n matches; when collecting, it records the spans of
// the positive terms that matched.
func (c *evalCtx) eval(n node) bool {
	switch n := n.(type) {
	case *termNode:
		if !c.collect {
			return c.term(n, nil)
		}
		ivs := c.ivs[:0]
		ok := c.term(n, &ivs)
		c.record(ivs)
		c.ivs = ivs[:0]
		return ok
	case *nearNode:
		return c.near(n)
	case *regexpNode:
		return c.regexp(n)
	case *metaNode:
		return len(c.hits(n.atom)) > 0 // the item's fact is the value
	case *aliasNode:
		return c.eval(n.x)
	case *notNode:
		collect := c.collect
		c.collect = false
		ok := !c.eval(n.x)
		c.collect = collect
		return ok
	case *andNode:
		mark := len(c.spans)
		for _, x := range n.xs {
			if !c.eval(x) {
				c.spans = c.spans[:mark]
				return false
			}
		}
		return true
	case *orNode:
		ok := false
		for _, x := range n.xs {
			if c.eval(x) {
				ok = true
				if !c.collect {
					return true
				}
			}
		}
		return ok
	}
	return false
}

// term reports whether a word, phrase or proximity occurs in its fields;
// with out set it appends every occurrence instead of stopping at one.
func (c *evalCtx) term(n *termNode, out *[]ival) bool {
	if n.prox >= 0 {
		return c.prox(n, out)
	}
	var buf [8]int32
	words := buf[:0]
	for _, e := range n.elems {
		words = append(words, c.glob[e.atom])
	}
	return c.phrase(words, n.in, out)
}

// phrase reports whether the Matcher's atoms words occur consecutively in
// one of the fields in; with out set it appends every occurrence instead
// of stopping at one.
func (c *evalCtx) phrase(words []int32, in field, out *[]ival) bool {
	k := int32(len(words))
	anchor := 0
	for i, g := range words {
		h := c.s.hits[g]
		if len(h) == 0 {
			return false
		}
		if len(h) < len(c.s.hits[words[anchor]]) {
			anchor = i
		}
	}
	found := false
	for _, pos := range c.s.hits[words[anchor]] {
		start := pos - int32(anchor)
		if start < 0 || start+k > int32(len(c.d.toks)) || !c.in(start, in) {
			continue
		}
		if _, lo, hi := c.d.field(pos); start < lo || start+k > hi {
			continue
		}
		ok := true
		for i, g := range words {
			if i != anchor && !c.at(g, start+int32(i)) {
				ok = false
				break
			}
		}
		if ok {
			found = true
			if out == nil {
				return true
			}
			*out = append(*out, ival{start, start + k - 1})
		}
	}
	return found
}

// prox reports whether all the words of "…"~N occur in one field, in any
// order, with at most N other words among them; with out set it appends
// every such window.
func (c *evalCtx) prox(n *termNode, out *[]ival) bool {
	found := false
	for _, f := range []field{inTitle, inText} {
		if n.in&f == 0 {
			continue
		}
		lo, hi := int32(0), c.d.split
		if f == inText {
			lo, hi = c.d.split, int32(len(c.d.toks))
		}
		var arr [8][]int32
		lists := arr[:0]
		if len(n.elems) > len(arr) {
			lists = make([][]int32, 0, len(n.elems))
		}
		lists = lists[:len(n.elems)]
		for i, e := range n.elems {
			h := c.hits(e.atom)
			a, _ := slices.BinarySearch(h, lo)
			b, _ := slices.BinarySearch(h, hi)
			if a == b {
				lists = nil
				break
			}
			lists[i] = h[a:b]
		}
		if lists == nil {
			continue
		}
		// Sweep: the window from the smallest current position to the
		// largest, advancing the smallest.
		var parr [8]int
		ptr := parr[:0]
		if len(lists) > len(parr) {
			ptr = make([]int, 0, len(lists))
		}
		ptr = ptr[:len(lists)]
		for {
			minI, mn, mx := 0, lists[0][ptr[0]], lists[0][ptr[0]]
			for i, l := range lists {
				p := l[ptr[i]]
				if p < mn {
					minI, mn = i, p
				}
				mx = max(mx, p)
			}
			if mx-mn <= int32(n.prox+len(n.elems)-1) { // at most prox other words in the window
				found = true
				if out == nil {
					return true
				}
				for i, l := range lists {
					*out = append(*out, ival{l[ptr[i]], l[ptr[i]]})
				}
			}
			if ptr[minI]++; ptr[minI] == len(lists[minI]) {
				break
			}
		}
	}
	return found
}

// occurrences returns where a positional operand (a term, an alias or an
// OR of them) matches.
func (c *evalCtx) occurrences(n node) []ival {
	var ivs []ival
	switch n := n.(type) {
	case *termNode:
		if n.prox >= 0 {
			// A window counts from its first to its last word.
			var words []ival
			c.prox(n, &words)
			for i := 0; i+len(n.elems) <= len(words); i += len(n.elems) {
				w := ival{words[i].s, words[i].e}
				for _, x := range words[i : i+len(n.elems)] {
					w.s, w.e = min(w.s, x.s), max(w.e, x.e)
				}
				ivs = append(ivs, w)
			}
			return ivs
		}
		c.term(n, &ivs)
	case *aliasNode:
		return c.occurrences(n.x)
	case *orNode:
		for _, x := range n.xs {
			ivs = append(ivs, c.occurrences(x)...)
		}
	}
	return ivs
}

// near reports whether every operand occurs in the same field as an
// occurrence of the first, with at most dist words between them.
func (c *evalCtx) near(n *nearNode) bool {
	ops := make([][]ival, len(n.xs))
	for i, x := range n.xs {
		if ops[i] = c.occurrences(x); len(ops[i]) == 0 {
			return false
		}
	}
	found := false
	var used []ival
	for _, a := range ops[0] {
		fa, _, _ := c.d.field(a.s)
		ok := true
		near := []ival{a}
		for _, op := range ops[1:] {
			hit := false
			for _, b := range op {
				if fb, _, _ := c.d.field(b.s); fb == fa && max(b.s-a.e, a.s-b.e) <= int32(n.dist)+1 { // at most dist words between
					hit = true
					near = append(near, b)
					if !c.collect {
						break
					}
				}
			}
			if !hit {
				ok = false
				break
			}
		}
		if ok {
			found = true
			if !c.collect {
				return true
			}
			used = append(used, near...)
		}
	}
	c.record(used)
	return found
}

// record appends the spans of runs of positions.
func (c *evalCtx) record(ivs []ival) {
	for _, iv := range ivs {
		f, start, end := c.d.orig(iv.s, iv.e)
		c.spans = append(c.spans, Span{Field: f, Start: start, End: end})
	}
}

// tidy sorts spans and merges overlapping ones.
func tidy(spans []Span) []Span {
	if len(spans) == 0 {
		return nil
	}
	out := slices.Clone(spans)
	slices.SortFunc(out, func(a, b Span) int {
		if a.Field != b.Field {
			return int(a.Field) - int(b.Field)
		}
		return a.Start - b.Start
	})
	n := 0
	for _, sp := range out[1:] {
		if last := &out[n]; sp.Field == last.Field && sp.Start <= last.End {
			last.End = max(last.End, sp.End)
			continue
		}
		n++
		out[n] = sp
	}
	return out[:n+1]
}

// maxRegexpSpans bounds the spans one regular expression records.
const maxRegexpSpans = 100

// regexp matches a regular expression against the original fields.
func (c *evalCtx) regexp(n *regexpNode) bool {
	found := false
	for f, s := range []string{c.d.item.Title, c.d.item.Text} {
		if n.in&(inTitle<<f) == 0 {
			continue
		}
		if !c.collect {
			if n.re.MatchString(s) {
				return true
			}
			continue
		}
		for _, m := range n.re.FindAllStringIndex(s, maxRegexpSpans) {
			found = true
			if m[1] > m[0] {
				c.spans = append(c.spans, Span{Field: Field(f), Start: m[0], End: m[1]})
			}
		}
	}
	return found
}
