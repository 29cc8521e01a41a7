package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/human"
)

// Reply is a command's answer in a platform-neutral shape: adapters render
// it (Slack in Block Kit, Matrix in HTML) or use Text.
type Reply struct {
	Title    string
	Lines    []Line
	Stories  []*Story
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
	for _, s := range r.Stories {
		fmt.Fprintf(&b, "#%s %s\n    %s\n", s.ID, s.Title, r.StorySummary(s))
		if url := s.FirstURL(); url != "" {
			fmt.Fprintf(&b, "    %s\n", url)
		}
	}
	if f := r.Footer(); f != "" {
		b.WriteString(f)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

// Plain renders the line as plain text.
func (l Line) Plain() string {
	parts := []string{l.Text}
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

// StorySummary says in one line how widely a story is reported, when it
// was last updated and which rules matched it (outlets unlinked).
func (r *Reply) StorySummary(s *Story) string {
	return s.Coverage() + ": " + strings.Join(s.Outlets, ", ") + r.updated(s)
}

// StoryStatus is StorySummary without the outlets, for adapters that list
// them linked after it.
func (r *Reply) StoryStatus(s *Story) string { return s.Coverage() + r.updated(s) }

// updated is " · updated TIME", and " · rules: a, b" when rules matched.
func (r *Reply) updated(s *Story) string {
	return " · updated " + human.Time(s.Updated, r.Location) + s.rulesText()
}

// Coverage says "3 outlets, 2 independent sources" (or "1 outlet").
func (s *Story) Coverage() string {
	out := human.Count(s.Sources, "outlet", "outlets")
	if s.Independent != s.Sources && s.Independent > 0 {
		out += ", " + human.Count(s.Independent, "independent source", "independent sources")
	}
	return out
}

// rulesText is " · rules: a, b", or "" without rules.
func (s *Story) rulesText() string {
	if len(s.Rules) == 0 {
		return ""
	}
	return " · rules: " + strings.Join(s.Rules, ", ")
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
