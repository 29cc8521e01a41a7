package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/bot/monitor"
	wslack "github.com/wirewatch/wirewatch/bot/slack"
	"github.com/wirewatch/wirewatch/config"
)

// slackApp is the Slack side of an app: one client for the workspace, the
// channel IDs of the configured targets, and the slash-command handler.
type slackApp struct {
	client       *wslack.Client
	ids          map[string]string // [[channel]] slack value ("C…" or "#name") → channel ID
	commands     *wslack.CommandHandler
	installation string // the store's installation id, in every message's metadata
}

// newSlackClient returns the configured Slack client, or nil without a bot token.
func newSlackClient(cfg *config.Config, log *slog.Logger) *wslack.Client {
	if cfg.Slack.BotToken == "" {
		return nil
	}
	return wslack.New(wslack.ClientConfig{BotToken: cfg.Slack.BotToken, AppToken: cfg.Slack.AppToken,
		APIURL: cfg.Slack.APIURL}, log)
}

// targets returns what of each configured channel pick says (its Slack
// channel, its Matrix room), where it says anything, in channel order.
func targets(cfg *config.Config, pick func(config.Channel) string) []string {
	var out []string
	for _, ch := range cfg.Channels {
		if t := pick(ch); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func slackTarget(ch config.Channel) string  { return ch.Slack }
func matrixTarget(ch config.Channel) string { return ch.Matrix }

// openSlack connects to Slack when the configuration uses it: it resolves
// the channels given as #name once (conversations.list; their IDs are
// logged). A name it cannot resolve (unknown, or Slack unreachable) does not
// stop the app: that channel is resolved when a delivery for it is sent,
// and waits in the outbox until it is (an unknown name pauses it, as any
// permanent error does). Nil without a bot token.
func openSlack(ctx context.Context, cfg *config.Config, log *slog.Logger) *slackApp {
	c := newSlackClient(cfg, log)
	if c == nil {
		return nil
	}
	targets := targets(cfg, slackTarget)
	ids, err := c.ResolveChannels(ctx, targets)
	if err != nil {
		log.Error("slack channels not resolved at start; their deliveries wait and they are tried again", slog.Any("error", err))
		ids = map[string]string{}
		for _, t := range targets {
			if !strings.HasPrefix(t, "#") {
				ids[t] = t
			}
		}
	}
	return &slackApp{client: c, ids: ids}
}

// sender returns the sender of a Slack channel: made now when its ID is
// known, else when its first delivery is sent.
func (sl *slackApp) sender(ch config.Channel, installation string, loc *time.Location) bot.Sender {
	build := func(ctx context.Context) (bot.Sender, error) {
		id := sl.ids[ch.Slack]
		if id == "" {
			ids, err := sl.client.ResolveChannels(ctx, []string{ch.Slack})
			if err != nil {
				return nil, err
			}
			id = ids[ch.Slack]
		}
		return wslack.NewSender(sl.client, wslack.SenderConfig{Name: ch.Name, Channel: id, Installation: installation,
			OnUpdate: ch.OnUpdate, Location: loc}), nil
	}
	if sl.ids[ch.Slack] != "" {
		s, _ := build(context.Background())
		return s
	}
	return &pendingSender{make: build}
}

// matrixConfig is the Matrix client's configuration; its session and
// encryption state go in the store it is given.
func matrixConfig(cfg *config.Config) wmatrix.ClientConfig {
	return wmatrix.ClientConfig{Homeserver: cfg.Matrix.Homeserver, UserID: cfg.Matrix.UserID,
		AccessToken: cfg.Matrix.AccessToken, Password: cfg.Matrix.Password,
		Encryption: cfg.Matrix.Encryption, PickleKey: cfg.Matrix.PickleKey}
}

// HTTP listener limits: a slow or idle client cannot hold a connection
// (Slack gives a slash command three seconds; answers are small).
const (
	httpReadHeaderTimeout = 10 * time.Second
	httpReadTimeout       = 30 * time.Second
	httpWriteTimeout      = 30 * time.Second
	httpIdleTimeout       = 2 * time.Minute
	httpMaxHeaderBytes    = 64 << 10
)

// newHTTPServer returns the [http] listener's server for h, with read,
// write and idle timeouts.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: httpReadHeaderTimeout, ReadTimeout: httpReadTimeout,
		WriteTimeout: httpWriteTimeout, IdleTimeout: httpIdleTimeout, MaxHeaderBytes: httpMaxHeaderBytes}
}

// httpHandler is what the [http] listener serves: Slack's HTTP commands
// and actions (with slack.signing_secret), /healthz, /readyz and /metrics.
func (a *app) httpHandler() http.Handler {
	mux := http.NewServeMux()
	if a.slack != nil && a.cfg.Slack.SigningSecret != "" {
		mux.Handle("/slack/commands", a.slack.commands)
		mux.HandleFunc("/slack/actions", a.slack.commands.ServeActions)
	}
	health := &monitor.Health{Store: a.db, LastTick: a.service.LastTick, Started: a.started}
	mux.HandleFunc("GET /healthz", health.ServeHealthz)
	mux.HandleFunc("GET /readyz", health.ServeReadyz)
	mux.Handle("GET /metrics", a.metrics.Handler())
	return mux
}

// serveChat starts what answers chat commands while the app runs: Slack
// Socket Mode (with slack.app_token) and the HTTP listener ([http] listen:
// httpHandler). The returned stop shuts them down (bounded) and waits for
// them.
func (a *app) serveChat(ctx context.Context) (stop func(), err error) {
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	var srv *http.Server
	if a.cfg.HTTP.Listen != "" {
		ln, err := net.Listen("tcp", a.cfg.HTTP.Listen)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("http.listen: %w", err)
		}
		srv = newHTTPServer(a.httpHandler())
		a.log.Info("http listening", slog.String("listen", ln.Addr().String()))
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.log.Error("http server stopped", slog.Any("error", err))
			}
		})
	}
	if a.matrix != nil {
		wg.Go(func() {
			// Replicas: the Matrix sync runs on the leader only.
			if err := a.service.Replica.WhileLeader(ctx, a.matrix.serve); err != nil {
				a.log.Error("matrix sync stopped", slog.Any("error", err))
			}
		})
	}
	if a.slack != nil && a.cfg.Slack.AppToken != "" {
		wg.Go(func() {
			if err := a.slack.commands.RunSocketMode(ctx); err != nil {
				a.log.Error("slack commands stopped", slog.Any("error", err))
			}
		})
	}
	return func() {
		cancel()
		if srv != nil {
			sctx, done := context.WithTimeout(context.Background(), 5*time.Second)
			defer done()
			srv.Shutdown(sctx)
		}
		wg.Wait()
	}, nil
}
