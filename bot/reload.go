package bot

import (
	"maps"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/rules"
)

// A configuration reload replaces the rules, feeds and channels of the
// running parts whole: each part reads a consistent set, the old one until
// the new one is in place (an ingest under way finishes with the rules it
// started with).

// ruleSet is rules with their compiled matcher, and whether decide needs a
// story's independent sources or outlets counted (an alert rule has
// min_sources or min_outlets).
type ruleSet struct {
	rules                      []Rule
	matcher                    *rules.Matcher
	byName                     map[string]*Rule
	needsSources, needsOutlets bool
	alerts                     *alertRules
	// storyRules is what StoryFacts asks whether a story's rules matter
	// (storyRulesMatter), nil when they always do.
	storyRules func(alerted []string) bool
}

func newRuleSet(rs []Rule) *ruleSet {
	set := &ruleSet{rules: rs, matcher: Matcher(rs), byName: make(map[string]*Rule, len(rs)), alerts: newAlertRules(rs),
		needsSources: slices.ContainsFunc(rs, func(r Rule) bool { return r.Mode == ModeAlert && r.MinSources > 1 }),
		needsOutlets: slices.ContainsFunc(rs, func(r Rule) bool { return r.Mode == ModeAlert && r.MinOutlets > 1 })}
	for i := range rs {
		if _, dup := set.byName[rs[i].Name]; !dup {
			set.byName[rs[i].Name] = &rs[i]
		}
	}
	if !set.needsSources && !set.needsOutlets {
		set.storyRules = set.storyRulesMatter
	}
	return set
}

// storyRulesMatter reports whether decide may do anything with the rules
// a story matched before, given the channels it was alerted in: they only
// ever alert it in a channel it was not alerted in, or, with min_sources
// or min_outlets (which the caller checks), hold an alert. Once it was
// alerted in every channel of every alert rule, they cannot.
func (s *ruleSet) storyRulesMatter(alerted []string) bool { return !s.alerts.Covers(alerted) }

// SetRules replaces the rules whose terms snippets show.
func (d *Dispatcher) SetRules(rs []Rule) {
	d.mu.Lock()
	d.rules = newAlertRules(rs)
	d.mu.Unlock()
}

// SetSenders replaces the channels' senders, by channel name. Deliveries
// of a channel that has none wait in the outbox.
func (d *Dispatcher) SetSenders(senders map[string]Sender) {
	senders = maps.Clone(senders)
	d.mu.Lock()
	d.senders = senders
	d.mu.Unlock()
}

// Senders returns the channels' senders, by channel name (a copy).
func (d *Dispatcher) Senders() map[string]Sender {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return maps.Clone(d.senders)
}

func (d *Dispatcher) ruleList() *alertRules {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.rules
}

func (d *Dispatcher) sender(channel string) (Sender, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	s, ok := d.senders[channel]
	return s, ok
}

// feedSet is the configured feeds by name: what a merge or a split reads
// of its items' feeds (tags and language for rules, max_age).
type feedSet map[string]Feed

func newFeedSet(fs []Feed) feedSet {
	set := make(feedSet, len(fs))
	for _, f := range fs {
		set[f.Name] = f
	}
	return set
}

// of returns the feed named; one no longer configured has no tags nor
// language.
func (s feedSet) of(name string) Feed {
	if f, ok := s[name]; ok {
		return f
	}
	return Feed{Name: name}
}

// fresh reports whether an item of the feed published at published is
// recent enough to alert for (max_age); an item of a feed no longer
// configured never is.
func (s feedSet) fresh(name string, published, now time.Time) bool {
	f, ok := s[name]
	return ok && !expired(published, f.MaxAge, now)
}

// SetFeeds replaces the feeds whose tags, language and max_age a merge of
// stories by the grouper (consolidation) reads; an item of a feed not
// given counts as older than its max_age.
func (p *Pipeline) SetFeeds(fs []Feed) {
	set := newFeedSet(fs)
	p.feeds.Store(&set)
}

// feedSet returns the pipeline's feeds.
func (p *Pipeline) feedSet() feedSet {
	if fs := p.feeds.Load(); fs != nil {
		return *fs
	}
	return nil
}

// SetRules replaces the rules a merged or split story is matched and
// alerted against.
func (a *Archive) SetRules(rs []Rule) {
	set := newRuleSet(rs)
	a.mu.Lock()
	a.rules = set
	a.mu.Unlock()
}

// SetFeeds replaces the feeds a merged or split story's items are of.
func (a *Archive) SetFeeds(fs []Feed) {
	set := newFeedSet(fs)
	a.mu.Lock()
	a.feeds = set
	a.mu.Unlock()
}

// corrections returns the rules and feeds a merge or split works with.
func (a *Archive) corrections() (*ruleSet, feedSet) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.rules, a.feeds
}

func (a *Archive) ruleList() *alertRules {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.rules.alerts
}
