package matrix

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

// Limits of what one event carries. The homeserver refuses events over
// 64 KiB (JSON, signatures included); we stay well below.
const (
	maxEventText = 24000 // bytes of HTML plus plain body in one event
	maxOutlets   = 4000  // bytes of HTML one story's outlet list may take
	maxLine      = 1500  // runes of one line of a command's reply
)

// message is one Matrix message: the HTML clients show and the plain body
// that notifications and plain-text clients show.
type message struct {
	body string
	html string
}

var (
	// roomMentionRE finds @room, which would notify the whole room in
	// clients that go by the body.
	roomMentionRE = regexp.MustCompile(`(?i)@(room)\b`)
	// spaceRE finds runs of white space, which feed text collapses to one.
	spaceRE = regexp.MustCompile(`\s+`)
)

// clean makes text from feeds (or anyone but us) one line, and breaks
// @room with a word joiner after the @. Every event also carries an empty
// m.mentions, so that no body mentions anyone.
func clean(s string) string {
	return breakMentions(spaceRE.ReplaceAllString(strings.TrimSpace(s), " "))
}

// breakMentions puts a word joiner after the @ of @room.
func breakMentions(s string) string {
	return roomMentionRE.ReplaceAllString(s, "@\u2060$1")
}

// esc returns feed text cleaned and escaped for HTML.
func esc(s string) string { return html.EscapeString(clean(s)) }

// httpURL returns rawURL when it is an http(s) URL with a host, else "".
func httpURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// link returns HTML linking label (feed text) to rawURL; the label alone
// when the URL is not http(s).
func link(rawURL, label string) string {
	u := httpURL(rawURL)
	if u == "" {
		return esc(label)
	}
	if label == "" {
		label = u
	}
	return `<a href="` + html.EscapeString(u) + `">` + esc(label) + `</a>`
}

// outlets returns the story's first outlets, each linked to its first
// report there (HTML), and their plain list, both within max bytes, and
// then how many more there are and which story shows them all.
func outlets(st *bot.Story, max int) (htmlList, plain string) {
	shown, rest := st.ShownOutlets()
	links, names := markup(shown)
	return st.FitOutlets(links, rest, max), st.FitOutlets(names, rest, max/4)
}

// markups are how HTML and plain bodies show text and times (in loc).
func markups(loc *time.Location) (htmlMarkup, plainMarkup bot.Markup) {
	plainMarkup = bot.Markup{Esc: clean, Time: func(t time.Time) string { return human.Time(t, loc) }}
	htmlMarkup = bot.Markup{Esc: esc, Time: func(t time.Time) string { return esc(human.Time(t, loc)) }}
	return htmlMarkup, plainMarkup
}

// markup returns links in HTML and their labels in plain text.
func markup(ls []bot.Link) (htmlLinks, plain []string) {
	for _, l := range ls {
		htmlLinks = append(htmlLinks, link(l.URL, l.Text))
		plain = append(plain, clean(l.Text))
	}
	return htmlLinks, plain
}

// titleLink is the story's headline, bold.
func titleLink(st *bot.Story) string {
	h := st.Headline()
	return "<b>" + link(h.URL, h.Text) + "</b>"
}

// snippetHTML renders a snippet's parts, the matched terms in bold; and
// its plain text.
func snippetHTML(parts []bot.SnippetPart) (htmlText, plain string) {
	escape := func(s string) string { return html.EscapeString(breakMentions(s)) }
	return bot.MarkSnippet(parts, escape, "<b>", "</b>"), bot.MarkSnippet(parts, breakMentions, "", "")
}

// alertMessage renders a story's alert (m.Stories[0]): its headline linked
// to the report it is taken from, why it matched (the snippet, the terms
// of m.Matched in bold), its first outlets linked, and a line with the
// coverage, the rules that caused it and the time. note, when set, starts
// that line (an edit says what changed, at noteTime when set).
func alertMessage(m *bot.Message, note string, noteTime time.Time, loc *time.Location) message {
	st := m.Stories[0]
	var h, p strings.Builder
	h.WriteString("<p>" + titleLink(st) + "</p>")
	p.WriteString(clean(st.Headline().Text) + "\n")
	if u := httpURL(st.Headline().URL); u != "" {
		p.WriteString(u + "\n")
	}
	if m.Snippet != nil {
		sh, sp := snippetHTML(m.Snippet)
		h.WriteString("<blockquote>" + sh + "</blockquote>")
		p.WriteString("> " + sp + "\n")
	}
	oh, op := outlets(st, maxOutlets)
	h.WriteString("<p><b>Outlets:</b> " + oh + "</p>")
	p.WriteString("Outlets: " + op + "\n")
	hm, pm := markups(loc)
	line := human.Truncate(strings.Join(st.AlertContext(note, noteTime, m.Matched, pm), " · "), maxLine)
	hline := strings.Join(st.AlertContext(note, noteTime, m.Matched, hm), " · ")
	if len(hline) > 4*maxLine {
		hline = html.EscapeString(line)
	}
	h.WriteString("<p><i>" + hline + "</i></p>")
	p.WriteString(line)
	return message{body: p.String(), html: h.String()}
}

// threadReply renders an update in the alert's thread: the new outlets,
// each linked to its report, and the coverage now.
func threadReply(st *bot.Story, newURLs []string) message {
	links, names := markup(bot.NewOutlets(st, newURLs))
	tail := " — " + st.Coverage() + "."
	return message{
		body: "Now also reported by " + human.JoinFit(names, ", ", maxOutlets/4) + tail,
		html: "<p>Now also reported by " + human.JoinFit(links, ", ", maxOutlets) + html.EscapeString(tail) + "</p>",
	}
}

// digestMessages renders a digest: a heading naming the rule, then the
// stories as a numbered list (most outlets first, as the dispatcher orders
// them), split across messages to keep each event small.
func digestMessages(rule string, stories []*bot.Story) []message {
	type entry struct{ html, plain string }
	entries := make([]entry, 0, len(stories))
	for _, st := range stories {
		oh, op := outlets(st, maxOutlets)
		e := entry{
			html:  "<li>" + titleLink(st) + "<br>" + html.EscapeString(st.Coverage()) + " · " + oh + "</li>",
			plain: clean(st.Headline().Text) + " (" + st.Coverage() + ": " + op + ")",
		}
		if u := httpURL(st.Headline().URL); u != "" {
			e.plain += " " + u
		}
		entries = append(entries, e)
	}
	// Split the entries into parts that fit, keeping their order.
	var parts [][]entry
	size := 0
	for _, e := range entries {
		n := len(e.html) + len(e.plain) + 16
		if len(parts) == 0 || size+n > maxEventText-1000 {
			parts = append(parts, nil)
			size = 0
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], e)
		size += n
	}
	if len(parts) == 0 {
		parts = [][]entry{nil}
	}
	out := make([]message, 0, len(parts))
	footer := bot.DigestFooter(rule)
	next := 1
	for i, part := range parts {
		title := bot.DigestTitle(rule, len(stories), i+1, len(parts))
		var h, p strings.Builder
		h.WriteString("<h4>" + esc(title) + "</h4>")
		p.WriteString(clean(title) + "\n")
		if next == 1 {
			h.WriteString("<ol>")
		} else {
			h.WriteString(`<ol start="` + strconv.Itoa(next) + `">`)
		}
		for _, e := range part {
			h.WriteString(e.html)
			fmt.Fprintf(&p, "%d. %s\n", next, e.plain)
			next++
		}
		h.WriteString("</ol><p><i>" + esc(footer) + "</i></p>")
		p.WriteString(clean(footer))
		out = append(out, message{body: p.String(), html: h.String()})
	}
	return out
}
