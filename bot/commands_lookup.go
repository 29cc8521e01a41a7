package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Page sizes and bounds of the lookup commands.
const (
	storiesPerPage = 10
	linesPerPage   = 25
	maxSearchHits  = 200 // stories a chat search pages through
	searchSince    = 7 * human.Day
	storiesSince   = human.Day
)

var cmdSearch = &Command{
	Name:    "search",
	Aliases: []string{"s"},
	Usage:   "QUERY [since:7d] [page:N]",
	Help:    "stories with an item matching QUERY (rules language), newest match first",
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		src := strings.Join(in.Args, " ")
		if src == "" {
			return nil, userErrorf("search for what?")
		}
		q, err := rules.Parse(src)
		if err != nil {
			return nil, userErrorf("query %q: %v", src, err)
		}
		since := searchSince
		if in.HasSince {
			since = in.Since
		}
		ids, err := SearchStoryIDs(ctx, c.db, q, c.now().Add(-since), maxSearchHits)
		if err != nil {
			return nil, err
		}
		r := &Reply{Title: fmt.Sprintf("%s matching %s in the last %s", human.Count(len(ids), "story", "stories"), src, human.FormatDuration(since))}
		if len(ids) == maxSearchHits {
			r.Title = fmt.Sprintf("The latest %d stories matching %s in the last %s", maxSearchHits, src, human.FormatDuration(since))
		}
		page, err := paginate(r, in, ids, storiesPerPage)
		if err != nil {
			return nil, err
		}
		for _, id := range page {
			s, err := c.db.Story(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // pruned meanwhile
			}
			if err != nil {
				return nil, err
			}
			r.Stories = append(r.Stories, NewStory(s))
		}
		return r, nil
	},
}

// SearchStoryIDs returns the stories that have an item published at or
// after since matching q, the story of the newest such item first: at most
// limit of them (limit <= 0: all). A zero since means all time.
func SearchStoryIDs(ctx context.Context, db *store.DB, q *rules.Query, since time.Time, limit int) ([]int64, error) {
	var ids []int64
	seen := map[int64]bool{}
	errEnough := errors.New("enough")
	err := db.ScanItems(ctx, since, func(it *store.Item) error {
		if seen[it.StoryID] || !q.Match(rules.NewDoc(it.Title, it.Text)) {
			return nil
		}
		seen[it.StoryID] = true
		ids = append(ids, it.StoryID)
		if limit > 0 && len(ids) >= limit {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, fmt.Errorf("search: %w", err)
	}
	return ids, nil
}

// SearchStories is SearchStoryIDs with the stories loaded.
func SearchStories(ctx context.Context, db *store.DB, q *rules.Query, since time.Time, limit int) ([]*store.Story, error) {
	ids, err := SearchStoryIDs(ctx, db, q, since, limit)
	if err != nil {
		return nil, err
	}
	out := make([]*store.Story, 0, len(ids))
	for _, id := range ids {
		s, err := db.Story(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // pruned meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, s)
	}
	return out, nil
}

var cmdStories = &Command{
	Name:  "stories",
	Usage: "[since:1d] [page:N]",
	Help:  "the latest stories, most recently updated first",
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		if len(in.Args) > 0 {
			return nil, userErrorf("stories takes no words, only options; to look for something, use search")
		}
		since := storiesSince
		if in.HasSince {
			since = in.Since
		}
		// One more than the page needs tells whether another page follows.
		list, err := c.db.Stories(ctx, c.now().Add(-since), in.Page*storiesPerPage+1)
		if err != nil {
			return nil, err
		}
		r := &Reply{Title: fmt.Sprintf("Stories updated in the last %s", human.FormatDuration(since))}
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
			r.Lines = append(r.Lines, Line{Text: "No stories."})
		}
		for _, s := range list[min(start, len(list)):] {
			r.Stories = append(r.Stories, NewStory(s))
		}
		return r, nil
	},
}

var cmdStory = &Command{
	Name:  "story",
	Usage: "ID [page:N]",
	Help:  "one story: every outlet's report, with times and links",
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		if len(in.Args) != 1 {
			return nil, userErrorf("give one story ID")
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(in.Args[0], "#"), 10, 64)
		if err != nil || id <= 0 {
			return nil, userErrorf("%q is not a story ID", in.Args[0])
		}
		live := id
		if err := c.db.InTx(ctx, func(tx *store.Tx) error {
			live, err = tx.Resolve(ctx, id)
			return err
		}); err != nil {
			return nil, err
		}
		s, err := c.db.Story(ctx, live)
		if errors.Is(err, store.ErrNotFound) {
			return nil, userErrorf("there is no story %d", id)
		}
		if err != nil {
			return nil, err
		}
		story := NewStory(s)
		r := &Reply{Title: "Story #" + story.ID, Stories: []*Story{story}}
		if live != id {
			r.Title += fmt.Sprintf(" (story #%d was merged into it)", id)
		}
		var lines []Line
		for _, it := range story.Items {
			label := it.Title
			if len(it.Credits) > 0 {
				label += " (credits " + strings.Join(it.Credits, ", ") + ")"
			}
			if it.Edited > 0 {
				label += fmt.Sprintf(" (edited %s)", human.Count(it.Edited, "time", "times"))
			}
			lines = append(lines, Line{Text: human.Time(it.Published, c.loc) + " · " + it.Source, Link: it.URL, LinkText: label})
		}
		r.Lines, err = paginate(r, in, lines, linesPerPage)
		return r, err
	},
}

var cmdRules = &Command{
	Name:  "rules",
	Usage: "[page:N]",
	Help:  "the watch rules: mode, channels, query, mutes",
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		now := c.now()
		mutes, err := c.db.Mutes(ctx, now)
		if err != nil {
			return nil, err
		}
		mutedUntil := map[string]time.Time{}
		for _, m := range mutes {
			mutedUntil[m.Rule] = m.Until
		}
		var lines []Line
		for _, r := range c.rules {
			mode := r.Mode
			if r.Mode == ModeDigest && r.Digest != nil {
				mode += " (next " + human.Time(r.Digest.Next(now), c.loc) + ")"
			}
			if r.MinSources > 1 {
				mode += fmt.Sprintf(", held until %d independent sources", r.MinSources)
			}
			text := fmt.Sprintf("%s: %s to %s · query: %s", r.Name, mode, strings.Join(r.Channels, ", "), r.Query)
			if until, ok := mutedUntil[r.Name]; ok {
				text += " · MUTED until " + human.Time(until, c.loc)
			}
			lines = append(lines, Line{Text: text})
		}
		r := &Reply{Title: human.Count(len(c.rules), "rule", "rules")}
		r.Lines, err = paginate(r, in, lines, linesPerPage)
		return r, err
	},
}

var cmdFeeds = &Command{
	Name:  "feeds",
	Usage: "[page:N]",
	Help:  "feed health (last success, last error, next poll) and paused channels",
	Run: func(ctx context.Context, c *Commands, in *Input) (*Reply, error) {
		paused, err := c.db.PausedChannels(ctx)
		if err != nil {
			return nil, err
		}
		names := make([]string, len(c.feeds))
		for i, f := range c.feeds {
			names[i] = f.Name
		}
		health, err := FeedsHealth(ctx, c.db, names)
		if err != nil {
			return nil, err
		}
		var lines []Line
		for _, p := range paused {
			lines = append(lines, Line{Text: fmt.Sprintf("Channel %s is PAUSED since %s: %s; next try %s; its deliveries wait in the outbox",
				p.Channel, human.Time(p.PausedAt, c.loc), RedactURLs(p.Reason), human.Time(p.RetryAt, c.loc))})
		}
		failing := 0
		for _, h := range health {
			if h.LastError != "" {
				failing++
			}
			lines = append(lines, Line{Text: h.Describe(c.loc)})
		}
		title := fmt.Sprintf("%s, %d failing", human.Count(len(health), "feed", "feeds"), failing)
		if len(paused) > 0 {
			title += fmt.Sprintf("; %s paused", human.Count(len(paused), "channel", "channels"))
		}
		r := &Reply{Title: title}
		r.Lines, err = paginate(r, in, lines, linesPerPage)
		return r, err
	},
}

// FeedHealth is how polling one configured feed goes.
type FeedHealth struct {
	Name        string
	Polled      bool // false: never polled yet
	LastSuccess time.Time
	LastError   string // "" when the last poll succeeded
	Failures    int    // consecutive failures
	NextPoll    time.Time
	Items       int64
}

// FeedsHealth returns the health of the named feeds, in their order.
func FeedsHealth(ctx context.Context, db *store.DB, names []string) ([]FeedHealth, error) {
	states, err := db.FeedStates(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*store.FeedState, len(states))
	for _, s := range states {
		byName[s.Name] = s
	}
	out := make([]FeedHealth, 0, len(names))
	for _, n := range names {
		h := FeedHealth{Name: n}
		if st := byName[n]; st != nil {
			h.Polled, h.LastSuccess, h.LastError, h.Failures, h.NextPoll, h.Items =
				true, st.LastSuccess, st.LastError, st.Failures, st.NextPoll, st.ItemCount
		}
		out = append(out, h)
	}
	return out, nil
}

// Describe says in one line how the feed does, with URLs in its error
// redacted (they may carry tokens in their query).
func (h FeedHealth) Describe(loc *time.Location) string {
	if !h.Polled {
		return h.Name + ": never polled"
	}
	status := "ok"
	if h.LastError != "" {
		status = fmt.Sprintf("FAILING (%d in a row): %s", h.Failures, RedactURLs(h.LastError))
	}
	return fmt.Sprintf("%s: %s · last success %s · next poll %s · %s", h.Name, status,
		human.Time(h.LastSuccess, loc), human.Time(h.NextPoll, loc), human.Count(int(h.Items), "item", "items"))
}

// urlRE finds URLs in error text.
var urlRE = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+`)

// RedactURLs shortens the URLs in s to their scheme, host and path: user
// info, query and fragment may hold secrets.
func RedactURLs(s string) string {
	return urlRE.ReplaceAllStringFunc(s, func(raw string) string {
		u, err := url.Parse(strings.TrimRight(raw, ".,;:)"))
		if err != nil || u.Host == "" && u.Scheme != "file" {
			return "(url)"
		}
		out := u.Scheme + "://" + u.Host + u.EscapedPath()
		if u.RawQuery != "" || u.Fragment != "" {
			out += "?…"
		}
		return out + raw[len(strings.TrimRight(raw, ".,;:)")):]
	})
}
