package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/store"
)

// withApp opens the app for a loaded configuration, runs fn and closes it.
func withApp(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer, fn func(*app) error) (err error) {
	a, err := openApp(ctx, cfg, stdout, stderr)
	if err != nil {
		return failed(fmt.Errorf("wirewatch: %w", err))
	}
	defer func() {
		if cerr := a.Close(); cerr != nil && err == nil {
			err = failed(fmt.Errorf("wirewatch: close: %w", cerr))
		}
	}()
	return fn(a)
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("run", stderr)
	cfg, err := f.parseAndLoad(args)
	if err != nil {
		return err
	}
	// One run per database: a second would poll and send beside it.
	unlock, err := store.LockRun(cfg.Store.Path)
	if err != nil {
		return failed(fmt.Errorf("wirewatch: %w", err))
	}
	defer unlock()
	return withApp(ctx, cfg, stdout, stderr, func(a *app) error {
		if err := a.run(ctx); err != nil {
			// The daemon reports in its log, in the format [log] asks for.
			a.log.Error("wirewatch stopped", slog.Any("error", err))
			return failed(nil)
		}
		a.log.Info("wirewatch stopped")
		return nil
	})
}

// run polls and delivers until ctx is done, answering chat commands
// meanwhile.
func (a *app) run(ctx context.Context) error {
	a.log.Info("wirewatch started", slog.String("version", Version), slog.Int("feeds", len(a.feeds)),
		slog.Int("rules", len(a.rules)), slog.String("store", a.cfg.Store.Path))
	if n, err := a.db.RetryPausedChannels(ctx, time.Now().UTC()); err != nil {
		a.log.Error("cannot retry paused channels", slog.Any("error", err))
	} else if n > 0 {
		a.log.Info("paused channels are tried again at start", slog.Int("channels", n))
	}
	stopChat, err := a.serveChat(ctx)
	if err != nil {
		return err
	}
	err = a.service.Run(ctx)
	stopChat() // after the scheduler, before the store
	return err
}

func cmdOnce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("once", stderr)
	digests := f.Bool("digests", false, "send every pending digest now")
	cfg, err := f.parseAndLoad(args)
	if err != nil {
		return err
	}
	// At a terminal: a progress line, readable failures, readable alerts.
	status, stdout, stderr := terminalOutput(stdout, stderr)
	return withApp(ctx, cfg, stdout, stderr, func(a *app) error {
		if status != nil {
			p := &pollProgress{status: status, total: len(a.feeds)}
			p.show()
			a.service.OnPoll = p.polled
		}
		res, err := a.service.Once(ctx, *digests)
		if status != nil {
			status.Clear()
		}
		fmt.Fprintf(stderr, "once: %d of %d feeds polled, %d failed; %d delivered, %d digests queued\n",
			res.FeedsOK, len(a.feeds), res.FeedsFailed, res.Flush.Sent, res.Digests)
		if res.Flush.Pending > 0 {
			fmt.Fprintf(stderr, "once: %d deliveries could not be sent yet; they stay in the outbox for the next run\n", res.Flush.Pending)
		}
		if err != nil {
			return failed(fmt.Errorf("wirewatch once: %w", err))
		}
		if len(a.feeds) > 0 && res.FeedsOK == 0 {
			return failed(nil) // the summary above says so
		}
		return nil
	})
}
