package main

import (
	"cmp"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/rules"
)

// Validate checks the configuration and returns every problem as
// ConfigErrors, or nil. LoadConfig calls it.
func (c *Config) Validate() error {
	if errs := c.validate(); len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *ConfigError) int { return cmp.Compare(a.Line, b.Line) })
		return errs
	}
	return nil
}

var (
	slackChannelRE = regexp.MustCompile(`^([CG][A-Z0-9]{6,}|#[\p{Ll}\p{Lo}\p{N}_.\-]{1,80})$`)
	matrixRoomRE   = regexp.MustCompile(`^[!#][^:\s]+:\S+$`)
	matrixUserRE   = regexp.MustCompile(`^@[^:\s]+:\S+$`)
)

func (c *Config) validate() ConfigErrors {
	var errs ConfigErrors
	add := func(key, format string, args ...any) {
		errs = append(errs, c.errorf(key, key, format, args...))
	}

	switch s := c.Store; {
	case s.Path != "" && s.DSN != "":
		add("store.dsn", "set either path (SQLite) or dsn (PostgreSQL), not both")
	case s.DSN != "" && !strings.HasPrefix(s.DSN, "postgres://") && !strings.HasPrefix(s.DSN, "postgresql://"):
		add("store.dsn", "must start with postgres:// or postgresql://")
	}
	if c.Store.Retention.Duration <= 0 {
		add("store.retention", "must be positive")
	}

	d := c.Defaults
	if err := checkCron(d.Schedule); err != nil {
		add("defaults.schedule", "%v", err)
	}
	if d.MaxAge.Duration <= 0 {
		add("defaults.max_age", "must be positive")
	}
	if d.Window.Duration <= 0 {
		add("defaults.window", "must be positive")
	}
	if _, err := time.LoadLocation(d.Timezone); err != nil {
		add("defaults.timezone", "unknown time zone %q", d.Timezone)
	}

	feedNames := map[string]string{}
	for i, f := range c.Feeds {
		key := fmt.Sprintf("feed[%d]", i)
		c.checkName(&errs, key, f.Name, feedNames)
		switch scheme := urlScheme(f.URL); {
		case f.URL == "":
			add(key+".url", "required")
		case scheme == "http" || scheme == "https":
			if u, err := url.Parse(f.URL); err != nil || u.Host == "" {
				add(key+".url", "not a valid %s URL", scheme)
			}
		case scheme != "" && scheme != "file":
			add(key+".url", "unsupported scheme %q: use http(s), file:// or a path", scheme)
		}
		if f.Schedule != "" {
			if err := checkCron(f.Schedule); err != nil {
				add(key+".schedule", "%v", err)
			}
		}
		if f.MaxAge != nil && f.MaxAge.Duration <= 0 {
			add(key+".max_age", "must be positive")
		}
		if f.Source != "" && strings.ContainsAny(f.Source, "/: ") {
			add(key+".source", "must be a domain like tass.com, not %q", f.Source)
		}
	}

	chanNames := map[string]string{}
	var needSlack, needMatrix string // first channel of each kind
	for i, ch := range c.Channels {
		key := fmt.Sprintf("channel[%d]", i)
		c.checkName(&errs, key, ch.Name, chanNames)
		var set []string
		for _, t := range ch.targets() {
			if t[1] != "" {
				set = append(set, t[0])
			}
		}
		label := "channel"
		if ch.Name != "" {
			label = fmt.Sprintf("channel %q", ch.Name)
		}
		switch len(set) {
		case 0:
			add(key, "%s needs one of slack, matrix, jsonl or webhook", label)
		case 1:
		default:
			add(key, "%s sets %s; set exactly one of slack, matrix, jsonl or webhook", label, strings.Join(set, " and "))
		}
		if ch.Slack != "" {
			if !slackChannelRE.MatchString(ch.Slack) {
				add(key+".slack", "%q is not a Slack channel ID (C…, G…) or #name", ch.Slack)
			}
			needSlack = cmp.Or(needSlack, key+".slack")
		}
		if ch.Matrix != "" {
			if !matrixRoomRE.MatchString(ch.Matrix) {
				add(key+".matrix", "%q is not a Matrix room ID (!room:server) or alias (#alias:server)", ch.Matrix)
			}
			needMatrix = cmp.Or(needMatrix, key+".matrix")
		}
		if ch.Webhook != "" {
			scheme := urlScheme(ch.Webhook)
			if u, err := url.Parse(ch.Webhook); err != nil || (scheme != "http" && scheme != "https") || u.Host == "" {
				add(key+".webhook", "must be an http(s) URL") // the URL may hold a secret
			}
		}
		switch ch.OnUpdate {
		case "both", "edit", "thread", "none":
		default:
			add(key+".on_update", "must be both, edit, thread or none, not %q", ch.OnUpdate)
		}
	}
	if needSlack != "" && c.Slack.BotToken == "" {
		add(needSlack, "a Slack channel needs slack.bot_token")
	}
	if needMatrix != "" {
		var missing []string
		if c.Matrix.Homeserver == "" {
			missing = append(missing, "matrix.homeserver")
		}
		if c.Matrix.UserID == "" {
			missing = append(missing, "matrix.user_id")
		}
		if c.Matrix.AccessToken == "" && c.Matrix.Password == "" {
			missing = append(missing, "matrix.access_token or matrix.password")
		}
		if len(missing) > 0 {
			add(needMatrix, "a Matrix channel needs %s", strings.Join(missing, ", "))
		}
	}

	ruleNames := map[string]string{}
	for i, r := range c.Rules {
		key := fmt.Sprintf("rule[%d]", i)
		c.checkName(&errs, key, r.Name, ruleNames)
		if strings.TrimSpace(r.Query) == "" {
			add(key+".query", "required")
		} else if _, err := rules.Parse(r.Query); err != nil {
			add(key+".query", "%v", err)
		}
		if len(r.Channels) == 0 {
			add(key+".channels", "name at least one channel")
		}
		for j, name := range r.Channels {
			if _, ok := chanNames[name]; !ok {
				errs = append(errs, c.errorf(fmt.Sprintf("%s.channels[%d]", key, j), key+".channels", "no channel named %q", name))
			}
		}
		switch r.Mode {
		case "alert", "digest":
		default:
			add(key+".mode", "must be alert or digest, not %q", r.Mode)
		}
		if err := checkCron(r.Digest); err != nil {
			add(key+".digest", "%v", err)
		}
		if r.MinSources < 0 {
			add(key+".min_sources", "must be 0 or more, not %d", r.MinSources)
		}
	}

	if u := c.Slack.APIURL; u != "" {
		if s := urlScheme(u); s != "http" && s != "https" {
			add("slack.api_url", "must be an http(s) URL")
		}
	}
	if !strings.HasPrefix(c.Slack.Command, "/") {
		add("slack.command", "must start with /, like /wirewatch")
	}
	if u := c.Matrix.Homeserver; u != "" {
		if s := urlScheme(u); s != "http" && s != "https" {
			add("matrix.homeserver", "must be an http(s) URL like https://matrix.org")
		}
	}
	if id := c.Matrix.UserID; id != "" && !matrixUserRE.MatchString(id) {
		add("matrix.user_id", "%q is not a Matrix user ID like @bot:example.org", id)
	}
	if c.Matrix.Encryption && !wmatrix.EncryptionSupported {
		add("matrix.encryption", "this build of wirewatch lacks end-to-end encryption: build it with -tags goolm")
	}
	if strings.TrimSpace(c.Matrix.CommandPrefix) == "" {
		add("matrix.command_prefix", "must not be empty")
	}
	if l := c.HTTP.Listen; l != "" {
		if _, port, err := net.SplitHostPort(l); err != nil || port == "" {
			add("http.listen", "%q is not host:port, like 127.0.0.1:8080", l)
		}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		add("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		add("log.format", "must be text or json, not %q", c.Log.Format)
	}
	return errs
}

// checkName reports a missing or repeated name; seen maps names to keys.
func (c *Config) checkName(errs *ConfigErrors, key, name string, seen map[string]string) {
	switch prev, dup := seen[name]; {
	case strings.TrimSpace(name) == "":
		*errs = append(*errs, c.errorf(key+".name", key+".name", "required"))
	case dup:
		*errs = append(*errs, c.errorf(key+".name", key+".name", "%q is already the name of %s", name, prev))
	default:
		seen[name] = key
	}
}

func checkCron(spec string) error {
	if _, err := cron.ParseStandard(spec); err != nil {
		return fmt.Errorf("bad cron spec %q: %w", spec, err)
	}
	return nil
}

// errorf makes a ConfigError for key, placed on the line where at (or its
// nearest written parent) is.
func (c *Config) errorf(at, key, format string, args ...any) *ConfigError {
	return &ConfigError{File: c.Path, Line: c.lines.line(at), Key: key, Msg: fmt.Sprintf(format, args...)}
}
