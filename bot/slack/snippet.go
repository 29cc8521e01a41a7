package slack

import (
	"strings"

	"github.com/wirewatch/wirewatch/bot"
)

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
