package matrix

import (
	"context"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// cryptoHelper is what the client needs of end-to-end encryption; only
// the goolm build has one (crypto_goolm.go). It registers with the
// client's syncer to see to-device events, keys and membership, and to
// decrypt events for the command handler.
type cryptoHelper interface {
	// prepare tells the helper, before a send, that room is encrypted as
	// content says, and makes sure it knows the room's members (without a
	// running sync loop, as `once` runs, it would not).
	prepare(ctx context.Context, room id.RoomID, content *event.EncryptionEventContent) error
	Close() error
}
