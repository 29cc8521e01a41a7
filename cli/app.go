package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
	"github.com/wirewatch/wirewatch/bot/crash"
	"github.com/wirewatch/wirewatch/bot/jsonl"
	"github.com/wirewatch/wirewatch/bot/monitor"
	"github.com/wirewatch/wirewatch/bot/schedule"
	wslack "github.com/wirewatch/wirewatch/bot/slack"
	"github.com/wirewatch/wirewatch/bot/webhook"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// app is a loaded configuration wired to its store and pipeline parts.
type app struct {
	cfg     *config.Config
	db      *store.DB
	log     *slog.Logger
	loc     *time.Location
	feeds   []bot.Feed
	rules   []bot.Rule
	service *schedule.Service
	slack   *slackApp  // nil without Slack
	matrix  *matrixApp // nil without Matrix
	metrics *monitor.Metrics
	started time.Time

	// What a configuration reload replaces the rules and feeds of.
	stdout   io.Writer // jsonl channels writing to "-"
	pipeline *bot.Pipeline
	archive  *bot.Archive
	commands *command.Set
	reload   reloader
}

// userAgent is what wirewatch sends unless defaults.user_agent says otherwise.
func userAgent(cfg *config.Config) string {
	if cfg.Defaults.UserAgent != "" {
		return cfg.Defaults.UserAgent
	}
	return "wirewatch/" + Version + " (+https://github.com/wirewatch/wirewatch)"
}

// newLogger builds the slog logger the [log] section asks for; on a
// terminal's status line (once, at a terminal), readable lines instead,
// with times in loc.
func newLogger(cfg config.Log, w io.Writer, loc *time.Location) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.Level)) // validated already
	if status, ok := w.(*statusLine); ok {
		return slog.New(&termHandler{status: status, level: terminalLevel(level), loc: loc})
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// parseSchedule reads a cron schedule on the clocks of loc, unless it
// names its own zone with CRON_TZ= (schedule.In: a time the spring night
// skips comes at 03:00).
func parseSchedule(spec string, loc *time.Location) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		loc = time.Local // its own zone, or this machine's for CRON_TZ=Local
	}
	return schedule.In(s, loc), nil
}

// compile turns the validated configuration into the pipeline's feeds and rules.
func compile(cfg *config.Config) (loc *time.Location, fs []bot.Feed, rs []bot.Rule, err error) {
	loc, err = time.LoadLocation(cfg.Defaults.Timezone)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("defaults.timezone: %w", err)
	}
	for _, f := range cfg.Feeds {
		sched, err := parseSchedule(cfg.FeedSchedule(f), loc)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("feed %s: schedule: %w", f.Name, err)
		}
		sched = schedule.Jitter(f.Name, sched, cfg.Defaults.ScheduleJitter)
		fs = append(fs, bot.Feed{Name: f.Name, URL: f.URL, Schedule: sched, Source: f.Source, Tags: f.Tags, Lang: f.Lang,
			MaxAge: cfg.FeedMaxAge(f), Headers: f.Headers, FetchArticle: cfg.FeedFetchArticle(f), AllowPrivate: f.AllowPrivate})
	}
	for _, r := range cfg.Rules {
		q, err := rules.ParseWith(r.Query, cfg.RuleOptions(r))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("rule %s: query: %w", r.Name, err)
		}
		br := bot.Rule{Name: r.Name, Query: q, Channels: r.Channels, Mode: r.Mode, MinSources: r.MinSources,
			MinOutlets: r.MinOutlets, Feeds: r.Feeds, Tags: r.Tags}
		if r.Exclude != "" {
			if br.Exclude, err = rules.ParseWith(r.Exclude, cfg.RuleOptions(r)); err != nil {
				return nil, nil, nil, fmt.Errorf("rule %s: exclude: %w", r.Name, err)
			}
		}
		if r.Mode == bot.ModeDigest {
			if br.Digest, err = parseSchedule(r.Digest, loc); err != nil {
				return nil, nil, nil, fmt.Errorf("rule %s: digest: %w", r.Name, err)
			}
		}
		rs = append(rs, br)
	}
	return loc, fs, rs, nil
}

// senders builds one Sender per configured channel. Slack channels need sl
// (nil: they are only validated, as check does offline), the rules (whose
// terms alerts show in bold) and the zone times are shown in.
func senders(cfg *config.Config, stdout io.Writer, sl *slackApp, mx *matrixApp, rs []bot.Rule, loc *time.Location) (map[string]bot.Sender, error) {
	out := make(map[string]bot.Sender, len(cfg.Channels))
	client := &http.Client{Timeout: 30 * time.Second}
	for _, ch := range cfg.Channels {
		switch ch.Kind() {
		case "jsonl":
			switch {
			case ch.JSONL == "-" && isTerminal(stdout):
				// A person reads it: the stories command's text, not JSON.
				out[ch.Name] = &textSender{w: stdout, loc: loc}
			case ch.JSONL == "-":
				out[ch.Name] = jsonl.NewWriter(stdout)
			default:
				out[ch.Name] = jsonl.NewFile(ch.JSONL)
			}
		case "webhook":
			out[ch.Name] = webhook.New(ch.Webhook, userAgent(cfg), client)
		case "slack":
			if sl == nil {
				continue
			}
			out[ch.Name] = sl.sender(ch, sl.installation, loc)
		case "matrix":
			if mx == nil {
				continue
			}
			out[ch.Name] = mx.sender(ch, loc)
		default:
			return nil, fmt.Errorf("channel %s: %s channels are not supported by this build yet", ch.Name, ch.Kind())
		}
	}
	return out, nil
}

// openStore opens the configured database.
func openStore(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	if cfg.Store.DSN != "" {
		return store.OpenPostgres(ctx, cfg.Store.DSN, store.Options{MaxConns: cfg.Store.MaxConns})
	}
	return store.Open(ctx, cfg.Store.Path)
}

// storeName names the configured database in messages: the SQLite file,
// or "postgres" (a DSN may hold a password).
func storeName(cfg *config.Config) string {
	if cfg.Store.DSN != "" {
		return "postgres"
	}
	return cfg.Store.Path
}

// openApp opens the store and wires the pipeline. stdout receives jsonl
// deliveries to "-".
func openApp(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer) (*app, error) {
	loc, fs, rs, err := compile(cfg)
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg.Log, stderr, loc)
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	sl := openSlack(ctx, cfg, log)
	if sl != nil {
		if sl.installation, err = db.InstallationID(ctx, time.Now().UTC()); err != nil {
			db.Close()
			return nil, err
		}
	}
	mx := newMatrixApp(ctx, cfg, db, log)
	closeAll := func() {
		if mx != nil {
			mx.Close()
		}
		db.Close()
	}
	snd, err := senders(cfg, stdout, sl, mx, rs, loc)
	if err != nil {
		closeAll()
		return nil, err
	}
	now := func() time.Time { return time.Now().UTC() }
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{UserAgent: userAgent(cfg), FetchConcurrency: cfg.Defaults.FetchConcurrency,
		HostConcurrency: cfg.Defaults.HostConcurrency, HostInterval: cfg.Defaults.HostInterval.Duration})
	grouper := stories.NewSimilar(stories.SimilarOptions{Window: cfg.Defaults.Window.Duration})
	pipeline := bot.NewPipeline(db, grouper, rs, log, now)
	pipeline.SetFeeds(fs)
	if err := pipeline.LoadIndex(ctx); err != nil {
		closeAll()
		return nil, err
	}
	svc := &schedule.Service{
		DB:         db,
		Poller:     bot.NewPoller(db, fetcher, pipeline, log, now),
		Dispatcher: bot.NewDispatcher(db, rs, snd, log, now),
		Digester:   schedule.NewDigester(db, rs, loc, log, now),
		Feeds:      fs,
		Log:        log,
		Now:        now,
		Retention:  cfg.Store.Retention.Duration,
		// Polls beyond the fetcher's limit would only wait in it.
		Concurrency: cfg.Defaults.FetchConcurrency,
	}
	if hook := crash.Hook(os.Getenv(crash.Env)); hook != nil {
		pipeline.Crash, svc.Dispatcher.Crash = hook, hook
	}
	if cfg.Store.DSN != "" {
		svc.Replica = schedule.NewReplica(cfg.Store.Lease.Duration)
	}
	if cfg.Defaults.OpsChannel != "" {
		svc.Ops = &schedule.Ops{DB: db, Channel: cfg.Defaults.OpsChannel, Feeds: fs, Location: loc, Log: log, Now: now}
	}
	metrics := newMetrics(cfg, db, svc, log)
	svc.Observer = metrics
	svc.Dispatcher.SetObserver(metrics)
	archive := bot.NewArchive(db, rs, fs)
	cmds := command.New(command.Config{Stories: archive, Search: archive, Health: archive, Mutes: archive,
		Corrections: archive, Digests: svc.Digester, Rules: rs, Feeds: fs, Parse: cfg.SearchOptions(), Location: loc, Log: log, Now: now})
	if sl != nil {
		sl.commands = wslack.NewCommandHandler(sl.client, cmds, wslack.CommandConfig{
			SigningSecret: cfg.Slack.SigningSecret, Admins: cfg.Slack.Admins, Command: cfg.Slack.Command,
			Alerts: archive, Location: loc})
	}
	if mx != nil {
		mx.cmds = cmds
	}
	return &app{cfg: cfg, db: db, log: log, loc: loc, feeds: fs, rules: rs, service: svc, slack: sl, matrix: mx,
		metrics: metrics, started: time.Now(),
		stdout: stdout, pipeline: pipeline, archive: archive, commands: cmds}, nil
}

// reloadRefused is the hook of a configuration reload that failed to load
// or validate (logged already): the previous configuration stays in force,
// and the ops channel (when configured) is told, once until a reload
// succeeds.
func (a *app) reloadRefused(ctx context.Context, _ string, cause error) {
	if a.service.Ops == nil {
		return
	}
	if err := a.service.Ops.ReloadRefused(ctx, cause); err != nil {
		a.log.Error("cannot tell the ops channel of the refused reload", slog.Any("error", err))
	}
}

// reloaded is the hook of a configuration reload that took effect: the
// ops channel hears of it when it was told of a refusal.
func (a *app) reloaded(ctx context.Context) {
	if a.service.Ops == nil {
		return
	}
	if err := a.service.Ops.Reloaded(ctx); err != nil {
		a.log.Error("cannot tell the ops channel of the reload", slog.Any("error", err))
	}
}

// Close closes the Matrix client (its encryption state) and the store.
func (a *app) Close() error {
	if a.matrix != nil {
		a.matrix.Close()
	}
	return a.db.Close()
}

// newMetrics returns the Prometheus metrics of the app, labelled with its
// configured feeds, rules and channels.
func newMetrics(cfg *config.Config, db *store.DB, svc *schedule.Service, log *slog.Logger) *monitor.Metrics {
	opts := monitor.Options{Version: Version, LastTick: svc.LastTick, Log: log}
	opts.Feeds, opts.Rules, opts.Channels = metricNames(cfg)
	return monitor.New(db, opts)
}

// metricNames returns the names of cfg's feeds, rules and channels, the
// label values of the metrics.
func metricNames(cfg *config.Config) (feeds, rules, channels []string) {
	for _, f := range cfg.Feeds {
		feeds = append(feeds, f.Name)
	}
	for _, r := range cfg.Rules {
		rules = append(rules, r.Name)
	}
	for _, ch := range cfg.Channels {
		channels = append(channels, ch.Name)
	}
	return feeds, rules, channels
}
