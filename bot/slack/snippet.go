package slack

import (
	"strings"
	"unicode"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/rules"
)

// A snippet shows why a story matched: a short piece of one of its items'
// text around the first matched term, every matched term in it in bold.
// Terms are matched as the rules package matches them: on folded tokens
// (case and diacritics ignored), phrases as consecutive tokens, "kabul*"
// as a prefix.

// snippet returns the mrkdwn snippet for a story's alert, or "" when none
// of its items shows a term of the rules it matched.
func (s *Sender) snippet(st *bot.Story, texts map[string]string) string {
	var terms [][]string
	for _, name := range st.Rules {
		q := s.queries[name]
		if q == nil {
			continue
		}
		for _, t := range q.Terms() {
			terms = append(terms, strings.Fields(t))
		}
	}
	if len(terms) == 0 {
		return ""
	}
	// The text of the items first (it says more), then their titles.
	for _, field := range []func(bot.StoryItem) string{
		func(it bot.StoryItem) string { return texts[it.URL] },
		func(it bot.StoryItem) string { return it.Title },
	} {
		for _, it := range st.Items {
			if out, ok := highlight(field(it), terms, snippetLength); ok {
				return out
			}
		}
	}
	return ""
}

// word is one word of a text: its runes [start, end) and the folded
// tokens the matcher sees in it.
type word struct {
	start, end int
	tokens     []string
}

// words splits text into words: runs of letters, digits and marks, with
// apostrophes inside them ("Kabulov's" is one word, token "kabulov").
func words(text []rune) []word {
	var out []word
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
	isApos := func(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }
	start := -1
	for i := 0; i <= len(text); i++ {
		in := i < len(text) && (isWord(text[i]) ||
			start >= 0 && isApos(text[i]) && i+1 < len(text) && isWord(text[i+1]))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			if toks := rules.Tokens(string(text[start:i])); len(toks) > 0 {
				out = append(out, word{start: start, end: i, tokens: toks})
			}
			start = -1
		}
	}
	return out
}

// highlight finds the terms (each its folded words; a word ending in "*" a
// prefix) in text. It returns about n runes around the first one, escaped
// for mrkdwn, every term in it in bold; ok is false when none occurs.
func highlight(text string, terms [][]string, n int) (string, bool) {
	runes := []rune(text)
	ws := words(runes)
	// The token stream, each token with the word it came from.
	type tok struct {
		text string
		word int
	}
	var toks []tok
	for i, w := range ws {
		for _, t := range w.tokens {
			toks = append(toks, tok{t, i})
		}
	}
	bold := make([]bool, len(ws))
	first := -1
	for i := range toks {
		for _, term := range terms {
			if i+len(term) > len(toks) {
				continue
			}
			ok := true
			for k, part := range term {
				got := toks[i+k].text
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
				bold[toks[i+k].word] = true
			}
			if first < 0 || toks[i].word < first {
				first = toks[i].word
			}
		}
	}
	if first < 0 {
		return "", false
	}

	// The window: from a word about a third of n before the first match to
	// the last word that ends within n runes of that.
	from := first
	for from > 0 && ws[first].start-ws[from-1].start <= n/3 {
		from--
	}
	to := first
	for to+1 < len(ws) && ws[to+1].end-ws[from].start <= n {
		to++
	}

	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	} else if head := strings.TrimLeftFunc(string(runes[:ws[0].start]), unicode.IsSpace); len([]rune(head)) <= 20 {
		b.WriteString(escapeMarkup(gap([]rune(head)))) // the opening punctuation
	}
	for i := from; i <= to; i++ {
		w := ws[i]
		if i > from {
			b.WriteString(escapeMarkup(gap(runes[ws[i-1].end:w.start])))
		}
		text := escapeMarkup(string(runes[w.start:w.end]))
		switch {
		case bold[i] && (i == from || !bold[i-1] || !isSpace(runes[ws[i-1].end:w.start])):
			b.WriteString("*" + text)
		default:
			b.WriteString(text)
		}
		if bold[i] && (i == to || !bold[i+1] || !isSpace(runes[w.end:ws[i+1].start])) {
			b.WriteString("*")
		}
	}
	if to < len(ws)-1 {
		b.WriteString("…")
	} else if tail := strings.TrimRightFunc(string(runes[ws[to].end:]), unicode.IsSpace); len([]rune(tail)) <= 20 {
		b.WriteString(escapeMarkup(gap([]rune(tail)))) // the closing punctuation
	}
	return breakBroadcasts(b.String()), true
}

// gap is the text between two words, its white space collapsed to
// single spaces.
func gap(r []rune) string {
	var b strings.Builder
	space := false
	for _, c := range r {
		if unicode.IsSpace(c) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(c)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// isSpace reports whether r is only white space (a bold run may span it).
func isSpace(r []rune) bool {
	return strings.TrimSpace(string(r)) == ""
}
