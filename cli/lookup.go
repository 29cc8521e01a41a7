package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// withStore opens the store of a loaded configuration for a lookup
// command, runs fn with it and the zone times are shown in, and closes it.
// A lookup reads what run and once stored: a database file that does not
// exist (a typo in store.path) is an error, not a new empty database.
func withStore(ctx context.Context, cfg *config.Config, fn func(db *store.DB, loc *time.Location) error) error {
	if cfg.Store.DSN == "" {
		if _, err := os.Stat(cfg.Store.Path); errors.Is(err, fs.ErrNotExist) {
			return failed(fmt.Errorf("wirewatch: no database at %s: check [store] path, or run `wirewatch once` first", cfg.Store.Path))
		}
	}
	return openAndRun(ctx, cfg, fn)
}

// openAndRun opens (creating if need be) the store, runs fn and closes it.
func openAndRun(ctx context.Context, cfg *config.Config, fn func(db *store.DB, loc *time.Location) error) error {
	loc, err := time.LoadLocation(cfg.Defaults.Timezone)
	if err != nil {
		return usageError(fmt.Errorf("wirewatch: %w", err))
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return failed(fmt.Errorf("wirewatch: %w", err))
	}
	defer db.Close()
	return fn(db, loc)
}

// sinceFlag parses a -since value; "" and 0 mean all time.
func sinceFlag(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	d, err := human.ParseDuration(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("-since: %w", err)
	}
	if d == 0 {
		return time.Time{}, nil // all history, as -limit 0 is no limit ("the last 0" finds nothing)
	}
	return now.Add(-d), nil
}

func cmdSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("search", stderr)
	asJSON := f.Bool("json", false, "print stories as JSON lines")
	sinceArg := f.String("since", "", "only items published within this `duration` (default: all history; since:D in the query too)")
	limit := f.Int("limit", 20, "at most this many stories (0: all)")
	if err := f.parse(args); err != nil {
		return err
	}
	// since:D among the query's words is -since, as in chat: a word of
	// any argument, since a query is often one quoted argument.
	var words []string
	for _, arg := range f.Args() {
		var rest []string
		for _, w := range strings.Fields(arg) {
			if key, val, ok := strings.Cut(w, ":"); ok && strings.EqualFold(key, "since") {
				*sinceArg = val
				continue
			}
			rest = append(rest, w)
		}
		if len(rest) < len(strings.Fields(arg)) {
			arg = strings.Join(rest, " ") // else as written: a /regexp/ keeps its spaces
		}
		if arg != "" {
			words = append(words, arg)
		}
	}
	since, err := sinceFlag(*sinceArg, time.Now())
	if err != nil {
		return usageErrorf("wirewatch search: %v", err)
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return err
	}
	q, err := rules.ParseWith(strings.Join(words, " "), cfg.SearchOptions()) // @aliases need the config
	if err != nil {
		return usageErrorf("wirewatch search: %v", err)
	}
	return search(ctx, cfg, q, since, *limit, *asJSON, stdout, stderr)
}

// searchBudget is how long a search from the terminal may read.
const searchBudget = 30 * time.Second

// search prints the stored stories q matches, best first, as search and
// rules test do (limit <= 0: all of them).
func search(ctx context.Context, cfg *config.Config, q *rules.Query, since time.Time, limit int, asJSON bool, stdout, stderr io.Writer) error {
	return withStore(ctx, cfg, func(db *store.DB, loc *time.Location) error {
		req := bot.SearchRequest{Query: q, Since: since, Limit: limit, Now: time.Now()}
		for _, f := range cfg.Feeds {
			req.Feeds = append(req.Feeds, bot.Feed{Name: f.Name, Tags: f.Tags, Lang: f.Lang})
		}
		sctx, cancel := context.WithTimeout(ctx, searchBudget)
		defer cancel()
		list, err := bot.SearchStories(sctx, db, req)
		if errors.Is(err, bot.ErrSearchCut) {
			fmt.Fprintf(stderr, "wirewatch search: these are the best of what it read in %s: %v\n", searchBudget, err)
		} else if err != nil {
			return failed(fmt.Errorf("wirewatch search: %w", err))
		}
		if len(list) == 0 && !asJSON && err == nil {
			return searchFoundNothing(sctx, db, req, stderr)
		}
		return printStories(stdout, list, asJSON, loc)
	})
}

// searchFoundNothing says that req found no story, and whether it would
// without its window.
func searchFoundNothing(ctx context.Context, db *store.DB, req bot.SearchRequest, stderr io.Writer) error {
	if req.Since.IsZero() {
		fmt.Fprintln(stderr, "no stored story matches")
		return nil
	}
	window := human.FormatDuration(req.Now.Sub(req.Since).Round(time.Second)) // as -since or since:D wrote it
	req.Since, req.Limit = time.Time{}, 1
	older, err := bot.SearchStoryIDs(ctx, db, req) // whether one matches: its ID is enough
	if err != nil && !errors.Is(err, bot.ErrSearchCut) {
		return failed(fmt.Errorf("wirewatch search: %w", err))
	}
	if len(older) > 0 {
		fmt.Fprintf(stderr, "no story matches in the last %s; older ones do (-since '' searches all history)\n", window)
	} else {
		fmt.Fprintln(stderr, "no stored story matches")
	}
	return nil
}

func cmdStories(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("stories", stderr)
	asJSON := f.Bool("json", false, "print stories as JSON lines")
	sinceArg := f.String("since", "24h", "stories updated within this `duration`")
	limit := f.Int("limit", 0, "at most this many stories (0: all)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageErrorf("wirewatch stories: unexpected argument %q", f.Arg(0))
	}
	since, err := sinceFlag(*sinceArg, time.Now())
	if err != nil {
		return usageErrorf("wirewatch stories: %v", err)
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, func(db *store.DB, loc *time.Location) error {
		list, err := db.Stories(ctx, since, *limit)
		if err != nil {
			return failed(fmt.Errorf("wirewatch stories: %w", err))
		}
		if len(list) == 0 && !*asJSON {
			// Say whether older ones are stored, and how to see them.
			latest, err := db.Stories(ctx, time.Time{}, 1)
			if err != nil {
				return failed(fmt.Errorf("wirewatch stories: %w", err))
			}
			if len(latest) == 0 {
				fmt.Fprintln(stderr, "no stories stored")
				return nil
			}
			fmt.Fprintf(stderr, "no stories updated in the last %s; the latest was updated %s (-since '' lists them all)\n",
				*sinceArg, human.Time(latest[0].Updated, loc))
			return nil
		}
		return printStories(stdout, list, *asJSON, loc)
	})
}

func cmdFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("feeds", stderr)
	cfg, err := f.parseAndLoadNoArgs(args)
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, func(db *store.DB, loc *time.Location) error {
		names := make([]string, len(cfg.Feeds))
		for i, fc := range cfg.Feeds {
			names[i] = fc.Name
		}
		health, err := bot.FeedsHealth(ctx, db, names)
		if err != nil {
			return failed(fmt.Errorf("wirewatch feeds: %w", err))
		}
		if err := writeLiveConfig(ctx, stdout, db, cfg, loc); err != nil {
			return failed(fmt.Errorf("wirewatch feeds: %w", err))
		}
		for _, h := range health {
			fmt.Fprintln(stdout, h.Describe(loc))
		}
		paused, err := db.PausedChannels(ctx)
		if err != nil {
			return failed(fmt.Errorf("wirewatch feeds: %w", err))
		}
		for _, p := range paused {
			fmt.Fprintf(stdout, "channel %s PAUSED since %s: %s; next try %s\n", p.Channel,
				human.Time(p.PausedAt, loc), human.RedactURLs(p.Reason), human.Time(p.RetryAt, loc))
		}
		return nil
	})
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("migrate", stderr)
	cfg, err := f.parseAndLoadNoArgs(args)
	if err != nil {
		return err
	}
	return openAndRun(ctx, cfg, func(db *store.DB, loc *time.Location) error {
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			return failed(fmt.Errorf("wirewatch migrate: %w", err))
		}
		fmt.Fprintf(stdout, "%s: schema version %d\n", storeName(cfg), v)
		return nil
	})
}

// printStories writes stories as text or as JSON lines.
func printStories(stdout io.Writer, list []*store.Story, asJSON bool, loc *time.Location) error {
	enc := json.NewEncoder(stdout)
	for _, s := range list {
		story := bot.NewStory(s)
		if asJSON {
			if err := enc.Encode(story); err != nil {
				return failed(fmt.Errorf("wirewatch: %w", err))
			}
			continue
		}
		writeStory(stdout, story, loc, false)
	}
	return nil
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
