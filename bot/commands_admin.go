package bot

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/store"
)

// maxMute is the longest mute: a rule silenced for longer should be
// changed in the configuration instead.
const maxMute = 30 * human.Day

var cmdMute = &Command{
	Name:  "mute",
	Usage: "RULE DURATION",
	Help:  "silence a rule in every channel for a while (e.g. 2h); its hits meanwhile are dropped, not held",
	Admin: true,
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		if len(in.Args) != 2 {
			return nil, userErrorf("name a rule and a duration, like: mute %s 2h", c.exampleRule())
		}
		r, err := c.rule(in.Args[0])
		if err != nil {
			return nil, err
		}
		d, err := human.ParseDuration(in.Args[1])
		if err != nil {
			return nil, userErrorf("%v", err)
		}
		if d <= 0 || d > maxMute {
			return nil, userErrorf("a mute lasts more than 0 and at most %s", human.FormatDuration(maxMute))
		}
		now := c.now()
		m := &store.Mute{Rule: r.Name, Until: now.Add(d), By: in.User, At: now}
		if err := c.db.SetMute(ctx, m); err != nil {
			return nil, err
		}
		c.log.Info("rule muted", slog.String("rule", r.Name), slog.Time("until", m.Until), slog.String("user", in.User))
		return c.message(fmt.Sprintf("Muted %s until %s.", r.Name, human.Time(m.Until, c.loc)),
			"Its hits meanwhile are dropped in every channel, not held for later.",
			fmt.Sprintf("To end it sooner: %s unmute %s", in.Prefix, r.Name)), nil
	},
}

var cmdUnmute = &Command{
	Name:  "unmute",
	Usage: "RULE",
	Help:  "end a rule's mute",
	Admin: true,
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		if len(in.Args) != 1 {
			return nil, userErrorf("name one rule")
		}
		r, err := c.rule(in.Args[0])
		if err != nil {
			return nil, err
		}
		was, err := c.db.Unmute(ctx, r.Name, c.now())
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
	Admin: true,
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		if c.digester == nil {
			return c.message("Digests cannot be posted from here."), nil
		}
		if len(in.Args) > 1 {
			return nil, userErrorf("name at most one rule")
		}
		var n int
		var err error
		if len(in.Args) == 0 {
			n, _, err = c.digester.Queue(ctx, true)
		} else {
			var r *Rule
			if r, err = c.rule(in.Args[0]); err != nil {
				return nil, err
			}
			if r.Mode != ModeDigest {
				return nil, userErrorf("%s is an alert rule; it has no digest", r.Name)
			}
			n, err = c.queueDigest(ctx, r.Name)
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

// queueDigest queues the waiting digests of one rule, in every channel.
func (c *Commands) queueDigest(ctx context.Context, rule string) (int, error) {
	states, err := c.db.DigestStates(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, st := range states {
		if st.Rule != rule || st.Pending == 0 {
			continue
		}
		ok, err := c.db.TakeDigest(ctx, st.Rule, st.Channel, c.now())
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// rule returns the configured rule of this name, or a user error.
func (c *Commands) rule(name string) (*Rule, error) {
	for i := range c.rules {
		if c.rules[i].Name == name {
			return &c.rules[i], nil
		}
	}
	return nil, userErrorf("there is no rule named %q; rules lists them", name)
}

// exampleRule names a rule for usage examples.
func (c *Commands) exampleRule() string {
	if len(c.rules) > 0 {
		return c.rules[0].Name
	}
	return "RULE"
}
