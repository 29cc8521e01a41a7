package matrix

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/wirewatch/wirewatch/bot"
)

// txnField is the content field that carries an event's transaction id,
// so that a resend finds an earlier post in the room's history even after
// the homeserver forgot the transaction.
const txnField = "org.wirewatch.txn"

// historyLimit is how many recent events a resend looks through.
const historyLimit = 100

// readyFor is how long a room found ready (joined, and not encrypted or
// encryption on) is not checked again.
const readyFor = 5 * time.Minute

// SenderConfig configures the sender of one room.
type SenderConfig struct {
	Name     string         // the channel's name in the configuration, for logs
	Room     string         // the room ID (!…); resolve #aliases first
	OnUpdate string         // bot.UpdateBoth ("" too), bot.UpdateEdit, bot.UpdateThread or bot.UpdateNone
	Location *time.Location // the zone times are shown in (nil: UTC)
}

// Sender posts one room's deliveries. It is safe for concurrent use.
type Sender struct {
	c        *Client
	name     string
	room     id.RoomID
	onUpdate string
	loc      *time.Location
	log      *slog.Logger

	mu         sync.Mutex
	readyUntil time.Time
}

var _ bot.Sender = (*Sender)(nil)

// NewSender returns the sender of one Matrix room.
func NewSender(c *Client, cfg SenderConfig) *Sender {
	s := &Sender{c: c, name: cfg.Name, room: id.RoomID(cfg.Room),
		log: c.log.With(slog.String("channel", cfg.Name), slog.String("room_id", cfg.Room))}
	s.onUpdate, s.loc = bot.SenderDefaults(cfg.OnUpdate, cfg.Location)
	return s
}

// noticeContent is an m.notice with our transaction id in its content.
type noticeContent struct {
	*event.MessageEventContent
	Txn string `json:"org.wirewatch.txn,omitempty"`
}

// notice returns the content of a message: an m.notice with HTML, that
// mentions no one.
func notice(msg message) *event.MessageEventContent {
	return &event.MessageEventContent{MsgType: event.MsgNotice, Body: msg.body,
		Format: event.FormatHTML, FormattedBody: msg.html, Mentions: &event.Mentions{}}
}

// Send implements bot.Sender. It returns the event ID of the message: an
// alert's is what its updates edit and reply to; a digest's is its first
// part's.
func (s *Sender) Send(ctx context.Context, m *bot.Message) (string, error) {
	switch m.Kind {
	case "alert":
		if len(m.Stories) == 0 {
			return "", nil
		}
		ev, err := s.postOnce(ctx, m, s.c.txnID("alert", m.ID, 1), notice(alertMessage(m, "", time.Time{}, s.loc)))
		return string(ev), err
	case "update":
		if len(m.Stories) == 0 {
			return "", nil
		}
		ev, err := s.sendUpdate(ctx, m)
		return string(ev), err
	case "digest":
		ev, err := s.sendDigest(ctx, m)
		return string(ev), err
	}
	return "", bot.Permanent(fmt.Errorf("matrix: unknown delivery kind %q", m.Kind))
}

// sendUpdate edits the story's alert to show it as it is now and/or
// replies in its thread naming the new outlets, as on_update says. When
// the alert is unknown, the update is posted as a message of its own.
func (s *Sender) sendUpdate(ctx context.Context, m *bot.Message) (id.EventID, error) {
	st := m.Stories[0]
	if s.onUpdate == bot.UpdateNone {
		return id.EventID(m.ReplyTo), nil
	}
	if m.ReplyTo == "" {
		return s.postOnce(ctx, m, s.c.txnID("update", m.ID, 1), notice(alertMessage(m, "Update", time.Time{}, s.loc)))
	}
	alert := id.EventID(m.ReplyTo)
	var last id.EventID
	if s.onUpdate == bot.UpdateEdit || s.onUpdate == bot.UpdateBoth {
		content := notice(alertMessage(m, "Updated", st.Updated, s.loc))
		content.SetEdit(alert)
		ev, err := s.postOnce(ctx, m, s.c.txnID("edit", m.ID, 1), content)
		if err != nil {
			return "", err
		}
		last = ev
	}
	if s.onUpdate == bot.UpdateThread || s.onUpdate == bot.UpdateBoth {
		content := notice(threadReply(st, m.New))
		content.RelatesTo = (&event.RelatesTo{}).SetThread(alert, alert)
		ev, err := s.postOnce(ctx, m, s.c.txnID("thread", m.ID, 1), content)
		if err != nil {
			return "", err
		}
		last = ev
	}
	return last, nil
}

// sendDigest posts a digest, in as many messages as its size needs.
func (s *Sender) sendDigest(ctx context.Context, m *bot.Message) (id.EventID, error) {
	if len(m.Stories) == 0 {
		return "", nil // every story was pruned while the digest waited
	}
	var first id.EventID
	for i, msg := range digestMessages(m.Rule, m.Stories) {
		ev, err := s.postOnce(ctx, m, s.c.txnID("digest", m.ID, i+1), notice(msg))
		if err != nil {
			return "", err
		}
		if i == 0 {
			first = ev
		}
	}
	return first, nil
}

// postOnce posts one event of a delivery with txn as its transaction id,
// unless the delivery is a resend and the room's recent history shows an
// event with that id already (then it returns that event's ID).
func (s *Sender) postOnce(ctx context.Context, m *bot.Message, txn string, content *event.MessageEventContent) (id.EventID, error) {
	if err := s.ready(ctx); err != nil {
		return "", err
	}
	if m.Resend {
		ev, err := s.c.findTxn(ctx, s.room, txn)
		if err != nil {
			return "", err
		}
		if ev != "" {
			s.log.Info("delivery found in the room; not posting it again", slog.Int64("delivery", m.ID),
				slog.String("event_id", string(ev)))
			return ev, nil
		}
	}
	ev, err := s.c.sendMessage(ctx, s.room, txn, &noticeContent{MessageEventContent: content, Txn: txn})
	if errCode(err) == "M_FORBIDDEN" {
		// Perhaps invited a moment ago, the invite not yet seen by the sync loop.
		if jerr := s.join(ctx); jerr != nil {
			return "", jerr
		}
		ev, err = s.c.sendMessage(ctx, s.room, txn, &noticeContent{MessageEventContent: content, Txn: txn})
	}
	if err != nil {
		s.mu.Lock()
		s.readyUntil = time.Time{}
		s.mu.Unlock()
		return "", err
	}
	return ev, nil
}

// ready makes sure the bot can post in the room: it joins it when it has
// not yet (a configured room it was invited to must not fail as
// forbidden), and fails when the room is encrypted and the client cannot
// encrypt. A room found ready is not checked again for a while.
func (s *Sender) ready(ctx context.Context) error {
	s.mu.Lock()
	fresh := s.c.now().Before(s.readyUntil)
	s.mu.Unlock()
	if fresh {
		return nil
	}
	err := s.c.checkEncryption(ctx, s.room)
	if errCode(err) == "M_FORBIDDEN" {
		if err = s.join(ctx); err == nil {
			err = s.c.checkEncryption(ctx, s.room)
		}
	}
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.readyUntil = s.c.now().Add(readyFor)
	s.mu.Unlock()
	return nil
}

// join joins the room (which works when the bot is invited, or the room is
// public) or returns a permanent error saying what to do.
func (s *Sender) join(ctx context.Context) error {
	if err := s.c.join(ctx, s.room); err != nil {
		// Any refusal (Dendrite answers 500 for a room it does not know)
		// leaves the bot outside the room until someone invites it.
		if bot.IsPermanent(err) || answered(err) && retryAfter(err) == 0 {
			return bot.Permanent(fmt.Errorf("matrix: the bot is not in room %s and cannot join it (invite %s): %w",
				s.room, s.c.userID, err))
		}
		return err
	}
	s.log.Info("joined the room to deliver there")
	return nil
}

// join joins a room.
func (c *Client) join(ctx context.Context, room id.RoomID) error {
	return c.call(ctx, "join", func() error {
		_, err := c.cli.JoinRoomByID(ctx, room)
		return err
	})
}

// sendMessage sends an m.room.message event with txn as its transaction
// id (encrypted when the room is and the client can). When the homeserver
// forgot the token, a password login is made again and the event sent
// once more.
func (c *Client) sendMessage(ctx context.Context, room id.RoomID, txn string, content any) (id.EventID, error) {
	var resp *mautrix.RespSendEvent
	err := c.call(ctx, "send", func() (err error) {
		resp, err = c.cli.SendMessageEvent(ctx, room, event.EventMessage, content, mautrix.ReqSendEvent{TransactionID: txn})
		return err
	})
	if err != nil {
		return "", err
	}
	return resp.EventID, nil
}

// findTxn looks through the room's recent events for one the bot sent with
// transaction id txn, and returns its ID ("" when there is none).
func (c *Client) findTxn(ctx context.Context, room id.RoomID, txn string) (id.EventID, error) {
	filter := &mautrix.FilterPart{Senders: []id.UserID{c.userID}}
	var resp *mautrix.RespMessages
	err := c.call(ctx, "messages", func() (err error) {
		resp, err = c.cli.Messages(ctx, room, "", "", mautrix.DirectionBackward, filter, historyLimit)
		return err
	})
	if err != nil {
		return "", err
	}
	for _, ev := range resp.Chunk {
		if ev.Sender != c.userID {
			continue
		}
		if ev.Unsigned.TransactionID == txn {
			return ev.ID, nil
		}
		if got, _ := ev.Content.Raw[txnField].(string); got == txn {
			return ev.ID, nil
		}
	}
	return "", nil
}
