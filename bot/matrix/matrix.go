// Package matrix delivers alerts, story updates and digests to Matrix
// rooms (m.notice events with an HTML body and a plain one) and answers
// `!wirewatch …` commands there with the shared command set.
package matrix

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/wirewatch/wirewatch/bot"
)

// deviceName is the display name of the device a password login creates.
const deviceName = "wirewatch"

// ClientConfig configures a Client: the [matrix] section's account keys.
type ClientConfig struct {
	Homeserver  string // https://matrix.example.org
	UserID      string // @wirewatch:example.org
	AccessToken string // secret; "" to log in with Password
	Password    string // secret; the login's device and token are kept in the store
	// Encryption posts to and reads end-to-end encrypted rooms; it needs a
	// build with the goolm tag (EncryptionSupported).
	Encryption bool
	// PickleKey encrypts the olm account and sessions in the store
	// (matrix.pickle_key); "" uses the key the store generated (see
	// pickleKey in crypto_goolm.go).
	PickleKey  string       // secret
	HTTPClient *http.Client // nil: a client with a 2-minute timeout (a sync waits 30 s)
	Now        bot.Clock    // nil: the system clock
}

// Client is a Matrix client for the bot's account, shared by the rooms'
// senders and the command handler. It is safe for concurrent use.
type Client struct {
	cli     *mautrix.Client
	st      Store
	cfg     ClientConfig
	log     *slog.Logger
	now     bot.Clock
	userID  id.UserID
	txn     string       // the store's transaction id prefix
	token   atomic.Value // string: the access token the transport sends
	loginMu sync.Mutex   // one password login at a time
	syncer  *syncer
	crypto  cryptoHelper // nil without encryption

	encMu     sync.Mutex
	encrypted map[id.RoomID]bool // rooms known to be end-to-end encrypted
}

// Connect returns a client logged in to the homeserver. With an access
// token it asks whoami whose it is; with a password it reuses the device
// and token in the store, logging in again (with the same device) when the
// homeserver no longer knows them. It fails when the homeserver cannot be
// reached, refuses the credentials, or encryption is asked of a build
// without it.
func Connect(ctx context.Context, cfg ClientConfig, st Store, log *slog.Logger) (*Client, error) {
	if cfg.Encryption && !EncryptionSupported {
		return nil, errors.New("matrix.encryption = true, but this build of wirewatch lacks end-to-end encryption: build it with -tags goolm")
	}
	hs, err := mautrix.ParseAndNormalizeBaseURL(cfg.Homeserver)
	if err != nil || (hs.Scheme != "http" && hs.Scheme != "https") || hs.Host == "" {
		return nil, fmt.Errorf("matrix.homeserver %q is not an http(s) URL", cfg.Homeserver)
	}
	c := &Client{st: st, cfg: cfg, log: log, now: cfg.Now, userID: id.UserID(cfg.UserID), encrypted: map[id.RoomID]bool{}}
	if c.now == nil {
		c.now = time.Now
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	// The transport adds the token, so that a new login changes it under
	// requests in flight without a data race on mautrix's Client.
	authed := *hc
	authed.Transport = &authTransport{next: hc.Transport, host: hs.Host, token: &c.token}
	c.token.Store("")
	c.syncer = newSyncer(log)
	c.cli = &mautrix.Client{
		HomeserverURL:   hs,
		UserID:          c.userID,
		UserAgent:       "wirewatch " + mautrix.DefaultUserAgent,
		Client:          &authed,
		Syncer:          c.syncer,
		Store:           &syncStore{c: c},
		Log:             zerologTo(log),
		IgnoreRateLimit: true, // a rate limit is returned: the dispatcher and the sync loop wait it out
	}
	if c.txn, err = st.InitMatrixSession(ctx, cfg.UserID, randomID(6), c.now()); err != nil {
		return nil, err
	}
	if err := c.login(ctx); err != nil {
		return nil, err
	}
	if cfg.Encryption {
		if c.crypto, err = newCryptoHelper(ctx, c); err != nil {
			return nil, fmt.Errorf("matrix encryption: %w", err)
		}
	}
	return c, nil
}

// Close releases what the client holds (the encryption state).
func (c *Client) Close() error {
	if c.crypto != nil {
		return c.crypto.Close()
	}
	return nil
}

// authTransport sends the current access token to the homeserver (and to
// no other host).
type authTransport struct {
	next  http.RoundTripper
	host  string
	token *atomic.Value
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	tok, _ := t.token.Load().(string)
	if tok == "" || req.URL.Host != t.host || strings.HasSuffix(req.URL.Path, "/login") {
		return next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+tok)
	return next.RoundTrip(req)
}

// login makes the client's token valid (see Connect).
func (c *Client) login(ctx context.Context) error {
	if c.cfg.AccessToken != "" {
		c.token.Store(c.cfg.AccessToken)
		who, err := c.cli.Whoami(ctx)
		if err != nil {
			return classify("whoami", err)
		}
		if who.UserID != c.userID {
			return bot.Permanent(fmt.Errorf("matrix.access_token belongs to %s, not to matrix.user_id %s", who.UserID, c.userID))
		}
		c.cli.DeviceID = who.DeviceID
		return nil
	}
	deviceID, accessToken, err := c.st.MatrixLogin(ctx, string(c.userID))
	if err != nil {
		return err
	}
	if accessToken != "" {
		c.token.Store(accessToken)
		who, err := c.cli.Whoami(ctx)
		switch {
		case err == nil && who.UserID == c.userID:
			c.cli.DeviceID = who.DeviceID
			return nil
		case err == nil, errors.Is(err, mautrix.MUnknownToken):
			c.log.Info("the stored Matrix session is no longer valid; logging in again", slog.String("device_id", deviceID))
		default:
			return classify("whoami", err)
		}
	}
	return c.passwordLogin(ctx, id.DeviceID(deviceID))
}

// passwordLogin logs in with the password, reusing device when set, and
// stores the device and token.
func (c *Client) passwordLogin(ctx context.Context, device id.DeviceID) error {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	return c.passwordLoginLocked(ctx, device)
}

func (c *Client) passwordLoginLocked(ctx context.Context, device id.DeviceID) error {
	resp, err := c.cli.Login(ctx, &mautrix.ReqLogin{
		Type:                     mautrix.AuthTypePassword,
		Identifier:               mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: string(c.userID)},
		Password:                 c.cfg.Password,
		DeviceID:                 device,
		InitialDeviceDisplayName: deviceName,
	})
	if err != nil {
		return classify("login", err)
	}
	if resp.UserID != c.userID {
		return bot.Permanent(fmt.Errorf("matrix login: logged in as %s, not matrix.user_id %s", resp.UserID, c.userID))
	}
	if c.cli.DeviceID != resp.DeviceID { // unchanged on a new login: no write under readers
		c.cli.DeviceID = resp.DeviceID
	}
	c.token.Store(resp.AccessToken)
	if err := c.st.SaveMatrixLogin(ctx, string(c.userID), string(resp.DeviceID), resp.AccessToken, c.now()); err != nil {
		return err
	}
	c.log.Info("logged in to Matrix", slog.String("user_id", string(c.userID)), slog.String("device_id", string(resp.DeviceID)))
	return nil
}

// currentToken returns the access token requests are sent with now.
func (c *Client) currentToken() string {
	tok, _ := c.token.Load().(string)
	return tok
}

// relogin logs in again (with the same device) after the homeserver
// refused the token failed, when a password is configured; it reports
// whether a valid token may now be there. When another request logged in
// since failed was refused, it does not log in again.
func (c *Client) relogin(ctx context.Context, failed string) bool {
	if c.cfg.Password == "" {
		return false
	}
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	if c.currentToken() != failed {
		return true
	}
	c.log.Warn("the homeserver no longer accepts the bot's token; logging in again", slog.String("device_id", string(c.cli.DeviceID)))
	if err := c.passwordLoginLocked(ctx, c.cli.DeviceID); err != nil {
		c.log.Error("cannot log in to Matrix again", slog.Any("error", err))
		return false
	}
	return true
}

// call runs one request of the client-server API and classifies its
// error (see classify). When the homeserver refuses the token and a
// password is configured, it logs in again and runs the request once more.
func (c *Client) call(ctx context.Context, what string, fn func() error) error {
	tok := c.currentToken()
	err := fn()
	if errors.Is(err, mautrix.MUnknownToken) && c.relogin(ctx, tok) {
		err = fn()
	}
	return classify(what, err)
}

// Identity is who the client is logged in as.
type Identity struct {
	UserID   string
	DeviceID string
}

// Whoami asks the homeserver whom the token belongs to.
func (c *Client) Whoami(ctx context.Context) (Identity, error) {
	var who *mautrix.RespWhoami
	err := c.call(ctx, "whoami", func() (err error) {
		who, err = c.cli.Whoami(ctx)
		return err
	})
	if err != nil {
		return Identity{}, err
	}
	return Identity{UserID: string(who.UserID), DeviceID: string(who.DeviceID)}, nil
}

// ResolveRooms maps each target that is a "#alias:server" to its room ID;
// room IDs map to themselves. An unknown alias is a permanent error.
func (c *Client) ResolveRooms(ctx context.Context, targets []string) (map[string]string, error) {
	out := make(map[string]string, len(targets))
	for _, t := range targets {
		if !strings.HasPrefix(t, "#") {
			out[t] = t
			continue
		}
		if _, ok := out[t]; ok {
			continue
		}
		var r *mautrix.RespAliasResolve
		err := c.call(ctx, "resolve alias "+t, func() (err error) {
			r, err = c.cli.ResolveAlias(ctx, id.RoomAlias(t))
			return err
		})
		if errCode(err) == "M_NOT_FOUND" {
			return nil, bot.Permanent(fmt.Errorf("matrix: no room has the alias %s", t))
		}
		if err != nil {
			return nil, err
		}
		out[t] = string(r.RoomID)
		c.log.Info("matrix room alias resolved", slog.String("alias", t), slog.String("room_id", string(r.RoomID)))
	}
	return out, nil
}

// JoinedRooms returns the rooms the bot has joined.
func (c *Client) JoinedRooms(ctx context.Context) ([]id.RoomID, error) {
	var r *mautrix.RespJoinedRooms
	err := c.call(ctx, "joined_rooms", func() (err error) {
		r, err = c.cli.JoinedRooms(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r.JoinedRooms, nil
}

// CheckRoom says why the bot cannot post in a room, or returns nil: it
// must have joined it, and an encrypted room needs encryption.
func (c *Client) CheckRoom(ctx context.Context, room id.RoomID) error {
	joined, err := c.JoinedRooms(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(joined, room) {
		return bot.Permanent(fmt.Errorf("matrix: the bot has not joined %s (invite %s; it joins when invited)", room, c.userID))
	}
	return c.checkEncryption(ctx, room)
}

// RoomCheck is what Check found about one configured room.
type RoomCheck struct {
	Target  string // as configured: !room:server or #alias:server
	RoomID  string // "" when the alias did not resolve
	Invited bool   // the bot is invited and has not joined yet: run joins at once
	Err     error  // nil: the bot has joined and can post there (or is Invited)
}

// Check says who the bot is and, for each target room (as configured),
// whether it has joined and can post there: what `check -online` shows.
// It fails only when the homeserver cannot say who the bot is.
func (c *Client) Check(ctx context.Context, targets []string) (Identity, []RoomCheck, error) {
	who, err := c.Whoami(ctx)
	if err != nil {
		return Identity{}, nil, err
	}
	joined, jerr := c.JoinedRooms(ctx)
	var invited map[id.RoomID]bool // read when a room is not joined
	out := make([]RoomCheck, 0, len(targets))
	for _, t := range targets {
		rc := RoomCheck{Target: t}
		ids, err := c.ResolveRooms(ctx, []string{t})
		switch {
		case err != nil:
			rc.Err = err
		case jerr != nil:
			rc.RoomID, rc.Err = ids[t], jerr
		case !slices.Contains(joined, id.RoomID(ids[t])):
			rc.RoomID = ids[t]
			if invited == nil {
				invited = c.invites(ctx)
			}
			if rc.Invited = invited[id.RoomID(ids[t])]; rc.Invited {
				break
			}
			rc.Err = bot.Permanent(fmt.Errorf("matrix: the bot has not joined %s (invite %s; it joins when invited, while wirewatch runs)", ids[t], c.userID))
		default:
			rc.RoomID, rc.Err = ids[t], c.checkEncryption(ctx, id.RoomID(ids[t]))
		}
		out = append(out, rc)
	}
	return who, out, nil
}

// isEncrypted reports whether a room is end-to-end encrypted (a room
// never stops being so: that answer is kept).
func (c *Client) isEncrypted(ctx context.Context, room id.RoomID) (bool, error) {
	c.encMu.Lock()
	known := c.encrypted[room]
	c.encMu.Unlock()
	if known {
		return true, nil
	}
	var content event.EncryptionEventContent
	err := c.call(ctx, "room state", func() error {
		return c.cli.StateEvent(ctx, room, event.StateEncryption, "", &content)
	})
	if err == nil && content.Algorithm != "" && c.crypto != nil {
		err = c.crypto.prepare(ctx, room, &content)
	}
	if errCode(err) == "M_NOT_FOUND" {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if content.Algorithm == "" {
		return false, nil
	}
	c.encMu.Lock()
	c.encrypted[room] = true
	c.encMu.Unlock()
	return true, nil
}

// checkEncryption fails when a room is encrypted and the client cannot
// encrypt.
func (c *Client) checkEncryption(ctx context.Context, room id.RoomID) error {
	enc, err := c.isEncrypted(ctx, room)
	if err != nil || !enc || c.crypto != nil {
		return err
	}
	if !EncryptionSupported {
		return bot.Permanent(fmt.Errorf("matrix: room %s is end-to-end encrypted, and this build of wirewatch lacks encryption (build with -tags goolm, set matrix.encryption = true)", room))
	}
	return bot.Permanent(fmt.Errorf("matrix: room %s is end-to-end encrypted; set matrix.encryption = true", room))
}

// txnID is the transaction id of one event of a delivery: stable across
// restarts, so that the homeserver takes a resend as the same event.
func (c *Client) txnID(kind string, delivery int64, part int) string {
	return fmt.Sprintf("ww%s.%s.%d.%d", c.txn, kind, delivery, part)
}

// randomID returns n random bytes in hex.
func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
