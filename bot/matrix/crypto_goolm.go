//go:build goolm

package matrix

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/sqlstatestore"
)

// EncryptionSupported reports whether this build can use end-to-end
// encrypted rooms: this one can (mautrix's pure-Go olm, tag goolm).
const EncryptionSupported = true

// legacyPickleKey encrypted the olm state of every installation before
// matrix.pickle_key and generated keys; it still opens that state.
const legacyPickleKey = "wirewatch olm pickle key"

// sessionWait is how long a message whose room key has not arrived yet
// waits for it before it is given up.
const sessionWait = 10 * time.Second

// goolmHelper encrypts and decrypts with mautrix's olm machine, its state
// (the device's keys, olm and megolm sessions, and the rooms' membership
// and encryption) in tables of its own in the client's Store. It is
// mautrix's cryptohelper without the cgo SQLite driver that one imports.
type goolmHelper struct {
	c     *Client
	mach  *crypto.OlmMachine
	state *sqlstatestore.SQLStateStore

	mu      sync.Mutex
	members map[id.RoomID]bool // rooms whose members were loaded
}

var _ mautrix.CryptoHelper = (*goolmHelper)(nil)

// newCryptoHelper sets up encryption for a logged-in client: it loads (or
// creates and uploads) the device's keys, and hooks into the sync.
func newCryptoHelper(ctx context.Context, c *Client) (cryptoHelper, error) {
	db, err := c.st.CryptoDatabase()
	if err != nil {
		return nil, err
	}
	zlog := c.cli.Log.With().Str("component", "crypto").Logger()
	state := sqlstatestore.NewSQLStateStore(db, dbutil.ZeroLogger(zlog.With().Str("db_section", "matrix_state").Logger()), false)
	if err := state.Upgrade(ctx); err != nil {
		return nil, fmt.Errorf("encryption state tables: %w", err)
	}
	store := crypto.NewSQLCryptoStore(db, dbutil.ZeroLogger(zlog.With().Str("db_section", "crypto").Logger()),
		string(c.userID), c.cli.DeviceID, nil)
	if err := store.DB.Upgrade(ctx); err != nil {
		return nil, fmt.Errorf("encryption key tables: %w", err)
	}
	stored, err := store.FindDeviceID(ctx)
	if err != nil {
		return nil, err
	}
	if stored != "" && stored != c.cli.DeviceID {
		return nil, fmt.Errorf("the encryption keys in the store belong to device %s, but the bot is logged in as device %s (use that device's token, or a password)",
			stored, c.cli.DeviceID)
	}
	key, err := pickleKey(ctx, c.st, c.cfg.PickleKey, stored != "", c.now())
	if err != nil {
		return nil, err
	}
	store.PickleKey = []byte(key)
	c.cli.StateStore = state
	g := &goolmHelper{c: c, state: state, members: map[id.RoomID]bool{},
		mach: crypto.NewOlmMachine(c.cli, &zlog, store, state)}
	if err := g.mach.Load(ctx); err != nil {
		return nil, fmt.Errorf("load the olm account (matrix.pickle_key must be the key its state was written with; see README): %w", err)
	}
	if err := g.checkKeys(ctx); err != nil {
		return nil, err
	}
	s := c.syncer
	s.OnSync(g.mach.ProcessSyncResponse)
	s.OnEventType(event.StateMember, g.mach.HandleMemberEvent)
	s.OnEventType(event.EventEncrypted, g.handleEncrypted)
	s.OnEvent(c.cli.StateStoreSyncHandler)
	c.cli.Crypto = g
	c.log.Info("matrix end-to-end encryption on", slog.String("device_id", string(c.cli.DeviceID)))
	return g, nil
}

// checkKeys uploads the device's keys when the homeserver does not have
// them yet, and fails when it has others.
func (g *goolmHelper) checkKeys(ctx context.Context) error {
	cli := g.c.cli
	var resp *mautrix.RespQueryKeys
	err := g.c.call(ctx, "query keys", func() (err error) {
		resp, err = cli.QueryKeys(ctx, &mautrix.ReqQueryKeys{DeviceKeys: map[id.UserID]mautrix.DeviceIDList{cli.UserID: {cli.DeviceID}}})
		return err
	})
	if err != nil {
		return err
	}
	device, ok := resp.DeviceKeys[cli.UserID][cli.DeviceID]
	shared := g.mach.GetAccount().Shared
	switch {
	case (!ok || len(device.Keys) == 0) && !shared:
		if err := g.mach.ShareKeys(ctx, -1); err != nil {
			return fmt.Errorf("upload the device's keys: %w", err)
		}
	case !ok || len(device.Keys) == 0:
		return fmt.Errorf("the homeserver lost the keys of device %s: log in with a new device", cli.DeviceID)
	case !shared:
		return fmt.Errorf("device %s has keys on the homeserver that the store lacks: log in with a new device", cli.DeviceID)
	case device.Keys.GetEd25519(cli.DeviceID) != g.mach.OwnIdentity().SigningKey:
		return fmt.Errorf("device %s has other keys on the homeserver than in the store", cli.DeviceID)
	}
	return nil
}

// handleEncrypted decrypts a message and passes it to the syncer's
// handlers; one whose room key has not arrived waits for it a while.
func (g *goolmHelper) handleEncrypted(ctx context.Context, evt *event.Event) {
	if evt.Sender == g.c.userID {
		return
	}
	dispatch := func(ctx context.Context) bool {
		dec, err := g.mach.DecryptMegolmEvent(ctx, evt)
		if err != nil {
			return false
		}
		dec.Mautrix.EventSource |= event.SourceDecrypted
		g.c.syncer.Dispatch(ctx, dec)
		return true
	}
	if dispatch(ctx) {
		return
	}
	content := evt.Content.AsEncrypted()
	go func() {
		ctx := context.WithoutCancel(ctx)
		if g.mach.WaitForSession(ctx, evt.RoomID, content.SenderKey, content.SessionID, sessionWait) && dispatch(ctx) {
			return
		}
		g.c.log.Warn("cannot decrypt a message: its room key did not arrive", slog.String("room_id", string(evt.RoomID)),
			slog.String("event_id", string(evt.ID)), slog.String("user", string(evt.Sender)))
	}()
}

// prepare records that a room is encrypted and loads its members once.
func (g *goolmHelper) prepare(ctx context.Context, room id.RoomID, content *event.EncryptionEventContent) error {
	if err := g.state.SetEncryptionEvent(ctx, room, content); err != nil {
		return fmt.Errorf("matrix encryption state: %w", err)
	}
	g.mu.Lock()
	loaded := g.members[room]
	g.mu.Unlock()
	if loaded {
		return nil
	}
	// Members updates the state store: whom the room key is shared with.
	if err := g.c.call(ctx, "members", func() error {
		_, err := g.c.cli.Members(ctx, room)
		return err
	}); err != nil {
		return err
	}
	g.mu.Lock()
	g.members[room] = true
	g.mu.Unlock()
	return nil
}

// Encrypt implements mautrix.CryptoHelper: it encrypts with the room's
// megolm session, sharing a new one with the room's members when needed.
func (g *goolmHelper) Encrypt(ctx context.Context, room id.RoomID, typ event.Type, content any) (*event.EncryptedEventContent, error) {
	enc, err := g.mach.EncryptMegolmEvent(ctx, room, typ, content)
	if err == nil || !(errors.Is(err, crypto.ErrSessionExpired) || errors.Is(err, crypto.ErrNoGroupSession) || errors.Is(err, crypto.ErrSessionNotShared)) {
		return enc, err
	}
	users, err := g.state.GetRoomJoinedOrInvitedMembers(ctx, room)
	if err != nil {
		return nil, fmt.Errorf("room members: %w", err)
	}
	if err := g.mach.ShareGroupSession(ctx, room, users); err != nil {
		return nil, fmt.Errorf("share the room key: %w", err)
	}
	return g.mach.EncryptMegolmEvent(ctx, room, typ, content)
}

// Decrypt implements mautrix.CryptoHelper.
func (g *goolmHelper) Decrypt(ctx context.Context, evt *event.Event) (*event.Event, error) {
	return g.mach.DecryptMegolmEvent(ctx, evt)
}

// WaitForSession implements mautrix.CryptoHelper.
func (g *goolmHelper) WaitForSession(ctx context.Context, room id.RoomID, sender id.SenderKey, session id.SessionID, d time.Duration) bool {
	return g.mach.WaitForSession(ctx, room, sender, session, d)
}

// RequestSession implements mautrix.CryptoHelper.
func (g *goolmHelper) RequestSession(ctx context.Context, room id.RoomID, sender id.SenderKey, session id.SessionID, user id.UserID, device id.DeviceID) {
	if device == "" {
		device = "*"
	}
	g.mach.SendRoomKeyRequest(ctx, room, sender, session, "", map[id.UserID][]id.DeviceID{user: {device}, g.c.userID: {"*"}})
}

// Init implements mautrix.CryptoHelper; newCryptoHelper did the work.
func (g *goolmHelper) Init(context.Context) error { return nil }

// Close implements cryptoHelper; the database is the Store's to close.
func (g *goolmHelper) Close() error { return nil }

// pickleKey chooses the key that encrypts the olm account and sessions in
// the store: matrix.pickle_key when configured; else the key generated for
// this database; else, when the store has an olm account from before keys
// were generated (hasAccount), legacyPickleKey; else a new random key,
// stored for the next start.
func pickleKey(ctx context.Context, st CryptoStore, configured string, hasAccount bool, now time.Time) (string, error) {
	if configured != "" {
		return configured, nil
	}
	key, err := st.MatrixPickleKey(ctx)
	switch {
	case err != nil:
		return "", fmt.Errorf("pickle key: %w", err)
	case key != "":
		return key, nil
	case hasAccount:
		return legacyPickleKey, nil
	}
	if key, err = st.InitMatrixPickleKey(ctx, randomID(32), now); err != nil {
		return "", fmt.Errorf("pickle key: %w", err)
	}
	return key, nil
}
