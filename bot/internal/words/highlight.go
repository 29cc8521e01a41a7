package words

import (
	"strings"
	"unicode"

	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/rules"
)

// Part is a piece of a snippet: plain text, or matched terms (Bold).
type Part struct {
	Text string // as in the item, white space collapsed; not escaped
	Bold bool
}

// Highlight finds the terms (each its folded words; a word ending in "*"
// a prefix) in text. It returns about n runes around the first one, the
// terms in it as bold parts (a phrase, or terms apart only by spaces, as
// one part), or nil when none occurs.
func Highlight(text string, terms [][]string, n int) []Part {
	runes := []rune(text)
	ws := Split(runes)
	toks := Stream(ws)
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

// HighlightSpans is Highlight with the words that spans (byte ranges of
// text) overlap marked, rather than terms.
func HighlightSpans(text string, spans []rules.Span, n int) []Part {
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
	ws := Split(runes)
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
func window(runes []rune, ws []Word, bold []bool, first, n int) []Part {
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

	var out []Part
	add := func(text string, b bool) {
		if text == "" {
			return
		}
		if k := len(out) - 1; k >= 0 && out[k].Bold == b {
			out[k].Text += text
			return
		}
		out = append(out, Part{Text: text, Bold: b})
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

// Mark renders a snippet's parts for a chat: each part's text
// through esc (nil: as it is), the Bold ones between open and close.
func Mark(parts []Part, esc func(string) string, open, close string) string {
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

// MatchedSpans returns where the queries that match doc match it, in field.
func MatchedSpans(doc *rules.Doc, queries []*rules.Query, field rules.Field) []rules.Span {
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
