package tables

// Open returns buf as an empty open-addressing table of a power of two
// slots, at least 64 and at least slots.
func Open(buf []uint64, slots int) []uint64 {
	n := 64
	for n < slots {
		n *= 2
	}
	if cap(buf) < n {
		buf = make([]uint64, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}
