package slack

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/bot"
)

// replyMessage renders a command's reply as the message Slack shows the
// asker (or, with in:channel, everyone): the title in bold, the lines
// (commands as code, group headings in bold), the story cards with their
// outlets linked (or, for one story, a line per report after its card),
// and the page footer.
func replyMessage(r *bot.Reply) *slack.WebhookMessage {
	mk := markup(r.Location)
	var blocks []slack.Block
	if r.Title != "" {
		blocks = append(blocks, section("*"+escape(truncate(r.Title, bot.MaxTitle))+"*"))
	}
	// Lines share sections, as many as fit in each.
	var chunk []string
	size := 0
	flush := func() {
		if len(chunk) > 0 {
			blocks = append(blocks, section(strings.Join(chunk, "\n")))
			chunk, size = nil, 0
		}
	}
	add := func(text string) {
		if size+len(text)+1 > maxSectionText {
			flush()
		}
		chunk = append(chunk, text)
		size += len(text) + 1
	}
	for _, l := range r.Lines {
		text := truncate(escape(l.Text), maxSectionText/2)
		switch {
		case l.Heading:
			flush() // a group starts a section
			text = "*" + text + "*"
		case l.Code != "":
			text = "`" + strings.ReplaceAll(truncate(escape(l.Code), maxSectionText/4), "`", "'") + "` " + text
		}
		if l.Link != "" {
			text += " " + link(l.Link, truncate(l.Label(), bot.MaxTitle))
		}
		add(text)
	}
	flush()
	for _, st := range r.Stories {
		if len(blocks) >= maxBlocks-2 {
			break
		}
		head := titleLink(st) + "  #" + escape(st.ID) + "\n" + r.StoryStatus(st, mk)
		if len(r.Reports) > 0 {
			blocks = append(blocks, section(head))
			continue
		}
		head += "\n"
		blocks = append(blocks, section(head+outletLinks(st, maxSectionText-len(head))))
	}
	for _, rp := range r.Reports {
		add("• " + link(rp.URL, rp.Source) + " · " + strings.Join(rp.Details(mk), " · "))
	}
	flush()
	if f := r.Footer(); f != "" {
		blocks = append(blocks, contextBlock(escape(f)))
	}
	var lines []string
	for _, l := range strings.Split(r.Text(), "\n") {
		lines = append(lines, escape(l))
	}
	responseType := slack.ResponseTypeEphemeral
	if r.Public {
		responseType = slack.ResponseTypeInChannel
	}
	unfurl := false
	return &slack.WebhookMessage{ResponseType: responseType, Text: truncate(strings.Join(lines, "\n"), maxFallback),
		Blocks: &slack.Blocks{BlockSet: blocks}, UnfurlLinks: &unfurl, UnfurlMedia: &unfurl}
}
