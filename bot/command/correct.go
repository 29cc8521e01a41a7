package command

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/bot"
)

// storyArg parses a story ID argument ("12" or "#12").
func storyArg(arg string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, userErrorf("%q is not a story ID", arg)
	}
	return id, nil
}

// correctionError turns a correction the store refused into an answer.
func correctionError(err error) error {
	if errors.Is(err, bot.ErrCorrection) || errors.Is(err, bot.ErrNotFound) {
		return userErrorf("%v", err)
	}
	return err
}

var cmdMerge = &Command{
	Name:  "merge",
	Usage: "ID ID",
	Help:  "fix the grouping: the second story joins the first (nothing is alerted again)",
	Group: GroupCorrections,
	Admin: true,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		if len(in.Args) != 2 {
			return nil, userErrorf("give two story IDs: the story to keep, then the one to merge into it")
		}
		into, err := storyArg(in.Args[0])
		if err != nil {
			return nil, err
		}
		from, err := storyArg(in.Args[1])
		if err != nil {
			return nil, err
		}
		if err := c.cfg.Corrections.Merge(ctx, into, from, c.now()); err != nil {
			return nil, correctionError(err)
		}
		c.log.Info("stories merged", slog.Int64("story", into), slog.Int64("merged", from), slog.String("user", in.User))
		return c.message(fmt.Sprintf("Merged story #%d into story #%d.", from, into),
			"Later reports like either of them join it."), nil
	},
}

var cmdSplit = &Command{
	Name:       "split",
	Usage:      "ID URL|OUTLET",
	Help:       "fix the grouping: the report at URL (or the outlet's report) leaves the story for one of its own",
	Group:      GroupCorrections,
	Admin:      true,
	StoryFirst: true,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		if len(in.Args) != 2 {
			return nil, userErrorf("give a story ID and the URL (or the outlet) of the report to take out of it")
		}
		id, err := storyArg(in.Args[0])
		if err != nil {
			return nil, err
		}
		// The story of an alert (its button, a reply to it) may have been
		// merged into another since: the report is in that one now.
		if id, err = c.cfg.Stories.Resolve(ctx, id); err != nil {
			return nil, correctionError(err)
		}
		// Chat platforms wrap links: Slack as <url> or <url|text>.
		url := strings.TrimSuffix(strings.TrimPrefix(in.Args[1], "<"), ">")
		url, _, _ = strings.Cut(url, "|")
		if !strings.Contains(url, "://") {
			if url, err = c.outletURL(ctx, id, url); err != nil {
				return nil, err
			}
		}
		newID, err := c.cfg.Corrections.Split(ctx, id, url, c.now())
		if err != nil {
			return nil, correctionError(err)
		}
		c.log.Info("story split", slog.Int64("story", id), slog.Int64("new_story", newID), slog.String("url", url), slog.String("user", in.User))
		return c.message(fmt.Sprintf("Took %s out of story #%d: it is story #%d now.", url, id, newID),
			"Later reports like it join the new story."), nil
	},
}

// outletURL returns the URL of the outlet's first report in a story.
func (c *Set) outletURL(ctx context.Context, id int64, outlet string) (string, error) {
	st, err := c.cfg.Stories.Story(ctx, id)
	if errors.Is(err, bot.ErrNotFound) {
		return "", userErrorf("there is no story %d", id)
	}
	if err != nil {
		return "", err
	}
	for _, it := range st.Items {
		if strings.EqualFold(it.Source, outlet) && it.URL != "" {
			return it.URL, nil
		}
	}
	return "", userErrorf("story #%d has no report from %s", id, outlet)
}
