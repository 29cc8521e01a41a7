// Package trie is the byte trie a rules.Matcher walks an item's tokens
// through: folded words and prefixes, each leading to the atoms (numbered
// by the Matcher) that they stand for.
package trie

// Trie is a byte trie over folded words and prefixes, built by Add and
// then frozen into flat arrays: a node's children are a dense run of kids
// indexed by the byte minus the node's lowest child byte, so a step costs
// one bounds check whatever the number of rules, and nodes are numbered
// breadth-first so that the levels every token visits stay in cache.
type Trie struct {
	build []bnode // while adding

	nodes []Node
	kids  []int32 // node index, 0 for none
	atoms []int32 // each node's word atoms, then its prefix atoms
}

// bnode is a node while the trie is built.
type bnode struct {
	lo     byte
	kids   []int32
	words  []int32
	prefix []int32
}

// Node is a node of the frozen trie.
type Node struct {
	kids, nkids  int32 // kids[kids:kids+nkids]
	atoms        int32 // atoms[atoms:atoms+nwords] are words', then nprefix prefixes'
	nwords, npre int32
	lo           byte
}

// Add adds the atom a for the word (or prefix) s.
func (t *Trie) Add(s string, prefix bool, a int32) {
	if t.build == nil {
		t.build = []bnode{{}}
	}
	n := int32(0)
	for i := 0; i < len(s); i++ {
		n = t.child(n, s[i])
	}
	if prefix {
		t.build[n].prefix = append(t.build[n].prefix, a)
	} else {
		t.build[n].words = append(t.build[n].words, a)
	}
}

// child returns the child of node n for byte b, adding it if need be.
func (t *Trie) child(n int32, b byte) int32 {
	nd := &t.build[n]
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
	k := int32(len(t.build))
	nd.kids[b-nd.lo] = k
	t.build = append(t.build, bnode{})
	return k
}

// Freeze lays the trie out breadth-first in flat arrays; it takes no
// more atoms after.
func (t *Trie) Freeze() {
	if t.build == nil {
		t.build = []bnode{{}}
	}
	order := []int32{0}
	index := make([]int32, len(t.build)) // build node → frozen node
	for i := 0; i < len(order); i++ {
		for _, k := range t.build[order[i]].kids {
			if k != 0 {
				index[k] = int32(len(order))
				order = append(order, k)
			}
		}
	}
	t.nodes = make([]Node, len(order))
	for i, b := range order {
		bn := &t.build[b]
		fn := &t.nodes[i]
		fn.lo = bn.lo
		fn.kids, fn.nkids = int32(len(t.kids)), int32(len(bn.kids))
		for _, k := range bn.kids {
			if k != 0 {
				k = index[k]
			}
			t.kids = append(t.kids, k)
		}
		fn.atoms, fn.nwords, fn.npre = int32(len(t.atoms)), int32(len(bn.words)), int32(len(bn.prefix))
		t.atoms = append(append(t.atoms, bn.words...), bn.prefix...)
	}
	t.build = nil
}

// Root returns the root node of the frozen trie.
func (t *Trie) Root() *Node { return &t.nodes[0] }

// Step returns the node reached from n by byte b, or nil when there is
// none.
func (t *Trie) Step(n *Node, b byte) *Node {
	j := int32(b) - int32(n.lo)
	if j < 0 || j >= n.nkids {
		return nil
	}
	if k := t.kids[n.kids+j]; k != 0 {
		return &t.nodes[k]
	}
	return nil
}

// Words returns the atoms of the words that end at n.
func (t *Trie) Words(n *Node) []int32 {
	if n.nwords == 0 {
		return nil
	}
	return t.atoms[n.atoms : n.atoms+n.nwords]
}

// Prefixes returns the atoms of the prefixes that end at n.
func (t *Trie) Prefixes(n *Node) []int32 {
	if n.npre == 0 {
		return nil
	}
	return t.atoms[n.atoms+n.nwords : n.atoms+n.nwords+n.npre]
}
