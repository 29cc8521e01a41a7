package command

import (
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/rules"
)

// live is the rules, feeds and search options a configuration reload gave
// the set.
type live struct {
	rules []bot.Rule
	feeds []bot.Feed
	parse rules.Options
}

// SetRules replaces the rules, feeds and search options (aliases, stem)
// the commands see (a configuration
// reload); a command under way finishes with the old ones.
func (c *Set) SetRules(rs []bot.Rule, fs []bot.Feed, parse rules.Options) {
	c.live.Store(&live{rules: rs, feeds: fs, parse: parse})
}

// current returns the set a command runs with: c, with the rules and
// feeds of the last reload.
func (c *Set) current() *Set {
	l := c.live.Load()
	if l == nil {
		return c
	}
	cfg := c.cfg
	cfg.Rules, cfg.Feeds, cfg.Parse = l.rules, l.feeds, l.parse
	return &Set{cfg: cfg, loc: c.loc, log: c.log, now: c.now, list: c.list}
}
