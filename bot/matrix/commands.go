package matrix

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
)

const (
	// commandTimeout bounds a command's work and the sending of its answer.
	commandTimeout = 30 * time.Second
	// maxCommandAge is how old a command may be and still be answered: a
	// bot that was down for longer does not answer its backlog.
	maxCommandAge = 5 * time.Minute
	// Backoff of a failing sync: it doubles from minBackoff up to maxBackoff.
	minBackoff = time.Second
	maxBackoff = time.Minute
	// replyAttempts is how often an answer is tried when rate-limited.
	replyAttempts = 3
)

// CommandConfig configures the sync loop and the commands.
type CommandConfig struct {
	Prefix string // the command prefix, e.g. "!wirewatch"
	// AllowedUsers may use the read commands and invite the bot; empty:
	// everyone in the bot's rooms may use them.
	AllowedUsers []string
	// Admins may also mute, unmute and digest, and invite the bot.
	Admins []string
	// Rooms are the configured rooms' IDs: anyone may invite the bot there.
	Rooms []string
	// Messages finds the story of an alert or update the bot sent, so that
	// a command given as a reply to it ("!wirewatch split tolonews.com")
	// needs no story ID. Nil: replies are ordinary commands.
	Messages MessageStories
}

// MessageStories finds the story a message of the bot's belongs to; the
// store implements it.
type MessageStories interface {
	// StoryOfMessage returns the story whose alert or update became the
	// event remoteID.
	StoryOfMessage(ctx context.Context, remoteID string) (int64, error)
}

// CommandHandler runs the sync loop: it joins rooms the bot is invited to
// (by allowed users or admins, or into configured rooms), and answers
// `!wirewatch …` messages with the shared command set, as replies.
type CommandHandler struct {
	c       *Client
	cmds    *command.Set
	prefix  string
	allowed map[id.UserID]bool
	admins  map[id.UserID]bool
	msgs    MessageStories
	log     *slog.Logger

	mu        sync.Mutex
	rooms     map[id.RoomID]bool      // the configured rooms (AddRoom)
	invites   map[id.RoomID]id.UserID // invites to accept that failed, by inviter
	warnedEnc map[id.RoomID]bool      // rooms warned about as unreadable
}

// AddRoom adds a configured room, resolved after the handler was made (its
// alias did not resolve when the client connected): anyone may invite the
// bot there.
func (h *CommandHandler) AddRoom(room string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rooms[id.RoomID(room)] = true
}

// configured reports whether room is a configured room.
func (h *CommandHandler) configured(room id.RoomID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[room]
}

// NewCommandHandler returns the sync loop's handler, registered with the
// client's syncer. Create one per client.
func NewCommandHandler(c *Client, cmds *command.Set, cfg CommandConfig) *CommandHandler {
	h := &CommandHandler{c: c, cmds: cmds, prefix: cfg.Prefix, allowed: map[id.UserID]bool{},
		admins: map[id.UserID]bool{}, rooms: map[id.RoomID]bool{}, msgs: cfg.Messages, log: c.log,
		invites: map[id.RoomID]id.UserID{}, warnedEnc: map[id.RoomID]bool{}}
	if h.prefix == "" {
		h.prefix = "!wirewatch"
	}
	for _, u := range cfg.AllowedUsers {
		h.allowed[id.UserID(u)] = true
	}
	for _, u := range cfg.Admins {
		h.admins[id.UserID(u)] = true
	}
	for _, r := range cfg.Rooms {
		h.rooms[id.RoomID(r)] = true
	}
	c.syncer.OnSync(h.onSync)
	c.syncer.OnEventType(event.StateMember, h.onMember)
	c.syncer.OnEventType(event.EventMessage, h.onMessage)
	c.syncer.OnEventType(event.EventEncrypted, h.onEncrypted)
	return h
}

// Run syncs with the homeserver until ctx is done, resuming from the sync
// token in the store. It survives homeserver outages and restarts (with
// backoff) and, with a password, a forgotten token (it logs in again).
func (h *CommandHandler) Run(ctx context.Context) error {
	h.log.Info("matrix sync started", slog.String("user_id", string(h.c.userID)))
	for {
		tok := h.c.currentToken()
		err := h.c.cli.SyncWithContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		// SyncWithContext returns when the filter cannot be created (the
		// homeserver is down at start), the token is refused, or a batch
		// failed to process (its token is saved: it is skipped).
		refused := errors.Is(err, mautrix.MUnknownToken)
		if refused && h.c.relogin(ctx, tok) {
			continue
		}
		wait, first := h.c.syncer.failed()
		switch {
		case first && refused:
			h.log.Error("the homeserver refuses the bot's access token; set a valid matrix.access_token (or a password)",
				slog.Any("error", classify("sync", err)), slog.Duration("retry_in", wait))
		case first:
			h.log.Warn("matrix sync stopped; starting it again with backoff", slog.Any("error", classify("sync", err)), slog.Duration("retry_in", wait))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// onSync runs before each sync response is processed. On the first sync
// (no token: a new store, or a new account) the timelines' messages are
// dropped, so that the bot does not answer the rooms' history; invites
// are kept. It also retries invites that failed to be accepted.
func (h *CommandHandler) onSync(ctx context.Context, resp *mautrix.RespSync, since string) bool {
	h.mu.Lock()
	retry := make(map[id.RoomID]id.UserID, len(h.invites))
	for r, u := range h.invites {
		retry[r] = u
	}
	h.mu.Unlock()
	if since == "" {
		for _, room := range resp.Rooms.Join {
			// Keep the state (membership) events, for the state store.
			kept := room.Timeline.Events[:0]
			for _, ev := range room.Timeline.Events {
				if ev.StateKey != nil {
					kept = append(kept, ev)
				}
			}
			room.Timeline.Events = kept
		}
	}
	for room, inviter := range retry {
		h.acceptInvite(ctx, room, inviter)
	}
	return true
}

// onMember handles the bot's invites: it joins when the inviter is an
// admin or an allowed user, or the room is a configured one; else it
// declines.
func (h *CommandHandler) onMember(ctx context.Context, evt *event.Event) {
	if evt.GetStateKey() != string(h.c.userID) || evt.Mautrix.EventSource&event.SourceInvite == 0 {
		return
	}
	if evt.Content.AsMember().Membership != event.MembershipInvite {
		return
	}
	log := h.log.With(slog.String("room_id", string(evt.RoomID)), slog.String("inviter", string(evt.Sender)))
	if !h.admins[evt.Sender] && !h.allowed[evt.Sender] && !h.configured(evt.RoomID) {
		log.Info("declining an invite from a user who is neither an admin nor allowed, to a room not configured")
		err := h.c.call(ctx, "leave", func() error {
			_, err := h.c.cli.LeaveRoom(ctx, evt.RoomID, &mautrix.ReqLeave{Reason: "wirewatch joins rooms its admins or allowed users invite it to"})
			return err
		})
		if err != nil {
			log.Warn("cannot decline the invite", slog.Any("error", err))
		}
		return
	}
	h.acceptInvite(ctx, evt.RoomID, evt.Sender)
}

// acceptInvite joins a room; a transient failure is retried after the
// next sync.
func (h *CommandHandler) acceptInvite(ctx context.Context, room id.RoomID, inviter id.UserID) {
	log := h.log.With(slog.String("room_id", string(room)), slog.String("inviter", string(inviter)))
	err := h.c.join(ctx, room)
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case err == nil:
		delete(h.invites, room)
		log.Info("joined a room on invitation")
	case bot.IsPermanent(err):
		delete(h.invites, room)
		log.Warn("cannot join the room it was invited to", slog.Any("error", err))
	default:
		if _, again := h.invites[room]; !again {
			log.Warn("cannot join the room it was invited to yet; trying again after the next sync", slog.Any("error", err))
		}
		h.invites[room] = inviter
	}
}

// onEncrypted notes, once per room, that the bot cannot read an encrypted
// room (with encryption on, the crypto helper decrypts first).
func (h *CommandHandler) onEncrypted(_ context.Context, evt *event.Event) {
	if h.c.crypto != nil || evt.Sender == h.c.userID {
		return
	}
	h.mu.Lock()
	warned := h.warnedEnc[evt.RoomID]
	h.warnedEnc[evt.RoomID] = true
	h.mu.Unlock()
	if !warned {
		h.log.Warn("cannot read commands in an end-to-end encrypted room: matrix.encryption is off",
			slog.String("room_id", string(evt.RoomID)))
	}
}

// command returns the command text of a message ("" for "!wirewatch"
// alone) and whether the message is a command at all.
func (h *CommandHandler) command(body string) (string, bool) {
	body = strings.TrimSpace(body)
	first, rest, _ := strings.Cut(body, " ")
	if i := strings.IndexAny(first, "\n\t"); i >= 0 {
		first, rest = first[:i], body[i+1:]
	}
	if !strings.EqualFold(first, h.prefix) {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// onMessage answers a command: text messages (not notices, not edits)
// from others that start with the prefix, sent less than maxCommandAge ago.
func (h *CommandHandler) onMessage(ctx context.Context, evt *event.Event) {
	if evt.Sender == h.c.userID || evt.Mautrix.EventSource&event.SourceTimeline == 0 {
		return
	}
	msg := evt.Content.AsMessage()
	if msg.MsgType != event.MsgText || msg.RelatesTo.GetReplaceID() != "" {
		return
	}
	related := repliedTo(msg.RelatesTo)
	msg.RemoveReplyFallback()
	text, ok := h.command(msg.Body)
	if !ok {
		return
	}
	log := h.log.With(slog.String("room_id", string(evt.RoomID)), slog.String("user", string(evt.Sender)),
		slog.String("event_id", string(evt.ID)))
	if age := h.c.now().Sub(time.UnixMilli(evt.Timestamp)); age > maxCommandAge {
		log.Info("not answering an old command", slog.Duration("age", age))
		return
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	admin := h.admins[evt.Sender]
	var reply *bot.Reply
	if len(h.allowed) > 0 && !h.allowed[evt.Sender] && !admin {
		log.Info("command refused: not an allowed user")
		reply = &bot.Reply{Title: "Sorry, you are not among the users allowed to use wirewatch.",
			Lines: []bot.Line{{Text: "Ask one of the admins named in the bot's configuration."}}}
	} else {
		reply = h.cmds.Run(ctx, command.Request{Text: text, Prefix: h.prefix, User: string(evt.Sender), Admin: admin,
			Shared: true, Story: h.storyOf(ctx, related)})
	}
	if err := h.answer(ctx, evt, reply); err != nil {
		log.Warn("cannot answer a command", slog.Any("error", err))
	}
}

// repliedTo returns the events a command relates to, nearest first: the
// message it replies to, then the root of its thread. A message in a
// thread carries a reply to the thread's latest event only as a fallback
// for clients without threads (is_falling_back): that event is anyone's,
// so it is not taken for the message replied to.
func repliedTo(rel *event.RelatesTo) []id.EventID {
	var out []id.EventID
	if ev := rel.GetNonFallbackReplyTo(); ev != "" {
		out = append(out, ev)
	}
	if root := rel.GetThreadParent(); root != "" {
		out = append(out, root)
	}
	return out
}

// storyOf returns the story of the first of events that is one of the
// bot's alerts and updates, as a story ID, or "" when none is.
func (h *CommandHandler) storyOf(ctx context.Context, events []id.EventID) string {
	if h.msgs == nil {
		return ""
	}
	for _, ev := range events {
		if sid, err := h.msgs.StoryOfMessage(ctx, string(ev)); err == nil {
			return strconv.FormatInt(sid, 10)
		}
	}
	return ""
}

// answer posts a reply to the command event (in its thread, when it was
// in one), waiting out rate limits.
func (h *CommandHandler) answer(ctx context.Context, evt *event.Event, r *bot.Reply) error {
	content := notice(replyMessage(r))
	rel := &event.RelatesTo{InReplyTo: &event.InReplyTo{EventID: evt.ID}}
	if root := evt.Content.AsMessage().RelatesTo.GetThreadParent(); root != "" {
		rel.Type, rel.EventID = event.RelThread, root
	}
	content.RelatesTo = rel
	content.Mentions = &event.Mentions{UserIDs: []id.UserID{evt.Sender}}
	sum := sha256.Sum256([]byte(evt.ID))
	txn := h.c.txnID("reply", 0, 0) + "." + hex.EncodeToString(sum[:12])
	var err error
	for attempt := 1; ; attempt++ {
		if _, err = h.c.sendMessage(ctx, evt.RoomID, txn, content); err == nil {
			return nil
		}
		wait := retryAfter(err)
		if wait == 0 || attempt == replyAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up waiting out a rate limit)", err)
		case <-time.After(wait):
		}
	}
}
