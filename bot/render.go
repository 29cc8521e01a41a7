package bot

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/human"
)

// Helpers the chat adapters share when they render messages.

// MaxTitle is how many runes of a story's title messages show.
const MaxTitle = 300

// Link is a label and the URL it links to ("" when there is none); adapters
// mark it up (and show the label alone without an http(s) URL).
type Link struct {
	Text string
	URL  string
}

// Headline is the story's title (cut to MaxTitle runes) linked to the
// report it is taken from (the store picks a wire agency's headline), else
// to its first report.
func (s *Story) Headline() Link {
	url := ""
	for _, it := range s.Items {
		if it.Title != s.Title || it.URL == "" {
			continue
		}
		if feeds.WireOf(it.Source) != "" { // as the store picks the title: an agency's own report first
			url = it.URL
			break
		}
		if url == "" {
			url = it.URL
		}
	}
	if url == "" {
		url = s.FirstURL()
	}
	return Link{Text: human.Truncate(s.Title, MaxTitle), URL: url}
}

// MaxOutlets is how many outlets a message lists; the story command
// lists them all.
const MaxOutlets = 5

// ShownOutlets returns the first MaxOutlets of the story's outlets, each
// linked to its first report there, and how many more it has.
func (s *Story) ShownOutlets() ([]Link, int) {
	all := s.OutletLinks()
	if len(all) <= MaxOutlets {
		return all, 0
	}
	return all[:MaxOutlets], len(all) - MaxOutlets
}

// FitOutlets joins the outlets shown (ShownOutlets, marked up) within max
// bytes, then says how many more there are, those that did not fit and
// the rest, and which story lists them all: "and 7 more · story #12".
func (s *Story) FitOutlets(shown []string, rest, max int) string {
	return human.JoinFitMore(shown, ", ", max, rest, " · story #"+s.ID)
}

// OutletLinks links each of the story's outlets to its first report there.
func (s *Story) OutletLinks() []Link {
	first := map[string]string{}
	for _, it := range s.Items {
		if _, ok := first[it.Source]; !ok {
			first[it.Source] = it.URL
		}
	}
	out := make([]Link, 0, len(s.Outlets))
	for _, o := range s.Outlets {
		out = append(out, Link{Text: o, URL: first[o]})
	}
	return out
}

// NewOutlets links the outlets of an update's new URLs, once each: the
// source of the story's item at that URL, else the URL's host. Without
// any, it is one unlinked "more outlets".
func NewOutlets(st *Story, urls []string) []Link {
	var out []Link
	seen := map[string]bool{}
	for _, u := range urls {
		source := ""
		for _, it := range st.Items {
			if it.URL == u {
				source = it.Source
				break
			}
		}
		if source == "" {
			if pu, err := url.Parse(u); err == nil {
				source = strings.TrimPrefix(pu.Hostname(), "www.")
			}
		}
		if source == "" || seen[source] {
			continue
		}
		seen[source] = true
		out = append(out, Link{Text: source, URL: u})
	}
	if len(out) == 0 {
		out = []Link{{Text: "more outlets"}}
	}
	return out
}

// Markup is how an adapter shows text and times: Esc escapes text, Time
// shows a time (marked up already: Slack's readers each see their own zone).
type Markup struct {
	Esc  func(string) string
	Time func(time.Time) string
}

// PlainMarkup shows text as it is and times in loc.
func PlainMarkup(loc *time.Location) Markup {
	return Markup{Esc: func(s string) string { return s }, Time: func(t time.Time) string { return human.Time(t, loc) }}
}

// AlertContext is the parts of an alert's closing line, marked up: note
// (when set: an edit says what changed, followed by noteTime when that is
// set), the coverage, the rules that caused this message (matched), the
// first report's time and the story's number.
func (s *Story) AlertContext(note string, noteTime time.Time, matched []string, mk Markup) []string {
	var out []string
	if note != "" {
		n := mk.Esc(note)
		if !noteTime.IsZero() {
			n += " " + mk.Time(noteTime)
		}
		out = append(out, n)
	}
	out = append(out, mk.Esc(s.Coverage()))
	if len(matched) > 0 {
		out = append(out, mk.Esc("matched "+strings.Join(matched, ", ")))
	}
	return append(out, mk.Esc("first report")+" "+mk.Time(s.FirstSeen), mk.Esc("story #"+s.ID))
}

// DigestTitle heads part (1-based) of parts of a digest of n stories.
func DigestTitle(rule string, n, part, parts int) string {
	title := fmt.Sprintf("Digest: %s — %s", rule, human.Count(n, "story", "stories"))
	if parts > 1 {
		title += fmt.Sprintf(" (%d/%d)", part, parts)
	}
	return title
}

// DigestFooter closes every part of a digest.
func DigestFooter(rule string) string {
	return "Stories matched by " + rule + " since its last digest, most outlets first."
}

// SenderDefaults returns a chat sender's on_update setting and time zone
// with their defaults filled in: UpdateBoth for "", UTC for nil.
func SenderDefaults(onUpdate string, loc *time.Location) (string, *time.Location) {
	if onUpdate == "" {
		onUpdate = UpdateBoth
	}
	if loc == nil {
		loc = time.UTC
	}
	return onUpdate, loc
}
