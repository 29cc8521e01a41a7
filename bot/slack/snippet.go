package slack

import "github.com/wirewatch/wirewatch/bot"

// snippetMrkdwn renders snippet parts: escaped, bold parts between asterisks, and
// no broadcast mention left intact.
func snippetMrkdwn(parts []bot.SnippetPart) string {
	return breakBroadcasts(bot.MarkSnippet(parts, escapeMarkup, "*", "*"))
}
