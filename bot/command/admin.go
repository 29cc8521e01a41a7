package command

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

// maxMute is the longest mute: a rule silenced for longer should be
// changed in the configuration instead.
const maxMute = 30 * human.Day

var cmdMute = &Command{
	Name:  "mute",
	Usage: "RULE DURATION",
	Help:  "silence a rule in every channel for a while (e.g. 2h); its hits meanwhile are dropped, not held",
	Group: GroupAdmin,
	Admin: true,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		n := len(in.Args)
		if n < 2 || c.hasRule(strings.Join(in.Args, " ")) {
			return nil, userErrorf("name a rule and a duration, like: mute %s 2h", c.exampleRule())
		}
		// A rule's name may hold spaces: the duration is the last word.
		r, err := c.rule(strings.Join(in.Args[:n-1], " "))
		if err != nil {
			return nil, err
		}
		d, err := human.ParseDuration(in.Args[n-1])
		if err != nil {
			return nil, userErrorf("%v", err)
		}
		if d <= 0 || d > maxMute {
			return nil, userErrorf("a mute lasts more than 0 and at most %s", human.FormatDuration(maxMute))
		}
		now := c.now()
		until := now.Add(d)
		if err := c.cfg.Mutes.Mute(ctx, r.Name, until, in.User, now); err != nil {
			return nil, err
		}
		c.log.Info("rule muted", slog.String("rule", r.Name), slog.Time("until", until), slog.String("user", in.User))
		return c.message(fmt.Sprintf("Muted %s until %s.", r.Name, human.Time(until, c.loc)),
			"Its hits meanwhile are dropped in every channel, not held for later.",
			fmt.Sprintf("To end it sooner: %s unmute %s", in.Prefix, r.Name)), nil
	},
}

var cmdUnmute = &Command{
	Name:  "unmute",
	Usage: "RULE",
	Help:  "end a rule's mute",
	Group: GroupAdmin,
	Admin: true,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		if len(in.Args) == 0 {
			return nil, userErrorf("name one rule")
		}
		r, err := c.rule(strings.Join(in.Args, " ")) // a name may hold spaces
		if err != nil {
			return nil, err
		}
		was, err := c.cfg.Mutes.Unmute(ctx, r.Name, c.now())
		if err != nil {
			return nil, err
		}
		if !was {
			return c.message(r.Name + " was not muted."), nil
		}
		c.log.Info("rule unmuted", slog.String("rule", r.Name), slog.String("user", in.User))
		return c.message("Unmuted " + r.Name + "."), nil
	},
}

var cmdDigest = &Command{
	Name:  "digest",
	Usage: "[RULE]",
	Help:  "post the waiting digests now (of one digest rule, or of all)",
	Group: GroupAdmin,
	Admin: true,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		if c.cfg.Digests == nil {
			return c.message("Digests cannot be posted from here."), nil
		}
		var n int
		var err error
		if len(in.Args) == 0 {
			n, _, err = c.cfg.Digests.Queue(ctx, true)
		} else {
			var r *bot.Rule
			if r, err = c.rule(strings.Join(in.Args, " ")); err != nil { // a name may hold spaces
				return nil, err
			}
			if r.Mode != bot.ModeDigest {
				return nil, userErrorf("%s is an alert rule; it has no digest", r.Name)
			}
			n, err = c.cfg.Digests.QueueRule(ctx, r.Name)
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return c.message("No stories are waiting for a digest."), nil
		}
		c.log.Info("digests queued by command", slog.Int("digests", n), slog.String("user", in.User))
		return c.message(fmt.Sprintf("Queued %s; they are posted within a minute.", human.Count(n, "digest", "digests"))), nil
	},
}

// rule returns the configured rule of this name, or a user error.
func (c *Set) rule(name string) (*bot.Rule, error) {
	for i := range c.cfg.Rules {
		if c.cfg.Rules[i].Name == name {
			return &c.cfg.Rules[i], nil
		}
	}
	return nil, userErrorf("there is no rule named %q; rules lists them", name)
}

// hasRule reports whether a rule of this name is configured.
func (c *Set) hasRule(name string) bool {
	_, err := c.rule(name)
	return err == nil
}

// exampleRule names a rule for usage examples.
func (c *Set) exampleRule() string {
	if len(c.cfg.Rules) > 0 {
		return c.cfg.Rules[0].Name
	}
	return "RULE"
}
