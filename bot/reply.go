package bot

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/human"
)

// Reply is a command's answer in a platform-neutral shape: adapters render
// it (Slack in Block Kit, Matrix in HTML) or use Text.
type Reply struct {
	Title   string
	Lines   []Line
	Stories []*Story
	// Reports lists one story's reports, an outlet each, after its card
	// (the story command); the card then lists no outlets.
	Reports  []Report
	Location *time.Location // the zone times are shown in
	Page     int            // this page, 1-based; 0 when the answer has one page
	Pages    int            // how many pages; 0 when unknown (Next says whether more follow)
	Next     string         // the command that shows the next page, "" on the last one
	Public   bool           // show in the channel; else only to the asker where the platform can
}

// Line is one line of a reply: plain text (adapters escape it) and an
// optional link after it.
type Line struct {
	Text     string
	Link     string // an http(s) URL, or ""
	LinkText string // the link's label; "" shows the URL
	Code     string // a command to type, shown as code before Text
	Heading  bool   // a group's heading: Text in bold
}

// Report is one outlet's report in a story's listing.
type Report struct {
	Source    string
	URL       string
	Title     string // "" when it is the story's headline
	Published time.Time
	Credits   []string // wire agencies it credits
	Edited    int      // times its title or text changed
}

// Reports returns the story's reports in order, each title left out when
// it repeats the headline.
func (s *Story) Reports() []Report {
	out := make([]Report, 0, len(s.Items))
	for _, it := range s.Items {
		title := it.Title
		if title == s.Title {
			title = ""
		}
		out = append(out, Report{Source: it.Source, URL: it.URL, Title: title, Published: it.Published,
			Credits: it.Credits, Edited: it.Edited})
	}
	return out
}

// Details are what follows the report's outlet (which links to it): its
// time, its title when it differs from the headline, the agencies it
// credits and its edits, marked up.
func (rp Report) Details(mk Markup) []string {
	out := []string{mk.Time(rp.Published)}
	if rp.Title != "" {
		out = append(out, mk.Esc("“"+human.Truncate(rp.Title, MaxTitle)+"”"))
	}
	if len(rp.Credits) > 0 {
		out = append(out, mk.Esc("credits "+strings.Join(rp.Credits, ", ")))
	}
	if rp.Edited > 0 {
		out = append(out, mk.Esc("edited "+human.Count(rp.Edited, "time", "times")))
	}
	return out
}

// Text renders the reply as plain text: the fallback of chat messages, and
// what platforms without markup show.
func (r *Reply) Text() string {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString(r.Title)
		b.WriteByte('\n')
	}
	for _, l := range r.Lines {
		b.WriteString(l.Plain())
		b.WriteByte('\n')
	}
	mk := PlainMarkup(r.Location)
	for _, s := range r.Stories {
		h := s.Headline()
		fmt.Fprintf(&b, "#%s %s\n    %s\n", s.ID, h.Text, r.StoryStatus(s, mk))
		if len(r.Reports) == 0 {
			fmt.Fprintf(&b, "    %s\n", OutletNames(s))
		}
		if h.URL != "" {
			fmt.Fprintf(&b, "    %s\n", h.URL)
		}
	}
	for _, rp := range r.Reports {
		fmt.Fprintf(&b, "• %s · %s", rp.Source, strings.Join(rp.Details(mk), " · "))
		if rp.URL != "" {
			b.WriteString(" " + rp.URL)
		}
		b.WriteByte('\n')
	}
	if f := r.Footer(); f != "" {
		b.WriteString(f)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

// Plain renders the line as plain text.
func (l Line) Plain() string {
	text := l.Text
	if l.Code != "" {
		text = l.Code + " — " + text
	}
	parts := []string{text}
	if l.Link != "" {
		if l.LinkText != "" {
			parts = append(parts, l.LinkText)
		}
		parts = append(parts, l.Link)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// Label is the text of the line's link: LinkText, else the URL.
func (l Line) Label() string {
	if l.LinkText != "" {
		return l.LinkText
	}
	return l.Link
}

// OutletNames lists the story's outlets, unlinked, as messages show them:
// up to MaxOutlets, then "and 7 more · story #12".
func OutletNames(s *Story) string {
	shown, rest := s.ShownOutlets()
	names := make([]string, len(shown))
	for i, l := range shown {
		names[i] = l.Text
	}
	return s.FitOutlets(names, rest, math.MaxInt)
}

// StoryStatus says how widely a story is reported, when it was last
// updated and which rules matched it, marked up.
func (r *Reply) StoryStatus(s *Story, mk Markup) string {
	out := mk.Esc(s.Coverage()) + " · " + mk.Esc("updated") + " " + mk.Time(s.Updated)
	if len(s.Rules) > 0 {
		out += " · " + mk.Esc("rules: "+strings.Join(s.Rules, ", "))
	}
	return out
}

// Coverage says "3 outlets, 2 independent sources" (or "1 outlet").
func (s *Story) Coverage() string {
	out := human.Count(s.Sources, "outlet", "outlets")
	if s.Independent != s.Sources && s.Independent > 0 {
		out += ", " + human.Count(s.Independent, "independent source", "independent sources")
	}
	return out
}

// FirstURL returns the URL of the story's first report, or "".
func (s *Story) FirstURL() string {
	for _, it := range s.Items {
		if it.URL != "" {
			return it.URL
		}
	}
	return ""
}

// Footer says which page this is and how to get the next ("" for a
// one-page answer).
func (r *Reply) Footer() string {
	if r.Page == 0 {
		return ""
	}
	out := fmt.Sprintf("Page %d", r.Page)
	if r.Pages > 0 {
		out += fmt.Sprintf(" of %d", r.Pages)
	}
	if r.Next != "" {
		out += ". Next page: " + r.Next
	}
	return out + "."
}
