// Package feeds fetches, parses and normalizes news feeds into Items.
package feeds

import "time"

// Item is one normalized feed entry, the unit every later step works on.
type Item struct {
	Feed      string    // the feed's configured name
	ID        string    // stable identity within the feed: GUID, else canonical URL, else ContentHash of Title and Text
	URL       string    // canonical article URL ("" when the entry has no link)
	Title     string    // plain text, entities decoded, whitespace folded
	Text      string    // plain text of the summary or content
	Source    string    // the outlet: registered domain (see shared/DESIGN.md)
	Published time.Time // the feed's date, else the time first seen
	Dated     bool      // Published came from the feed
	Hash      string    // hash of Title and Text, to notice edits (EditHash; HasHash compares a stored one)
	Credits   []string  // wire agencies the item credits ("tass" for "told TASS"), sorted
	Wire      bool      // Source is a wire agency's own outlet (see WireOf)
	Origin    string    // the independent source the item stands for (see Origin)
}

// Attribute sets Wire and Origin from Source and Credits; Parse does it for
// every item, and whoever builds or changes an Item otherwise calls it.
func (it *Item) Attribute() {
	it.Wire = WireOf(it.Source) != ""
	it.Origin = Origin(it.Source, it.Credits)
}
