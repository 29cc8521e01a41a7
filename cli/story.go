package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/store"
)

func cmdStory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "merge" || args[0] == "split") {
		return cmdCorrect(ctx, args[0], args[1:], stdout, stderr)
	}
	f := newFlags("story", stderr)
	asJSON := f.Bool("json", false, "print the story as JSON")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 && (f.Arg(0) == "merge" || f.Arg(0) == "split") {
		return cmdCorrect(ctx, f.Arg(0), append([]string{"-config", *f.config}, f.Args()[1:]...), stdout, stderr)
	}
	if f.NArg() != 1 {
		return usageErrorf("wirewatch story: give one story ID (or: story merge ID ID, story split ID URL)")
	}
	id, err := storyID(f.Arg(0))
	if err != nil {
		return err
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, func(db *store.DB, loc *time.Location) error {
		// A story merged into another is shown as the one it went into,
		// which has its items, as `story` in chat shows it.
		live, err := db.Resolve(ctx, id)
		if err != nil {
			return failed(fmt.Errorf("wirewatch story: %w", err))
		}
		s, err := db.Story(ctx, live)
		if errors.Is(err, store.ErrNotFound) {
			return failed(fmt.Errorf("wirewatch story: no story %d", id))
		}
		if err != nil {
			return failed(fmt.Errorf("wirewatch story: %w", err))
		}
		if live != id {
			fmt.Fprintf(stderr, "story %d was merged into story %d\n", id, live)
		}
		if *asJSON {
			return printStories(stdout, []*store.Story{s}, true, loc)
		}
		writeStory(stdout, bot.NewStory(s), loc, true)
		writeRevisions(stdout, s, loc)
		return nil
	})
}

// cmdCorrect runs `story merge INTO FROM` and `story split ID URL`.
func cmdCorrect(ctx context.Context, verb string, args []string, stdout, stderr io.Writer) error {
	f := newFlags("story "+verb, stderr)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 2 {
		if verb == "merge" {
			return usageErrorf("wirewatch story merge: give two story IDs: the story to keep, then the one to merge into it")
		}
		return usageErrorf("wirewatch story split: give a story ID and the URL of the item to take out of it")
	}
	id, err := storyID(f.Arg(0))
	if err != nil {
		return err
	}
	var from int64
	if verb == "merge" {
		if from, err = storyID(f.Arg(1)); err != nil {
			return err
		}
		if from == id {
			return usageErrorf("wirewatch story merge: give two different story IDs")
		}
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return err
	}
	_, fs, rs, err := compile(cfg)
	if err != nil {
		return usageError(err)
	}
	return withStore(ctx, cfg, func(db *store.DB, loc *time.Location) error {
		var err error
		switch verb {
		case "merge":
			if err = bot.Merge(ctx, db, rs, fs, id, from, time.Now().UTC()); err == nil {
				fmt.Fprintf(stdout, "merged story %d into story %d\n", from, id)
			}
		case "split":
			var newID int64
			if newID, err = bot.Split(ctx, db, rs, fs, id, f.Arg(1), time.Now().UTC()); err == nil {
				fmt.Fprintf(stdout, "split %s from story %d into story %d\n", f.Arg(1), id, newID)
			}
		}
		if err != nil {
			// A missing story, or one merged away, is no usage error: the
			// command was well formed, as `story ID` of a missing story is.
			return failed(fmt.Errorf("wirewatch story %s: %w", verb, err))
		}
		return nil
	})
}

// storyID parses a story ID argument.
func storyID(arg string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageErrorf("wirewatch story: %q is not a story ID", arg)
	}
	return id, nil
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
				fmt.Fprintf(w, "         text was: %s\n", human.Truncate(r.Text, 160))
			}
		}
		fmt.Fprintf(w, "       now: %q\n", it.Title)
	}
}
