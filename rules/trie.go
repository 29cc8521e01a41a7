package rules

// trie is a byte trie over folded words and prefixes. A node's children
// are a dense table indexed by the byte minus the node's lowest child byte,
// so that stepping costs one bounds check, whatever the number of rules.
type trie struct{ nodes []tnode }

// tnode is a node of a trie: the atoms of the words and of the prefixes
// that end there.
type tnode struct {
	lo     byte
	kids   []int32 // node index, 0 for none
	words  []int32
	prefix []int32
}

// add adds the atom a for the word (or prefix) s.
func (t *trie) add(s string, prefix bool, a int32) {
	n := int32(0)
	for i := 0; i < len(s); i++ {
		n = t.child(n, s[i])
	}
	if prefix {
		t.nodes[n].prefix = append(t.nodes[n].prefix, a)
	} else {
		t.nodes[n].words = append(t.nodes[n].words, a)
	}
}

// child returns the child of node n for byte b, adding it if need be.
func (t *trie) child(n int32, b byte) int32 {
	nd := &t.nodes[n]
	switch {
	case len(nd.kids) == 0:
		nd.lo = b
		nd.kids = make([]int32, 1)
	case b < nd.lo:
		kids := make([]int32, int(nd.lo-b)+len(nd.kids))
		copy(kids[nd.lo-b:], nd.kids)
		nd.lo, nd.kids = b, kids
	case int(b-nd.lo) >= len(nd.kids):
		nd.kids = append(nd.kids, make([]int32, int(b-nd.lo)+1-len(nd.kids))...)
	}
	if k := nd.kids[b-nd.lo]; k != 0 {
		return k
	}
	k := int32(len(t.nodes))
	nd.kids[b-nd.lo] = k
	t.nodes = append(t.nodes, tnode{})
	return k
}
