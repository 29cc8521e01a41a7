package command

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/rules"
)

// Page sizes and bounds of the lookup commands.
const (
	storiesPerPage = 10
	linesPerPage   = 25
	maxSearchHits  = 200             // stories a chat search pages through
	searchTimeout  = 5 * time.Second // a chat search reads items for this long at most
	storiesSince   = human.Day
)

var cmdSearch = &Command{
	Name:    "search",
	Aliases: []string{"s"},
	Usage:   "QUERY [since:30d] [page:N]",
	Help:    "stories with an item matching QUERY (rules language, @aliases too) in all history, best first",
	Group:   GroupLookups,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		src := strings.Join(in.Args, " ")
		if src == "" {
			return nil, userErrorf("search for what?")
		}
		opts := c.cfg.Parse
		opts.Regexp = false // never from chat: anyone in the channel may search
		q, err := rules.ParseWith(src, opts)
		if err != nil {
			return nil, userErrorf("query %q: %v", src, err)
		}
		now := c.now()
		req := bot.SearchRequest{Query: q, Limit: maxSearchHits, Feeds: c.cfg.Feeds, Now: now}
		within := "in all history"
		if in.HasSince && in.Since > 0 { // since:0 is all history, as leaving it out
			req.Since, within = now.Add(-in.Since), "in the last "+human.FormatDuration(in.Since)
		}
		sctx, cancel := context.WithTimeout(ctx, searchTimeout)
		defer cancel()
		ids, err := c.cfg.Search.SearchStoryIDs(sctx, req)
		cut := errors.Is(err, bot.ErrSearchCut)
		if err != nil && !cut {
			return nil, err
		}
		r := &bot.Reply{Title: fmt.Sprintf("%s matching %s %s", human.Count(len(ids), "story", "stories"), src, within)}
		if len(ids) == maxSearchHits {
			r.Title = fmt.Sprintf("The best %d stories matching %s %s", maxSearchHits, src, within)
		}
		if cut {
			r.Title += " (the search took too long and stopped early: add words or a since:)"
		}
		if len(ids) == 0 && !req.Since.IsZero() && !cut {
			// Say whether the window left out older stories that match.
			req.Since, req.Limit = time.Time{}, 1
			older, err := c.cfg.Search.SearchStoryIDs(sctx, req)
			if err != nil && !errors.Is(err, bot.ErrSearchCut) {
				return nil, err
			}
			if len(older) > 0 {
				r.Lines = append(r.Lines, bot.Line{Text: fmt.Sprintf("Older stories match: %s search %s finds them.", in.Prefix, src)})
			}
		}
		page, err := paginate(r, in, ids, storiesPerPage)
		if err != nil {
			return nil, err
		}
		for _, id := range page {
			s, err := c.cfg.Stories.Story(ctx, id)
			if errors.Is(err, bot.ErrNotFound) {
				continue // pruned meanwhile
			}
			if err != nil {
				return nil, err
			}
			r.Stories = append(r.Stories, s)
		}
		return r, nil
	},
}

var cmdStories = &Command{
	Name:  "stories",
	Usage: "[since:1d] [page:N]",
	Help:  "the latest stories, most recently updated first",
	Group: GroupLookups,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		if len(in.Args) > 0 {
			return nil, userErrorf("stories takes no words, only options; to look for something, use search")
		}
		since := storiesSince
		if in.HasSince {
			since = in.Since
		}
		from, title := c.now().Add(-since), "Stories updated in the last "+human.FormatDuration(since)
		if since == 0 { // since:0: all of them
			from, title = time.Time{}, "Stories, latest updated first"
		}
		// One more than the page needs tells whether another page follows.
		list, err := c.cfg.Stories.Stories(ctx, from, in.Page*storiesPerPage+1)
		if err != nil {
			return nil, err
		}
		r := &bot.Reply{Title: title}
		start := (in.Page - 1) * storiesPerPage
		if start >= len(list) && in.Page > 1 {
			return nil, userErrorf("there are no more stories (page %d is empty)", in.Page)
		}
		if len(list) > in.Page*storiesPerPage {
			list = list[:in.Page*storiesPerPage]
			r.Next = in.nextPage()
		}
		if in.Page > 1 || r.Next != "" {
			r.Page = in.Page
		}
		if len(list) == 0 {
			text := "No stories."
			if !from.IsZero() {
				// Say whether older ones are stored, and how to see them.
				latest, err := c.cfg.Stories.Stories(ctx, time.Time{}, 1)
				if err != nil {
					return nil, err
				}
				if len(latest) > 0 {
					text = fmt.Sprintf("None updated since then; the latest was updated %s (%s stories since:0 lists them all).",
						human.Time(latest[0].Updated, c.loc), in.Prefix)
				}
			}
			r.Lines = append(r.Lines, bot.Line{Text: text})
		}
		r.Stories = append(r.Stories, list[min(start, len(list)):]...)
		return r, nil
	},
}

var cmdStory = &Command{
	Name:       "story",
	Usage:      "ID [page:N]",
	Help:       "one story: every outlet's report, with times and links",
	Group:      GroupLookups,
	StoryFirst: true,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		if len(in.Args) != 1 {
			return nil, userErrorf("give one story ID")
		}
		id, err := storyArg(in.Args[0])
		if err != nil {
			return nil, err
		}
		live, err := c.cfg.Stories.Resolve(ctx, id)
		if err != nil {
			return nil, err
		}
		story, err := c.cfg.Stories.Story(ctx, live)
		if errors.Is(err, bot.ErrNotFound) {
			return nil, userErrorf("there is no story %d", id)
		}
		if err != nil {
			return nil, err
		}
		r := &bot.Reply{Title: "Story #" + story.ID, Stories: []*bot.Story{story}}
		if live != id {
			r.Title += fmt.Sprintf(" (story #%d was merged into it)", id)
		}
		r.Reports, err = paginate(r, in, story.Reports(), linesPerPage)
		return r, err
	},
}

var cmdRules = &Command{
	Name:  "rules",
	Usage: "[page:N]",
	Help:  "the watch rules: mode, channels, query, mutes",
	Group: GroupLookups,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		now := c.now()
		mutedUntil, err := c.cfg.Mutes.MutedUntil(ctx, now)
		if err != nil {
			return nil, err
		}
		var lines []bot.Line
		for _, r := range c.cfg.Rules {
			mode := r.Mode
			if r.Mode == bot.ModeDigest && r.Digest != nil {
				mode += " (next " + human.Time(r.Digest.Next(now), c.loc) + ")"
			}
			if r.MinSources > 1 {
				mode += fmt.Sprintf(", held until %d independent sources", r.MinSources)
			}
			if r.MinOutlets > 1 {
				mode += fmt.Sprintf(", held until %d outlets", r.MinOutlets)
			}
			text := fmt.Sprintf("%s: %s to %s · query: %s", r.Name, mode, strings.Join(r.Channels, ", "), r.Query)
			if until, ok := mutedUntil[r.Name]; ok {
				text += " · MUTED until " + human.Time(until, c.loc)
			}
			lines = append(lines, bot.Line{Text: text})
		}
		r := &bot.Reply{Title: human.Count(len(c.cfg.Rules), "rule", "rules")}
		r.Lines, err = paginate(r, in, lines, linesPerPage)
		return r, err
	},
}

var cmdFeeds = &Command{
	Name:  "feeds",
	Usage: "[page:N]",
	Help:  "feed health (last success, last error, next poll) and paused channels",
	Group: GroupLookups,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		paused, err := c.cfg.Health.PausedChannels(ctx)
		if err != nil {
			return nil, err
		}
		names := make([]string, len(c.cfg.Feeds))
		for i, f := range c.cfg.Feeds {
			names[i] = f.Name
		}
		health, err := c.cfg.Health.FeedsHealth(ctx, names)
		if err != nil {
			return nil, err
		}
		var lines []bot.Line
		for _, p := range paused {
			lines = append(lines, bot.Line{Text: fmt.Sprintf("Channel %s is PAUSED since %s: %s; next try %s; its deliveries wait in the outbox",
				p.Channel, human.Time(p.PausedAt, c.loc), human.RedactURLs(p.Reason), human.Time(p.RetryAt, c.loc))})
		}
		failing := 0
		for _, h := range health {
			if h.LastError != "" {
				failing++
			}
			lines = append(lines, bot.Line{Text: h.Describe(c.loc)})
		}
		title := fmt.Sprintf("%s, %d failing", human.Count(len(health), "feed", "feeds"), failing)
		if len(paused) > 0 {
			title += fmt.Sprintf("; %s paused", human.Count(len(paused), "channel", "channels"))
		}
		r := &bot.Reply{Title: title}
		r.Lines, err = paginate(r, in, lines, linesPerPage)
		return r, err
	},
}
