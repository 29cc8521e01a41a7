// Package command is the chat command set that Slack, Matrix and any
// later platform share: commands are data (one Command value each, in one
// list), written against small interfaces that the caller satisfies (with
// *bot.Archive and *schedule.Digester).
package command

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

// Command is one chat command. Commands are data: every one is a value in
// commandList, which Slack, Matrix and any later platform share.
type Command struct {
	Name    string
	Aliases []string
	Usage   string // its arguments, as help shows them
	Help    string // what it does, in one line
	Admin   bool   // only admins may run it
	Group   string // help's group: GroupLookups, GroupCorrections or GroupAdmin
	// StoryFirst says its first argument is a story ID, which a command
	// given as a reply to a story's message may leave out (Request.Story).
	StoryFirst bool
	Run        func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error)
}

// Help's groups of commands, in its order.
const (
	GroupLookups     = "Lookups"
	GroupCorrections = "Corrections"
	GroupAdmin       = "Admin"
)

// commandList is every command, in the order help lists them.
var commandList = []*Command{
	cmdSearch, cmdStories, cmdStory, cmdRules, cmdFeeds,
	cmdMute, cmdUnmute, cmdDigest, cmdMerge, cmdSplit, cmdHelp,
}

// Request is one command as a chat platform received it.
type Request struct {
	Text   string // what follows the command prefix, e.g. "search kabulov since:7d"
	Prefix string // how users invoke the bot, e.g. "/wirewatch" or "!wirewatch"
	User   string // the platform's user id, for the log
	Admin  bool   // the adapter found User among its admins
	// Shared says that every answer is shown to everyone in the room (the
	// platform has no answers for the asker alone, as Matrix).
	Shared bool
	// Story is the story whose message the command replies to ("" when
	// none): "split tolonews.com" in reply to an alert splits that outlet
	// off that story.
	Story string
}

// Input is a parsed command line, as a command's Run sees it.
type Input struct {
	Request
	Name     string        // the command name as typed
	Args     []string      // the words after the name, options removed
	Since    time.Duration // since:D; 0 when not given
	HasSince bool          // since: was given
	Page     int           // page:N, 1 when not given
	Public   bool          // in:channel: answer for everyone, not only the asker

	words []string // the command line's words, for the next page's hint
}

// Set runs the shared command set.
type Set struct {
	cfg  Config
	loc  *time.Location
	log  *slog.Logger
	now  bot.Clock
	list []*Command
	live atomic.Pointer[live] // rules and feeds since a reload (nil: cfg's)
}

// New returns the command set working with cfg.
func New(cfg Config) *Set {
	return &Set{cfg: cfg, loc: cfg.Location, log: cfg.Log, now: cfg.Now, list: commandList}
}

// List returns the commands, in the order help lists them.
func (c *Set) List() []*Command { return c.list }

// find returns the command with this name or alias, or nil.
func (c *Set) find(name string) *Command {
	name = strings.ToLower(name)
	for _, cmd := range c.list {
		if cmd.Name == name {
			return cmd
		}
		for _, a := range cmd.Aliases {
			if a == name {
				return cmd
			}
		}
	}
	return nil
}

// userError is a mistake of the user's; its message is shown as it is.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

// userErrorf returns an error whose message the user sees.
func userErrorf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...)}
}

// Run runs one command and returns its answer; it never fails. Mistakes get
// a helpful reply; internal errors and panics are logged with an id that
// the reply names, and no detail of them reaches the user.
func (c *Set) Run(ctx context.Context, req Request) (reply *bot.Reply) {
	words := strings.Fields(req.Text)
	if len(words) == 0 {
		words = []string{"help"}
	}
	cmd := c.find(words[0])
	if cmd == nil {
		return c.message(fmt.Sprintf("Unknown command %q.", words[0]),
			fmt.Sprintf("Try %s help for the list of commands.", req.Prefix))
	}
	log := c.log.With(slog.String("command", cmd.Name), slog.String("user", req.User))
	in, err := parseInput(req, words)
	if err != nil {
		return c.failed(log, cmd, req, err)
	}
	if cmd.StoryFirst && req.Story != "" && (len(in.Args) == 0 || !isStoryID(in.Args[0])) {
		in.Args = append([]string{req.Story}, in.Args...) // the story replied to
	}
	if cmd.Admin && !req.Admin {
		log.Info("command refused: not an admin")
		return c.message(fmt.Sprintf("Sorry, only admins can use %s.", cmd.Name),
			"Ask one of the admins named in the bot's configuration.")
	}
	defer func() {
		if p := recover(); p != nil {
			id := errorID()
			log.Error("command panicked", slog.String("error_id", id), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			reply = c.message("Internal error, logged as " + id + ".")
		}
	}()
	reply, err = cmd.Run(ctx, c.current(), in)
	if err != nil {
		return c.failed(log, cmd, req, err)
	}
	reply.Location = c.loc
	reply.Public = reply.Public || in.Public
	return reply
}

// failed turns a command's error into its reply.
func (c *Set) failed(log *slog.Logger, cmd *Command, req Request, err error) *bot.Reply {
	if ue, ok := errors.AsType[*userError](err); ok {
		r := c.message(ue.msg)
		if cmd.Usage != "" {
			r.Lines = append(r.Lines, bot.Line{Text: fmt.Sprintf("Usage: %s %s %s", req.Prefix, cmd.Name, cmd.Usage)})
		}
		return r
	}
	id := errorID()
	log.Error("command failed", slog.String("error_id", id), slog.Any("error", err))
	return c.message("Internal error, logged as " + id + ".")
}

// message returns a reply of a title and plain lines.
func (c *Set) message(title string, lines ...string) *bot.Reply {
	r := &bot.Reply{Title: title, Location: c.loc}
	for _, l := range lines {
		r.Lines = append(r.Lines, bot.Line{Text: l})
	}
	return r
}

// errorID returns a short random id that ties a reply to its log line.
func errorID() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// isStoryID reports whether arg is a story ID ("12" or "#12").
func isStoryID(arg string) bool {
	_, err := storyArg(arg)
	return err == nil
}

// parseInput splits a command line into its words and options.
func parseInput(req Request, words []string) (*Input, error) {
	in := &Input{Request: req, Name: words[0], Page: 1, words: words}
	for _, w := range words[1:] {
		key, val, ok := strings.Cut(w, ":")
		switch key = strings.ToLower(key); {
		case ok && key == "since":
			d, err := human.ParseDuration(val)
			if err != nil {
				return nil, userErrorf("since: %v", err)
			}
			in.Since, in.HasSince = d, true
		case ok && key == "page":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > maxPage {
				return nil, userErrorf("page: %q is not a page number (1 to %d)", val, maxPage)
			}
			in.Page = n
		case ok && key == "in" && strings.EqualFold(val, "channel"):
			in.Public = true
		default:
			in.Args = append(in.Args, w)
		}
	}
	return in, nil
}

// maxPage bounds page:N, so that N × a page's size cannot overflow.
const maxPage = 1000

// nextPage returns the command line that shows the page after in's.
func (in *Input) nextPage() string {
	out := []string{in.Prefix}
	for _, w := range in.words {
		if k, _, ok := strings.Cut(w, ":"); ok && strings.EqualFold(k, "page") {
			continue
		}
		out = append(out, w)
	}
	out = append(out, "page:"+strconv.Itoa(in.Page+1))
	return strings.TrimSpace(strings.Join(out, " "))
}

// paginate returns the items of in's page, setting the reply's page fields.
func paginate[T any](r *bot.Reply, in *Input, all []T, per int) ([]T, error) {
	pages := (len(all) + per - 1) / per
	if pages <= 1 && in.Page == 1 {
		return all, nil
	}
	if in.Page > pages {
		return nil, userErrorf("there %s only %d %s", human.Plural(pages, "is", "are"), pages, human.Plural(pages, "page", "pages"))
	}
	r.Page, r.Pages = in.Page, pages
	if in.Page < pages {
		r.Next = in.nextPage()
	}
	end := min(in.Page*per, len(all))
	return all[(in.Page-1)*per : end], nil
}

var cmdHelp = &Command{
	Name:    "help",
	Aliases: []string{"?"},
	Help:    "this list",
	Group:   GroupLookups,
	Run: func(ctx context.Context, c *Set, in *Input) (*bot.Reply, error) {
		r := &bot.Reply{Title: "wirewatch commands"}
		for _, group := range []string{GroupLookups, GroupCorrections, GroupAdmin} {
			heading := group
			if group != GroupLookups {
				heading += " (admins)"
			}
			r.Lines = append(r.Lines, bot.Line{Text: heading, Heading: true})
			for _, cmd := range c.list {
				if cmd.Group == group {
					usage := strings.TrimSpace(in.Prefix + " " + cmd.Name + " " + cmd.Usage)
					r.Lines = append(r.Lines, bot.Line{Code: usage, Text: cmd.Help})
				}
			}
		}
		answers := "Answers are shown only to you; add in:channel to show one to everyone."
		if in.Shared {
			answers = "Answers are posted in the room, as replies."
		}
		r.Lines = append(r.Lines,
			bot.Line{Text: "Durations: 90m, 36h, 7d. Queries use the rules language: words, \"phrases\", prefix*, AND, OR, NOT, ( )."},
			bot.Line{Text: answers})
		return r, nil
	},
}
