package bot

import (
	"context"
	"time"

	"github.com/wirewatch/wirewatch/bot/internal/senderr"
)

// Sender posts messages to one kind of channel (jsonl, webhook, Slack,
// Matrix). Adapters implement it; the dispatcher calls it.
type Sender interface {
	// Send posts m and returns the remote message id ("" when the channel
	// has none). Errors may be wrapped with Permanent or RetryAfter.
	Send(ctx context.Context, m *Message) (remoteID string, err error)
}

// SnippetFree is a Sender whose messages show no snippet (their JSON form,
// which has none): the dispatcher does not work one out for it.
type SnippetFree interface{ NoSnippets() }

// Message is one delivery, rendered for a channel. Its JSON form is the
// delivery line of shared/DESIGN.md.
type Message struct {
	ID      int64    `json:"delivery_id"` // outbox id: the idempotency key for the remote side
	Kind    string   `json:"kind"`        // "alert", "update" or "digest"
	Channel string   `json:"channel"`
	Rule    string   `json:"rule,omitempty"` // digests: the rule
	Text    string   `json:"text,omitempty"` // notices: what the ops channel is told
	Seq     int      `json:"seq,omitempty"`  // updates and digests: their number
	Stories []*Story `json:"stories"`
	New     []string `json:"new,omitempty"` // updates: the new items' URLs
	// ReplyTo is the remote id of the story's alert in this channel, for
	// updates that edit it or reply in its thread ("" when unknown).
	ReplyTo string `json:"-"`
	// Resend is set when an earlier attempt was started but never recorded
	// as sent: it may have reached the channel (a crash after the post), so
	// a sender that can looks for it before posting again.
	Resend bool `json:"-"`
	// Snippet shows why an alert's or update's story matched (MatchSnippet):
	// a piece of an item's text, the matched terms Bold, ready for senders
	// to mark up; nil when none shows.
	Snippet []SnippetPart `json:"-"`
	// Matched names the rules that caused this message in this channel:
	// an alert's or update's alert rules of the channel that match the
	// story; a digest's rule. Snippets bold their terms only.
	Matched []string `json:"-"`
}

// The on_update settings of a chat channel: what an update of an alerted
// story does there.
const (
	UpdateBoth   = "both"   // edit the alert and reply in its thread
	UpdateEdit   = "edit"   // edit the alert
	UpdateThread = "thread" // reply in the alert's thread
	UpdateNone   = "none"   // neither
)

// Permanent marks err as permanent: the channel is paused, not retried soon.
func Permanent(err error) error { return senderr.Permanent(err) }

// Rejected marks err as the channel refusing this message for good (too
// long, blocks it does not accept): the delivery is logged and not retried;
// the channel is not paused.
func Rejected(err error) error { return senderr.Rejected(err) }

// IsRejected reports whether err was marked Rejected.
func IsRejected(err error) bool { return senderr.IsRejected(err) }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool { return senderr.IsPermanent(err) }

// RetryAfter marks err as transient with a wait the remote side asked for.
func RetryAfter(err error, after time.Duration) error { return senderr.RetryAfter(err, after) }
