package stories

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories/internal/tables"
	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// record is one indexed item.
type record struct {
	st  *storyState
	pub int64  // unix seconds
	id  uint64 // hash of feed and item ID
	// seq is the record's place in the order records were made: a key no
	// other record ever has, as its address is, but without a pointer,
	// so that the collector need not scan the maps keyed by it.
	seq  uint64
	dead bool
	// feats holds the fingerprint's sets back to back: sketch, quotes,
	// keys, then a bit set over the keys for each kind of key (keyName
	// …).
	feats       []uint32
	nSk, nQ, nK uint16
	words       uint16 // words of the text
	lang        uint8
	ahead       uint8  // fingerprint.ahead
	date        uint16 // fingerprint.date
	src         uint32 // hash of the outlet
	// The norms of the key vector, of its names, title words and numbers,
	// when normN stories were indexed.
	norm, nameNorm, titleNorm, numNorm, leadNorm, spkNorm, leadNameNorm float32
	normN                                                               int32
}

func (r *record) sketch() []uint32 { return r.feats[:r.nSk] }
func (r *record) quotes() []uint32 { return r.feats[r.nSk : r.nSk+r.nQ] }
func (r *record) keys() []uint32   { return r.feats[r.nSk+r.nQ : r.nSk+r.nQ+r.nK] }

// kind returns the kinds of the record's key i.
func (r *record) kind(i int) uint8 { return r.kinds().at(i) }

// kindSets are a record's kinds of keys, four bits a key (keyKinds),
// eight keys a word: one load tells a key's kinds.
type kindSets struct {
	bits []uint32
}

// kinds returns the record's kind sets, to read the kinds of many keys.
func (r *record) kinds() kindSets {
	return kindSets{r.feats[int(r.nSk+r.nQ+r.nK):]}
}

// at returns the kinds of key i.
func (s kindSets) at(i int) uint8 {
	return uint8(s.bits[i/8]>>(4*(i%8))) & (1<<keyKinds - 1)
}

// kindWords is the number of words the kinds of n keys take.
func kindWords(n int) int { return (n + 7) / 8 }

// The kinds of a key fill four bits.
var _ [4 - keyKinds]struct{}

// packFeats lays out a fingerprint's sets for a record.
func packFeats(fp *fingerprint) []uint32 {
	nb := kindWords(len(fp.keys))
	feats := make([]uint32, 0, len(fp.sketch)+len(fp.quotes)+len(fp.keys)+nb)
	feats = append(append(append(feats, fp.sketch...), fp.quotes...), fp.keys...)
	bits := feats[len(feats) : len(feats)+nb]
	clear(bits)
	for i, k := range fp.kinds {
		bits[i/8] |= uint32(k) << (4 * (i % 8))
	}
	return feats[:len(feats)+nb]
}

// bucket indexes the items published in one slice of time.
type bucket struct {
	start  int64  // unix seconds
	loaded bool   // holds every stored item of its time (ItemsBetween)
	used   uint64 // the tick it was last searched or added to
	recs   []*record
	lsh    tables.KeyIndex // LSH band key → latest record with it
	keys   tables.KeyIndex // anchor key → latest record with it
}

// storyState is what the index knows of a story.
type storyState struct {
	id      int64
	first   int64     // unix seconds of its earliest item indexed
	latest  int64     // unix seconds of its latest item
	members []*record // in the order they were indexed
	// near are records of the stories its items came close to (a core
	// each), for consolidation; ver counts its changes, touched marks it
	// for the next pass.
	near    []*record
	ver     uint32
	touched bool
}

// add indexes an item of a story and returns its record.
func (g *Similar) add(storyID int64, it *feeds.Item, fp *fingerprint) *record {
	pub := it.Published.Unix()
	id := itemID(it)
	if old := g.byID[id]; old != nil {
		delete(g.byID, id)
		g.unlink(old)
	}
	g.records++
	r := &record{seq: g.records, pub: pub, id: id, nSk: uint16(len(fp.sketch)), nQ: uint16(len(fp.quotes)), nK: uint16(len(fp.keys)),
		words: uint16(min(fp.words, 65535)), lang: fp.lang, ahead: fp.ahead, date: fp.date, src: fp.src}
	r.feats = packFeats(fp)
	g.byID[id] = r

	b := g.bucket(pub)
	b.used = g.tick
	g.live++
	idx := int32(len(b.recs))
	b.recs = append(b.recs, r)
	b.lsh.Touch(fp.bands) // as candidates do
	for _, k := range fp.bands {
		b.lsh.Set(k, idx)
	}
	for _, k := range fp.anchors {
		b.keys.Set(k, idx)
	}

	st := g.stories[storyID]
	if st == nil {
		st = &storyState{id: storyID, first: pub, latest: pub}
		g.stories[storyID] = st
	}
	r.st = st
	g.count(st, r.keys(), 1)
	st.members = append(st.members, r)
	st.first, st.latest = min(st.first, pub), max(st.latest, pub)
	st.ver++
	g.evict()
	return r
}

// count adds d to the story count of each key the story's members do not
// already hold.
func (g *Similar) count(st *storyState, keys []uint32, d int32) {
	for _, k := range keys {
		if storyHas(st, k) {
			continue
		}
		if n := g.df.Add(k, d); int(n) >= len(g.tune.logDF) {
			g.tune.growLogDF(n)
		}
	}
}

// storyHas reports whether a story member (among the first and latest
// dfMembers) holds a key.
func storyHas(st *storyState, k uint32) bool {
	for i, m := range st.members {
		if i >= dfMembers/2 && i < len(st.members)-dfMembers/2 {
			continue
		}
		if _, ok := slices.BinarySearch(m.keys(), k); ok {
			return true
		}
	}
	return false
}

// unlink removes a record from its story and the counts; the buckets skip
// it as dead until they are dropped.
func (g *Similar) unlink(r *record) {
	r.dead = true
	g.live--
	st := r.st
	st.ver++
	if i := slices.Index(st.members, r); i >= 0 {
		st.members = slices.Delete(st.members, i, i+1)
	}
	g.count(st, r.keys(), -1)
	if len(st.members) == 0 {
		delete(g.stories, st.id)
		return
	}
	st.first, st.latest = st.members[0].pub, 0
	for _, m := range st.members {
		st.first, st.latest = min(st.first, m.pub), max(st.latest, m.pub)
	}
}

// bucket returns the bucket for items published at pub, creating it.
func (g *Similar) bucket(pub int64) *bucket {
	width := g.bucketWidth()
	start := pub - mod(pub, width)
	i, found := slices.BinarySearchFunc(g.buckets, start, func(b *bucket, s int64) int {
		switch {
		case b.start < s:
			return -1
		case b.start > s:
			return 1
		}
		return 0
	})
	if found {
		return g.buckets[i]
	}
	b := &bucket{start: start}
	g.buckets = slices.Insert(g.buckets, i, b)
	return b
}

// evict drops the least recently used buckets while the index holds more
// than Capacity items, never one used by the item being assigned or added.
func (g *Similar) evict() {
	for g.live > g.opts.Capacity {
		victim := -1
		for i, b := range g.buckets {
			if b.used < g.tick && (victim < 0 || b.used < g.buckets[victim].used) {
				victim = i
			}
		}
		if victim < 0 {
			return
		}
		g.drop(victim)
	}
}

// drop lets bucket i go, with its items.
func (g *Similar) drop(i int) {
	for _, r := range g.buckets[i].recs {
		if r.dead {
			continue
		}
		delete(g.byID, r.id)
		g.unlink(r)
	}
	g.buckets = slices.Delete(g.buckets, i, i+1)
}

// dropOutside lets go the buckets outside [from, to) that no item has
// used since the last consolidation pass ended: the index then holds, as
// a process started anew would, the windows of this ingest's items, and
// learns its key weights from the stories around them, not from all it
// ever saw.
func (g *Similar) dropOutside(from, to int64) {
	if g.passTick == 0 {
		return // no pass yet: one ingest, or a caller that runs none
	}
	width := g.bucketWidth()
	for i := len(g.buckets) - 1; i >= 0; i-- {
		if b := g.buckets[i]; b.used <= g.passTick && (b.start+width <= from || b.start >= to) {
			g.drop(i)
		}
	}
}

// bucketWidth is the time one bucket spans, in seconds.
func (g *Similar) bucketWidth() int64 {
	return max(int64(g.opts.Window/time.Second)/bucketsPerWin, 1)
}

// cover makes sure the index holds every stored item dated within the
// window of pub: the buckets of [pub−Window, pub+Window] not loaded yet are
// filled from the store, a run of them with one ItemsBetween.
func (g *Similar) cover(ctx context.Context, l Lookup, pub int64) error {
	width := g.bucketWidth()
	win := int64(g.opts.Window / time.Second)
	from := pub - win - mod(pub-win, width)
	var run []*bucket
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		start, end := run[0].start, run[len(run)-1].start+width
		err := l.ItemsBetween(ctx, time.Unix(start, 0), time.Unix(end, 0), func(storyID int64, it *feeds.Item) error {
			if storyID == 0 || g.byID[itemID(it)] != nil {
				return nil // indexed already (Added in this transaction, or before)
			}
			var fp fingerprint
			g.itemFingerprint(it, &fp)
			g.add(storyID, it, &fp)
			return nil
		})
		if err != nil {
			return fmt.Errorf("load stories of %s to %s: %w", time.Unix(start, 0).UTC().Format(time.RFC3339),
				time.Unix(end, 0).UTC().Format(time.RFC3339), err)
		}
		for _, b := range run {
			b.loaded = true
		}
		run = run[:0]
		return nil
	}
	for start := from; start <= pub+win; start += width {
		b := g.bucket(start)
		b.used = g.tick
		if b.loaded {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		run = append(run, b)
	}
	if err := flush(); err != nil {
		return err
	}
	g.dropOutside(from, pub+win+1)
	return nil
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// itemID hashes an item's identity: its feed and ID.
func itemID(it *feeds.Item) uint64 {
	return lex.Mix64(lex.FNV(it.Feed, "\x00", it.ID))
}

// sourceHash hashes an item's outlet (its Source, else its Feed); 0 when
// neither is known.
func sourceHash(it *feeds.Item) uint32 {
	s := it.Source
	if s == "" {
		s = it.Feed
	}
	if s == "" {
		return 0
	}
	return uint32(lex.Mix64(lex.FNV(s))) | 1
}
