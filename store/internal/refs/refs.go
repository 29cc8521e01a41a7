// Package refs keeps what a transaction knows of which items are stored,
// looked up for a batch of items in one query: an ingest asked the store
// about each item of a poll in a statement of its own.
package refs

import (
	"encoding/json"
	"strings"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// Ref is a stored item: its feed and ID, its row, its story and the hash
// of its content.
type Ref struct {
	Feed, ID string
	RowID    int64
	StoryID  int64
	Hash     string
}

// Scan reads a Ref from a row of feed, guid, id, story_id and hash.
func Scan(row sqlx.Scanner) (r Ref, err error) {
	err = row.Scan(&r.Feed, &r.ID, &r.RowID, &r.StoryID, &r.Hash)
	return r, err
}

// Set is what a transaction knows: for each item looked up, its Ref, or
// that it is not stored. The zero Set knows nothing.
type Set struct {
	m    map[string]*Ref // by feed and ID; nil: looked up, not stored
	urls map[string]bool // canonical URLs looked up: whether items may have them
}

func key(feed, id string) string { return feed + "\x00" + id }

// Ask returns, as a JSON array of [feed, id] pairs for one query, the
// items the set knows nothing of, and records them as not stored until
// Found says otherwise; "" when there are none.
func (s *Set) Ask(items []*feeds.Item) string {
	if s.m == nil {
		s.m = make(map[string]*Ref, len(items))
	}
	var b strings.Builder
	for _, it := range items {
		k := key(it.Feed, it.ID)
		if _, ok := s.m[k]; ok {
			continue
		}
		s.m[k] = nil
		pair, _ := json.Marshal([2]string{it.Feed, it.ID}) // strings always marshal
		if b.Len() == 0 {
			b.WriteByte('[')
		} else {
			b.WriteByte(',')
		}
		b.Write(pair)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteByte(']')
	return b.String()
}

// AskURLs returns, as a JSON array for one query, the items' canonical
// URLs the set knows nothing of, and records them as no item's until
// HasURL says otherwise; "" when there are none.
func (s *Set) AskURLs(items []*feeds.Item) string {
	if s.urls == nil {
		s.urls = make(map[string]bool, len(items))
	}
	var urls []string
	for _, it := range items {
		if _, ok := s.urls[it.URL]; !ok && it.URL != "" {
			s.urls[it.URL] = false
			urls = append(urls, it.URL)
		}
	}
	if len(urls) == 0 {
		return ""
	}
	b, _ := json.Marshal(urls) // strings always marshal
	return string(b)
}

// HasURL records that items may have these canonical URLs (the lookup's
// answer, or items added since), while the set knows of URLs.
func (s *Set) HasURL(urls ...string) {
	if s.urls == nil {
		return
	}
	for _, u := range urls {
		s.urls[u] = true
	}
}

// NoURL reports whether no item has the canonical URL, as far as the set
// knows (false when it never looked the URL up).
func (s *Set) NoURL(url string) bool {
	has, known := s.urls[url]
	return known && !has
}

// Found records stored items (the lookup's answer, or items added or
// revised since); it does nothing while the set knows nothing, so that
// only transactions that look items up keep one.
func (s *Set) Found(rs ...Ref) {
	if s.m == nil {
		return
	}
	for _, r := range rs {
		s.m[key(r.Feed, r.ID)] = &r
	}
}

// Get returns what the set knows of an item: known, and stored (a Ref)
// or not (nil); not known when it was never looked up.
func (s *Set) Get(feed, id string) (r *Ref, known bool) {
	r, known = s.m[key(feed, id)]
	return r, known
}

// Moved records that the items of story from moved to story into.
func (s *Set) Moved(from, into int64) {
	for _, r := range s.m {
		if r != nil && r.StoryID == from {
			r.StoryID = into
		}
	}
}

// Forget drops what the set knows (items moved one by one, a failed
// lookup).
func (s *Set) Forget() { s.m, s.urls = nil, nil }
