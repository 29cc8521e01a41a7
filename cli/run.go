package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/store/runlock"
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
	// SIGHUP reloads the configuration (rather than ending the process).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	f := newFlags("run", stderr)
	cfg, err := f.parseAndLoadNoArgs(args)
	if err != nil {
		return err
	}
	return runDaemon(ctx, cfg, stdout, stderr, daemonOptions{hup: hup})
}

// daemonOptions are what a test may change in run's daemon.
type daemonOptions struct {
	hup        <-chan os.Signal // each value reloads the configuration
	reloadPoll time.Duration    // how often the file is looked at (0: reloadPoll; < 0: never)
	// onReloadRefused, when set, replaces reloader.OnRefused.
	onReloadRefused func(ctx context.Context, path string, err error)
}

// runDaemon runs cfg until ctx is done.
func runDaemon(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer, opts daemonOptions) error {
	// One run per database: a second would poll and send beside it.
	// (PostgreSQL: replicas run side by side, coordinated by leases.)
	if cfg.Store.DSN == "" {
		unlock, err := runlock.Take(cfg.Store.Path)
		if err != nil {
			return failed(fmt.Errorf("wirewatch: %w", err))
		}
		defer unlock()
	}
	return withApp(ctx, cfg, stdout, stderr, func(a *app) error {
		a.reload.Every = opts.reloadPoll
		a.reload.OnRefused, a.reload.OnApplied = a.reloadRefused, a.reloaded
		if opts.onReloadRefused != nil {
			a.reload.OnRefused = opts.onReloadRefused
		}
		if err := a.run(ctx, opts.hup); err != nil {
			// The daemon reports in its log, in the format [log] asks for.
			a.log.Error("wirewatch stopped", slog.Any("error", err))
			return failed(nil)
		}
		a.log.Info("wirewatch stopped")
		return nil
	})
}

// run polls and delivers until ctx is done, answering chat commands
// meanwhile, and reloading the configuration when its file changes and on
// each value from hup.
func (a *app) run(ctx context.Context, hup <-chan os.Signal) error {
	a.log.Info("wirewatch started", slog.String("version", Version), slog.Int("feeds", len(a.feeds)),
		slog.Int("rules", len(a.rules)), slog.String("store", storeName(a.cfg)))
	if n, err := a.db.RetryPausedChannels(ctx, time.Now().UTC()); err != nil {
		a.log.Error("cannot retry paused channels", slog.Any("error", err))
	} else if n > 0 {
		a.log.Info("paused channels are tried again at start", slog.Int("channels", n))
	}
	stopChat, err := a.serveChat(ctx)
	if err != nil {
		return err
	}
	a.startConfig(ctx)
	wctx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		a.watchConfig(wctx, hup)
	}()
	err = a.service.Run(ctx)
	stopWatch()
	<-watched
	stopChat() // after the scheduler, before the store
	return err
}

func cmdOnce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("once", stderr)
	digests := f.Bool("digests", false, "send every pending digest now")
	cfg, err := f.parseAndLoadNoArgs(args)
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
		waiting := ""
		if res.FeedsWaiting > 0 {
			waiting = fmt.Sprintf(", %d waiting for their servers (Retry-After)", res.FeedsWaiting)
		}
		fmt.Fprintf(stderr, "once: %d of %d feeds polled, %d failed%s; %d delivered, %d digests queued\n",
			res.FeedsOK, len(a.feeds), res.FeedsFailed, waiting, res.Flush.Sent, res.Digests)
		if res.Flush.Pending > 0 {
			fmt.Fprintf(stderr, "once: %d deliveries could not be sent yet; they stay in the outbox for the next run\n", res.Flush.Pending)
		}
		if err != nil {
			return failed(fmt.Errorf("wirewatch once: %w", err))
		}
		if res.FeedsFailed > 0 && res.FeedsOK == 0 {
			return failed(nil) // the summary above says so
		}
		return nil
	})
}
