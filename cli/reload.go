package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/store"
)

// A running `run` reloads its configuration file when the file changes
// (its size or modification time, checked every reloadPoll; then its
// content's hash) and on SIGHUP. A file that loads and validates replaces
// the rules (with aliases and the compiled matcher), the feeds and their
// schedules, and the channels' senders at once; the settings that are read
// only at start (config.RestartKeys) are logged as needing a restart and
// otherwise ignored. A file with errors is refused: every error is logged
// with its file, line and key, and the old configuration keeps running.
// Which configuration is live, and the last refusal, are kept in the
// store's settings (configSetting), where `feeds` reads them.

// reloadPoll is how often run looks at the configuration file.
const reloadPoll = 3 * time.Second

// configSetting names the store setting holding the live configuration
// (liveConfig, as JSON).
const configSetting = "config"

// reloader is the configuration reload state of a running app.
type reloader struct {
	// OnRefused, when set, hears of each refused reload: the file and its
	// errors (config.Errors, each with file, line and key, or the error
	// that stopped the load), logged already. The ops channel hangs here.
	OnRefused func(ctx context.Context, path string, err error)
	// OnApplied, when set, hears of each reload that took effect (after a
	// refusal, the ops channel says it is resolved).
	OnApplied func(ctx context.Context)
	// Every is how often the file is looked at: 0 means reloadPoll, a
	// negative value never (SIGHUP only).
	Every time.Duration

	mu      sync.Mutex     // guards applied and live
	applied *config.Config // the configuration running (restart-only settings as at start)
	live    liveConfig
}

// liveConfig says which configuration a run has live.
type liveConfig struct {
	// Generation counts the distinct configurations this database's runs
	// have applied: it grows when a run starts with, or reloads, a file
	// whose content differs from the last one.
	Generation int64     `json:"generation"`
	Hash       string    `json:"hash"` // SHA-256 of the file, hex
	Path       string    `json:"path"`
	Loaded     time.Time `json:"loaded"`
	PID        int       `json:"pid"`
	// Refused is the last reload refused since (nil: none).
	Refused *refusal `json:"refused,omitempty"`
}

// refusal is a reload that was refused.
type refusal struct {
	Hash   string    `json:"hash,omitempty"` // of the file refused ("" when unreadable)
	At     time.Time `json:"at"`
	Errors []string  `json:"errors"`
}

// configFeatures is what this build supports, for config.Load.
func configFeatures() config.Features {
	return config.Features{Encryption: wmatrix.EncryptionSupported}
}

// readLiveConfig returns the live configuration recorded in db, or nil.
func readLiveConfig(ctx context.Context, db *store.DB) (*liveConfig, error) {
	v, err := db.Setting(ctx, configSetting)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var lc liveConfig
	if err := json.Unmarshal([]byte(v), &lc); err != nil {
		return nil, fmt.Errorf("setting %s: %w", configSetting, err)
	}
	return &lc, nil
}

// saveLive records the live configuration; a.reload.mu is held.
func (a *app) saveLive(ctx context.Context) {
	b, _ := json.Marshal(a.reload.live)
	if err := a.db.PutSetting(context.WithoutCancel(ctx), configSetting, string(b), time.Now().UTC()); err != nil {
		a.log.Error("cannot record the live configuration", slog.Any("error", err))
	}
}

// startConfig records the configuration run starts with as live. A
// refused reload the ops channel was told of is resolved: the file loaded,
// as after a reload that takes effect (a restart on the fixed file), so
// that the next refusal is told too.
func (a *app) startConfig(ctx context.Context) {
	a.reload.mu.Lock()
	defer a.reload.mu.Unlock()
	a.reload.applied = a.cfg
	gen := int64(1)
	prev, err := readLiveConfig(ctx, a.db)
	if err != nil {
		a.log.Error("cannot read the last live configuration", slog.Any("error", err))
	} else if prev != nil {
		gen = prev.Generation
		if prev.Hash != a.cfg.Hash {
			gen++
		}
	}
	a.reload.live = liveConfig{Generation: gen, Hash: a.cfg.Hash, Path: a.cfg.Path, Loaded: time.Now().UTC(), PID: os.Getpid()}
	a.saveLive(ctx)
	a.log.Info("config live", slog.String("file", a.cfg.Path), slog.Int64("generation", gen), slog.String("hash", shortHash(a.cfg.Hash)))
	a.reloaded(ctx)
}

// shortHash is the start of a hash, enough to tell files apart in a log.
func shortHash(h string) string { return h[:min(12, len(h))] }

// fileStamp is what the watcher compares to notice a changed file.
type fileStamp struct {
	mod  int64 // modification time, Unix nanoseconds
	size int64
	err  string // why it could not be read
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{err: err.Error()}
	}
	return fileStamp{mod: fi.ModTime().UnixNano(), size: fi.Size()}
}

// fileHash returns the SHA-256 of the file's content, hex, or "".
func fileHash(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// watchConfig reloads the configuration on each signal from hup and when
// its file changes, until ctx is done.
func (a *app) watchConfig(ctx context.Context, hup <-chan os.Signal) {
	every := a.reload.Every
	if every == 0 {
		every = reloadPoll
	}
	var tick <-chan time.Time
	if every > 0 {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	path := a.cfg.Path
	var last fileStamp // zero: the first look hashes the file
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			a.log.Info("SIGHUP: reloading the configuration", slog.String("file", path))
			a.reloadConfig(ctx, "SIGHUP")
			last = stampOf(path)
		case <-tick:
			st := stampOf(path)
			if st == last {
				continue
			}
			// An editor may be writing it: wait until it holds still.
			time.Sleep(min(every/4, 200*time.Millisecond))
			if stampOf(path) != st {
				continue // the next look sees it again
			}
			last = st
			if st.err != "" {
				a.log.Warn("config file unreadable: the running configuration stays", slog.String("file", path), slog.String("error", st.err))
				continue
			}
			a.reload.mu.Lock()
			same := fileHash(path) == a.reload.live.Hash
			a.reload.mu.Unlock()
			if !same {
				a.reloadConfig(ctx, "file changed")
			}
		}
	}
}

// reloadConfig loads the configuration file again and applies it, or
// refuses it (logged, recorded, OnRefused told) and keeps the old one.
func (a *app) reloadConfig(ctx context.Context, cause string) {
	a.reload.mu.Lock()
	defer a.reload.mu.Unlock()
	path := a.cfg.Path
	log := a.log.With(slog.String("file", path), slog.String("cause", cause))
	next, err := config.Load(path, configFeatures())
	if err != nil {
		a.refuse(ctx, log, path, err)
		return
	}
	run := a.cfg.Reloaded(next)
	_, fs, rs, err := compile(run)
	if err != nil {
		a.refuse(ctx, log, path, err)
		return
	}
	old := a.reload.applied
	snd, err := a.reloadSenders(run, old)
	if err != nil {
		a.refuse(ctx, log, path, err)
		return
	}

	// Senders first, so that a new channel has one before a rule sends there.
	a.service.Dispatcher.SetSenders(snd)
	a.service.Dispatcher.SetRules(rs)
	a.service.Digester.SetRules(rs)
	a.archive.SetRules(rs)
	a.archive.SetFeeds(fs)
	a.commands.SetRules(rs, fs, run.SearchOptions())
	a.pipeline.SetRules(rs)
	a.pipeline.SetFeeds(fs)
	a.service.SetFeeds(fs)
	a.metrics.SetNames(metricNames(run))
	a.reload.applied = run

	lv := &a.reload.live
	if next.Hash != lv.Hash {
		lv.Generation++
	}
	lv.Hash, lv.Loaded, lv.PID, lv.Refused = next.Hash, time.Now().UTC(), os.Getpid(), nil
	a.saveLive(ctx)

	attrs := []any{slog.Int64("generation", lv.Generation), slog.String("hash", shortHash(lv.Hash)),
		slog.Int("rules", len(rs)), slog.Int("feeds", len(fs)), slog.Int("channels", len(run.Channels))}
	for _, d := range []struct {
		what string
		c    changes
	}{
		{"rules", diffNamed(old.Rules, run.Rules, func(r config.Rule) string { return r.Name })},
		{"feeds", diffNamed(old.Feeds, run.Feeds, func(f config.Feed) string { return f.Name })},
		{"channels", diffNamed(old.Channels, run.Channels, func(c config.Channel) string { return c.Name })},
	} {
		attrs = append(attrs, d.c.attrs(d.what)...)
	}
	if !reflect.DeepEqual(old.Aliases, run.Aliases) {
		attrs = append(attrs, slog.Bool("aliases_changed", true))
	}
	// The warning comes first: "config reloaded" is the last line of a reload.
	if keys := a.cfg.RestartKeys(next); len(keys) > 0 {
		log.Warn("config changes that need a restart are not applied", slog.Any("keys", keys))
	}
	log.Info("config reloaded", attrs...)
	if a.reload.OnApplied != nil {
		a.reload.OnApplied(ctx)
	}
}

// refuse logs a refused reload with every error (file, line and key
// each), records it and tells OnRefused; a.reload.mu is held.
func (a *app) refuse(ctx context.Context, log *slog.Logger, path string, err error) {
	var msgs []string
	if cerrs, ok := errors.AsType[config.Errors](err); ok {
		for _, e := range cerrs {
			msgs = append(msgs, e.Error())
			log.Error("config error", slog.Int("line", e.Line), slog.String("key", e.Key), slog.String("error", e.Msg))
		}
	} else {
		msgs = append(msgs, err.Error())
		log.Error("config error", slog.Any("error", err))
	}
	log.Error("config reload refused: the running configuration stays", slog.Int("errors", len(msgs)),
		slog.Int64("generation", a.reload.live.Generation))
	a.reload.live.Refused = &refusal{Hash: fileHash(path), At: time.Now().UTC(), Errors: msgs}
	a.saveLive(ctx)
	if a.reload.OnRefused != nil {
		a.reload.OnRefused(ctx, path, err)
	}
}

// reloadSenders returns the senders of run's channels: the running one of
// each channel configured as before, a new one for each new or changed
// channel. A Slack or Matrix channel needs its account configured at start.
func (a *app) reloadSenders(run, old *config.Config) (map[string]bot.Sender, error) {
	running := a.service.Dispatcher.Senders()
	out := make(map[string]bot.Sender, len(run.Channels))
	fresh := *run
	fresh.Channels = nil
	for _, ch := range run.Channels {
		i := slices.IndexFunc(old.Channels, func(o config.Channel) bool { return o.Name == ch.Name })
		if s, ok := running[ch.Name]; ok && i >= 0 && old.Channels[i] == ch {
			out[ch.Name] = s
			continue
		}
		fresh.Channels = append(fresh.Channels, ch)
	}
	made, err := senders(&fresh, a.stdout, a.slack, a.matrix, nil, a.loc)
	if err != nil {
		return nil, err
	}
	for _, ch := range fresh.Channels {
		s, ok := made[ch.Name]
		if !ok {
			a.log.Warn("channel has no sender until a restart: its account is not configured in the running process",
				slog.String("channel", ch.Name), slog.String("kind", ch.Kind()))
			continue
		}
		out[ch.Name] = s
	}
	return out, nil
}

// changes names what a reload added, removed and changed.
type changes struct{ added, removed, changed []string }

// diffNamed compares two lists of named entries.
func diffNamed[T any](old, next []T, name func(T) string) changes {
	var c changes
	for _, n := range next {
		i := slices.IndexFunc(old, func(o T) bool { return name(o) == name(n) })
		switch {
		case i < 0:
			c.added = append(c.added, name(n))
		case !reflect.DeepEqual(old[i], n):
			c.changed = append(c.changed, name(n))
		}
	}
	for _, o := range old {
		if !slices.ContainsFunc(next, func(n T) bool { return name(n) == name(o) }) {
			c.removed = append(c.removed, name(o))
		}
	}
	return c
}

// attrs are the log attributes of the changes of what ("rules").
func (c changes) attrs(what string) []any {
	var out []any
	for _, x := range []struct {
		how   string
		names []string
	}{{"added", c.added}, {"removed", c.removed}, {"changed", c.changed}} {
		if len(x.names) > 0 {
			out = append(out, slog.Any(what+"_"+x.how, x.names))
		}
	}
	return out
}

// writeLiveConfig says which configuration the runs on db have live
// (feeds): its generation, hash and load time, whether cfg's file is it,
// and the last refused reload since.
func writeLiveConfig(ctx context.Context, w io.Writer, db *store.DB, cfg *config.Config, loc *time.Location) error {
	lc, err := readLiveConfig(ctx, db)
	if err != nil {
		return err
	}
	if lc == nil {
		fmt.Fprintln(w, "config: no `wirewatch run` has started on this database yet (`once` reads the file each time)")
		return nil
	}
	fmt.Fprintf(w, "config: generation %d live since %s (sha256 %s, %s, pid %d)", lc.Generation,
		human.Time(lc.Loaded, loc), shortHash(lc.Hash), lc.Path, lc.PID)
	if cfg.Hash == lc.Hash {
		fmt.Fprintln(w, "; this file")
	} else {
		fmt.Fprintf(w, "; this file differs (sha256 %s): a running run reloads it within seconds, or on SIGHUP\n", shortHash(cfg.Hash))
	}
	if r := lc.Refused; r != nil {
		fmt.Fprintf(w, "config: reload REFUSED at %s (sha256 %s), the configuration above kept: %s\n",
			human.Time(r.At, loc), shortHash(r.Hash), human.Count(len(r.Errors), "error", "errors"))
		for _, e := range r.Errors {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	return nil
}
