package command

import "github.com/wirewatch/wirewatch/bot"

// live is the rules and feeds a configuration reload gave the set.
type live struct {
	rules []bot.Rule
	feeds []bot.Feed
}

// SetRules replaces the rules and feeds the commands see (a configuration
// reload); a command under way finishes with the old ones.
func (c *Set) SetRules(rs []bot.Rule, fs []bot.Feed) { c.live.Store(&live{rules: rs, feeds: fs}) }

// current returns the set a command runs with: c, with the rules and
// feeds of the last reload.
func (c *Set) current() *Set {
	l := c.live.Load()
	if l == nil {
		return c
	}
	cfg := c.cfg
	cfg.Rules, cfg.Feeds = l.rules, l.feeds
	return &Set{cfg: cfg, loc: c.loc, log: c.log, now: c.now, list: c.list}
}
