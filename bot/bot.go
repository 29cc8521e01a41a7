// Package bot is the pipeline core: it turns polled items into stories,
// matches rules, queues deliveries in the outbox and dispatches them to
// channels through Senders, in a neutral message model (text, links and
// highlight spans) that adapters only mark up. It never imports a chat
// adapter; its chat command set is bot/command.
package bot

import (
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/rules"
)

// The rule modes.
const (
	ModeAlert  = "alert"
	ModeDigest = "digest"
)

// Feed is one configured feed, with its effective settings.
type Feed struct {
	Name     string
	URL      string
	Schedule cron.Schedule
	Source   string            // outlet override, "" to derive it
	Tags     []string          // what rules' tags and tag: see
	Lang     string            // the items' language for lang:, "" to detect it
	MaxAge   time.Duration     // older items are stored but never alerted
	Headers  map[string]string // extra request headers
	// FetchArticle fetches each new item's page for its full text.
	FetchArticle bool
	// AllowPrivate lets those fetches reach loopback and private
	// addresses (a feed on an intranet); refused by default.
	AllowPrivate bool
}

// Rule is one compiled watch rule.
type Rule struct {
	Name     string
	Query    *rules.Query
	Channels []string
	Mode     string        // ModeAlert or ModeDigest
	Digest   cron.Schedule // when a digest rule posts its digest
	// MinSources holds an alert until this many independent sources carry
	// the story (0 or 1: no minimum).
	MinSources int
	// MinOutlets holds an alert until this many outlets carry the story
	// (0 or 1: no minimum).
	MinOutlets int
	Exclude    *rules.Query // items it matches never match the rule (nil: none)
	Feeds      []string     // only items of these feeds (empty: all)
	Tags       []string     // only items of feeds with one of these tags (empty: all)
}

// Matcher returns the rules compiled into one rules.Matcher, whose hits
// name them by index.
func Matcher(rs []Rule) *rules.Matcher {
	mr := make([]rules.Rule, len(rs))
	for i, r := range rs {
		mr[i] = rules.Rule{Query: r.Query, Exclude: r.Exclude, Feeds: r.Feeds, Tags: r.Tags}
	}
	return rules.Compile(mr)
}

// CrashHook, when set, is called at named points of polls and deliveries
// ("fetched", "ingest" before a commit, "ingested", "send" once a delivery
// is started, "sent" before it is recorded): tests kill the process there.
type CrashHook func(point string)

func (h CrashHook) at(point string) {
	if h != nil {
		h(point)
	}
}

// Clock returns the current time; tests replace it.
type Clock func() time.Time
