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
	Edit        bool     // the item is an edit of a stored one (Rules then holds all the story's)
	Before      []string // an edit's: the rules its previous version matched, muted or not (sorted)
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
// alerted in that channel yet) and the digest entries (its digest rules;
// an edit's, those its story did not match) it brings; doc is the item's
// (itemDoc). An edit matches only the rules its previous version did not
// (st.Before): the others that version brought to its story, or a mute
// dropped, and a fixed typo brings them back no more than a poll does.
// It reads nothing and writes nothing: the pipeline does.
func decide(it *feeds.Item, doc *rules.Doc, feed Feed, st StoryState, set *ruleSet, muted map[string]bool, now time.Time) Decision {
	var d Decision
	matched, nmuted := set.match(doc, muted)
	d.Muted = nmuted
	if st.Edit {
		matched = slices.DeleteFunc(matched, func(r *Rule) bool {
			_, had := slices.BinarySearch(st.Before, r.Name)
			return had
		})
	}
	for _, r := range matched {
		d.Matched = append(d.Matched, r.Name)
	}
	if expired(it.Published, feed.MaxAge, now) {
		return d // stored, grouped and searchable, never alerted
	}

	if st.NewOutlet && it.URL != "" {
		d.Updates = slices.Clone(st.Alerted)
	}
	d.Alerts, d.Held = set.storyAlerts(st, d.Matched, muted)

	for _, r := range matched {
		// A story that matched the rule before is in its digests, waiting
		// or sent: an edit (a fixed typo) does not put it there again.
		if _, had := slices.BinarySearch(st.Rules, r.Name); r.Mode != ModeDigest || st.Edit && had {
			continue
		}
		for _, ch := range r.Channels {
			d.Digests = append(d.Digests, DigestEntry{Rule: r.Name, Channel: ch})
		}
	}
	return d
}

// match returns the rules doc matches, muted ones left out, and how many
// muted ones it matched.
func (set *ruleSet) match(doc *rules.Doc, muted map[string]bool) (matched []*Rule, nmuted int) {
	hits := set.matcher.MatchRules(doc)
	matched = make([]*Rule, 0, len(hits))
	for _, h := range hits {
		r := &set.rules[h.Rule]
		if muted[r.Name] {
			nmuted++
			continue
		}
		matched = append(matched, r)
	}
	return matched, nmuted
}

// storyAlerts returns the channels a story is alerted in now, and how many of
// its alert rules hold for more independent sources or outlets: the rules
// it matched (st.Rules, sorted) with those an item brings it (matched, in
// any order), in name order (names are unique), each alert rule not muted
// alerting each of its channels the story was not alerted in
// (st.Alerted) once enough sources and outlets carry it (st.Independent,
// st.Outlets). None can once the story was alerted in every channel of an
// alert rule, unless one holds alerts (storyRules is nil then).
func (set *ruleSet) storyAlerts(st StoryState, matched []string, muted map[string]bool) (alerts []string, held int) {
	if set.storyRules != nil && !set.storyRulesMatter(st.Alerted) {
		return nil, 0
	}
	for name := range sorted.Union(st.Rules, slices.Sorted(slices.Values(matched))) {
		r := set.byName[name]
		if r == nil || r.Mode != ModeAlert || muted[name] {
			continue
		}
		if r.MinSources > 1 && st.Independent < r.MinSources || r.MinOutlets > 1 && st.Outlets < r.MinOutlets {
			held++
			continue
		}
		for _, ch := range r.Channels {
			if !slices.Contains(st.Alerted, ch) && !slices.Contains(alerts, ch) {
				alerts = append(alerts, ch)
			}
		}
	}
	return alerts, held
}

// itemDoc is the rules' document of an item of feed: decide matches it, the
// full-text index stores it (AddItem).
func itemDoc(it *feeds.Item, feed Feed) *rules.Doc {
	return rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed, Tags: feed.Tags, Lang: feed.Lang})
}

// expired reports whether an item published at published is older than
// max_age allows alerts for.
func expired(published time.Time, maxAge time.Duration, now time.Time) bool {
	return now.Sub(published) > maxAge
}
