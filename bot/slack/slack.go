// Package slack delivers alerts, story updates and digests to Slack
// channels (Block Kit messages with a plain-text fallback) and answers the
// slash command over Socket Mode or HTTP with the shared command set.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/bot"
)

// Client is a Slack Web API client for one workspace, shared by its
// channels' senders and the command handlers.
type Client struct {
	api  *slack.Client
	http *http.Client
	log  *slog.Logger
}

// ClientConfig configures a Client.
type ClientConfig struct {
	BotToken   string       // xoxb-…
	AppToken   string       // xapp-…, for Socket Mode ("" without it)
	APIURL     string       // "" for Slack's; tests point it at a fake
	HTTPClient *http.Client // nil: a client with a 30 s timeout
}

// New returns a client. It makes no request.
func New(cfg ClientConfig, log *slog.Logger) *Client {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	opts := []slack.Option{slack.OptionHTTPClient(hc)}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimSuffix(cfg.APIURL, "/")+"/"))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return &Client{api: slack.New(cfg.BotToken, opts...), http: hc, log: log}
}

// Identity is who a token belongs to.
type Identity struct {
	Team   string // the workspace's name
	TeamID string
	User   string // the bot user's name
	UserID string
}

// AuthTest asks Slack whom the bot token belongs to (auth.test).
func (c *Client) AuthTest(ctx context.Context) (Identity, error) {
	r, err := c.api.AuthTestContext(ctx)
	if err != nil {
		return Identity{}, classify("auth.test", err)
	}
	return Identity{Team: r.Team, TeamID: r.TeamID, User: r.User, UserID: r.UserID}, nil
}

// ResolveChannels maps each target that is a "#name" to its channel ID
// (conversations.list, public and private channels the token can see,
// archived ones left out); IDs map to themselves. It lists the
// conversations once, and only when a name needs it.
func (c *Client) ResolveChannels(ctx context.Context, targets []string) (map[string]string, error) {
	out := make(map[string]string, len(targets))
	want := map[string]bool{}
	for _, t := range targets {
		if name, ok := strings.CutPrefix(t, "#"); ok {
			want[name] = true
		} else {
			out[t] = t
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	params := &slack.GetConversationsParameters{Limit: 1000, ExcludeArchived: true,
		Types: []string{"public_channel", "private_channel"}}
	for {
		list, next, err := c.api.GetConversationsContext(ctx, params)
		if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(rl.RetryAfter):
				continue
			}
		}
		if err != nil {
			return nil, classify("conversations.list", err)
		}
		for _, ch := range list {
			if want[ch.Name] {
				out["#"+ch.Name] = ch.ID
				delete(want, ch.Name)
				c.log.Info("slack channel resolved", slog.String("slack_channel", "#"+ch.Name), slog.String("id", ch.ID))
			}
		}
		if next == "" || len(want) == 0 {
			break
		}
		params.Cursor = next
	}
	if len(want) > 0 {
		missing := make([]string, 0, len(want))
		for name := range want {
			missing = append(missing, "#"+name)
		}
		slices.Sort(missing)
		return nil, bot.Permanent(fmt.Errorf("slack: the bot sees no channel %s (invite it, or give the channel ID)", strings.Join(missing, ", ")))
	}
	return out, nil
}

// permanentErrors are Slack's error codes that retrying will not fix: the
// channel pauses until someone fixes the configuration or the workspace.
var permanentErrors = map[string]bool{
	"channel_not_found": true, "not_in_channel": true, "is_archived": true,
	"invalid_auth": true, "account_inactive": true, "token_revoked": true,
	"token_expired": true, "not_authed": true, "missing_scope": true,
	"no_permission": true, "restricted_action": true, "ekm_access_denied": true,
	"team_access_not_granted": true, "not_allowed_token_type": true,
}

// rejectedErrors are Slack's error codes for a message that will never be
// accepted as it is: the delivery is dropped (logged), the channel stays.
var rejectedErrors = map[string]bool{
	"invalid_blocks": true, "invalid_blocks_format": true, "msg_too_long": true, "msg_blocks_too_long": true,
	"too_many_attachments": true, "invalid_metadata_format": true, "invalid_metadata_schema": true,
	"metadata_too_large": true, "markdown_text_conflict": true,
}

// classify wraps an error of a Web API call: a rate limit as
// bot.RetryAfter with Slack's wait, the codes in permanentErrors as
// bot.Permanent, those in rejectedErrors as bot.Rejected, anything else as
// transient. Its text never holds the
// token (the API sends it in the body, and URLs are stripped).
func classify(method string, err error) error {
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return bot.RetryAfter(fmt.Errorf("slack %s: rate limited", method), rl.RetryAfter)
	}
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		err = fmt.Errorf("slack %s: %w", method, se)
		if permanentErrors[se.Err] {
			return bot.Permanent(err)
		}
		if rejectedErrors[se.Err] {
			return bot.Rejected(err)
		}
		if se.Err == "ratelimited" {
			return bot.RetryAfter(err, time.Minute)
		}
		return err
	}
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err // its URL is the API's, but it says nothing useful
	}
	return fmt.Errorf("slack %s: %w", method, err)
}

// slackError returns the Slack error code in err ("" if none).
func slackError(err error) string {
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		return se.Err
	}
	return ""
}

// CheckChannel says why the bot cannot work in a channel, or returns nil:
// it must see the channel, the channel must not be archived, and the bot
// must be a member (it reads recent messages there before resending).
func (c *Client) CheckChannel(ctx context.Context, channelID string) error {
	ch, err := c.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channelID})
	if err != nil {
		return classify("conversations.info", err)
	}
	switch {
	case ch.IsArchived:
		return bot.Permanent(fmt.Errorf("slack: channel %s is archived", channelID))
	case !ch.IsMember:
		return bot.Permanent(fmt.Errorf("slack: the bot is not in channel %s (invite it: /invite @wirewatch)", channelID))
	}
	return nil
}
