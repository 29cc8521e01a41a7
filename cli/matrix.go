package cli

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/store"
)

// pendingSender is a channel's sender made on first use: a chat service
// that cannot be reached at start, or a #name or #alias that cannot be
// resolved yet, does not stop wirewatch. Until the sender can be made,
// deliveries to that channel fail with make's error — a transient one is
// retried with backoff, a permanent one (an unknown name) pauses the
// channel, shown by `feeds` and `check -online` — and wait in the outbox.
type pendingSender struct {
	make func(ctx context.Context) (bot.Sender, error)
	mu   sync.Mutex
	s    bot.Sender
}

// Send implements bot.Sender.
func (p *pendingSender) Send(ctx context.Context, m *bot.Message) (string, error) {
	p.mu.Lock()
	if p.s == nil {
		s, err := p.make(ctx)
		if err != nil {
			p.mu.Unlock()
			return "", err
		}
		p.s = s
	}
	s := p.s
	p.mu.Unlock()
	return s.Send(ctx, m)
}

// matrixApp is the Matrix side of an app: the client logged in to the
// homeserver (connected at start, or later when the homeserver was down),
// the room IDs of the configured targets, and the sync loop.
type matrixApp struct {
	cfg  *config.Config
	db   *store.DB
	log  *slog.Logger
	cmds *command.Set // set before the client connects

	mu       sync.Mutex
	client   *wmatrix.Client
	ids      map[string]string // [[channel]] matrix value ("!…" or "#alias") → room ID
	commands *wmatrix.CommandHandler
}

// newMatrixApp returns the Matrix side when the configuration uses Matrix,
// else nil. It connects at once; when it cannot (the homeserver is down),
// wirewatch starts all the same and connects later (connect).
func newMatrixApp(ctx context.Context, cfg *config.Config, db *store.DB, log *slog.Logger) *matrixApp {
	if cfg.Matrix.Homeserver == "" || cfg.Matrix.AccessToken == "" && cfg.Matrix.Password == "" {
		return nil
	}
	mx := &matrixApp{cfg: cfg, db: db, log: log, ids: map[string]string{}}
	if _, err := mx.connect(ctx); err != nil {
		log.Error("matrix: cannot connect at start; its rooms' deliveries wait and it is tried again", slog.Any("error", err))
	}
	return mx
}

// connect logs in to the homeserver (reusing the device a password login
// stored) unless connected already, and resolves the rooms given as #alias
// (their IDs are logged; an alias that does not resolve is tried again when
// its room is sent to).
func (mx *matrixApp) connect(ctx context.Context) (*wmatrix.Client, error) {
	mx.mu.Lock()
	defer mx.mu.Unlock()
	if mx.client != nil {
		return mx.client, nil
	}
	c, err := wmatrix.Connect(ctx, matrixConfig(mx.cfg), mx.db, mx.log)
	if err != nil {
		return nil, fmt.Errorf("matrix: %w", err)
	}
	mx.client = c
	for _, t := range targets(mx.cfg, matrixTarget) {
		ids, err := c.ResolveRooms(ctx, []string{t})
		if err != nil {
			mx.log.Error("matrix room not resolved; its deliveries wait and it is tried again", slog.String("room", t), slog.Any("error", err))
			continue
		}
		mx.ids[t] = ids[t]
	}
	return c, nil
}

// room returns the room ID of a configured target, resolving it if need be.
func (mx *matrixApp) room(ctx context.Context, c *wmatrix.Client, target string) (string, error) {
	mx.mu.Lock()
	id := mx.ids[target]
	mx.mu.Unlock()
	if id != "" {
		return id, nil
	}
	ids, err := c.ResolveRooms(ctx, []string{target})
	if err != nil {
		return "", err
	}
	mx.mu.Lock()
	mx.ids[target] = ids[target]
	h := mx.commands
	mx.mu.Unlock()
	if h != nil {
		h.AddRoom(ids[target]) // its invites are accepted from anyone
	}
	return ids[target], nil
}

// sender returns the sender of a Matrix channel, made when its first
// delivery is sent (connecting and resolving its room then if need be).
func (mx *matrixApp) sender(ch config.Channel, loc *time.Location) bot.Sender {
	return &pendingSender{make: func(ctx context.Context) (bot.Sender, error) {
		c, err := mx.connect(ctx)
		if err != nil {
			return nil, err
		}
		room, err := mx.room(ctx, c, ch.Matrix)
		if err != nil {
			return nil, err
		}
		return wmatrix.NewSender(c, wmatrix.SenderConfig{Name: ch.Name, Room: room, OnUpdate: ch.OnUpdate, Location: loc}), nil
	}}
}

// matrixRetry bounds the wait between connection attempts in the background.
const matrixRetry = 5 * time.Minute

// serve answers commands in the configured rooms until ctx is done,
// connecting first (again and again, with backoff, while the homeserver is
// down).
func (mx *matrixApp) serve(ctx context.Context) error {
	wait := 5 * time.Second
	for {
		c, err := mx.connect(ctx)
		if err == nil {
			mx.mu.Lock()
			rooms := slices.Collect(maps.Values(mx.ids))
			mx.commands = wmatrix.NewCommandHandler(c, mx.cmds, wmatrix.CommandConfig{
				Prefix: mx.cfg.Matrix.CommandPrefix, AllowedUsers: mx.cfg.Matrix.AllowedUsers, Admins: mx.cfg.Matrix.Admins,
				Rooms: rooms, Messages: mx.db})
			h := mx.commands
			mx.mu.Unlock()
			return h.Run(ctx)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(wait*2, matrixRetry)
	}
}

// Close closes the client (its encryption state), if it connected.
func (mx *matrixApp) Close() {
	mx.mu.Lock()
	defer mx.mu.Unlock()
	if mx.client != nil {
		mx.client.Close()
	}
}
