package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
)

const (
	// defaultInlineWait is how long a command may take to answer in the
	// immediate reply; slower answers go to the response_url (Slack wants
	// the reply, or the Socket Mode acknowledgement, within 3 s).
	defaultInlineWait = 2 * time.Second
	// commandTimeout bounds a command's work.
	commandTimeout = 30 * time.Second
	// maxCommandBody bounds an HTTP command's form.
	maxCommandBody = 64 << 10
)

// CommandConfig configures the slash command.
type CommandConfig struct {
	SigningSecret string         // verifies HTTP commands and actions ("" refuses them all)
	Admins        []string       // Slack user IDs that may mute, unmute, digest, merge and split
	Command       string         // the slash command, as answers name it ("" for /wirewatch)
	Alerts        Alerts         // renders a story's alert after a split (nil: the message is not edited)
	Location      *time.Location // the fallback zone of times (nil: UTC)
	Now           bot.Clock      // nil: the system clock (for the replay window)
	InlineWait    time.Duration  // 0: 2 s
}

// CommandHandler answers the slash command (/wirewatch by default) with
// the shared command set, over HTTP (ServeHTTP) or Socket Mode
// (RunSocketMode). Answers are ephemeral unless the user adds in:channel.
type CommandHandler struct {
	c      *Client
	cmds   *command.Set
	prefix string
	alerts Alerts
	loc    *time.Location
	secret []byte
	admins map[string]bool
	now    bot.Clock
	inline time.Duration
	log    *slog.Logger
}

// NewCommandHandler returns the slash-command handler.
func NewCommandHandler(c *Client, cmds *command.Set, cfg CommandConfig) *CommandHandler {
	h := &CommandHandler{c: c, cmds: cmds, secret: []byte(cfg.SigningSecret), admins: map[string]bool{},
		now: cfg.Now, inline: cfg.InlineWait, log: c.log, prefix: cfg.Command, alerts: cfg.Alerts, loc: cfg.Location}
	if h.prefix == "" {
		h.prefix = "/wirewatch"
	}
	if h.loc == nil {
		h.loc = time.UTC
	}
	for _, a := range cfg.Admins {
		h.admins[a] = true
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.inline <= 0 {
		h.inline = defaultInlineWait
	}
	return h
}

// ServeHTTP answers POST /slack/commands: it checks Slack's signature
// (401 and a log line when it is missing, wrong or stale), then replies
// with the answer, or acknowledges and sends a slow answer to the
// response_url.
func (h *CommandHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	form, ok := h.verified(w, r)
	if !ok {
		return
	}
	sc := slack.SlashCommand{TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), UserID: form.Get("user_id"),
		UserName: form.Get("user_name"), Command: form.Get("command"), Text: form.Get("text"), ResponseURL: form.Get("response_url")}
	msg := h.answer(context.WithoutCancel(r.Context()), sc)
	if msg == nil {
		w.WriteHeader(http.StatusOK) // the answer follows at the response_url
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(msg)
}

// verified reads a POSTed form whose signature is Slack's (401 and a log
// line when it is missing, wrong or stale); when it is not, it has
// answered and returns false.
func (h *CommandHandler) verified(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCommandBody))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	if len(h.secret) == 0 {
		err = errors.New("no signing secret configured")
	} else {
		err = verify(h.secret, r.Header, body, h.now())
	}
	if err != nil {
		h.log.Warn("slack request refused", slog.String("path", r.URL.Path), slog.String("reason", err.Error()), slog.String("remote_addr", r.RemoteAddr))
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return nil, false
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	return form, true
}

// RunSocketMode connects to Slack over Socket Mode (with the app token)
// and answers slash commands until ctx is done. Each command is
// acknowledged within Slack's 3 s, with its answer when that is ready,
// else the answer goes to the response_url. It returns an error only when
// Slack refuses the app token.
func (h *CommandHandler) RunSocketMode(ctx context.Context) error {
	sm := socketmode.New(h.c.api)
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(ctx) }()
	for {
		select {
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-sm.Events:
			h.socketEvent(ctx, sm, evt)
		}
	}
}

// socketEvent handles one Socket Mode event.
func (h *CommandHandler) socketEvent(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		h.log.Info("connected to Slack over Socket Mode")
	case socketmode.EventTypeConnectionError:
		h.log.Warn("Socket Mode connection failed; retrying", slog.Any("error", evt.Data))
	case socketmode.EventTypeInvalidAuth:
		h.log.Error("Slack refused the app token (slack.app_token)")
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		go h.socketCommand(ctx, sm, evt.Request.EnvelopeID, sc)
	case socketmode.EventTypeInteractive:
		if evt.Request == nil {
			return
		}
		sm.Ack(*evt.Request)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			go h.act(ctx, cb)
		}
	case socketmode.EventTypeEventsAPI:
		if evt.Request != nil {
			sm.Ack(*evt.Request) // not ours to handle; Slack would send it again
		}
	}
}

// socketCommand acknowledges a slash command envelope with its answer, or
// acknowledges it at once and sends a slow answer to the response_url.
func (h *CommandHandler) socketCommand(ctx context.Context, sm *socketmode.Client, envelope string, sc slack.SlashCommand) {
	msg := h.answer(ctx, sc)
	if msg != nil {
		if err := sm.AckCtx(ctx, envelope, msg); err == nil {
			return
		}
		// Too large for an acknowledgement: send it as a response.
		sm.AckCtx(ctx, envelope, nil)
		h.respondLater(ctx, sc.ResponseURL, sc.UserID, msg)
		return
	}
	sm.AckCtx(ctx, envelope, nil)
}

// answer runs the command. When its answer is ready within the inline
// wait, answer returns it; otherwise it returns nil and sends the answer
// to the response_url once it is ready.
func (h *CommandHandler) answer(ctx context.Context, sc slack.SlashCommand) *slack.WebhookMessage {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	done := make(chan *slack.WebhookMessage, 1)
	go func() {
		defer cancel()
		req := command.Request{Text: unescapeCommand(sc.Text), Prefix: sc.Command, User: sc.UserID, Admin: h.admins[sc.UserID]}
		done <- replyMessage(h.cmds.Run(ctx, req))
	}()
	timer := time.NewTimer(h.inline)
	defer timer.Stop()
	select {
	case msg := <-done:
		return msg
	case <-timer.C:
		go func() { h.respondLater(ctx, sc.ResponseURL, sc.UserID, <-done) }()
		return nil
	}
}

// respondLater posts an answer to a command's or an action's response_url.
func (h *CommandHandler) respondLater(ctx context.Context, responseURL, user string, msg *slack.WebhookMessage) {
	u, err := url.Parse(responseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		h.log.Warn("slack command without a usable response_url; its answer is lost", slog.String("user", user))
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commandTimeout)
	defer cancel()
	if err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, h.c.http, msg); err != nil {
		h.log.Warn("cannot send a command's answer to its response_url", slog.String("user", user),
			slog.Any("error", redacted(err)))
	}
}

// unescapeCommand undoes Slack's escaping of the text users typed.
func unescapeCommand(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// redacted returns err without the URL net/http puts in its text (a
// response_url carries a secret of its own).
func redacted(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}
