package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("run", stderr)
	if !f.parse(args) {
		return exitUsage
	}
	return withApp(ctx, *f.config, stdout, stderr, func(a *app) int {
		a.log.Info("wirewatch started", slog.String("version", version), slog.Int("feeds", len(a.feeds)),
			slog.Int("rules", len(a.rules)), slog.String("store", a.cfg.Store.Path))
		if n, err := a.db.RetryPausedChannels(ctx, time.Now().UTC()); err != nil {
			a.log.Error("cannot retry paused channels", slog.Any("error", err))
		} else if n > 0 {
			a.log.Info("paused channels are tried again at start", slog.Int("channels", n))
		}
		stopChat, err := a.serveChat(ctx)
		if err != nil {
			a.log.Error("wirewatch stopped", slog.Any("error", err))
			return exitFailed
		}
		err = a.service.Run(ctx)
		stopChat() // after the scheduler, before the store
		if err != nil {
			a.log.Error("wirewatch stopped", slog.Any("error", err))
			return exitFailed
		}
		a.log.Info("wirewatch stopped")
		return exitOK
	})
}

func cmdOnce(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("once", stderr)
	digests := f.Bool("digests", false, "send every pending digest now")
	if !f.parse(args) {
		return exitUsage
	}
	return withApp(ctx, *f.config, stdout, stderr, func(a *app) int {
		res, err := a.service.Once(ctx, *digests)
		fmt.Fprintf(stderr, "once: %d of %d feeds polled, %d failed; %d delivered, %d digests queued\n",
			res.FeedsOK, len(a.feeds), res.FeedsFailed, res.Flush.Sent, res.Digests)
		if res.Flush.Pending > 0 {
			fmt.Fprintf(stderr, "once: %d deliveries could not be sent yet; they stay in the outbox for the next run\n", res.Flush.Pending)
		}
		if err != nil {
			fmt.Fprintln(stderr, "wirewatch once:", err)
			return exitFailed
		}
		if len(a.feeds) > 0 && res.FeedsOK == 0 {
			return exitFailed
		}
		return exitOK
	})
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("check", stderr)
	online := f.Bool("online", false, "also check the chat accounts (Slack, Matrix)")
	if !f.parse(args) {
		return exitUsage
	}
	cfg, ok := loadConfig(*f.config, stderr)
	if !ok {
		return exitUsage
	}
	if _, _, _, err := compile(cfg); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if _, err := senders(cfg, io.Discard, nil, nil, nil, nil); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "ok: %s: %s, %s, %s\n", cfg.Path, human.Count(len(cfg.Feeds), "feed", "feeds"),
		human.Count(len(cfg.Rules), "rule", "rules"), human.Count(len(cfg.Channels), "channel", "channels"))
	if !*online {
		return exitOK
	}
	if !checkOnline(ctx, cfg, stdout, stderr) {
		return exitFailed
	}
	return exitOK
}

// readOnly loads the configuration and opens its store for a lookup command.
func readOnly(ctx context.Context, path string, stderr io.Writer, fn func(cfg *config.Config, db *store.DB, loc *time.Location) int) int {
	cfg, ok := loadConfig(path, stderr)
	if !ok {
		return exitUsage
	}
	loc, err := time.LoadLocation(cfg.Defaults.Timezone)
	if err != nil {
		fmt.Fprintln(stderr, "wirewatch:", err)
		return exitUsage
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "wirewatch:", err)
		return exitFailed
	}
	defer db.Close()
	return fn(cfg, db, loc)
}

// sinceFlag parses a -since value; "" means all time.
func sinceFlag(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	d, err := human.ParseDuration(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("-since: %w", err)
	}
	return now.Add(-d), nil
}

func cmdSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("search", stderr)
	asJSON := f.Bool("json", false, "print stories as JSON lines")
	sinceArg := f.String("since", "", "only items published within this `duration` (default: all)")
	limit := f.Int("limit", 20, "at most this many stories")
	if !f.parse(args) {
		return exitUsage
	}
	src := strings.Join(f.Args(), " ")
	q, err := rules.Parse(src)
	if err != nil {
		fmt.Fprintf(stderr, "wirewatch search: %v\n", err)
		return exitUsage
	}
	since, err := sinceFlag(*sinceArg, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "wirewatch search:", err)
		return exitUsage
	}
	return readOnly(ctx, *f.config, stderr, func(cfg *config.Config, db *store.DB, loc *time.Location) int {
		list, err := bot.SearchStories(ctx, db, q, since, *limit)
		if err != nil {
			fmt.Fprintln(stderr, "wirewatch search:", err)
			return exitFailed
		}
		return printStories(stdout, stderr, list, *asJSON, loc)
	})
}

func cmdStories(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("stories", stderr)
	asJSON := f.Bool("json", false, "print stories as JSON lines")
	sinceArg := f.String("since", "24h", "stories updated within this `duration`")
	limit := f.Int("limit", 0, "at most this many stories (0: all)")
	if !f.parse(args) {
		return exitUsage
	}
	if f.NArg() > 0 {
		fmt.Fprintf(stderr, "wirewatch stories: unexpected argument %q\n", f.Arg(0))
		return exitUsage
	}
	since, err := sinceFlag(*sinceArg, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "wirewatch stories:", err)
		return exitUsage
	}
	return readOnly(ctx, *f.config, stderr, func(cfg *config.Config, db *store.DB, loc *time.Location) int {
		list, err := db.Stories(ctx, since, *limit)
		if err != nil {
			fmt.Fprintln(stderr, "wirewatch stories:", err)
			return exitFailed
		}
		return printStories(stdout, stderr, list, *asJSON, loc)
	})
}

func cmdStory(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "merge" || args[0] == "split") {
		return cmdCorrect(ctx, args[0], args[1:], stdout, stderr)
	}
	f := newFlags("story", stderr)
	asJSON := f.Bool("json", false, "print the story as JSON")
	if !f.parse(args) {
		return exitUsage
	}
	if f.NArg() > 0 && (f.Arg(0) == "merge" || f.Arg(0) == "split") {
		return cmdCorrect(ctx, f.Arg(0), append([]string{"-config", *f.config}, f.Args()[1:]...), stdout, stderr)
	}
	if f.NArg() != 1 {
		fmt.Fprintln(stderr, "wirewatch story: give one story ID (or: story merge ID ID, story split ID URL)")
		return exitUsage
	}
	id, ok := storyID(f.Arg(0), stderr)
	if !ok {
		return exitUsage
	}
	return readOnly(ctx, *f.config, stderr, func(cfg *config.Config, db *store.DB, loc *time.Location) int {
		s, err := db.Story(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(stderr, "wirewatch story: no story %d\n", id)
			return exitFailed
		}
		if err != nil {
			fmt.Fprintln(stderr, "wirewatch story:", err)
			return exitFailed
		}
		if *asJSON {
			return printStories(stdout, stderr, []*store.Story{s}, true, loc)
		}
		writeStory(stdout, bot.NewStory(s), loc, true)
		writeRevisions(stdout, s, loc)
		return exitOK
	})
}

// cmdCorrect runs `story merge INTO FROM` and `story split ID URL`.
func cmdCorrect(ctx context.Context, verb string, args []string, stdout, stderr io.Writer) int {
	f := newFlags("story "+verb, stderr)
	if !f.parse(args) {
		return exitUsage
	}
	if f.NArg() != 2 {
		if verb == "merge" {
			fmt.Fprintln(stderr, "wirewatch story merge: give two story IDs: the story to keep, then the one to merge into it")
		} else {
			fmt.Fprintln(stderr, "wirewatch story split: give a story ID and the URL of the item to take out of it")
		}
		return exitUsage
	}
	id, ok := storyID(f.Arg(0), stderr)
	if !ok {
		return exitUsage
	}
	cfg, ok := loadConfig(*f.config, stderr)
	if !ok {
		return exitUsage
	}
	_, _, rs, err := compile(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	return readOnly(ctx, *f.config, stderr, func(cfg *config.Config, db *store.DB, loc *time.Location) int {
		var err error
		switch verb {
		case "merge":
			from, ok := storyID(f.Arg(1), stderr)
			if !ok {
				return exitUsage
			}
			if err = bot.Merge(ctx, db, id, from); err == nil {
				fmt.Fprintf(stdout, "merged story %d into story %d\n", from, id)
			}
		case "split":
			var newID int64
			if newID, err = bot.Split(ctx, db, rs, id, f.Arg(1), time.Now().UTC()); err == nil {
				fmt.Fprintf(stdout, "split %s from story %d into story %d\n", f.Arg(1), id, newID)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "wirewatch story %s: %v\n", verb, err)
			if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrCorrection) {
				return exitUsage
			}
			return exitFailed
		}
		return exitOK
	})
}

// storyID parses a story ID argument.
func storyID(arg string, stderr io.Writer) (int64, bool) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(stderr, "wirewatch story: %q is not a story ID\n", arg)
		return 0, false
	}
	return id, true
}

// writeRevisions says what changed in the story's edited items.
func writeRevisions(w io.Writer, s *store.Story, loc *time.Location) {
	for _, it := range s.Items {
		if len(it.Revisions) == 0 {
			continue
		}
		fmt.Fprintf(w, "     edited %d %s: %s\n", len(it.Revisions), human.Plural(len(it.Revisions), "time", "times"), it.URL)
		for _, r := range it.Revisions {
			fmt.Fprintf(w, "       until %s: %q\n", human.Time(r.Replaced, loc), r.Title)
			if r.Text != it.Text {
				fmt.Fprintf(w, "         text was: %s\n", snippet(r.Text, 160))
			}
		}
		fmt.Fprintf(w, "       now: %q\n", it.Title)
	}
}

// snippet shortens s to about n runes.
func snippet(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func cmdFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("feeds", stderr)
	if !f.parse(args) {
		return exitUsage
	}
	return readOnly(ctx, *f.config, stderr, func(cfg *config.Config, db *store.DB, loc *time.Location) int {
		names := make([]string, len(cfg.Feeds))
		for i, fc := range cfg.Feeds {
			names[i] = fc.Name
		}
		health, err := bot.FeedsHealth(ctx, db, names)
		if err != nil {
			fmt.Fprintln(stderr, "wirewatch feeds:", err)
			return exitFailed
		}
		for _, h := range health {
			fmt.Fprintln(stdout, h.Describe(loc))
		}
		paused, err := db.PausedChannels(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "wirewatch feeds:", err)
			return exitFailed
		}
		for _, p := range paused {
			fmt.Fprintf(stdout, "channel %s PAUSED since %s: %s; next try %s\n", p.Channel,
				human.Time(p.PausedAt, loc), bot.RedactURLs(p.Reason), human.Time(p.RetryAt, loc))
		}
		return exitOK
	})
}

// printStories writes stories as text or as JSON lines.
func printStories(stdout, stderr io.Writer, list []*store.Story, asJSON bool, loc *time.Location) int {
	enc := json.NewEncoder(stdout)
	for _, s := range list {
		story := bot.NewStory(s)
		if asJSON {
			if err := enc.Encode(story); err != nil {
				fmt.Fprintln(stderr, "wirewatch:", err)
				return exitFailed
			}
			continue
		}
		writeStory(stdout, story, loc, false)
	}
	if !asJSON && len(list) == 0 {
		fmt.Fprintln(stderr, "no stories")
	}
	return exitOK
}

// writeStory prints a story for people: title, outlets, links.
func writeStory(w io.Writer, s *bot.Story, loc *time.Location, full bool) {
	fmt.Fprintf(w, "#%s  %s\n", s.ID, s.Title)
	rulesText := ""
	if len(s.Rules) > 0 {
		rulesText = " · rules: " + strings.Join(s.Rules, ", ")
	}
	independent := ""
	if s.Independent != s.Sources {
		independent = fmt.Sprintf(" (%s: %s)", human.Count(s.Independent, "independent source", "independent sources"), strings.Join(s.Origins, ", "))
	}
	fmt.Fprintf(w, "     %d %s: %s%s · updated %s%s\n", s.Sources, human.Plural(s.Sources, "outlet", "outlets"),
		strings.Join(s.Outlets, ", "), independent, human.Time(s.Updated, loc), rulesText)
	for _, it := range s.Items {
		if full {
			credit := ""
			if len(it.Credits) > 0 {
				credit = " (credits " + strings.Join(it.Credits, ", ") + ")"
			}
			fmt.Fprintf(w, "     %s  %-20s %s%s\n       %s\n", human.Time(it.Published, loc), it.Source, it.Title, credit, it.URL)
		} else {
			fmt.Fprintf(w, "     %s\n", it.URL)
		}
	}
	fmt.Fprintln(w)
}

// checkOnline asks Slack whom the bot token belongs to and whether the bot
// can post in each configured Slack channel, asks the Matrix homeserver
// who the bot is and whether it has joined each configured room, and
// lists the channels paused by a permanent error. It reports whether all
// is well.
func checkOnline(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer) bool {
	ok := true
	c := newSlackClient(cfg, slog.New(slog.DiscardHandler))
	hasMatrix := cfg.Matrix.Homeserver != "" && (cfg.Matrix.AccessToken != "" || cfg.Matrix.Password != "")
	if c == nil && !hasMatrix {
		fmt.Fprintln(stdout, "online: no chat accounts to check (no [slack] bot_token, no [matrix] account)")
	}
	if c != nil {
		id, err := c.AuthTest(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "online: slack:", err)
			return false
		}
		fmt.Fprintf(stdout, "online: slack: team %s (%s), bot user %s (%s)\n", id.Team, id.TeamID, id.User, id.UserID)
		ids, err := c.ResolveChannels(ctx, slackTargets(cfg))
		if err != nil {
			fmt.Fprintln(stderr, "online: slack:", err)
			ok = false
		}
		for _, ch := range cfg.Channels {
			if ch.Slack == "" || ids[ch.Slack] == "" {
				continue
			}
			if err := c.CheckChannel(ctx, ids[ch.Slack]); err != nil {
				fmt.Fprintf(stdout, "online: slack: channel %s (%s): cannot post: %v\n", ch.Name, ch.Slack, err)
				ok = false
			} else {
				fmt.Fprintf(stdout, "online: slack: channel %s (%s = %s): ok\n", ch.Name, ch.Slack, ids[ch.Slack])
			}
		}
	}
	if hasMatrix && !checkMatrix(ctx, cfg, stdout, stderr) {
		ok = false
	}
	if cfg.Store.DSN == "" {
		if _, err := os.Stat(cfg.Store.Path); err == nil {
			if db, err := openStore(ctx, cfg); err == nil {
				paused, _ := db.PausedChannels(ctx)
				for _, p := range paused {
					fmt.Fprintf(stdout, "online: channel %s is paused since %s: %s\n", p.Channel,
						p.PausedAt.Format(time.RFC3339), bot.RedactURLs(p.Reason))
					ok = false
				}
				db.Close()
			}
		}
	}
	return ok
}

// checkMatrix logs in to the homeserver as run does (a password login
// stores its device in the store, for run to reuse), says who the bot is
// (whoami) and whether it has joined each configured room.
func checkMatrix(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer) bool {
	db, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "online: matrix:", err)
		return false
	}
	defer db.Close()
	c, err := wmatrix.Connect(ctx, matrixConfig(cfg), db, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(stderr, "online: matrix:", err)
		return false
	}
	defer c.Close()
	who, rooms, err := c.Check(ctx, matrixTargets(cfg))
	if err != nil {
		fmt.Fprintln(stderr, "online: matrix:", err)
		return false
	}
	fmt.Fprintf(stdout, "online: matrix: %s, device %s\n", who.UserID, who.DeviceID)
	ok := true
	i := 0
	for _, ch := range cfg.Channels {
		if ch.Matrix == "" {
			continue
		}
		rc := rooms[i]
		i++
		if rc.Err != nil {
			fmt.Fprintf(stdout, "online: matrix: room %s (%s): cannot post: %v\n", ch.Name, ch.Matrix, rc.Err)
			ok = false
		} else {
			fmt.Fprintf(stdout, "online: matrix: room %s (%s = %s): joined\n", ch.Name, ch.Matrix, rc.RoomID)
		}
	}
	return ok
}
