package bot

import (
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/bot/internal/sorted"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
)

// StoryState is what decide needs to know of an item's story, read after
// the item was stored in it and before its matches are recorded.
type StoryState struct {
	Rules       []string // rules the story matched before the item
	Alerted     []string // channels the story was alerted in
	Independent int      // its independent sources, the item's included (read only when a rule has min_sources)
	Outlets     int      // its outlets, the item's included (read only when a rule has min_outlets)
	NewOutlet   bool     // the item brings the story an outlet it lacked
}

// DigestEntry is a story joining the digest of a rule in a channel.
type DigestEntry struct {
	Rule, Channel string
}

// Decision is what one item causes in its story.
type Decision struct {
	Matched []string      // rules the item matched (muted ones left out): recorded as the story's
	Muted   int           // hits of muted rules, dropped (not even recorded)
	Updates []string      // channels that alerted the story before: an update names the item
	Alerts  []string      // channels the story is alerted in now
	Held    int           // alert rules waiting for more independent sources or outlets (min_sources, min_outlets)
	Digests []DigestEntry // digests the story joins through the item
}

// decide says what an item of feed causes: which rules it matches (m is
// rs compiled by Matcher), and, unless it is older than the feed's
// max_age, the updates (the story gained an outlet after its alert in a
// channel), the alerts (an alert rule matches the story, by any of its
// items, enough independent sources and outlets carry it, and it was not
// alerted in that channel yet) and the digest entries (its digest rules)
// it brings; doc is the item's (itemDoc). It reads nothing and writes
// nothing: the pipeline does.
func decide(it *feeds.Item, doc *rules.Doc, feed Feed, st StoryState, set *ruleSet, muted map[string]bool, now time.Time) Decision {
	rs, m := set.rules, set.matcher
	var d Decision
	hits := m.MatchRules(doc)
	matched := make([]*Rule, 0, len(hits))
	for _, h := range hits {
		r := &rs[h.Rule]
		if muted[r.Name] {
			d.Muted++
			continue
		}
		matched = append(matched, r)
		d.Matched = append(d.Matched, r.Name)
	}
	if expired(it, feed.MaxAge, now) {
		return d // stored, grouped and searchable, never alerted
	}

	if st.NewOutlet && it.URL != "" {
		d.Updates = slices.Clone(st.Alerted)
	}

	// The story's rules with the item's, in name order (names are unique):
	// those of them that alert alert each channel not alerted yet. None
	// can once the story was alerted in every channel of an alert rule,
	// unless one holds alerts (storyRules is nil then).
	if set.storyRules == nil || set.storyRulesMatter(st.Alerted) {
		for name := range sorted.Union(st.Rules, slices.Sorted(slices.Values(d.Matched))) {
			r := set.byName[name]
			if r == nil || r.Mode != ModeAlert || muted[name] {
				continue
			}
			if r.MinSources > 1 && st.Independent < r.MinSources || r.MinOutlets > 1 && st.Outlets < r.MinOutlets {
				d.Held++
				continue
			}
			for _, ch := range r.Channels {
				if !slices.Contains(st.Alerted, ch) && !slices.Contains(d.Alerts, ch) {
					d.Alerts = append(d.Alerts, ch)
				}
			}
		}
	}

	for _, r := range matched {
		if r.Mode != ModeDigest {
			continue
		}
		for _, ch := range r.Channels {
			d.Digests = append(d.Digests, DigestEntry{Rule: r.Name, Channel: ch})
		}
	}
	return d
}

// itemDoc is the rules' document of an item of feed: decide matches it, the
// full-text index stores it (AddItem).
func itemDoc(it *feeds.Item, feed Feed) *rules.Doc {
	return rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed, Tags: feed.Tags, Lang: feed.Lang})
}

// expired reports whether an item is older than max_age allows alerts for.
func expired(it *feeds.Item, maxAge time.Duration, now time.Time) bool {
	return now.Sub(it.Published) > maxAge
}
