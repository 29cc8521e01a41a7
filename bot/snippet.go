package bot

import (
	"strings"
	"unicode"

	"github.com/wirewatch/wirewatch/bot/internal/words"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/human"
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
type SnippetPart struct {
	Text string // as in the item, white space collapsed; not escaped
	Bold bool
}

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
		if parts := highlightSpans(text, matchedSpans(doc, queries, rules.Text), n); parts != nil {
			return parts
		}
	}
	for _, it := range st.Items {
		if it.Title == st.Title {
			continue // the headline says it already
		}
		doc := rules.NewItem(rules.Item{Title: it.Title, Text: texts[it.URL], Source: it.Source, Feed: it.Feed})
		if parts := highlightSpans(it.Title, matchedSpans(doc, queries, rules.Title), n); parts != nil {
			return parts
		}
	}
	return nil
}

// matchedSpans returns where the queries that match doc match it, in field.
func matchedSpans(doc *rules.Doc, queries []*rules.Query, field rules.Field) []rules.Span {
	var out []rules.Span
	for _, q := range queries {
		for _, sp := range q.Spans(doc) {
			if sp.Field == field {
				out = append(out, sp)
			}
		}
	}
	return out
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
// a prefix) in text. It returns about n runes around the first one, the
// terms in it as bold parts (a phrase, or terms apart only by spaces, as
// one part), or nil when none occurs.
func Highlight(text string, terms [][]string, n int) []SnippetPart {
	runes := []rune(text)
	ws := words.Split(runes)
	toks := words.Stream(ws)
	bold := make([]bool, len(ws))
	first := -1
	for i := range toks {
		for _, term := range terms {
			if i+len(term) > len(toks) {
				continue
			}
			ok := true
			for k, part := range term {
				got := toks[i+k].Text
				if pre, isPrefix := strings.CutSuffix(part, "*"); isPrefix {
					ok = strings.HasPrefix(got, pre)
				} else {
					ok = got == part
				}
				if !ok {
					break
				}
			}
			if !ok {
				continue
			}
			for k := range term {
				bold[toks[i+k].Word] = true
			}
			if first < 0 || toks[i].Word < first {
				first = toks[i].Word
			}
		}
	}
	return window(runes, ws, bold, first, n)
}

// highlightSpans is Highlight with the words that spans (byte ranges of
// text) overlap marked, rather than terms.
func highlightSpans(text string, spans []rules.Span, n int) []SnippetPart {
	if len(spans) == 0 {
		return nil
	}
	runes := []rune(text)
	offs := make([]int, 0, len(runes)+1) // rune index → byte offset
	for i := range text {
		offs = append(offs, i)
	}
	offs = append(offs, len(text))
	// covered[i] counts the bytes before i inside a span: a word overlaps a
	// span when it has such a byte (linear, where testing each word against
	// each span was words × spans).
	depth := make([]int, len(text)+1)
	for _, sp := range spans {
		start, end := max(sp.Start, 0), min(sp.End, len(text))
		if start < end {
			depth[start]++
			depth[end]--
		}
	}
	covered := make([]int, len(text)+1)
	d := 0
	for i := range len(text) {
		d += depth[i]
		covered[i+1] = covered[i]
		if d > 0 {
			covered[i+1]++
		}
	}
	ws := words.Split(runes)
	bold := make([]bool, len(ws))
	first := -1
	for i, w := range ws {
		from, to := offs[w.Start], offs[w.End]
		if covered[to]-covered[from] > 0 {
			bold[i] = true
			if first < 0 {
				first = i
			}
		}
	}
	return window(runes, ws, bold, first, n)
}

// window returns about n runes of the words ws of runes around word
// first, the bold ones as bold parts (bold words apart only by spaces as
// one part), or nil when first < 0.
func window(runes []rune, ws []words.Word, bold []bool, first, n int) []SnippetPart {
	if first < 0 {
		return nil
	}

	// The window: from a word about a third of n before the first match
	// (or the start of its sentence, when nearer) to the last word that
	// ends within n runes of that.
	from := first
	for from > 0 && ws[first].Start-ws[from-1].Start <= n/3 &&
		!strings.ContainsAny(string(runes[ws[from-1].End:ws[from].Start]), ".!?") {
		from--
	}
	to := first
	for to+1 < len(ws) && ws[to+1].End-ws[from].Start <= n {
		to++
	}

	var out []SnippetPart
	add := func(text string, b bool) {
		if text == "" {
			return
		}
		if k := len(out) - 1; k >= 0 && out[k].Bold == b {
			out[k].Text += text
			return
		}
		out = append(out, SnippetPart{Text: text, Bold: b})
	}
	if from > 0 {
		add("…", false)
	} else if head := strings.TrimLeftFunc(string(runes[:ws[0].Start]), unicode.IsSpace); len([]rune(head)) <= 20 {
		add(human.CollapseSpace(head), false) // the opening punctuation
	}
	for i := from; i <= to; i++ {
		w := ws[i]
		if i > from {
			g := human.CollapseSpace(string(runes[ws[i-1].End:w.Start]))
			// Terms apart only by spaces make one bold run.
			add(g, bold[i] && bold[i-1] && strings.TrimSpace(g) == "")
		}
		add(string(runes[w.Start:w.End]), bold[i])
	}
	if to < len(ws)-1 {
		add("…", false)
	} else if tail := strings.TrimRightFunc(string(runes[ws[to].End:]), unicode.IsSpace); len([]rune(tail)) <= 20 {
		add(human.CollapseSpace(tail), false) // the closing punctuation
	}
	return out
}

// MarkSnippet renders a snippet's parts for a chat: each part's text
// through esc (nil: as it is), the Bold ones between open and close.
func MarkSnippet(parts []SnippetPart, esc func(string) string, open, close string) string {
	var b strings.Builder
	for _, p := range parts {
		text := p.Text
		if esc != nil {
			text = esc(text)
		}
		if p.Bold {
			text = open + text + close
		}
		b.WriteString(text)
	}
	return b.String()
}
