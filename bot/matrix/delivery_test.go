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

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/command"
	"github.com/wirewatch/wirewatch/bot/matrix"
)

// env is the pipeline, digester, dispatcher and command set on the bot's
// real SQLite store, delivering to the room "desk" on a homeserver, with
// the sync loop when started.
type env struct {
	*room
	*bottest.Fixture // its clock is the pipeline's; the Matrix client keeps the real clock (the homeserver stamps events with it)
	cmds             *command.Set
	onUpdate         string
	cfg              matrix.CommandConfig
	stopSync         func()
}

func newEnv(t *testing.T, hs *homeserver, onUpdate string) *env {
	t.Helper()
	return newEnvWith(t, hs, onUpdate, false)
}

// newEnvWith is newEnv; with enc, in an end-to-end encrypted room.
func newEnvWith(t *testing.T, hs *homeserver, onUpdate string, enc bool) *env {
	t.Helper()
	r := newRoomWith(t, hs, enc)
	e := &env{room: r, Fixture: bottest.New(t, r.db, nil, bottest.DeskRules(t)...), onUpdate: onUpdate}
	alice, _ := r.alice.Whoami(context.Background())
	e.cfg = matrix.CommandConfig{Prefix: "!wirewatch", Admins: []string{string(alice.UserID)}, Rooms: []string{string(r.id)},
		Messages: r.db}
	e.build(t)
	return e
}

// build makes the sender, dispatcher and commands over the current client.
func (e *env) build(t *testing.T) {
	e.Dispatch(map[string]bot.Sender{"desk": e.sender(t, e.onUpdate)})
	e.cmds = e.Commands(nil, e.Feed)
}

// startSync runs the sync loop until the test ends or stopSync.
func (e *env) startSync(t *testing.T) {
	t.Helper()
	h := matrix.NewCommandHandler(e.c, e.cmds, e.cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	var once sync.Once
	e.stopSync = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("sync loop: %v", err)
			}
		})
	}
	t.Cleanup(e.stopSync)
	// Messages of the first sync are history, not answered: wait until it
	// is done (its token stored) before the test speaks.
	eventually(t, 15*time.Second, "the first sync", func() (bool, error) {
		sess, err := e.db.MatrixSession(context.Background(), string(e.bot))
		return err == nil && sess.NextBatch != "", err
	})
}

// restart stops the sync loop and builds a new client over the same store,
// as a new process would, and starts the sync loop again.
func (e *env) restart(t *testing.T) {
	t.Helper()
	e.stopSync()
	e.c.Close()
	e.c = e.connect(t, e.db)
	e.build(t)
	e.startSync(t)
}

// waitJoined waits until user is in the room.
func (r *room) waitJoined(t *testing.T, user id.UserID) {
	t.Helper()
	eventually(t, 15*time.Second, string(user)+" joins the room", func() (bool, error) {
		m, err := r.alice.JoinedMembers(context.Background(), r.id)
		if err != nil {
			return false, err
		}
		_, ok := m.Joined[user]
		return ok, nil
	})
}

// say sends a text message as cli and returns its event ID.
func (r *room) say(t *testing.T, cli *mautrix.Client, text string) id.EventID {
	t.Helper()
	resp, err := cli.SendText(context.Background(), r.id, text)
	if err != nil {
		t.Fatalf("send %q: %v", text, err)
	}
	return resp.EventID
}

// replies returns the bot's messages that reply to ev.
func (r *room) replies(t *testing.T, ev id.EventID) []*event.Event {
	t.Helper()
	var out []*event.Event
	for _, m := range r.fromBot(t) {
		rel, _ := content(t, m)["m.relates_to"].(map[string]any)
		irt, _ := rel["m.in_reply_to"].(map[string]any)
		if irt["event_id"] == string(ev) && rel["rel_type"] != "m.thread" {
			out = append(out, m)
		}
	}
	return out
}

// waitReply waits for the bot's answer to ev and returns its content.
func (r *room) waitReply(t *testing.T, ev id.EventID) map[string]any {
	t.Helper()
	return r.waitReplyWithin(t, ev, 20*time.Second)
}

// waitReplyWithin is waitReply with its own deadline.
func (r *room) waitReplyWithin(t *testing.T, ev id.EventID, within time.Duration) map[string]any {
	t.Helper()
	var got []*event.Event
	eventually(t, within, "the bot's answer to "+string(ev), func() (bool, error) {
		got = r.replies(t, ev)
		return len(got) > 0, nil
	})
	return content(t, got[0])
}

func TestAcceptance(t *testing.T) {
	e := newEnv(t, needHomeserver(t), "both")
	ctx := context.Background()
	// alice created the room and invited the bot; the sync loop joins.
	e.startSync(t)
	e.waitJoined(t, e.bot)

	// An alert.
	title := "Kabulov says Moscow will keep talking"
	e.Ingest(t, bottest.Item("1", "tass.com", title, at))
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v, want the alert sent", res)
	}
	alert := e.waitBot(t, 1)[0]
	if c := content(t, alert); !strings.Contains(str(c, "formatted_body"), `<a href="https://tass.com/1">Kabulov says Moscow will keep talking</a>`) {
		t.Errorf("alert = %s", str(c, "formatted_body"))
	}
	if del, _ := e.db.Delivery(ctx, 1); del.RemoteID != string(alert.ID) {
		t.Errorf("recorded remote id %q, want the alert's event %q", del.RemoteID, alert.ID)
	}

	// A digest.
	e.Ingest(t, bottest.Item("2", "akipress.com", "CSTO drills begin in Tajikistan", at))
	if n, _, err := e.Digester.Queue(ctx, true); n != 1 || err != nil {
		t.Fatalf("queued %d digests (%v), want 1", n, err)
	}
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v, want the digest sent", res)
	}
	digest := e.waitBot(t, 2)[1]
	if body := str(content(t, digest), "body"); !strings.HasPrefix(body, "Digest: csto — 1 story\n1. CSTO drills begin in Tajikistan (1 outlet: akipress.com) https://akipress.com/2") {
		t.Errorf("digest body = %q", body)
	}

	// A new outlet: the alert is edited and the thread says so.
	e.Clock.Advance(bot.UpdateInterval)
	if res := e.Ingest(t, bottest.Item("3", "tolonews.com", title, e.Clock.Now())); res.Updates != 1 {
		t.Fatalf("ingest = %+v, want 1 update", res)
	}
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v, want the update sent", res)
	}
	msgs := e.waitBot(t, 4)
	edit, reply := content(t, msgs[2]), content(t, msgs[3])
	if rel := edit["m.relates_to"].(map[string]any); rel["rel_type"] != "m.replace" || rel["event_id"] != string(alert.ID) {
		t.Errorf("third message relates %v, want an edit of the alert", rel)
	}
	if rel := reply["m.relates_to"].(map[string]any); rel["rel_type"] != "m.thread" || rel["event_id"] != string(alert.ID) {
		t.Errorf("fourth message relates %v, want a thread reply to the alert", rel)
	}
	if want := "Now also reported by tolonews.com — 2 outlets."; str(reply, "body") != want {
		t.Errorf("thread reply = %q, want %q", str(reply, "body"), want)
	}

	// alice searches.
	ask := e.say(t, e.alice, "!wirewatch search kabulov")
	answer := e.waitReply(t, ask)
	if body := str(answer, "body"); !strings.HasPrefix(body, "1 story matching kabulov in all history") ||
		!strings.Contains(body, "#1 "+title) {
		t.Errorf("search answer = %q", body)
	}
	if h := str(answer, "formatted_body"); !strings.Contains(h, `<b><a href="https://tass.com/1">`+title+`</a></b> #1`) {
		t.Errorf("search answer html = %q", h)
	}
	if str(answer, "msgtype") != "m.notice" {
		t.Errorf("answer msgtype = %q, want m.notice", str(answer, "msgtype"))
	}

	// bob, who is no admin, may not mute; alice may.
	bobID := e.hs.newUser(t, "bob")
	bob := e.hs.login(t, bobID)
	if _, err := e.alice.InviteUser(ctx, e.id, &mautrix.ReqInviteUser{UserID: bobID}); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.JoinRoomByID(ctx, e.id); err != nil {
		t.Fatal(err)
	}
	refusal := e.waitReply(t, e.say(t, bob, "!wirewatch mute kabulov 2h"))
	if want := "Sorry, only admins can use mute.\nAsk one of the admins named in the bot's configuration."; str(refusal, "body") != want {
		t.Errorf("bob's mute answer = %q, want %q", str(refusal, "body"), want)
	}
	if mutes, _ := e.db.Mutes(ctx, e.Clock.Now()); len(mutes) != 0 {
		t.Errorf("bob muted: %+v", mutes)
	}
	muted := e.waitReply(t, e.say(t, e.alice, "!wirewatch mute kabulov 2h"))
	if want := "Muted kabulov until 2026-11-20 11:10 UTC."; !strings.HasPrefix(str(muted, "body"), want) {
		t.Errorf("alice's mute answer = %q, want %q", str(muted, "body"), want)
	}
	// Bob can read.
	if body := str(e.waitReply(t, e.say(t, bob, "!wirewatch rules")), "body"); !strings.Contains(body, "kabulov") {
		t.Errorf("bob's rules answer = %q", body)
	}

	// A command in reply to the alert needs no story ID: alice splits
	// Tolo News off the story the alert is about.
	rep := &event.MessageEventContent{MsgType: event.MsgText, Body: "!wirewatch split tolonews.com"}
	rep.RelatesTo = (&event.RelatesTo{}).SetReplyTo(alert.ID)
	sent, err := e.alice.SendMessageEvent(ctx, e.id, event.EventMessage, rep)
	if err != nil {
		t.Fatal(err)
	}
	if body := str(e.waitReply(t, sent.EventID), "body"); !strings.HasPrefix(body, "Took https://tolonews.com/3 out of story #1") {
		t.Errorf("split answer = %q", body)
	}
	if s, err := e.db.Story(ctx, 1); err != nil || len(s.Items) != 1 {
		t.Errorf("story 1 after the split: %v, %v; want only TASS's report", s, err)
	}
}

func TestRestartResumesFromSyncToken(t *testing.T) {
	e := newEnv(t, needHomeserver(t), "")
	ctx := context.Background()
	// The bot joins before it ever syncs (a first delivery does that), and
	// alice asks something: that is history to the first sync, not answered.
	if err := e.c.CheckRoom(ctx, e.id); err == nil {
		t.Fatal("CheckRoom before joining = nil, want an error")
	}
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush = %+v", res)
	}
	backlog := e.say(t, e.alice, "!wirewatch help")
	e.waitVisible(t, backlog) // in the first sync's timeline, not after it
	e.startSync(t)
	first := e.say(t, e.alice, "!wirewatch rules")
	if body := str(e.waitReply(t, first), "body"); !strings.Contains(body, "kabulov: alert to desk") {
		t.Errorf("rules answer = %q", body)
	}
	sess, err := e.db.MatrixSession(ctx, string(e.bot))
	if err != nil || sess.NextBatch == "" || sess.DeviceID == "" {
		t.Fatalf("stored session = %+v, %v; want a device and a sync token", sess, err)
	}

	// Stopped: a command meanwhile is answered after the restart, from
	// the stored token; the answered one is not answered again.
	e.stopSync()
	meanwhile := e.say(t, e.alice, "!wirewatch feeds")
	e.restart(t)
	e.waitReply(t, meanwhile)
	second := e.say(t, e.alice, "!wirewatch stories")
	e.waitReply(t, second)
	e.barrier(t)
	for _, ev := range []id.EventID{first, meanwhile, second} {
		if n := len(e.replies(t, ev)); n != 1 {
			t.Errorf("command %s answered %d times, want once", ev, n)
		}
	}
	if n := len(e.replies(t, backlog)); n != 0 {
		t.Errorf("a command from before the first sync was answered %d times, want never", n)
	}
	again, _ := e.db.MatrixSession(ctx, string(e.bot))
	if again.DeviceID != sess.DeviceID {
		t.Errorf("device after the restart = %q, want the stored %q (no new login)", again.DeviceID, sess.DeviceID)
	}
	if strings.Count(e.log.String(), "logged in to Matrix") != 1 {
		t.Errorf("want one password login in all:\n%s", e.log)
	}
	if err := e.c.CheckRoom(ctx, e.id); err != nil {
		t.Errorf("CheckRoom = %v, want nil", err)
	}
}

func TestHomeserverDownDuringDelivery(t *testing.T) {
	hs := ownHomeserver(t)
	e := newEnv(t, hs, "")
	ctx := context.Background()
	e.startSync(t)
	e.waitJoined(t, e.bot)
	// The room shows the bot joined before its join request has returned;
	// stopped then, Dendrite answers it M_FORBIDDEN ("context canceled")
	// and its sync API may never learn of the join. An answer proves the
	// join done and the room in the bot's sync.
	e.waitReply(t, e.say(t, e.alice, "!wirewatch help"))

	hs.stop()
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	if res := e.Flush(t); res.Sent != 0 || res.Failed != 1 || res.Pending != 1 {
		t.Fatalf("flush while the homeserver is down = %+v, want 1 failed, 1 pending", res)
	}
	if paused, _ := e.db.PausedChannels(ctx); len(paused) != 0 {
		t.Errorf("an outage paused the room: %+v (it is transient)", paused)
	}
	e.Clock.Advance(30 * time.Second)
	if res := e.Flush(t); res.Sent != 0 || res.Failed != 0 {
		t.Fatalf("flush before the retry time = %+v, want nothing tried", res)
	}

	if err := hs.start(); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Minute)
	if res := e.Flush(t); res.Sent != 1 || res.Pending != 0 {
		t.Fatalf("flush after the homeserver is back = %+v, want 1 sent", res)
	}
	e.Clock.Advance(time.Hour)
	e.Flush(t)
	// The sync loop came back too: after its backoff, which reaches a
	// minute while the homeserver is down (maxBackoff); a loaded machine
	// (a CI run beside other work took over 2) gets three.
	e.waitReplyWithin(t, e.say(t, e.alice, "!wirewatch help"), 3*time.Minute)
	e.barrier(t)
	alerts := 0
	for _, m := range e.fromBot(t) {
		if strings.HasPrefix(str(content(t, m), "body"), "Kabulov says") {
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("the alert arrived %d times, want once", alerts)
	}
	if log := e.log.String(); !strings.Contains(log, "matrix sync failed; retrying with backoff") || !strings.Contains(log, "matrix sync recovered") {
		t.Errorf("log lacks the sync's failure and recovery:\n%s", log)
	}
}

func TestPermanentErrorPausesRoom(t *testing.T) {
	e := newEnv(t, needHomeserver(t), "")
	ctx := context.Background()
	// A room of alice's the bot was never invited to.
	other, err := e.alice.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat"})
	if err != nil {
		t.Fatal(err)
	}
	s := matrix.NewSender(e.c, matrix.SenderConfig{Name: "desk", Room: string(other.RoomID)})
	e.Dispatcher = bot.NewDispatcher(e.db, e.Rules, map[string]bot.Sender{"desk": s}, slog.New(slog.DiscardHandler), e.Clock.Now)
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	e.Flush(t)
	paused, _ := e.db.PausedChannels(ctx)
	if len(paused) != 1 || paused[0].Channel != "desk" || !strings.Contains(paused[0].Reason, "cannot join it (invite "+string(e.bot)+")") {
		t.Fatalf("paused = %+v, want desk, saying to invite the bot", paused)
	}
	// Invited meanwhile: the hourly retry delivers.
	if _, err := e.alice.InviteUser(ctx, other.RoomID, &mautrix.ReqInviteUser{UserID: e.bot}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Hour)
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush an hour later = %+v, want the alert sent", res)
	}
	if paused, _ := e.db.PausedChannels(ctx); len(paused) != 0 {
		t.Errorf("still paused: %+v", paused)
	}
	// An unknown room.
	s = matrix.NewSender(e.c, matrix.SenderConfig{Name: "x", Room: "!nowhere:localhost"})
	_, err = s.Send(ctx, &bot.Message{ID: 99, Kind: "alert", Stories: []*bot.Story{bottest.Story("x", "a.example")}})
	if !bot.IsPermanent(err) {
		t.Errorf("send to an unknown room = %v, want a permanent error", err)
	}
}

func TestInvitesAndAllowedUsers(t *testing.T) {
	e := newEnv(t, needHomeserver(t), "")
	ctx := context.Background()
	carolID := e.hs.newUser(t, "carol")
	carol := e.hs.login(t, carolID)
	daveID := e.hs.newUser(t, "dave")
	dave := e.hs.login(t, daveID)
	e.cfg.AllowedUsers = []string{string(carolID)}
	e.startSync(t)
	e.waitJoined(t, e.bot) // the configured room: anyone's invite is accepted

	// carol is allowed: the bot joins her room.
	carols, err := carol.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat", Invite: []id.UserID{e.bot}})
	if err != nil {
		t.Fatal(err)
	}
	// dave is not: the bot declines.
	daves, err := dave.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat", Invite: []id.UserID{e.bot}})
	if err != nil {
		t.Fatal(err)
	}
	membership := func(cli *mautrix.Client, room id.RoomID) event.Membership {
		var m event.MemberEventContent
		if err := cli.StateEvent(ctx, room, event.StateMember, string(e.bot), &m); err != nil {
			return ""
		}
		return m.Membership
	}
	eventually(t, 15*time.Second, "the bot joins carol's room and declines dave's", func() (bool, error) {
		return membership(carol, carols.RoomID) == event.MembershipJoin && membership(dave, daves.RoomID) == event.MembershipLeave, nil
	})

	// In the configured room, dave may not use commands; carol and the admin may.
	for _, cli := range []*mautrix.Client{carol, dave} {
		who, _ := cli.Whoami(ctx)
		e.alice.InviteUser(ctx, e.id, &mautrix.ReqInviteUser{UserID: who.UserID})
		if _, err := cli.JoinRoomByID(ctx, e.id); err != nil {
			t.Fatal(err)
		}
	}
	if body := str(e.waitReply(t, e.say(t, dave, "!wirewatch rules")), "body"); !strings.HasPrefix(body, "Sorry, you are not among the users allowed") {
		t.Errorf("dave's answer = %q", body)
	}
	if body := str(e.waitReply(t, e.say(t, carol, "!WireWatch rules")), "body"); !strings.Contains(body, "kabulov: alert to desk") {
		t.Errorf("carol's answer = %q", body)
	}
	help := str(e.waitReply(t, e.say(t, e.alice, "!wirewatch")), "body")
	if !strings.Contains(help, "!wirewatch search QUERY") || !strings.Contains(help, "Answers are posted in the room, as replies.") {
		t.Errorf("help = %q", help)
	}
	// Not commands: other words, notices, the prefix inside a word.
	for _, text := range []string{"!wirewatchers unite", "hello !wirewatch help"} {
		e.say(t, e.alice, text)
	}
	if _, err := e.alice.SendNotice(ctx, e.id, "!wirewatch help"); err != nil {
		t.Fatal(err)
	}
	last := e.say(t, e.alice, "!wirewatch unknown")
	if body := str(e.waitReply(t, last), "body"); !strings.HasPrefix(body, `Unknown command "unknown".`) {
		t.Errorf("unknown command answer = %q", body)
	}
	e.barrier(t)
	if n := len(e.fromBot(t)); n != 4 {
		t.Errorf("the bot sent %d messages, want 4 answers", n)
	}
}

func TestRevokedTokenLogsInAgain(t *testing.T) {
	e := newEnv(t, needHomeserver(t), "")
	ctx := context.Background()
	e.startSync(t)
	e.waitJoined(t, e.bot)
	before, _ := e.db.MatrixSession(ctx, string(e.bot))

	// Someone logs the bot's device out.
	out, err := mautrix.NewClient(e.hs.URL, e.bot, before.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Logout(ctx); err != nil {
		t.Fatalf("logout: %v", err)
	}
	e.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	if res := e.Flush(t); res.Sent != 1 {
		t.Fatalf("flush after the logout = %+v, want the alert sent after a new login", res)
	}
	after, _ := e.db.MatrixSession(ctx, string(e.bot))
	if after.AccessToken == before.AccessToken || after.DeviceID != before.DeviceID {
		t.Errorf("session after = device %q (token changed: %v), want device %q with a new token",
			after.DeviceID, after.AccessToken != before.AccessToken, before.DeviceID)
	}
	// The sync loop goes on with the new token.
	e.waitReply(t, e.say(t, e.alice, "!wirewatch help"))
	if n := strings.Count(e.log.String(), "logged in to Matrix"); n != 2 {
		t.Errorf("%d logins, want 2 (the first, and one after the logout):\n%s", n, e.log)
	}
}
