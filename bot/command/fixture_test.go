package command_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/command"
	"github.com/wirewatch/wirewatch/bot/schedule"
)

// The archive and the digester are what the commands work with.
var (
	_ command.Stories     = (*bot.Archive)(nil)
	_ command.Searcher    = (*bot.Archive)(nil)
	_ command.Health      = (*bot.Archive)(nil)
	_ command.Mutes       = (*bot.Archive)(nil)
	_ command.Corrections = (*bot.Archive)(nil)
	_ command.Digests     = (*schedule.Digester)(nil)
)

// cmdFixture is a store, a pipeline and a dispatcher delivering "ops" and
// "desk" to one recorder, with the command set over them and its log.
type cmdFixture struct {
	*bottest.Fixture
	cmds *command.Set
	log  *bytes.Buffer
}

func newCmdFixture(t *testing.T, rs ...bot.Rule) *cmdFixture {
	t.Helper()
	var buf bytes.Buffer
	f := &cmdFixture{Fixture: bottest.New(t, nil, slog.New(slog.NewTextHandler(&buf, nil)), rs...), log: &buf}
	f.Record("ops", "desk")
	f.cmds = f.Commands(nil, f.Feed, bot.Feed{Name: "quiet"})
	return f
}

// run runs a command line as a user (an admin when admin is set).
func (f *cmdFixture) run(text string, admin bool) *bot.Reply {
	return f.cmds.Run(context.Background(), command.Request{Text: text, Prefix: "/wirewatch", User: "U1", Admin: admin})
}

const headline = "Kabulov says Moscow will keep talking to the Taliban"
