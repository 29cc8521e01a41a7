// Package tables holds open-addressing tables for the grouper's hot
// lookups. The index looks up every LSH band and anchor of an item in each
// bucket of its window, and the story count of every key of the item and
// of each member it is compared with; a Go map spends most of that time
// finding its group (several cache misses in a table of a million keys),
// where these find the key in one cache line.
package tables

// SlotHash spreads a key (a hash already, but keys of numbers are all odd)
// over the top bits of the result, for a table of 1<<bits slots or groups.
func SlotHash(k uint32, bits uint) uint64 {
	return uint64(k) * 0x9e3779b97f4a7c15 >> (64 - bits)
}

// KeyIndex maps keys to the latest value set for them (a record's index in
// its bucket). Keys are never removed: a bucket is dropped whole. Slots
// come in groups of eight, one cache line, each slot key<<32 | value+1
// (0: empty); a key is in the first group from its own that has room, so
// a group with an empty slot ends the search.
type KeyIndex struct {
	slots []uint64
	bits  uint   // log2 of the number of groups
	n     int    // keys held
	sink  uint64 // what touch loaded, so that its loads are not left out
}

const groupSlots = 8

// Touch loads the first slot of the group of each key, so that the
// lookups that follow find their groups in cache: these loads, which no
// branch waits on, are all under way at once, where each lookup's branch
// on what it loaded holds the next lookup back (in a table of a million
// keys, most lookups miss the cache and the TLB).
func (t *KeyIndex) Touch(keys []uint32) {
	if t.n == 0 {
		return
	}
	var x uint64
	for _, k := range keys {
		x |= t.slots[SlotHash(k, t.bits)*groupSlots]
	}
	t.sink = x
}

// Get returns the value of key k.
func (t *KeyIndex) Get(k uint32) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots)/groupSlots - 1)
	for g := SlotHash(k, t.bits); ; g = (g + 1) & mask {
		grp := t.slots[g*groupSlots : g*groupSlots+groupSlots]
		for _, e := range grp {
			if e == 0 {
				return 0, false
			}
			if uint32(e>>32) == k {
				return int32(uint32(e)) - 1, true
			}
		}
	}
}

// Set sets the value of key k to v (v ≥ 0).
func (t *KeyIndex) Set(k uint32, v int32) {
	if 8*(t.n+1) > 7*len(t.slots) {
		t.grow()
	}
	if t.put(uint64(k)<<32 | uint64(uint32(v+1))) {
		t.n++
	}
}

// put stores entry e, replacing the entry of its key; it reports whether
// the key is new.
func (t *KeyIndex) put(e uint64) bool {
	k := uint32(e >> 32)
	mask := uint64(len(t.slots)/groupSlots - 1)
	for g := SlotHash(k, t.bits); ; g = (g + 1) & mask {
		grp := t.slots[g*groupSlots : g*groupSlots+groupSlots]
		for i, old := range grp {
			if old == 0 {
				grp[i] = e
				return true
			}
			if uint32(old>>32) == k {
				grp[i] = e
				return false
			}
		}
	}
}

// grow doubles the table (at first, makes it eight groups).
func (t *KeyIndex) grow() {
	old := t.slots
	bits := uint(3)
	if old != nil {
		bits = t.bits + 1
	}
	t.slots, t.bits = make([]uint64, groupSlots<<bits), bits
	for _, e := range old {
		if e != 0 {
			t.put(e)
		}
	}
}

// CountTable maps keys to positive counts (the stories holding each key);
// a key whose count falls to 0 is removed. Linear probing, each slot
// key<<32 | count (0: empty), removal by shifting the entries after it
// back, so that no tombstones build up.
type CountTable struct {
	slots []uint64
	bits  uint // log2 of the number of slots
	n     int  // keys held
}

// Get returns the count of key k, 0 when it has none.
func (t *CountTable) Get(k uint32) int32 {
	if t.n == 0 {
		return 0
	}
	mask := uint64(len(t.slots) - 1)
	for i := SlotHash(k, t.bits); ; i = (i + 1) & mask {
		e := t.slots[i]
		if e == 0 {
			return 0
		}
		if uint32(e>>32) == k {
			return int32(uint32(e))
		}
	}
}

// Add adds d to the count of key k, removing the key when the count is no
// longer positive; it returns the new count.
func (t *CountTable) Add(k uint32, d int32) int32 {
	if t.slots == nil {
		if d <= 0 {
			return 0
		}
		t.slots, t.bits = make([]uint64, 64), 6
	}
	mask := uint64(len(t.slots) - 1)
	i := SlotHash(k, t.bits)
	for ; t.slots[i] != 0; i = (i + 1) & mask {
		e := t.slots[i]
		if uint32(e>>32) != k {
			continue
		}
		n := int32(uint32(e)) + d
		if n > 0 {
			t.slots[i] = uint64(k)<<32 | uint64(uint32(n))
		} else {
			t.remove(i)
		}
		return max(n, 0)
	}
	if d <= 0 {
		return 0
	}
	t.slots[i] = uint64(k)<<32 | uint64(uint32(d))
	if t.n++; 4*t.n > 3*len(t.slots) {
		t.grow()
	}
	return d
}

// remove empties slot i and moves back the entries after it that may
// take its place.
func (t *CountTable) remove(i uint64) {
	mask := uint64(len(t.slots) - 1)
	t.n--
	for j := (i + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		home := SlotHash(uint32(t.slots[j]>>32), t.bits)
		// The entry at j may move to i unless its home is in (i, j].
		if (j-home)&mask >= (j-i)&mask {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = 0
}

// grow doubles the table.
func (t *CountTable) grow() {
	old := t.slots
	t.bits++
	t.slots = make([]uint64, 1<<t.bits)
	mask := uint64(len(t.slots) - 1)
	for _, e := range old {
		if e == 0 {
			continue
		}
		i := SlotHash(uint32(e>>32), t.bits)
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = e
	}
}

// Len returns the number of keys held.
func (t *CountTable) Len() int { return t.n }
