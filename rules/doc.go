package rules

import (
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/text"
)

// Item is what a rule can see of a news item.
type Item struct {
	Title, Text string
	Source      string   // the outlet's domain
	Feed        string   // the feed's configured name
	Tags        []string // the feed's tags
	Lang        string   // the feed's language; "" to detect it from the text
}

// Field names a text field of an item.
type Field uint8

// The text fields, as Span.Field.
const (
	Title Field = iota
	Text
)

// Doc is an item prepared for matching: its text fields folded and
// tokenised once. It is read-only after NewItem and safe for concurrent use.
type Doc struct {
	item   Item
	folded [2]string // the title and the text, folded
	toks   []dtok    // every token, the title's then the text's
	split  int32     // toks[:split] are the title's
	meta   []string  // atom keys of the item's outlet, feed and tags
	lang   string    // detected language, when Item.Lang is empty
	detect sync.Once
}

// dtok is one token of a document: where it is in its field's folded and
// original text.
type dtok struct {
	fs, fe int32 // folded
	os, oe int32 // original
}

// NewDoc prepares a title and a text (any further fields are appended to
// the text) for matching.
func NewDoc(fields ...string) *Doc {
	var it Item
	if len(fields) > 0 {
		it.Title = fields[0]
	}
	if len(fields) > 1 {
		it.Text = strings.Join(fields[1:], "\n\n")
	}
	return NewItem(it)
}

// NewItem prepares an item for matching many rules; it folds and tokenises
// once. A phrase never matches across the title and the text.
func NewItem(it Item) *Doc {
	d := &Doc{item: it}
	var off []int32
	var spans []text.Span
	for f, s := range []string{it.Title, it.Text} {
		if f == 1 {
			d.split = int32(len(d.toks))
		}
		d.folded[f], off = text.FoldOffsets(s, off)
		spans = text.AppendSpans(d.folded[f], spans[:0])
		if d.toks == nil {
			d.toks = make([]dtok, 0, len(spans)+len(it.Text)/6)
		}
		for _, sp := range spans {
			d.toks = append(d.toks, dtok{fs: int32(sp.Start), fe: int32(sp.End), os: off[sp.Start], oe: off[sp.End]})
		}
	}
	if s := text.Fold(strings.TrimSpace(it.Source)); s != "" {
		for {
			d.meta = append(d.meta, metaKey("source", s))
			dot := strings.IndexByte(s, '.')
			if dot < 0 || !strings.Contains(s[dot+1:], ".") {
				break
			}
			s = s[dot+1:]
		}
	}
	if f := text.Fold(strings.TrimSpace(it.Feed)); f != "" {
		d.meta = append(d.meta, metaKey("source", f))
	}
	for _, t := range it.Tags {
		d.meta = append(d.meta, metaKey("tag", text.Fold(strings.TrimSpace(t))))
	}
	return d
}

// metaKey is the atom key of an item's outlet, feed, tag or language.
func metaKey(field, value string) string { return "m" + field + ":" + value }

// language returns the item's language: its feed's, else detected.
func (d *Doc) language() string {
	if d.item.Lang != "" {
		return strings.ToLower(d.item.Lang)
	}
	d.detect.Do(func() { d.lang = detectLang(d) })
	return d.lang
}

// field returns the field of the token at position pos, and the range of
// positions of that field.
func (d *Doc) field(pos int32) (f Field, lo, hi int32) {
	if pos < d.split {
		return Title, 0, d.split
	}
	return Text, d.split, int32(len(d.toks))
}

// token returns the folded token at position pos.
func (d *Doc) token(pos int32) string {
	t := d.toks[pos]
	if pos < d.split {
		return d.folded[0][t.fs:t.fe]
	}
	return d.folded[1][t.fs:t.fe]
}

// original returns the token at position pos as written.
func (d *Doc) original(pos int32) string {
	t := d.toks[pos]
	if pos < d.split {
		return d.item.Title[t.os:t.oe]
	}
	return d.item.Text[t.os:t.oe]
}

// Tokens returns the number of tokens in the item, for tests and metrics.
func (d *Doc) Tokens() int { return len(d.toks) }
