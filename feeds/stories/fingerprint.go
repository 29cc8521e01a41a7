package stories

import (
	"bytes"
	"math/bits"
	"time"

	"github.com/wirewatch/wirewatch/feeds/stories/internal/hashsort"
	"github.com/wirewatch/wirewatch/feeds/stories/internal/tables"
	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// fingerprint is what Similar keeps and compares of one item: 32-bit hashes,
// the sketches and keys sorted.
type fingerprint struct {
	sketch  []uint32 // bottom-k sketch of the word 3-shingles of title and text
	quotes  []uint32 // bottom-k sketch of the shingles inside quotation marks
	keys    []uint32 // match keys of the title and lead words, names and numbers
	kinds   []uint8  // of each key: keyName (a name or number), keyTitle (in the title), keyLead (in the lead)
	words   int      // words of the text
	lang    uint8    // the language most of its function words belong to
	ahead   uint8    // words that look ahead in its title and opening (aheadWords)
	date    uint16   // the first date its title and opening write (dateWords), as a day of the year; 0: none
	src     uint32   // hash of the outlet (Source, else Feed)
	anchors []uint32 // keys the index finds the item by: names, numbers, title words
	bands   []uint32 // LSH band keys of a one-permutation MinHash
}

// fpParams are the fingerprint's sizes.
type fpParams struct {
	sketch, quotes int // bottom-k sizes
	bands, rows    int // LSH banding over bands×rows one-permutation bins
	lead           int // words of the text that count as its lead
	body           int // words of the text whose words are keys, names or not (at least lead)
	maxNames       int // names and numbers kept per item, in order of appearance
	maxAnchors     int // anchors kept per item
}

// scratch holds the buffers of fingerprinting, reused between items.
type scratch struct {
	// pub is the publication date of the item fingerprinted (zero: not
	// known): its own day in its text ("MOSCOW, November 23. /TASS/.") is
	// the dateline every report of that day carries, not evidence.
	pub     time.Time
	z       lex.Tokenizer
	toks    []lex.Token
	hashes  []uint64
	low     []uint32
	sel     []uint32
	bins    []uint32
	orig    []uint32
	lower   []uint64 // open-addressing set of words seen in lower case
	keys    []uint32
	kinds   []uint8
	spk     []bool  // speakers
	months  []uint8 // the month each token names (monthsOf)
	days    []bool  // datelineDays
	dayOf   []uint8 // the month of each token that is a date's day (dateDays)
	pairs   []uint64
	keyTab  []uint64 // open addressing: key<<32 | index+1 into pairs (keySet)
	anchors []uint64
	weights []float64
	members []*record
	side    []*record     // consolidation: one side's members compared
	others  []*storyState // consolidation: the stories of the background
	active  []*storyState // consolidation: the stories of the pass
	cands   []*storyState
	scores  []float64
	sink    uint32      // what touchMembers loaded, so that its loads are not left out
	found   []recordHit // the records an item's keys found (candidates)
	// keyCache remembers the match keys of recent words, by the hash of
	// the folded word (direct-mapped): most words of an item were seen in
	// earlier items, and matchKey's transliteration and skeleton cost more
	// than a lookup.
	keyCache []keyEntry
}

// keyEntry is a word's hash, its match key, and whether that is a
// concept's.
type keyEntry struct {
	h       uint64
	k       uint32
	concept bool
}

// keyCacheSize is the number of entries of scratch.keyCache.
const keyCacheSize = 1 << 15

// matchKey returns the match key of token t, through the cache, and
// whether it is a concept's (lex.Concept).
func (s *scratch) matchKey(t *lex.Token, num bool) (uint32, bool) {
	if s.keyCache == nil {
		s.keyCache = make([]keyEntry, keyCacheSize)
	}
	h := t.H
	if num {
		h = ^h
	}
	e := &s.keyCache[h&(keyCacheSize-1)]
	if e.h != h || h == 0 {
		k := s.z.MatchKey(s.z.Word(t), num)
		concept := false
		if !num {
			k, concept = lex.Concept(s.z.Word(t), t.H, k)
		}
		e.h, e.k, e.concept = h, k, concept
	}
	return e.k, e.concept
}

// fingerprint computes the fingerprint of a title and text into fp, whose
// slices it reuses.
func (s *scratch) fingerprint(title, text string, p *fpParams, fp *fingerprint) {
	s.z.Reset()
	s.toks = s.z.Tokenize(title, s.toks[:0])
	// Each word of a title is a key, and a record counts its keys in 16
	// bits: a title of thousands of words would overflow it.
	s.toks = s.toks[:min(len(s.toks), titleWords)]
	nTitle := len(s.toks)
	s.toks = s.z.Tokenize(text, s.toks)
	fp.date = s.leadDate(s.toks, s.monthsOf(s.toks), nTitle+dateWords) // a dateline's too
	s.toks = s.dropDateline(s.toks, nTitle)
	toks := s.toks

	// Shingles: word 3-grams of title and text (single words when shorter).
	s.hashes = s.hashes[:0]
	quoted := s.sel[:0]
	if len(toks) < 3 {
		for _, t := range toks {
			s.hashes = append(s.hashes, t.H)
		}
	}
	for i := 0; i+2 < len(toks); i++ {
		a, b, c := &toks[i], &toks[i+1], &toks[i+2]
		h := lex.Mix64(a.H ^ bits.RotateLeft64(b.H, 21) ^ bits.RotateLeft64(c.H, 42))
		s.hashes = append(s.hashes, h)
		if a.Flag&b.Flag&c.Flag&lex.TokQuote != 0 && (b.Flag|c.Flag)&lex.TokQBreak == 0 {
			quoted = append(quoted, uint32(h))
		}
	}
	s.low = s.low[:0]
	for _, h := range s.hashes {
		s.low = append(s.low, uint32(h))
	}
	fp.sketch = bottomK(fp.sketch[:0], s.low, p.sketch)
	fp.quotes = bottomK(fp.quotes[:0], quoted, p.quotes)
	s.sel = quoted[:0]
	fp.bands = s.oph(fp.bands[:0], p.bands, p.rows)

	// Keys: the words of the title and the opening (p.body words: the lead,
	// the part summaries share, and what a rewrite moves out of it), and the
	// names and numbers of the whole text. A capitalized word opening
	// a sentence is a name only if the text never has it in lower case.
	s.lowerSet(toks)
	fp.lang = s.lang(toks) // also flags the stop words
	fp.ahead = lex.LookAhead(toks, nTitle+aheadWords)
	spk := s.speakers(toks, nTitle)
	s.keys, s.kinds = s.keys[:0], s.kinds[:0]
	anchors := fp.anchors[:0]
	lead := min(len(toks), nTitle+p.lead)
	body := min(len(toks), nTitle+max(p.lead, p.body))
	names := 0
	dateline := s.datelineDays(toks, s.months)
	dayOf := s.dateDays(toks, s.months)
	for i := range toks {
		t := &toks[i]
		if dateline != nil && dateline[i] {
			continue
		}
		num := t.Flag&lex.TokNum != 0
		m := int(s.months[i])
		num = num || m > 0
		// In a script without case (Persian, Arabic, Hindi, Chinese) any word
		// may be a name: transliterated, it meets the names of other reports.
		caseless := t.Flag&(lex.TokCap|lex.TokLower|lex.TokNum) == 0
		name := num || i >= nTitle && (t.Flag&lex.TokCap != 0 || caseless)
		if i >= body && (!name || names >= p.maxNames) {
			continue
		}
		if !num && t.Flag&lex.TokStop != 0 {
			continue
		}
		if name && !num && t.Flag&lex.TokStart != 0 && s.seenLower(t.H) {
			name = false
			if i >= body {
				continue
			}
		}
		var k uint32
		switch {
		case dayOf[i] > 0:
			d, _ := s.twoDigits(toks, i)
			k = dateKey(int(dayOf[i]), d) // "12" of "12 February": the date, not any 12
		case m > 0:
			k = monthKey(m) // "February", "февраля": one key, a number's
		case num && lex.RoundNumber(toks, i, &s.z):
			k = s.z.MatchKey(bytes.TrimRight(s.z.Word(t), "0"), true)
		default:
			var concept bool
			k, concept = s.matchKey(t, num)
			if name && caseless && concept {
				// A word of the news with its translations is no name
				// (in a script with case, it is not capitalized).
				name = false
				if i >= body {
					continue
				}
			}
		}
		var kind uint8
		if name {
			names++
			kind |= keyName
		}
		if i < nTitle {
			kind |= keyTitle
		} else if i < lead {
			kind |= keyLead
		}
		if name && spk[i] {
			kind |= keySpeaker
		}
		s.keys = append(s.keys, k)
		s.kinds = append(s.kinds, kind)
		if (name || i < nTitle) && len(anchors) < p.maxAnchors {
			anchors = append(anchors, k)
		}
	}
	fp.keys, fp.kinds = s.keySet(fp.keys[:0], fp.kinds[:0])
	fp.anchors = anchors
	fp.words = len(toks) - nTitle
}

// Kinds of keys.
const (
	keyName    uint8 = 1 << iota // a name or a number somewhere in the text
	keyTitle                     // a word of the title
	keyLead                      // a word of the text's lead (its first leadWords)
	keySpeaker                   // a name next to a word of attribution in the text's opening: who spoke

	keyKinds = 4 // the number of kinds
)

// keySet appends the distinct keys of s.keys to keys, sorted, and the union
// of each one's kinds to kinds.
// The keys are made distinct first (a text repeats its words and names),
// through an open-addressing table of their places in pairs, so that only
// the distinct ones are sorted.
func (s *scratch) keySet(keys []uint32, kinds []uint8) ([]uint32, []uint8) {
	pairs := s.pairs[:0]
	s.keyTab = tables.Open(s.keyTab, 2*len(s.keys))
	tab := s.keyTab
	logSlots, mask := uint(bits.TrailingZeros(uint(len(tab)))), uint64(len(tab)-1)
	for i, k := range s.keys {
		for j := tables.SlotHash(k, logSlots); ; j = (j + 1) & mask {
			e := tab[j]
			if e == 0 {
				pairs = append(pairs, uint64(k)<<8|uint64(s.kinds[i]))
				tab[j] = uint64(k)<<32 | uint64(len(pairs))
				break
			}
			if uint32(e>>32) == k {
				pairs[uint32(e)-1] |= uint64(s.kinds[i])
				break
			}
		}
	}
	hashsort.Sort(pairs) // keys are hashes: in the bits above a key's kinds
	for _, p := range pairs {
		keys = append(keys, uint32(p>>8))
		kinds = append(kinds, uint8(p))
	}
	s.pairs = pairs
	return keys, kinds
}

// lang returns the script most of toks's words are written in when it
// has no function words listed (Chinese, Arabic, Devanagari, Bengali: each
// script one language), else the language most of its function words
// belong to, else Greek by its script, else lex.LangOther. A Turkish or a
// Hindi report is not English for the English words it quotes.
func (s *scratch) lang(toks []lex.Token) uint8 {
	var n [16]int
	cjk, greek, arab, deva, beng, words := 0, 0, 0, 0, 0, 0
	for i := range toks {
		t := &toks[i]
		if t.Flag&lex.TokNum != 0 {
			continue
		}
		words++
		if info := lex.Info(t.H); info != 0 {
			if info&lex.InfoStop != 0 {
				t.Flag |= lex.TokStop
			}
			if info&lex.InfoSay != 0 {
				t.Flag |= lex.TokSay
			}
			if info&lex.InfoDay != 0 {
				t.Flag |= lex.TokStop // a day of the week: no name, no key of its own
			}
			for m := info & lex.InfoLangs; m != 0; m &= m - 1 {
				n[bits.TrailingZeros32(m)]++
			}
		}
		if w := s.z.Word(t); len(w) > 0 {
			switch c := w[0]; {
			case c < 0x80: // ASCII, the commonest: none of the scripts below
			case c == 0xCE || c == 0xCF:
				greek++
			case c >= 0xE3 && c <= 0xE9:
				cjk++
			case c >= 0xD8 && c <= 0xDB:
				arab++
			case c == 0xE0 && len(w) > 1 && (w[1] == 0xA4 || w[1] == 0xA5):
				deva++
			case c == 0xE0 && len(w) > 1 && (w[1] == 0xA6 || w[1] == 0xA7):
				beng++
			}
		}
	}
	switch {
	case 3*cjk > words:
		return lex.LangCJK
	case 3*arab > words:
		return lex.LangArab
	case 3*deva > words:
		return lex.LangDeva
	case 3*beng > words:
		return lex.LangBeng
	}
	best := lex.LangOther
	for l := lex.LangEN; l <= lex.LangBG; l++ {
		if n[l] > n[best] {
			best = l
		}
	}
	if best == lex.LangOther && 3*greek > words {
		return lex.LangEL
	}
	return best
}

// dateWords is the opening, in words after the title, in which
// fingerprint.date is the first date written.
const dateWords = 40

// aheadWords is the opening, in words after the title, in which
// fingerprint.ahead counts the words that look ahead.
const aheadWords = 30

// lowerSet fills the set of words that occur with a lower-case first letter.
func (s *scratch) lowerSet(toks []lex.Token) {
	s.lower = tables.Open(s.lower, 2*len(toks))
	mask := uint64(len(s.lower) - 1)
	for _, t := range toks {
		if t.Flag&(lex.TokCap|lex.TokNum) != 0 || t.H == 0 {
			continue
		}
		for i := t.H & mask; ; i = (i + 1) & mask {
			if s.lower[i] == t.H {
				break
			}
			if s.lower[i] == 0 {
				s.lower[i] = t.H
				break
			}
		}
	}
}

func (s *scratch) seenLower(h uint64) bool {
	mask := uint64(len(s.lower) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.lower[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}
