package slack

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/bot"
)

// metadataEvent is the event_type of the metadata every message carries;
// its payload names the outbox delivery (and the part of a long digest),
// so that a resend finds an earlier post instead of doubling it.
const metadataEvent = "wirewatch_delivery"

// historyLimit is how many recent messages a resend looks through.
const historyLimit = 200

// SenderConfig configures the sender of one channel.
type SenderConfig struct {
	Name     string         // the channel's name in the configuration, for logs
	Channel  string         // the Slack channel ID (C…, G…); resolve #names first
	OnUpdate string         // bot.UpdateBoth ("" too), bot.UpdateEdit, bot.UpdateThread or bot.UpdateNone
	Location *time.Location // the zone times are shown in (nil: UTC)
	// Installation is the store's installation id, carried in every
	// message's metadata so that a resend never takes another database's
	// message with the same outbox id for its own.
	Installation string
}

// Sender posts one channel's deliveries. It is safe for concurrent use.
type Sender struct {
	installation string
	c            *Client
	name         string
	channel      string
	onUpdate     string
	loc          *time.Location
	log          *slog.Logger
}

var _ bot.Sender = (*Sender)(nil)

// NewSender returns the sender of one Slack channel.
func NewSender(c *Client, cfg SenderConfig) *Sender {
	s := &Sender{installation: cfg.Installation, c: c, name: cfg.Name, channel: cfg.Channel,
		log: c.log.With(slog.String("channel", cfg.Name), slog.String("slack_channel", cfg.Channel))}
	s.onUpdate, s.loc = bot.SenderDefaults(cfg.OnUpdate, cfg.Location)
	return s
}

// Send implements bot.Sender. It returns the message's ts: an alert's is
// what its updates edit and reply to; a digest's is its first part's.
func (s *Sender) Send(ctx context.Context, m *bot.Message) (string, error) {
	switch m.Kind {
	case "alert":
		if len(m.Stories) == 0 {
			return "", nil
		}
		return s.postOnce(ctx, m, alertMessage(m, "", time.Time{}, s.loc), "")
	case "update":
		if len(m.Stories) == 0 {
			return "", nil
		}
		return s.sendUpdate(ctx, m)
	case "digest":
		return s.sendDigest(ctx, m)
	case "notice":
		return s.postOnce(ctx, m, message{text: escape(m.Text), blocks: []slack.Block{section(escape(m.Text))}}, "")
	}
	return "", bot.Permanent(fmt.Errorf("slack: unknown delivery kind %q", m.Kind))
}

// gone are the errors saying the message to edit or reply to is no more.
var gone = map[string]bool{"message_not_found": true, "cant_update_message": true,
	"edit_window_closed": true, "thread_not_found": true}

// sendUpdate edits the story's alert to show it as it is now and/or
// replies in its thread naming the new outlets, as on_update says. When
// the alert is unknown or gone, the update is posted as a message of its own.
func (s *Sender) sendUpdate(ctx context.Context, m *bot.Message) (string, error) {
	st := m.Stories[0]
	if s.onUpdate == bot.UpdateNone {
		return m.ReplyTo, nil
	}
	standalone := func() (string, error) {
		return s.postOnce(ctx, m, alertMessage(m, "Update", time.Time{}, s.loc), "")
	}
	if m.ReplyTo == "" {
		return standalone()
	}
	if s.onUpdate == bot.UpdateEdit || s.onUpdate == bot.UpdateBoth {
		msg := alertMessage(m, "Updated", st.Updated, s.loc)
		_, _, _, err := s.c.api.UpdateMessageContext(ctx, s.channel, m.ReplyTo,
			slack.MsgOptionBlocks(msg.blocks...), slack.MsgOptionText(msg.text, false))
		if gone[slackError(err)] {
			s.log.Warn("the alert cannot be edited; posting the update as a message of its own",
				slog.String("ts", m.ReplyTo), slog.String("error", slackError(err)), slog.Int64("delivery", m.ID))
			return standalone()
		}
		if err != nil {
			return "", classify("chat.update", err)
		}
		if s.onUpdate == bot.UpdateEdit {
			return m.ReplyTo, nil
		}
	}
	ts, err := s.postOnce(ctx, m, threadReply(m), m.ReplyTo)
	if gone[slackError(err)] {
		return standalone()
	}
	return ts, err
}

// sendDigest posts a digest, in as many messages as Slack's limits need.
// A resend posts only the parts that are not in the channel yet.
func (s *Sender) sendDigest(ctx context.Context, m *bot.Message) (string, error) {
	if len(m.Stories) == 0 {
		return "", nil // every story was pruned while the digest waited
	}
	var done map[int]string
	if m.Resend {
		var err error
		if done, err = s.posted(ctx, m, ""); err != nil {
			return "", err
		}
	}
	first := ""
	for i, msg := range digestMessages(m.Rule, m.Stories) {
		part := i + 1
		ts, ok := done[part]
		if ok {
			s.log.Info("digest part found in the channel; not posting it again", slog.Int64("delivery", m.ID), slog.Int("part", part))
		} else {
			var err error
			if ts, err = s.post(ctx, m, part, msg, ""); err != nil {
				return "", err
			}
		}
		if part == 1 {
			first = ts
		}
	}
	return first, nil
}

// postOnce posts a one-part delivery, unless it is a resend that an
// earlier attempt already posted (then it returns that post's ts).
func (s *Sender) postOnce(ctx context.Context, m *bot.Message, msg message, threadTS string) (string, error) {
	if m.Resend {
		done, err := s.posted(ctx, m, threadTS)
		if err != nil {
			return "", err
		}
		if ts, ok := done[1]; ok {
			s.log.Info("delivery found in the channel; not posting it again", slog.Int64("delivery", m.ID), slog.String("ts", ts))
			return ts, nil
		}
	}
	return s.post(ctx, m, 1, msg, threadTS)
}

// metadata is what a delivery's message carries to be found again: the
// installation and the outbox id, and the part, with the kind as a check.
func (s *Sender) metadata(m *bot.Message, part int) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: metadataEvent, EventPayload: map[string]any{
		"installation": s.installation, "delivery_id": strconv.FormatInt(m.ID, 10),
		"part": strconv.Itoa(part), "kind": m.Kind}}
}

// post posts one message (in a thread when threadTS is set), link previews
// off, with metadata naming the delivery and part.
func (s *Sender) post(ctx context.Context, m *bot.Message, part int, msg message, threadTS string) (string, error) {
	opts := []slack.MsgOption{
		slack.MsgOptionBlocks(msg.blocks...),
		slack.MsgOptionText(msg.text, false),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
		slack.MsgOptionMetadata(s.metadata(m, part)),
	}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	_, ts, err := s.c.api.PostMessageContext(ctx, s.channel, opts...)
	if err != nil {
		if gone[slackError(err)] {
			return "", err // the caller falls back to a message of its own
		}
		return "", classify("chat.postMessage", err)
	}
	return ts, nil
}

// posted returns the parts of delivery id already in the channel (in the
// thread of threadTS, when set), by part number, with their ts: it looks
// through the recent messages for our metadata. Without the history scope
// it finds nothing (and says so in the log): a rare double post is better
// than a delivery that never goes out.
func (s *Sender) posted(ctx context.Context, m *bot.Message, threadTS string) (map[int]string, error) {
	var msgs []slack.Message
	var err error
	method := "conversations.history"
	if threadTS == "" {
		var r *slack.GetConversationHistoryResponse
		r, err = s.c.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: s.channel, Limit: historyLimit, IncludeAllMetadata: true})
		if r != nil {
			msgs = r.Messages
		}
	} else {
		method = "conversations.replies"
		msgs, _, _, err = s.c.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: s.channel, Timestamp: threadTS, Limit: historyLimit, IncludeAllMetadata: true})
	}
	switch slackError(err) {
	case "missing_scope":
		s.log.Warn("cannot look for an earlier post of a resent delivery (add the channels:history and groups:history scopes); posting it",
			slog.Int64("delivery", m.ID))
		return nil, nil
	case "not_in_channel":
		// chat:write.public posts without the bot being a member, but
		// reading the channel needs one.
		s.log.Warn("cannot look for an earlier post of a resent delivery: the bot is not a member of the channel (invite it); posting it",
			slog.Int64("delivery", m.ID), slog.String("channel", s.channel))
		return nil, nil
	}
	if err != nil {
		return nil, classify(method, err)
	}
	want := s.metadata(m, 1).EventPayload
	out := map[int]string{}
	for _, msg := range msgs {
		md := msg.Metadata
		if md.EventType != metadataEvent || fmt.Sprint(md.EventPayload["installation"]) != want["installation"] ||
			fmt.Sprint(md.EventPayload["delivery_id"]) != want["delivery_id"] ||
			fmt.Sprint(md.EventPayload["kind"]) != want["kind"] {
			continue
		}
		part, err := strconv.Atoi(fmt.Sprint(md.EventPayload["part"]))
		if err != nil {
			part = 1
		}
		out[part] = msg.Timestamp
	}
	return out, nil
}
