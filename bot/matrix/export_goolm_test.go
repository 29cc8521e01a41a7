//go:build goolm

package matrix

import (
	"context"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// SendText sends a text message as a person would (encrypted in an
// encrypted room), for the encryption tests, where a Client stands in
// for alice's end-to-end encrypting client.
func (c *Client) SendText(ctx context.Context, room id.RoomID, text string) (id.EventID, error) {
	if err := c.checkEncryption(ctx, room); err != nil {
		return "", err
	}
	return c.sendMessage(ctx, room, c.txnID("text", int64(len(text)), int(c.now().UnixNano()%1e9)),
		&event.MessageEventContent{MsgType: event.MsgText, Body: text})
}

// OnMessage calls fn with every (decrypted) message the client's sync sees.
func (c *Client) OnMessage(fn func(*event.Event)) {
	c.syncer.OnEventType(event.EventMessage, func(_ context.Context, evt *event.Event) { fn(evt) })
}

// Sync runs the client's sync until ctx is done.
func (c *Client) Sync(ctx context.Context) error { return c.cli.SyncWithContext(ctx) }
