package rules

import (
	"github.com/wirewatch/wirewatch/text"
	"slices"
	"strings"
)

// Doc is a news item prepared for matching: its fields tokenised and folded
// once, and indexed by token. It is read-only after NewDoc and safe for
// concurrent use.
type Doc struct {
	fields   [][]int32        // per field, the id of each token in order
	terms    []string         // id → distinct token
	ids      map[string]int32 // distinct token → id
	start    []int32          // id → first index in occ; len(terms)+1 entries
	occ      []loc            // occurrences, grouped by id
	sorted   []string         // distinct tokens in order, for prefix terms
	sortedID []int32          // id of each token in sorted
}

// loc is one occurrence of a token: the field and the position within it.
// Keeping the field lets a later version restrict terms to one field.
type loc struct{ field, pos int32 }

// NewDoc prepares text fields (title, text, …) for matching many queries; it
// tokenises and folds once. A phrase never matches across two fields.
func NewDoc(fields ...string) *Doc {
	d := &Doc{fields: make([][]int32, len(fields))}
	var spans []text.Span
	var count []int32
	for f, s := range fields {
		folded := text.Fold(s)
		spans = text.AppendSpans(folded, spans[:0])
		if d.ids == nil {
			d.ids = make(map[string]int32, len(spans)/2)
		}
		ids := make([]int32, len(spans))
		for i, sp := range spans {
			tok := folded[sp.Start:sp.End]
			id, ok := d.ids[tok]
			if !ok {
				id = int32(len(d.terms))
				d.ids[tok] = id
				d.terms = append(d.terms, tok)
				count = append(count, 0)
			}
			count[id]++
			ids[i] = id
		}
		d.fields[f] = ids
	}

	d.start = make([]int32, len(d.terms)+1)
	for id, c := range count {
		d.start[id+1] = d.start[id] + c
	}
	d.occ = make([]loc, d.start[len(d.terms)])
	next := slices.Clone(d.start[:len(d.terms)])
	for f, ids := range d.fields {
		for pos, id := range ids {
			d.occ[next[id]] = loc{int32(f), int32(pos)}
			next[id]++
		}
	}

	d.sortedID = make([]int32, len(d.terms))
	for i := range d.sortedID {
		d.sortedID[i] = int32(i)
	}
	slices.SortFunc(d.sortedID, func(a, b int32) int { return strings.Compare(d.terms[a], d.terms[b]) })
	d.sorted = make([]string, len(d.terms))
	for i, id := range d.sortedID {
		d.sorted[i] = d.terms[id]
	}
	return d
}

// lookup returns the occurrences of tok.
func (d *Doc) lookup(tok string) ([]loc, bool) {
	id, ok := d.ids[tok]
	if !ok {
		return nil, false
	}
	return d.occ[d.start[id]:d.start[id+1]], true
}

// prefixed returns the range of d.sorted that starts with pre.
func (d *Doc) prefixed(pre string) (lo, hi int) {
	lo, _ = slices.BinarySearch(d.sorted, pre)
	hi = lo
	for hi < len(d.sorted) && strings.HasPrefix(d.sorted[hi], pre) {
		hi++
	}
	return lo, hi
}

// at reports whether element e matches the token at field f, position pos;
// the position must exist.
func (d *Doc) at(e elem, f, pos int) bool {
	tok := d.terms[d.fields[f][pos]]
	if e.prefix {
		return strings.HasPrefix(tok, e.tok)
	}
	return tok == e.tok
}

func (n *wordNode) match(d *Doc) bool {
	_, ok := d.ids[n.tok]
	return ok
}

func (n *prefixNode) match(d *Doc) bool {
	lo, _ := slices.BinarySearch(d.sorted, n.pre)
	return lo < len(d.sorted) && strings.HasPrefix(d.sorted[lo], n.pre)
}

func (n *phraseNode) match(d *Doc) bool {
	// Anchor on the rarest exact word; every word must occur somewhere.
	anchor := -1
	var anchorOcc []loc
	for i, e := range n.elems {
		if e.prefix {
			continue
		}
		occ, ok := d.lookup(e.tok)
		if !ok {
			return false
		}
		if anchor < 0 || len(occ) < len(anchorOcc) {
			anchor, anchorOcc = i, occ
		}
	}
	if anchor >= 0 {
		for _, o := range anchorOcc {
			if n.matchAt(d, int(o.field), int(o.pos)-anchor, anchor) {
				return true
			}
		}
		return false
	}
	// Only prefixes: try every occurrence of every token the first one fits.
	lo, hi := d.prefixed(n.elems[0].tok)
	for _, id := range d.sortedID[lo:hi] {
		for _, o := range d.occ[d.start[id]:d.start[id+1]] {
			if n.matchAt(d, int(o.field), int(o.pos), 0) {
				return true
			}
		}
	}
	return false
}

// matchAt reports whether the phrase occurs in field f from position pos on;
// element skip is known to match already.
func (n *phraseNode) matchAt(d *Doc, f, pos, skip int) bool {
	if pos < 0 || pos+len(n.elems) > len(d.fields[f]) {
		return false
	}
	for i, e := range n.elems {
		if i != skip && !d.at(e, f, pos+i) {
			return false
		}
	}
	return true
}

func (n *notNode) match(d *Doc) bool { return !n.x.match(d) }

func (n *andNode) match(d *Doc) bool {
	for _, x := range n.xs {
		if !x.match(d) {
			return false
		}
	}
	return true
}

func (n *orNode) match(d *Doc) bool {
	for _, x := range n.xs {
		if x.match(d) {
			return true
		}
	}
	return false
}
