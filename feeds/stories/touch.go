package stories

// touchMembers loads the start of the sketch, the keys and the kind sets
// of every member the item will be compared with, before it is compared
// with any: members lie anywhere in the heap, and each comparison's work
// between its loads keeps the processor from reaching the next member's,
// where a pass of loads alone has them all under way at once.
func (g *Similar) touchMembers(cands []*storyState) {
	var x uint32
	for _, st := range cands {
		for _, r := range g.compared(st) {
			f := r.feats
			keys := int(r.nSk + r.nQ)
			kinds := keys + int(r.nK)
			if kinds < len(f) {
				x |= f[0] | f[keys] | f[kinds]
			}
		}
	}
	g.sc.sink = x
}

// touchHits loads the records found and their stories before the
// stories' weights are summed: they lie anywhere in the heap, and a pass
// of loads alone has them all under way at once (touchMembers).
func touchHits(found []recordHit) uint64 {
	var x uint64
	for _, h := range found {
		x |= uint64(h.r.pub)
	}
	for _, h := range found {
		x |= uint64(h.r.st.id)
	}
	return x
}
