package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/human"
)

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("check", stderr)
	online := f.Bool("online", false, "also check the chat accounts (Slack, Matrix), fetch every feed and list paused channels")
	cfg, err := f.parseAndLoadNoArgs(args)
	if err != nil {
		return err
	}
	if _, _, _, err := compile(cfg); err != nil {
		return usageError(err)
	}
	if _, err := senders(cfg, io.Discard, nil, nil, nil, nil); err != nil {
		return usageError(err)
	}
	fmt.Fprintf(stdout, "ok: %s: %s, %s, %s\n", cfg.Path, human.Count(len(cfg.Feeds), "feed", "feeds"),
		human.Count(len(cfg.Rules), "rule", "rules"), human.Count(len(cfg.Channels), "channel", "channels"))
	if !*online {
		return nil
	}
	return checkOnline(ctx, cfg, stdout)
}

// checkOnline asks Slack whom the bot token belongs to and whether the bot
// can post in each configured Slack channel, asks the Matrix homeserver
// who the bot is and whether it has joined each configured room, and
// lists the channels paused by a permanent error. What it finds goes to
// stdout; it returns a failure when something is wrong (with what could
// not be checked, one a line).
func checkOnline(ctx context.Context, cfg *config.Config, stdout io.Writer) error {
	ok := true
	var errs []error
	c := newSlackClient(cfg, slog.New(slog.DiscardHandler))
	hasMatrix := cfg.Matrix.Homeserver != "" && (cfg.Matrix.AccessToken != "" || cfg.Matrix.Password != "")
	if c == nil && !hasMatrix {
		fmt.Fprintln(stdout, "online: no chat accounts to check (no [slack] bot_token, no [matrix] account)")
	}
	if c != nil {
		id, err := c.AuthTest(ctx)
		if err != nil {
			return failed(fmt.Errorf("online: slack: %w", err))
		}
		fmt.Fprintf(stdout, "online: slack: team %s (%s), bot user %s (%s)\n", id.Team, id.TeamID, id.User, id.UserID)
		ids, err := c.ResolveChannels(ctx, targets(cfg, slackTarget))
		if err != nil {
			errs = append(errs, fmt.Errorf("online: slack: %w", err))
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
	if hasMatrix {
		mok, err := checkMatrix(ctx, cfg, stdout)
		if err != nil {
			errs = append(errs, fmt.Errorf("online: matrix: %w", err))
		}
		ok = ok && mok
	}
	ok = checkFeeds(ctx, cfg, stdout) && ok
	pok, err := checkPaused(ctx, cfg, stdout)
	if err != nil {
		errs = append(errs, fmt.Errorf("online: store: %w", err))
	}
	ok = ok && pok
	if len(errs) > 0 {
		return failed(errors.Join(errs...))
	}
	if !ok {
		return failed(nil) // stdout says what is wrong
	}
	return nil
}

// checkFeeds fetches every feed and says what it found of those that are
// not plain feeds: a web page (and the feed it leads to, to put in the
// configuration instead), or a failure. It reports whether every feed
// could be read.
func checkFeeds(ctx context.Context, cfg *config.Config, stdout io.Writer) bool {
	if len(cfg.Feeds) == 0 {
		return true
	}
	urls := make([]string, len(cfg.Feeds))
	headers := make([]map[string]string, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		urls[i], headers[i] = f.URL, f.Headers // an API key, as polls send it
	}
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{UserAgent: userAgent(cfg)})
	found := discoverAll(ctx, fetcher, urls, headers, nil, io.Discard)
	pages, failures := 0, 0
	for i, c := range found {
		name := cfg.Feeds[i].Name
		switch {
		case c.err != nil:
			failures++
			fmt.Fprintf(stdout, "online: feed %s: cannot be read: %s\n", name, errorGist(c.err))
		case c.d.Page:
			pages++
			fmt.Fprintf(stdout, "online: feed %s: %s is a web page; it leads to the feed %s (%s, %s): suggest url = %s\n",
				name, feeds.RedactRawURL(c.url), feeds.RedactRawURL(c.d.FeedURL), c.d.How,
				human.Count(c.d.Items, "item", "items"), tomlString(feeds.RedactRawURL(c.d.FeedURL)))
		}
	}
	fmt.Fprintf(stdout, "online: feeds: %d of %d read", len(found)-failures, len(found))
	if pages > 0 {
		fmt.Fprintf(stdout, ", %d of them through a web page", pages)
	}
	fmt.Fprintln(stdout)
	return failures == 0
}

// checkMatrix logs in to the homeserver as run does (a password login
// stores its device in the store, for run to reuse), says who the bot is
// (whoami) and whether it has joined each configured room. It reports
// whether every room is joined, or why it could not check.
func checkMatrix(ctx context.Context, cfg *config.Config, stdout io.Writer) (bool, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer db.Close()
	c, err := wmatrix.Connect(ctx, matrixConfig(cfg), db, slog.New(slog.DiscardHandler))
	if err != nil {
		return false, err
	}
	defer c.Close()
	who, rooms, err := c.Check(ctx, targets(cfg, matrixTarget))
	if err != nil {
		return false, err
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
		switch {
		case rc.Err != nil:
			fmt.Fprintf(stdout, "online: matrix: room %s (%s): cannot post: %v\n", ch.Name, ch.Matrix, rc.Err)
			ok = false
		case rc.Invited:
			fmt.Fprintf(stdout, "online: matrix: room %s (%s = %s): invited, will join\n", ch.Name, ch.Matrix, rc.RoomID)
		default:
			fmt.Fprintf(stdout, "online: matrix: room %s (%s = %s): joined\n", ch.Name, ch.Matrix, rc.RoomID)
		}
	}
	return ok, nil
}

// checkPaused lists the channels paused by a permanent error, when the
// SQLite database exists (check creates none) or on PostgreSQL (which it
// also reaches so). It reports whether none is paused, or why it could not
// read them.
func checkPaused(ctx context.Context, cfg *config.Config, stdout io.Writer) (bool, error) {
	if cfg.Store.DSN == "" {
		if _, err := os.Stat(cfg.Store.Path); errors.Is(err, fs.ErrNotExist) {
			return true, nil
		} else if err != nil {
			return false, err
		}
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer db.Close()
	paused, err := db.PausedChannels(ctx)
	if err != nil {
		return false, err
	}
	for _, p := range paused {
		fmt.Fprintf(stdout, "online: channel %s is paused since %s: %s\n", p.Channel,
			p.PausedAt.Format(time.RFC3339), human.RedactURLs(p.Reason))
	}
	return len(paused) == 0, nil
}
