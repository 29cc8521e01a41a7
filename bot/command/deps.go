package command

import (
	"context"
	"log/slog"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/rules"
)

// What the commands need, each as small as its users need it. *bot.Archive
// satisfies all but Digests, *schedule.Digester that one.

// Stories looks up stories (search, stories, story).
type Stories interface {
	// Story returns a story; an error matching bot.ErrNotFound when there is none.
	Story(ctx context.Context, id int64) (*bot.Story, error)
	// Stories returns the stories updated at or after since, the most
	// recently updated first: at most limit of them.
	Stories(ctx context.Context, since time.Time, limit int) ([]*bot.Story, error)
	// Resolve returns the story that story id was merged into (id itself
	// when it was not).
	Resolve(ctx context.Context, id int64) (int64, error)
}

// Searcher finds the stories that have an item matching a query, best
// first; an error matching bot.ErrSearchCut comes with what it found in its
// time (search).
type Searcher interface {
	SearchStoryIDs(ctx context.Context, req bot.SearchRequest) ([]int64, error)
}

// Health says how the feeds and channels do (feeds).
type Health interface {
	FeedsHealth(ctx context.Context, names []string) ([]bot.FeedHealth, error)
	PausedChannels(ctx context.Context) ([]bot.ChannelPause, error)
}

// Mutes silences rules for a while (rules, mute, unmute).
type Mutes interface {
	// MutedUntil returns when each rule muted at now is unmuted, by name.
	MutedUntil(ctx context.Context, now time.Time) (map[string]time.Time, error)
	// Mute silences rule until then; by (a chat user id) muted it at at.
	Mute(ctx context.Context, rule string, until time.Time, by string, at time.Time) error
	// Unmute ends a rule's mute and reports whether it was muted at now.
	Unmute(ctx context.Context, rule string, now time.Time) (bool, error)
}

// Digests queues waiting digests now (digest).
type Digests interface {
	// Queue queues the due digests (all waiting ones with force) and
	// returns how many, and when the next is due.
	Queue(ctx context.Context, force bool) (int, time.Time, error)
	// QueueRule queues the waiting digests of one rule and returns how many.
	QueueRule(ctx context.Context, rule string) (int, error)
}

// Corrections fixes the grouping (merge, split); the errors of a
// correction that cannot be made match bot.ErrCorrection or bot.ErrNotFound.
type Corrections interface {
	Merge(ctx context.Context, into, from int64, now time.Time) error
	Split(ctx context.Context, story int64, url string, now time.Time) (int64, error)
}

// Config is what a Set works with.
type Config struct {
	Stories     Stories
	Search      Searcher
	Health      Health
	Mutes       Mutes
	Corrections Corrections
	Digests     Digests // nil: `digest` says that digests cannot be posted from here

	Rules    []bot.Rule     // the configured rules
	Feeds    []bot.Feed     // the configured feeds
	Parse    rules.Options  // how search parses its query: the configured aliases and stem
	Location *time.Location // the zone times are shown in
	Log      *slog.Logger
	Now      bot.Clock
}
