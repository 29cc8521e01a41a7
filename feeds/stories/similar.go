package stories

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories/internal/tables"
)

// SimilarOptions tune a Similar grouper. Zero fields take the defaults
// given; the defaults were chosen on a labelled set of real coverage (see
// README.md) and are meant to be left alone.
type SimilarOptions struct {
	// Window is how long after a story's latest item a new item may still
	// join it. Default 72h.
	Window time.Duration
	// Threshold is the probability (score.go) at which an item reports a
	// story's event and joins it. Default 0.45.
	Threshold float64
	// SketchSize is the number of shingle hashes kept per item (bottom-k),
	// at most 4096. Default 64.
	SketchSize int
	// Bands and Rows shape the LSH index: Bands keys per item, each over
	// Rows one-permutation MinHash bins. Default 26×3.
	Bands, Rows int
	// Capacity is the most items the index holds; past it, the buckets
	// (slices of item dates) least recently searched or added to go.
	// Default 200,000.
	Capacity int
}

// Defaults of SimilarOptions.
const (
	DefaultWindow     = 72 * time.Hour
	DefaultThreshold  = 0.45
	DefaultSketchSize = 64
	DefaultBands      = 26
	DefaultRows       = 3
	DefaultCapacity   = 200_000
)

// Fixed sizes, not worth an option.
const (
	quoteSketch   = 32  // bottom-k size of the quoted-passage sketch
	leadWords     = 96  // words of a text that count as its lead
	bodyWords     = 128 // words of a text whose words are all keys (its lead and what a rewrite moves out of it)
	maxNames      = 96  // names and numbers kept per item
	titleWords    = 64  // words of a title read: past them, a feed has put its text in the title
	maxAnchors    = 32  // keys an item is indexed under
	queryAnchors  = 24  // rarest keys an item looks up
	maxCandidates = 5   // stories scored per item, those found by the most
	bandHit       = 4   // weight of an LSH band found, against a key's
	maxMembers    = 8   // story members an item is compared with
	dfMembers     = 32  // story members searched to keep counts per story
	bucketsPerWin = 3   // index buckets per window: loading and eviction take whole buckets
)

// Similar groups near-duplicate items: re-reports of one article with their
// own headline, lead and choice of quotations join the article's story;
// other stories about the same people stay apart. It is safe for concurrent
// use.
//
// Each item is fingerprinted once (fingerprint.go): a bottom-k sketch of its
// word 3-shingles, one of the shingles inside quotation marks, and its keys:
// the words of its title and lead and the names and numbers of its text,
// transliterated and reduced to a consonant skeleton so that "Кабулова" and
// "Kabulov" match. Candidates come from an index of the window: LSH bands
// over a one-permutation MinHash of the shingles (light rewrites) and the
// item's rarest keys (rewrites and summaries that share little text). Each
// candidate story is verified exactly (score.go): the cosine of the key
// vectors weighted by rarity (1/stories holding a key, smoothed; numbers
// count three times), plus the containment of the smaller shingle set in
// the larger, plus half the containment of the quoted passages. Why these:
// re-reports keep names, numbers and quotations and rewrite the rest, and a
// different statement of the same envoy shares his name but not the rare
// words and numbers of the event. Summaries share hardly any text, so the
// keys carry them; full texts add the copied passages.
//
// An item joins the best story that it matches at Threshold, and only if it
// matches the story's core (its earliest indexed item) or most of its items:
// matching the latest addition alone would let a story drift. See README.md
// for the figures behind these choices.
//
// Time is the items' own: an item may join a story whose items are dated
// within Window of its own date, before or after it. The index is kept in
// buckets of item dates; when an item's dates [date−Window, date+Window]
// reach buckets not loaded yet, Assign loads the stored items of those dates
// through Lookup.ItemsBetween, so an archive feed, a new feed's backlog and
// the first items after a restart meet their stored coverage. Past Capacity
// items, the least recently used buckets go.
type Similar struct {
	mu      sync.Mutex
	opts    SimilarOptions
	p       fpParams
	buckets []*bucket // ascending by start
	stories map[int64]*storyState
	byID    map[uint64]*record
	df      tables.CountTable // stories holding each key
	live    int               // items indexed
	tick    uint64            // counts calls, for the buckets' last use
	// passTick is the tick when the last consolidation pass ended: the
	// buckets used since are this ingest's.
	passTick uint64

	tune tuning
	sc   scratch
	// The fingerprint of the item last assigned, for Added to reuse.
	last   *feeds.Item
	lastID uint64
	lastFP fingerprint
	q      *query    // the query scored: qItem, or a record's (recordQuery)
	qItem  query     // the item being assigned
	hits   storyHits // candidate stories, by the weight of the keys found
	cand   []candidate
	joins  []int64 // other stories the item last assigned links to the one chosen
	// near are the other stories the item last assigned came close to,
	// chosen the one it joins; Added checks whether, with the item, they
	// link (linkNear).
	near   []nearStory
	chosen int64
	rfp    fingerprint   // a record's fingerprint, to score it as a query
	xcands []*storyState // the candidates of the item last assigned
	others []*storyState
	// Consolidation (consolidate.go): the stories touched since the last
	// pass, those the pass looks at, the pair scores of the pass, and the
	// pairs that may not be merged.
	touched  []*storyState
	active   map[*storyState]bool
	pairs    map[pairKey]pairScore
	declined map[pairKey]bool
	overlaps map[uint64]map[uint64]sketchOverlap // of record pairs by record.seq (recordOverlaps)
	recent   []*recordQ                          // queries of records made by NextJoin calls, a ring (recordQuery)
	made     int                                 // queries of records made into recent
	call     uint64                              // counts NextJoin calls, naming the queries of recent
	inCall   bool                                // a NextJoin call is under way
	records  uint64                              // records made, for record.seq (Reset too keeps counting)
}

var _ OnDemand = (*Similar)(nil) // and a Consolidator (consolidate.go)

// candidate is a story found for an item, with the weight of what found it.
type candidate struct {
	st    *storyState
	score float64
}

// NewSimilar returns a Similar grouper; zero options take their defaults.
func NewSimilar(opts SimilarOptions) *Similar {
	if opts.Window <= 0 {
		opts.Window = DefaultWindow
	}
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.SketchSize <= 0 {
		opts.SketchSize = DefaultSketchSize
	}
	opts.SketchSize = min(opts.SketchSize, 4096)
	if opts.Bands <= 0 || opts.Rows <= 0 {
		opts.Bands, opts.Rows = DefaultBands, DefaultRows
	}
	if opts.Capacity <= 0 {
		opts.Capacity = DefaultCapacity
	}
	return &Similar{
		opts: opts,
		p: fpParams{
			sketch: opts.SketchSize, quotes: quoteSketch,
			bands: opts.Bands, rows: opts.Rows,
			lead: leadWords, body: bodyWords, maxNames: maxNames, maxAnchors: maxAnchors,
		},
		tune:    newTuning(),
		stories: make(map[int64]*storyState),
		byID:    make(map[uint64]*record),
	}
}

// Window implements Loader.
func (g *Similar) Window() time.Duration { return g.opts.Window }

// LoadsOnDemand implements OnDemand.
func (*Similar) LoadsOnDemand() {}

// Reset empties the index, for a rebuild with Load after people corrected
// the grouping (merge, split).
func (g *Similar) Reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.buckets = nil
	g.stories = make(map[int64]*storyState)
	g.byID = make(map[uint64]*record)
	g.df = tables.CountTable{}
	g.live = 0
	g.last, g.lastID = nil, 0
	g.touched, g.active, g.pairs, g.overlaps = nil, nil, nil, nil
}

// Assign implements Grouper: the story of a stored item with the same
// canonical URL, else the best-matching story of the index, else 0.
func (g *Similar) Assign(ctx context.Context, l Lookup, it *feeds.Item) (int64, error) {
	g.mu.Lock()
	g.joins, g.near, g.chosen = g.joins[:0], g.near[:0], 0
	g.mu.Unlock()
	if it.URL != "" {
		id, err := l.StoryByURL(ctx, it.URL, it.Published.Add(-g.opts.Window))
		if err != nil || id != 0 {
			return id, err
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tick++
	pub := it.Published.Unix()
	if err := g.cover(ctx, l, pub); err != nil {
		return 0, err
	}
	fp := g.fingerprint(it)
	return g.best(fp, pub), nil
}

// Added implements Grouper. The story is marked for the next
// consolidation pass, with the candidate stories the item was compared
// with as the stories to compare it with.
func (g *Similar) Added(storyID int64, it *feeds.Item) { g.load(storyID, it, true) }

// Load implements Loader.
func (g *Similar) Load(storyID int64, it *feeds.Item) { g.load(storyID, it, false) }

func (g *Similar) load(storyID int64, it *feeds.Item, added bool) {
	if storyID == 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	assigned := g.last == it && g.lastID == itemID(it)
	if !assigned {
		// The item Assign just placed keeps its tick: the buckets Assign
		// covered are in use until it is added, and no eviction that
		// adding it causes drops them (nor the stories it was compared
		// with, which linkNear and noteAdded need).
		g.tick++
	}
	r := g.add(storyID, it, g.fingerprint(it))
	if assigned && g.chosen != 0 {
		g.linkNear(storyID)
	}
	g.near, g.chosen = g.near[:0], 0
	if added {
		g.noteAdded(storyID, r, assigned)
	}
}

// Forget implements Grouper.
func (g *Similar) Forget(items []*feeds.Item) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, it := range items {
		r := g.byID[itemID(it)]
		if r == nil {
			continue
		}
		delete(g.byID, r.id)
		g.unlink(r)
		r.feats, r.nSk, r.nQ = nil, 0, 0
	}
	clear(g.overlaps) // their sketches are gone
}

// fingerprint returns the item's fingerprint, reusing the last one when
// Added follows Assign for the same item.
func (g *Similar) fingerprint(it *feeds.Item) *fingerprint {
	id := itemID(it)
	if g.last == it && g.lastID == id {
		return &g.lastFP
	}
	g.itemFingerprint(it, &g.lastFP)
	g.last, g.lastID = it, id
	return &g.lastFP
}

// itemFingerprint computes an item's fingerprint into fp: of its title and
// text, its own day in its dateline not counted, and of its outlet.
func (g *Similar) itemFingerprint(it *feeds.Item, fp *fingerprint) {
	g.sc.pub = it.Published
	g.sc.fingerprint(it.Title, it.Text, &g.p, fp)
	g.sc.pub = time.Time{}
	fp.src = sourceHash(it)
}

// best returns the story an item with this fingerprint, dated pub, joins,
// or 0. Candidates are the stories of the items that share an LSH band or
// one of the item's rarest keys with it, inside the window; the most often
// found are scored. The other stories the item came close to are
// remembered (g.near) for Added to check whether they link.
func (g *Similar) best(fp *fingerprint, pub int64) int64 {
	cands := g.candidates(fp, pub)
	g.touchMembers(cands)
	bg := g.background(cands)
	var best *storyState
	top := 0.0
	scores := g.sc.scores[:0]
	for _, st := range cands {
		s := g.storyScore(st, bg)
		scores = append(scores, s)
		if s >= g.threshold() && (s > top || s == top && st.id < best.id) {
			best, top = st, s
		}
	}
	g.sc.scores = scores
	g.xcands = append(g.xcands[:0], cands...)
	if best == nil {
		return 0
	}
	g.chosen = best.id
	for i, st := range cands {
		if st == best {
			continue
		}
		strong := scores[i] >= g.joinThreshold() && top >= g.joinThreshold()
		if strong || len(st.members) == 1 && scores[i] >= g.tune.support*g.threshold() {
			g.near = append(g.near, nearStory{st, strong})
		}
	}
	return best.id
}

// joinThreshold is the score at which an item that two stories would take
// links them (if their cores agree: linkNear).
func (g *Similar) joinThreshold() float64 {
	return max(g.opts.Threshold, g.tune.join)
}

// sketchOverlap compares the query's sketch with a record's, once per
// query and record (a record's query: once per pass, recordOverlaps).
func (g *Similar) sketchOverlap(r *record) sketchOverlap {
	if o, ok := g.q.overlaps[r.seq]; ok {
		return o
	}
	o := g.q.sketchOverlap(r.sketch(), g.opts.SketchSize)
	g.q.overlaps[r.seq] = o
	return o
}

// background returns the shingles of the query's sketch (a bit per entry)
// that two or more of the candidate stories hold: background paragraphs
// and boilerplate that outlets repeat from story to story, which say
// nothing about which event the item reports. Containment leaves them out.
func (g *Similar) background(cands []*storyState) uint64 {
	var once, twice uint64
	if len(cands) < 2 {
		return 0
	}
	for _, st := range cands {
		m := g.storyMask(st)
		twice |= once & m
		once |= m
	}
	return twice
}

// storyMask is the query's sketch entries that st's members compared hold.
func (g *Similar) storyMask(st *storyState) (m uint64) {
	for _, r := range g.compared(st) {
		m |= g.sketchOverlap(r).mask
	}
	return m
}

// backgroundOf is background(others) where scoring story st reads it: in
// the shingles st shares with the query. It compares the other stories'
// sketches only when st shares some, and until they hold all it shares.
func (g *Similar) backgroundOf(st *storyState, others []*storyState) uint64 {
	if len(others) < 2 || !slices.Contains(others, st) {
		return g.background(others)
	}
	own := g.storyMask(st)
	if own == 0 {
		return 0
	}
	var held uint64
	for _, c := range others {
		if c != st {
			if held |= g.storyMask(c); own&^held == 0 {
				return own
			}
		}
	}
	return own & held
}

// storyScore scores the query against a story: the probability that the
// item reports the story's event.
// It is 0 when neither the story's core nor most of its members support
// the item (tuning.support).
func (g *Similar) storyScore(st *storyState, bg uint64) float64 {
	e := g.storyEvidence(st, bg)
	if g.tune.support > 0 && !e.core && !e.majority {
		return 0
	}
	return g.tune.score(&e)
}

// threshold is the pair score an item must reach. A young index knows too
// few stories to tell rare words from common ones, so it asks for more.
func (g *Similar) threshold() float64 {
	return g.opts.Threshold + g.tune.youngIndex/float64(len(g.stories)+1)
}
