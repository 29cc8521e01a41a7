package feeds

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/mmcdole/gofeed"
)

// Entries unchanged since the last poll. A feed that changed is fetched
// whole, and most of its entries are the ones the last poll stored: Parse
// is given their digests (the last Parsed.Digests) and does not normalize
// an entry whose digest is among them, for its item would come out as it
// is stored, and an item stored unchanged is passed over (its ID and
// content hash are all the ingest compares).

// digestSeed seeds the digests: they are compared within one process only.
var digestSeed = maphash.MakeSeed()

// digest is an entry's digest: of its GUID (its item's ID) and the fields
// its item's title, text and content hash are made of.
func digest(entry *gofeed.Item) uint64 {
	var h maphash.Hash
	h.SetSeed(digestSeed)
	var n [8]byte
	for _, s := range [...]string{entry.GUID, entry.Title, entry.Description, entry.Content} {
		h.Write(binary.LittleEndian.AppendUint64(n[:0], uint64(len(s))))
		h.WriteString(s)
	}
	return h.Sum64()
}

// unchanged reports whether an entry of digest d, whose GUID is guid, is
// one the last poll stored: among sums (sorted), and with a GUID not met
// earlier in the document (an entry known by its link or text, or one
// whose ID an earlier entry took, is normalized as before).
func unchanged(sums []uint64, d uint64, guid string, seen map[string]bool) bool {
	if guid == "" || seen[guid] {
		return false
	}
	_, ok := slices.BinarySearch(sums, d)
	return ok
}
