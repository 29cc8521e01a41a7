package bot

import (
	"strings"

	"github.com/wirewatch/wirewatch/bot/internal/words"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
)

// A snippet shows why a story matched: a short piece of one of its items'
// text around the first matched word, every matched word in it marked.
// The words are where the rules' queries match the item (Query.Spans: the
// compiled matcher's spans), so inflected names, alias entries, proximity
// and regular expression matches are marked as matched, and a word a NOT
// rules out is not. Adapters render the parts in their markup (Matrix:
// HTML).

// SnippetRunes is about how many runes of text a message's snippet shows.
const SnippetRunes = 240

// SnippetPart is a piece of a snippet: plain text, or matched terms (Bold).
type SnippetPart = words.Part

// Snippet returns about n runes of an item's text (else a title other than
// the headline) around the
// first term of queries, or nil when no item shows one. An item's text is
// read without the clutter that opens some pages (feeds.TrimBoilerplate)
// and without the words that repeat its title or the story's: the snippet
// says what the headline does not.
func Snippet(st *Story, texts map[string]string, queries []*rules.Query, n int) []SnippetPart {
	if len(queries) == 0 {
		return nil
	}
	if parts := spanSnippet(st, texts, queries, n); parts != nil {
		return parts
	}
	// None matches as shown here (a rule matched through its feed's tags or
	// language, which a stored item does not keep): the queries' words
	// wherever they occur.
	var terms [][]string
	for _, q := range queries {
		for _, t := range q.Terms() {
			terms = append(terms, strings.Fields(t))
		}
	}
	if len(terms) == 0 {
		return nil
	}
	// The text of the items first (it says more), then their titles.
	for _, field := range []func(StoryItem) string{
		func(it StoryItem) string {
			return words.DropTitle(words.DropTitle(feeds.TrimBoilerplate(texts[it.URL]), it.Title), st.Title)
		},
		func(it StoryItem) string {
			if it.Title == st.Title {
				return "" // the headline says it already
			}
			return it.Title
		},
	} {
		for _, it := range st.Items {
			if parts := Highlight(field(it), terms, n); parts != nil {
				return parts
			}
		}
	}
	return nil
}

// spanSnippet is Snippet's text (else title) with the words marked where
// the queries match the item, or nil when none matches one as shown.
func spanSnippet(st *Story, texts map[string]string, queries []*rules.Query, n int) []SnippetPart {
	for _, it := range st.Items {
		text := words.DropTitle(words.DropTitle(feeds.TrimBoilerplate(texts[it.URL]), it.Title), st.Title)
		if strings.TrimSpace(text) == "" {
			continue
		}
		doc := rules.NewItem(rules.Item{Title: it.Title, Text: text, Source: it.Source, Feed: it.Feed})
		if parts := words.HighlightSpans(text, words.MatchedSpans(doc, queries, rules.Text), n); parts != nil {
			return parts
		}
	}
	for _, it := range st.Items {
		if it.Title == st.Title {
			continue // the headline says it already
		}
		doc := rules.NewItem(rules.Item{Title: it.Title, Text: texts[it.URL], Source: it.Source, Feed: it.Feed})
		if parts := words.HighlightSpans(it.Title, words.MatchedSpans(doc, queries, rules.Title), n); parts != nil {
			return parts
		}
	}
	return nil
}

// MatchSnippet is the snippet of why st matched rs (the rules that caused
// a message): about SnippetRunes runes of one of its items' text (texts,
// by URL; else its title) around the first of their terms, every term in
// it Bold; nil when no item shows one.
func MatchSnippet(st *Story, texts map[string]string, rs []Rule) []SnippetPart {
	queries := make([]*rules.Query, 0, len(rs))
	for _, r := range rs {
		queries = append(queries, r.Query)
	}
	return Snippet(st, texts, queries, SnippetRunes)
}

// Highlight finds the terms (each its folded words; a word ending in "*"
// a prefix) in text: words.Highlight.
func Highlight(text string, terms [][]string, n int) []SnippetPart {
	return words.Highlight(text, terms, n)
}

// MarkSnippet renders a snippet's parts for a chat: each part's text
// through esc (nil: as it is), the Bold ones between open and close.
func MarkSnippet(parts []SnippetPart, esc func(string) string, open, close string) string {
	return words.Mark(parts, esc, open, close)
}
