package config

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/rules"
)

// Config is a loaded configuration file; shared/DESIGN.md lists its keys.
type Config struct {
	Path     string    `toml:"-"` // file it was loaded from
	Hash     string    `toml:"-"` // SHA-256 of the file's bytes as loaded, in hex
	Store    Store     `toml:"store"`
	Defaults Defaults  `toml:"defaults"`
	Feeds    []Feed    `toml:"feed"`
	Channels []Channel `toml:"channel"`
	Rules    []Rule    `toml:"rule"`
	// Aliases name lists of terms, used as @NAME in rules and searches.
	Aliases map[string][]string `toml:"alias"`
	Slack   Slack               `toml:"slack"`
	Matrix  Matrix              `toml:"matrix"`
	HTTP    HTTP                `toml:"http"`
	Log     Log                 `toml:"log"`

	lines keyLines // where each key is written, for error messages
}

// Store is the [store] section: SQLite by path, or PostgreSQL by DSN.
type Store struct {
	Path      string   `toml:"path"`      // SQLite file, absolute after Load; "wirewatch.db" unless dsn is set
	DSN       string   `toml:"dsn"`       // postgres:// or postgresql:// URL (secret)
	Retention Duration `toml:"retention"` // how long items are kept
	MaxConns  int      `toml:"max_conns"` // PostgreSQL: the connection pool's size (0: the default, 10)
	Lease     Duration `toml:"lease"`     // PostgreSQL: how long a replica's claim on a feed or the lead lasts unrenewed
}

// Defaults is the [defaults] section: values feeds inherit, and global settings.
type Defaults struct {
	Schedule     string   `toml:"schedule"`      // cron spec for polling feeds
	MaxAge       Duration `toml:"max_age"`       // older items are stored but never alerted
	Window       Duration `toml:"window"`        // how long a story stays open for new items
	Timezone     string   `toml:"timezone"`      // for digests and shown times
	FetchArticle bool     `toml:"fetch_article"` // fetch the article page for more text
	UserAgent    string   `toml:"user_agent"`    // "" means the versioned default
	OpsChannel   string   `toml:"ops_channel"`   // the channel told of failing feeds, paused channels, refused reloads ("" for none)
	Stem         string   `toml:"stem"`          // rules' default inflection: "", english or russian

	// Politeness under load.
	FetchConcurrency int      `toml:"fetch_concurrency"` // feed requests at once in all
	HostConcurrency  int      `toml:"host_concurrency"`  // requests at once to one host name
	HostInterval     Duration `toml:"host_interval"`     // least time between two requests to one host name
	ScheduleJitter   float64  `toml:"schedule_jitter"`   // share of a schedule's interval feeds are spread over
}

// Feed is one [[feed]]. Unset optional keys inherit from [defaults]:
// read them through Config.FeedSchedule, FeedMaxAge and FeedFetchArticle.
type Feed struct {
	Name         string            `toml:"name"`
	URL          string            `toml:"url"`      // http(s) URL, file:// URL or path; relative files are made absolute, keeping their form
	Schedule     string            `toml:"schedule"` // "" inherits defaults.schedule
	Tags         []string          `toml:"tags"`
	Source       string            `toml:"source"`  // outlet domain override
	Lang         string            `toml:"lang"`    // the feed's language (ISO 639-1, as lang: in rules); "" detects it per item
	MaxAge       *Duration         `toml:"max_age"` // nil inherits defaults.max_age
	FetchArticle *bool             `toml:"fetch_article"`
	AllowPrivate bool              `toml:"allow_private"` // article fetches may reach loopback/private addresses (an intranet feed)
	Headers      map[string]string `toml:"headers"`       // extra request headers (values may be secrets)
}

// Channel is one [[channel]]: a name and exactly one target.
type Channel struct {
	Name     string `toml:"name"`
	Slack    string `toml:"slack"`     // channel ID (C…, G…) or #name
	Matrix   string `toml:"matrix"`    // !room:server or #alias:server
	JSONL    string `toml:"jsonl"`     // "-" for stdout, else a file path (absolute after Load)
	Webhook  string `toml:"webhook"`   // http(s) URL (its query may hold secrets)
	OnUpdate string `toml:"on_update"` // both, edit, thread or none
}

// Rule is one [[rule]].
type Rule struct {
	Name     string   `toml:"name"`
	Query    string   `toml:"query"` // rules language
	Channels []string `toml:"channels"`
	Mode     string   `toml:"mode"`   // alert or digest
	Digest   string   `toml:"digest"` // cron spec for digest mode
	// MinSources holds an alert until this many independent sources carry
	// the story (a wire agency and its re-reports count once); 0 or 1: none.
	MinSources int `toml:"min_sources"`
	// MinOutlets holds an alert until the story is carried by this many
	// outlets (distinct sources); 0 or 1: none.
	MinOutlets int      `toml:"min_outlets"`
	Feeds      []string `toml:"feeds"`   // only items of these feeds (empty: all)
	Tags       []string `toml:"tags"`    // only items of feeds with one of these tags (empty: all)
	Exclude    string   `toml:"exclude"` // a query: items it matches never match the rule
	Stem       string   `toml:"stem"`    // inflection: english or russian; "" inherits defaults.stem, "none" turns it off
}

// RuleOptions returns how the rule's query and exclude are parsed: the
// aliases, its stem (else the default), regular expressions allowed.
func (c *Config) RuleOptions(r Rule) rules.Options {
	stem, _ := rules.ParseStem(cmp.Or(r.Stem, c.Defaults.Stem))
	return rules.Options{Aliases: c.Aliases, Stem: stem, Regexp: true}
}

// TestQuery returns the rule as one query over stored items, for rules
// test: its query, less what its exclude matches, within its feeds and the
// feeds with its tags (stored items keep their feed's name, not its tags).
// Parse it with RuleOptions.
func (c *Config) TestQuery(r Rule) string {
	q := "(" + r.Query + ")"
	if strings.TrimSpace(r.Exclude) != "" {
		q += " -(" + r.Exclude + ")"
	}
	if len(r.Feeds) == 0 && len(r.Tags) == 0 {
		return q
	}
	var alts []string
	for _, f := range c.Feeds {
		if (len(r.Feeds) == 0 || slices.Contains(r.Feeds, f.Name)) &&
			(len(r.Tags) == 0 || slices.ContainsFunc(r.Tags, func(t string) bool { return slices.Contains(f.Tags, t) })) &&
			!strings.ContainsAny(f.Name, `"“”„«»`) {
			alts = append(alts, `source:"`+f.Name+`"`)
		}
	}
	if len(alts) == 0 {
		alts = []string{`source:"-"`} // no feed: nothing matches
	}
	return q + " (" + strings.Join(alts, " OR ") + ")"
}

// SearchOptions returns how a search query is parsed: the aliases and the
// default stem; regular expressions are allowed (the caller is trusted:
// the terminal, or an operator's command).
func (c *Config) SearchOptions() rules.Options {
	stem, _ := rules.ParseStem(c.Defaults.Stem)
	return rules.Options{Aliases: c.Aliases, Stem: stem, Regexp: true}
}

// Slack is the [slack] section.
type Slack struct {
	BotToken      string   `toml:"bot_token"`      // secret
	AppToken      string   `toml:"app_token"`      // secret; enables Socket Mode
	SigningSecret string   `toml:"signing_secret"` // secret; enables HTTP commands
	APIURL        string   `toml:"api_url"`        // for tests
	Command       string   `toml:"command"`
	Admins        []string `toml:"admins"`
}

// Matrix is the [matrix] section.
type Matrix struct {
	Homeserver    string   `toml:"homeserver"`
	UserID        string   `toml:"user_id"`
	AccessToken   string   `toml:"access_token"` // secret
	Password      string   `toml:"password"`     // secret
	AllowedUsers  []string `toml:"allowed_users"`
	Admins        []string `toml:"admins"`
	CommandPrefix string   `toml:"command_prefix"`
	Encryption    bool     `toml:"encryption"`
	PickleKey     string   `toml:"pickle_key"` // secret; "" uses the key kept in the store
}

// HTTP is the [http] section.
type HTTP struct {
	Listen string `toml:"listen"` // host:port; "" means off
}

// Log is the [log] section.
type Log struct {
	Level  string `toml:"level"`  // debug, info, warn or error
	Format string `toml:"format"` // text or json
}

// Duration is a time.Duration written in Go syntax or in days ("90d").
type Duration struct{ time.Duration }

// UnmarshalText parses s with human.ParseDuration, ${NAME} expanded
// first: it is a string in the file, and Load expands the others only
// after decoding.
func (d *Duration) UnmarshalText(s []byte) error {
	text, err := expandEnvString(string(s))
	if err != nil {
		return err
	}
	v, err := human.ParseDuration(text)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText writes whole days as "90d", other durations in Go syntax.
func (d Duration) MarshalText() ([]byte, error) {
	const day = 24 * time.Hour
	if d.Duration > 0 && d.Duration%day == 0 {
		return fmt.Appendf(nil, "%dd", d.Duration/day), nil
	}
	return []byte(d.Duration.String()), nil
}

// FeedSchedule returns the feed's cron spec, else the default.
func (c *Config) FeedSchedule(f Feed) string {
	if f.Schedule != "" {
		return f.Schedule
	}
	return c.Defaults.Schedule
}

// FeedMaxAge returns the feed's max_age, else the default.
func (c *Config) FeedMaxAge(f Feed) time.Duration {
	if f.MaxAge != nil {
		return f.MaxAge.Duration
	}
	return c.Defaults.MaxAge.Duration
}

// FeedFetchArticle returns the feed's fetch_article, else the default.
func (c *Config) FeedFetchArticle(f Feed) bool {
	if f.FetchArticle != nil {
		return *f.FetchArticle
	}
	return c.Defaults.FetchArticle
}

// Kind returns the channel's target kind: "slack", "matrix", "jsonl",
// "webhook", or "" when none is set.
func (ch Channel) Kind() string {
	kind, _ := ch.target()
	return kind
}

// Target returns the channel's target: a Slack or Matrix room, a JSONL path
// ("-" is stdout) or a webhook URL.
func (ch Channel) Target() string {
	_, target := ch.target()
	return target
}

func (ch Channel) target() (kind, target string) {
	for _, t := range ch.targets() {
		if t[1] != "" {
			return t[0], t[1]
		}
	}
	return "", ""
}

func (ch Channel) targets() [][2]string {
	return [][2]string{{"slack", ch.Slack}, {"matrix", ch.Matrix}, {"jsonl", ch.JSONL}, {"webhook", ch.Webhook}}
}

// Error is one problem in a configuration file. Msg never holds a
// secret value.
type Error struct {
	File   string
	Line   int // 0 when unknown
	Column int // set for TOML syntax errors only
	Key    string
	Msg    string
}

// Error formats the problem as "file:line: key: msg".
func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			loc += ":" + strconv.Itoa(e.Column)
		}
	}
	var parts []string
	for _, s := range []string{loc, e.Key, e.Msg} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ": ")
}

// Errors is every problem found in a configuration file, by line.
type Errors []*Error

// Error lists the problems, one a line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.As access to each *Error.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}
