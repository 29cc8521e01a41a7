package slack

import (
	"strings"

	"github.com/wirewatch/wirewatch/bot"
)

// highlight is bot.Highlight in mrkdwn; ok is false when no term occurs.
func highlight(text string, terms [][]string, n int) (out string, ok bool) {
	parts := bot.Highlight(text, terms, n)
	return snippetMrkdwn(parts), parts != nil
}

// snippetMrkdwn renders snippet parts: escaped, bold parts between asterisks, and
// no broadcast mention left intact.
func snippetMrkdwn(parts []bot.SnippetPart) string {
	var b strings.Builder
	for _, p := range parts {
		if p.Bold {
			b.WriteString("*" + escapeMarkup(p.Text) + "*")
		} else {
			b.WriteString(escapeMarkup(p.Text))
		}
	}
	return breakBroadcasts(b.String())
}
