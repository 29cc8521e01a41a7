package slack

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

// Slack's limits on one message.
const (
	maxBlocks      = 50   // blocks in a message
	maxSectionText = 3000 // characters in a section's text
	maxHeaderText  = 150  // characters in a header
	maxFallback    = 3000 // characters of fallback text we send (Slack truncates at 40,000)
	// digestStories is how many stories one digest message lists: one
	// section each, with a header and a context block besides.
	digestStories = maxBlocks - 5
	// maxBlocksText is how many characters of text (markup and URLs
	// included) the blocks of one digest message carry in all: Slack
	// refuses a message whose blocks hold more than about 12,000
	// (msg_blocks_too_long, a limit it does not document), far below 45
	// sections of 3,000; a story's section takes some 800.
	maxBlocksText = 10000
)

// message is one Slack message: Block Kit blocks and the plain-text
// fallback that notifications and old clients show.
type message struct {
	blocks []slack.Block
	text   string
}

var (
	// broadcastRE finds the words that would notify a whole channel.
	broadcastRE = regexp.MustCompile(`(?i)@(channel|here|everyone)\b`)
	// spaceRE finds runs of white space, which feed text collapses to one.
	spaceRE = regexp.MustCompile(`\s+`)
)

// escape makes text from feeds (or anyone but us) safe in Slack's mrkdwn:
// &, < and > become entities, so no <!here>, <@U…> or <url|label> markup
// survives, and @channel, @here and @everyone get a word joiner after the
// @, so they stay words. White space collapses to single spaces.
func escape(s string) string {
	return breakBroadcasts(escapeMarkup(spaceRE.ReplaceAllString(strings.TrimSpace(s), " ")))
}

// escapeMarkup turns &, < and > into entities.
func escapeMarkup(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// breakBroadcasts puts a word joiner after the @ of @channel, @here and
// @everyone.
func breakBroadcasts(s string) string {
	return broadcastRE.ReplaceAllString(s, "@\u2060$1")
}

// link returns mrkdwn linking label to rawURL; label alone (escaped) when
// the URL is not http(s).
func link(rawURL, label string) string {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return escape(label)
	}
	// Inside <…|…> a raw |, < or > would end the link early.
	safe := strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20").Replace(u.String())
	label = strings.ReplaceAll(escape(label), "|", "¦")
	if label == "" {
		return "<" + safe + ">"
	}
	return "<" + safe + "|" + label + ">"
}

// truncate shortens the escaped text s to at most n runes, ending it with
// "…" when cut, and never cuts an entity in half.
func truncate(s string, n int) string {
	out := human.Truncate(s, n)
	if out == s {
		return s
	}
	body := strings.TrimSuffix(out, "…")
	if i := strings.LastIndexByte(body, '&'); i >= 0 && !strings.Contains(body[i:], ";") {
		body = body[:i] // not half an entity
	}
	return strings.TrimSpace(body) + "…"
}

// mrkdwn returns a mrkdwn text object; verbatim keeps Slack from turning
// bare names and URLs in it into links or mentions.
func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(text), nil, nil)
}

// fitSection is a section of markup when it is within Slack's limit on a
// section's text, else of plain (escaped text without links or bold),
// shortened to the limit: a headline with a huge URL, or a snippet whose
// entities make it longer than its runes, must not make Slack refuse the
// whole message.
func fitSection(markup, plain string) *slack.SectionBlock {
	if utf8.RuneCountInString(markup) <= maxSectionText {
		return section(markup)
	}
	return section(truncate(plain, maxSectionText))
}

// snippetPlain is a snippet's text, escaped, without bold.
func snippetPlain(parts []bot.SnippetPart) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return escape(b.String())
}

func contextBlock(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", mrkdwn(text))
}

// links marks up links.
func links(ls []bot.Link) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, link(l.URL, l.Text))
	}
	return out
}

// outletLinks links the story's first outlets to their first reports
// there, within max bytes, and says how many more there are and which
// story shows them all.
func outletLinks(st *bot.Story, max int) string {
	shown, rest := st.ShownOutlets()
	return st.FitOutlets(links(shown), rest, max)
}

// titleLink is the story's headline, bold, linked to its report.
func titleLink(st *bot.Story) string {
	h := st.Headline()
	return "*" + link(h.URL, h.Text) + "*"
}

// escapeAll escapes each of parts.
func escapeAll(parts []string) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = escape(p)
	}
	return out
}

// date shows t in each reader's own time zone (Slack's date formatting),
// with t in loc as the fallback for clients that cannot.
func date(t time.Time, loc *time.Location) string {
	fallback := strings.NewReplacer("|", "¦", ">", "›").Replace(escape(human.Time(t, loc)))
	return fmt.Sprintf("<!date^%d^{date_short_pretty} {time}|%s>", t.Unix(), fallback)
}

// markup is how Slack messages show text (escaped mrkdwn) and times
// (each reader's own zone; loc in the fallback).
func markup(loc *time.Location) bot.Markup {
	return bot.Markup{Esc: escape, Time: func(t time.Time) string { return date(t, loc) }}
}

// alertMessage renders a story's alert (m.Stories[0]): its headline linked
// to the report it is taken from, why it matched (the snippet, the terms
// of m.Matched in bold), its first outlets linked, a context line with the
// coverage, the rules that caused it and the time, and its buttons. note,
// when set, starts the context line (an edit says what changed, at
// noteTime when set).
func alertMessage(m *bot.Message, note string, noteTime time.Time, loc *time.Location) message {
	st := m.Stories[0]
	blocks := []slack.Block{fitSection(titleLink(st), "*"+escape(st.Headline().Text)+"*")}
	if snip := snippetMrkdwn(m.Snippet); snip != "" {
		blocks = append(blocks, fitSection("> "+snip, "> "+snippetPlain(m.Snippet)))
	}
	blocks = append(blocks, section("*Outlets:* "+outletLinks(st, maxSectionText-len("*Outlets:* "))))
	ctx := strings.Join(st.AlertContext(note, noteTime, m.Matched, markup(loc)), " · ")
	blocks = append(blocks, contextBlock(fitContext(ctx, strings.Join(st.AlertContext(note, noteTime, m.Matched, plainMarkup(loc)), " · "))))
	if acts := alertActions(m); acts != nil {
		blocks = append(blocks, acts)
	}

	h := st.Headline()
	text := fmt.Sprintf("%s (%s", h.Text, st.Coverage())
	if len(m.Matched) > 0 {
		text += "; " + strings.Join(m.Matched, ", ")
	}
	text += ")"
	if h.URL != "" {
		text += " " + h.URL
	}
	if note != "" {
		if !noteTime.IsZero() {
			note += " " + human.Time(noteTime, loc)
		}
		text = note + ": " + text
	}
	return message{blocks: blocks, text: truncate(escape(text), maxFallback)}
}

// plainMarkup is markup with times as text in loc (escaped).
func plainMarkup(loc *time.Location) bot.Markup {
	mk := bot.PlainMarkup(loc)
	return bot.Markup{Esc: escape, Time: func(t time.Time) string { return escape(mk.Time(t)) }}
}

// fitContext is markup when it is within a context's limit, else plain
// shortened to it.
func fitContext(markup, plain string) string {
	if utf8.RuneCountInString(markup) <= maxSectionText {
		return markup
	}
	return truncate(plain, maxSectionText)
}

// threadReply renders an update in the alert's thread: the new outlets,
// each linked to its report, the coverage now, and the button that splits
// them off when they are not the same story.
func threadReply(m *bot.Message) message {
	st := m.Stories[0]
	outlets := bot.NewOutlets(st, m.New)
	var names []string
	for _, o := range outlets {
		names = append(names, o.Text)
	}
	head := "Now also reported by "
	tail := " — " + escape(st.Coverage()) + "."
	body := head + human.JoinFit(links(outlets), ", ", maxSectionText-len(head)-len(tail)) + tail
	text := "Now also reported by " + strings.Join(names, ", ") + " — " + st.Coverage() + "."
	blocks := []slack.Block{section(body)}
	if acts := updateActions(m, outlets); acts != nil {
		blocks = append(blocks, acts)
	}
	return message{blocks: blocks, text: truncate(escape(text), maxFallback)}
}

// digestMessages renders a digest: a header naming the rule, then one
// section per story (most outlets first, as the dispatcher orders them),
// split across messages to stay within Slack's limits on a message's
// blocks (digestStories sections, maxBlocksText characters of text).
func digestMessages(rule string, stories []*bot.Story) []message {
	type entry struct {
		section *slack.SectionBlock
		line    string // of the fallback text
		size    int    // characters of the section's text
	}
	entries := make([]entry, 0, len(stories))
	for _, st := range stories {
		head := titleLink(st) + "\n" + escape(st.Coverage()) + " · "
		plain := "*" + escape(st.Headline().Text) + "*\n" + escape(st.Coverage())
		sec := fitSection(head+outletLinks(st, max(0, maxSectionText-len(head))), plain)
		h := st.Headline()
		line := "• " + h.Text + " (" + st.Coverage() + ")"
		if h.URL != "" {
			line += " " + h.URL
		}
		entries = append(entries, entry{section: sec, line: escape(line), size: utf8.RuneCountInString(sec.Text.Text)})
	}
	footer := escape(bot.DigestFooter(rule))
	// The header and footer of each part, at most.
	budget := maxBlocksText - maxHeaderText - utf8.RuneCountInString(footer)
	var parts [][]entry
	size := 0
	for _, e := range entries {
		if n := len(parts); n == 0 || len(parts[n-1]) == digestStories || size+e.size > budget && len(parts[n-1]) > 0 {
			parts = append(parts, nil)
			size = 0
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], e)
		size += e.size
	}
	if len(parts) == 0 {
		parts = [][]entry{nil}
	}
	out := make([]message, 0, len(parts))
	for p, chunk := range parts {
		title := bot.DigestTitle(rule, len(stories), p+1, len(parts))
		blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, truncate(title, maxHeaderText), false, false))}
		lines := []string{escape(title)}
		for _, e := range chunk {
			blocks = append(blocks, e.section)
			lines = append(lines, e.line)
		}
		blocks = append(blocks, contextBlock(footer))
		out = append(out, message{blocks: blocks, text: truncate(strings.Join(lines, "\n"), maxFallback)})
	}
	return out
}
