package matrix_test

import (
	"context"
	"strings"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"
)

func TestCheck(t *testing.T) {
	e := newEnv(t, needHomeserver(t), "")
	ctx := context.Background()
	e.startSync(t)
	e.waitJoined(t, e.bot)
	// An alias for the room, and a room the bot is not in.
	if _, err := e.alice.CreateAlias(ctx, id.RoomAlias("#desk-"+string(e.id[1:6])+":localhost"), e.id); err != nil {
		t.Fatal(err)
	}
	other, err := e.alice.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat"})
	if err != nil {
		t.Fatal(err)
	}
	alias := "#desk-" + string(e.id[1:6]) + ":localhost"
	who, rooms, err := e.c.Check(ctx, []string{string(e.id), alias, string(other.RoomID), "#nowhere:localhost"})
	if err != nil {
		t.Fatal(err)
	}
	if who.UserID != string(e.bot) || who.DeviceID == "" {
		t.Errorf("identity = %+v, want %s with a device", who, e.bot)
	}
	want := []struct {
		roomID id.RoomID
		err    string
	}{
		{e.id, ""},
		{e.id, ""},
		{other.RoomID, "the bot has not joined " + string(other.RoomID)},
		{"", "no room has the alias #nowhere:localhost"},
	}
	for i, w := range want {
		rc := rooms[i]
		if rc.RoomID != string(w.roomID) || (rc.Err == nil) != (w.err == "") || rc.Err != nil && !strings.Contains(rc.Err.Error(), w.err) {
			t.Errorf("room %s = %s, %v; want %s, %q", rc.Target, rc.RoomID, rc.Err, w.roomID, w.err)
		}
	}
}

// TestCheckInvited: a room the bot is invited to and has not joined (no
// sync has run) is "invited", not a failure: run joins it at once.
func TestCheckInvited(t *testing.T) {
	e := newEnv(t, needHomeserver(t), "")
	_, rooms, err := e.c.Check(context.Background(), []string{string(e.id)})
	if err != nil {
		t.Fatal(err)
	}
	if rc := rooms[0]; !rc.Invited || rc.Err != nil || rc.RoomID != string(e.id) {
		t.Errorf("room = %+v, want %s invited, no error", rc, e.id)
	}
}
