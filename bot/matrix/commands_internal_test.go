package matrix

import (
	"context"
	"testing"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/wirewatch/wirewatch/store"
)

// storiesOf is MessageStories over a map of the bot's messages.
type storiesOf map[string]int64

func (m storiesOf) StoryOfMessage(_ context.Context, remoteID string) (int64, error) {
	if sid, ok := m[remoteID]; ok {
		return sid, nil
	}
	return 0, store.ErrNotFound
}

// TestCommandInAThreadFindsItsStory is the regression test of a command
// typed in an alert's thread losing its story: clients add to a thread
// message a reply to the thread's latest event as a fallback
// (is_falling_back), and that event — someone's remark, or the bot's answer
// to an earlier command — was taken for the message replied to, so the
// thread's root, the alert, was never looked at.
func TestCommandInAThreadFindsItsStory(t *testing.T) {
	const alert, update, answer, remark = "$alert", "$update", "$answer", "$remark"
	h := &CommandHandler{msgs: storiesOf{alert: 7, update: 7}}
	inThread := func(latest id.EventID) *event.RelatesTo {
		return (&event.RelatesTo{}).SetThread(alert, latest) // as Element sends it: a fallback reply to the latest
	}
	tests := []struct {
		name string
		rel  *event.RelatesTo
		want string
	}{
		{"a reply to the alert", (&event.RelatesTo{}).SetReplyTo(alert), "7"},
		{"a reply to an update", (&event.RelatesTo{}).SetReplyTo(update), "7"},
		{"in the thread after an update", inThread(update), "7"},
		{"in the thread after the bot's answer", inThread(answer), "7"},
		{"in the thread after a remark", inThread(remark), "7"},
		{"in the thread, a reply to a remark there", (&event.RelatesTo{}).SetThread(alert, "").SetReplyTo(remark), "7"},
		{"a reply to a remark", (&event.RelatesTo{}).SetReplyTo(remark), ""},
		{"no relation", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.storyOf(context.Background(), repliedTo(tt.rel))
			if got != tt.want {
				t.Errorf("story = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAddRoom: a configured room resolved after the handler was made is
// one whose invites are accepted from anyone.
func TestAddRoom(t *testing.T) {
	h := &CommandHandler{rooms: map[id.RoomID]bool{"!a:x": true}}
	if h.configured("!b:x") {
		t.Fatal("!b:x configured before AddRoom")
	}
	h.AddRoom("!b:x")
	if !h.configured("!a:x") || !h.configured("!b:x") {
		t.Error("AddRoom: !a:x and !b:x should be configured")
	}
}
