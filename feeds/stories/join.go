package stories

import "slices"

// Joining stories later: the Joiner side of Similar.

// linkNear joins other stories to the story an item was just added to,
// when the item links them, so that the stories formed depend less on the
// order items arrive in:
//   - a lone item the item came close to (support × threshold) that would
//     now, with the item in the story, join it at the join score: a report
//     that came before the report linking it to its story;
//   - a story the item would also have taken at the join score, when its
//     core would join the story and the story's core would join it. An
//     item that scores high against two stories of one topic (a report
//     with another event's background) does not link them alone.
func (g *Similar) linkNear(storyID int64) {
	a := g.stories[storyID]
	if a == nil {
		return
	}
	for _, n := range g.near {
		b := n.st
		if g.stories[b.id] != b || b == a || slices.Contains(g.joins, b.id) {
			continue
		}
		if len(b.members) == 1 && g.wouldJoin(b.members[0], a, g.joinThreshold()) ||
			n.strong && g.wouldJoin(b.members[0], a, g.threshold()) && g.wouldJoin(a.members[0], b, g.threshold()) {
			g.joins = append(g.joins, b.id)
		}
	}
}

// recentQueries is the most queries of records a NextJoin call keeps:
// one story's members compared and the other's.
const recentQueries = 2 * maxMembers

// recordQ is the query made of a record during a NextJoin call.
type recordQ struct {
	r    *record
	call uint64
	fp   fingerprint
	q    query
}

// recordQuery prepares the query (g.q) from an indexed record. A NextJoin
// call scores a story's members against each story near it in turn: the
// query of a record it made is taken again while nothing changed (the
// weights are those of the index, which the call does not change).
func (g *Similar) recordQuery(r *record) {
	fp, q := &g.rfp, &g.qItem
	if g.inCall {
		for _, c := range g.recent {
			if c.r == r && c.call == g.call {
				g.q = &c.q
				return
			}
		}
		if len(g.recent) < recentQueries {
			g.recent = append(g.recent, &recordQ{})
		}
		c := g.recent[g.made%recentQueries]
		g.made++
		c.r, c.call = r, g.call
		fp, q = &c.fp, &c.q
	}
	fp.sketch = append(fp.sketch[:0], r.sketch()...)
	fp.quotes = append(fp.quotes[:0], r.quotes()...)
	fp.keys = append(fp.keys[:0], r.keys()...)
	fp.kinds = fp.kinds[:0]
	for i := range fp.keys {
		fp.kinds = append(fp.kinds, r.kind(i))
	}
	fp.words, fp.lang, fp.ahead, fp.date, fp.src = int(r.words), r.lang, r.ahead, r.date, r.src
	g.prepare(q, fp, r.pub)
	q.overlaps = g.recordOverlaps(r)
}

// wouldJoin reports whether record r, were it a new item, would join story
// st (the story's members other than r).
func (g *Similar) wouldJoin(r *record, st *storyState, bar float64) bool {
	// Background: what the record shares with two of the stories the
	// item was compared with, besides its own.
	others := g.others[:0]
	for _, c := range g.xcands {
		if c != r.st && g.stories[c.id] == c {
			others = append(others, c)
		}
	}
	g.others = others
	return g.recordScore(r, st, others) >= bar
}

// recordScore scores record r, as a new item would be scored, against
// story st; others are the stories whose shared shingles are background.
func (g *Similar) recordScore(r *record, st *storyState, others []*storyState) float64 {
	g.recordQuery(r)
	return g.storyScore(st, g.backgroundOf(st, others))
}

// Joins implements Joiner.
func (g *Similar) Joins() []int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.joins
}

// Merged implements Joiner: the members of story from join story into.
func (g *Similar) Merged(into, from int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	a, b := g.stories[into], g.stories[from]
	if b == nil || a == b {
		return
	}
	if a == nil {
		// The index holds none of into's items (evicted): from's become its.
		delete(g.stories, from)
		b.id = into
		g.stories[into] = b
		g.touch(b)
		return
	}
	// Keys both stories hold were counted twice.
	seen := map[uint32]bool{}
	for _, m := range b.members {
		for _, k := range m.keys() {
			if !seen[k] {
				seen[k] = true
				if storyHas(a, k) && storyHas(b, k) {
					g.df.Add(k, -1)
				}
			}
		}
	}
	for _, m := range b.members {
		m.st = a
	}
	a.members = append(a.members, b.members...)
	for _, r := range b.near {
		if r.st != a {
			addNear(a, r)
		}
	}
	g.touch(a)
	a.first, a.latest = min(a.first, b.first), max(a.latest, b.latest)
	delete(g.stories, from)
}

// nearStory is a story the item last assigned came close to; strong when
// it scored the join score.
type nearStory struct {
	st     *storyState
	strong bool
}
