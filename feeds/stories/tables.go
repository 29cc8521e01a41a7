package stories

// storyHits sums, for one item, the weight each candidate story is found
// with: the stories in the order first found, and an open-addressing
// table by story id of their places in that list (index+1; 0: empty).
type storyHits struct {
	list  []candidate
	slots []int32
	used  []int32 // slots taken, to empty them for the next item
}

// add adds w to story st's weight.
func (h *storyHits) add(st *storyState, w float64) {
	if 2*(len(h.list)+1) > len(h.slots) {
		h.grow()
	}
	mask := uint64(len(h.slots) - 1)
	s := h.home(st)
	for ; h.slots[s] != 0; s = (s + 1) & mask {
		if c := &h.list[h.slots[s]-1]; c.st == st {
			c.score += w
			return
		}
	}
	h.list = append(h.list, candidate{st: st, score: w})
	h.slots[s] = int32(len(h.list))
	h.used = append(h.used, int32(s))
}

// home returns the slot where the search for story st starts.
func (h *storyHits) home(st *storyState) uint64 {
	return uint64(st.id) * 0x9e3779b97f4a7c15 >> 32 & uint64(len(h.slots)-1)
}

// reset empties the table for the next item.
func (h *storyHits) reset() {
	for _, s := range h.used {
		h.slots[s] = 0
	}
	h.list, h.used = h.list[:0], h.used[:0]
}

// grow doubles the table (at first, makes it 1024 slots).
func (h *storyHits) grow() {
	h.slots = make([]int32, max(2*len(h.slots), 1024))
	mask := uint64(len(h.slots) - 1)
	h.used = h.used[:0]
	for i, c := range h.list {
		s := h.home(c.st)
		for h.slots[s] != 0 {
			s = (s + 1) & mask
		}
		h.slots[s] = int32(i + 1)
		h.used = append(h.used, int32(s))
	}
}
