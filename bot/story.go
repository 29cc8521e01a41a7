package bot

import (
	"strconv"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// Story is a story as users and deliveries see it (the JSON shape in
// shared/DESIGN.md: fields may be added, never removed or renamed).
type Story struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	FirstSeen time.Time `json:"first_seen"`
	Updated   time.Time `json:"updated"`
	Sources   int       `json:"sources"` // distinct outlets
	Outlets   []string  `json:"outlets"` // by registered domain, in order of first report
	// Independent counts the independent sources: wire agencies for their
	// own reports and for re-reports that credit them, else outlets.
	Independent int         `json:"independent"`
	Origins     []string    `json:"origins"`
	Items       []StoryItem `json:"items"`
	Rules       []string    `json:"rules"`
}

// StoryItem is one outlet's report within a story.
type StoryItem struct {
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Feed      string    `json:"feed"`
	Published time.Time `json:"published"`
	Credits   []string  `json:"credits,omitempty"` // wire agencies it credits
	Edited    int       `json:"edited,omitempty"`  // times its title or text changed
}

// NewStory converts a stored story to its public shape.
func NewStory(s *store.Story) *Story {
	out := &Story{
		ID:        strconv.FormatInt(s.ID, 10),
		Title:     s.Title,
		FirstSeen: s.FirstSeen,
		Updated:   s.Updated,
		Outlets:   s.Sources(),
		Origins:   s.Origins(),
		Items:     make([]StoryItem, 0, len(s.Items)),
		Rules:     s.Rules,
	}
	out.Sources, out.Independent = len(out.Outlets), len(out.Origins)
	// Arrays in the JSON shape, empty rather than null.
	if out.Rules == nil {
		out.Rules = []string{}
	}
	if out.Outlets == nil {
		out.Outlets = []string{}
	}
	if out.Origins == nil {
		out.Origins = []string{}
	}
	for _, it := range s.Items {
		out.Items = append(out.Items, StoryItem{URL: it.URL, Title: it.Title, Source: it.Source, Feed: it.Feed,
			Published: it.Published, Credits: it.Credits, Edited: len(it.Revisions)})
	}
	return out
}
