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
}

// Clock returns the current time; tests replace it.
type Clock func() time.Time
