//go:build goolm

package matrix_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// e2eePerson is alice's end-to-end encrypting client: a matrix.Client of
// her own, syncing, that keeps the messages it decrypts.
type e2eePerson struct {
	c    *matrix.Client
	mu   sync.Mutex
	seen []*event.Event
}

func newE2EEPerson(t *testing.T, hs *homeserver, user id.UserID) *e2eePerson {
	t.Helper()
	db := storetest.MustOpen(t)
	c, err := matrix.Connect(context.Background(), matrix.ClientConfig{Homeserver: hs.URL, UserID: string(user),
		Password: testPassword, Encryption: true}, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("alice's encrypting client: %v", err)
	}
	p := &e2eePerson{c: c}
	c.OnMessage(func(evt *event.Event) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.seen = append(p.seen, evt)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Sync(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		c.Close()
	})
	return p
}

// decrypted waits for a decrypted message from sender that satisfies ok.
func (p *e2eePerson) decrypted(t *testing.T, sender id.UserID, ok func(*event.MessageEventContent) bool) *event.MessageEventContent {
	t.Helper()
	var got *event.MessageEventContent
	eventually(t, 30*time.Second, "a decrypted message from "+string(sender), func() (bool, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, evt := range p.seen {
			m := evt.Content.AsMessage()
			if evt.Sender == sender && evt.Mautrix.EventSource&event.SourceDecrypted != 0 && ok(m) {
				got = m
				return true, nil
			}
		}
		return false, nil
	})
	return got
}

func TestEncryptedRoom(t *testing.T) {
	hs := needHomeserver(t)
	e := newEnvWith(t, hs, "", true)
	ctx := context.Background()
	aliceID, _ := e.alice.Whoami(ctx)
	alice := newE2EEPerson(t, hs, aliceID.UserID)
	e.startSync(t)
	e.waitJoined(t, e.bot)

	// An alert, encrypted, that alice can read.
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v, want the alert sent", res)
	}
	alert := alice.decrypted(t, e.bot, func(m *event.MessageEventContent) bool {
		return strings.HasPrefix(m.Body, "Kabulov says Moscow will keep talking")
	})
	if alert.MsgType != event.MsgNotice || !strings.Contains(alert.FormattedBody, `<a href="https://tass.com/1">`) {
		t.Errorf("decrypted alert = %+v", alert)
	}

	// alice asks in the encrypted room; the bot reads and answers there.
	ask, err := alice.c.SendText(ctx, e.id, "!wirewatch search kabulov")
	if err != nil {
		t.Fatal(err)
	}
	answer := alice.decrypted(t, e.bot, func(m *event.MessageEventContent) bool {
		return m.RelatesTo.GetReplyTo() == ask
	})
	if !strings.HasPrefix(answer.Body, "1 story matching kabulov") {
		t.Errorf("decrypted answer = %q", answer.Body)
	}

	// Nothing went in plain text.
	e.barrier(t)
	resp, err := e.alice.Messages(ctx, e.id, "", "", mautrix.DirectionBackward, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	encrypted := 0
	for _, ev := range resp.Chunk {
		if ev.Sender == e.bot && ev.Type == event.EventMessage {
			t.Errorf("the bot sent a message in plain text: %v", ev.Content.Raw)
		}
		if ev.Sender == e.bot && ev.Type == event.EventEncrypted {
			encrypted++
		}
	}
	if encrypted != 2 {
		t.Errorf("the bot sent %d encrypted events, want 2 (the alert and the answer)", encrypted)
	}
}
