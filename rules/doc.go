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
	folded [2]string       // the title and the text, folded
	offs   [2]text.Offsets // their offsets in the original
	toks   []text.Span     // every token in folded, the title's then the text's
	split  int32           // toks[:split] are the title's
	meta   []string        // atom keys of the item's outlet, feed and tags
	lang   string          // detected language, when Item.Lang is empty
	detect sync.Once
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
	d.folded[0], d.offs[0] = text.FoldOffsets(it.Title)
	d.folded[1], d.offs[1] = text.FoldOffsets(it.Text)
	d.toks = text.AppendSpans(d.folded[0], make([]text.Span, 0, (len(d.folded[0])+len(d.folded[1]))/5+8))
	d.split = int32(len(d.toks))
	d.toks = text.AppendSpans(d.folded[1], d.toks)
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

// tagPrefix begins the atom key of a tag: metaKey("tag", t) is tagPrefix + t.
const tagPrefix = "mtag:"

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
		return d.folded[0][t.Start:t.End]
	}
	return d.folded[1][t.Start:t.End]
}

// orig returns the byte range in the original field of the tokens at
// positions from to to (inclusive), which are in one field.
func (d *Doc) orig(from, to int32) (f Field, start, end int) {
	if from >= d.split {
		f = Text
	}
	return f, d.offs[f].Orig(int(d.toks[from].Start)), d.offs[f].Orig(int(d.toks[to].End))
}

// original returns the token at position pos as written.
func (d *Doc) original(pos int32) string {
	f, start, end := d.orig(pos, pos)
	if f == Title {
		return d.item.Title[start:end]
	}
	return d.item.Text[start:end]
}

// Tokens returns the number of tokens in the item, for tests and metrics.
func (d *Doc) Tokens() int { return len(d.toks) }
