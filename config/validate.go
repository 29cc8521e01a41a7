package config

import (
	"cmp"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/rules"
)

// Features is what this build of wirewatch supports beyond the default
// build, for Validate. The cli fills it in; config imports no adapter.
type Features struct {
	Encryption bool // Matrix end-to-end encryption (the goolm build tag)
}

// Validate checks the configuration against what this build supports and
// returns every problem as Errors, or nil. Load calls it.
func (c *Config) Validate(f Features) error {
	if errs := c.validate(f); len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
		return errs
	}
	return nil
}

var (
	slackChannelID = regexp.MustCompile(`^[CG][A-Z0-9]{6,}$`)
	matrixRoomRE   = regexp.MustCompile(`^[!#][^:\s]+:\S+$`)
	matrixUserRE   = regexp.MustCompile(`^@[^:\s]+:\S+$`)
	slackUserRE    = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	langRE         = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// validation collects the problems of one Validate.
type validation struct {
	c    *Config
	errs Errors
}

// add records a problem with key, placed on the key's line.
func (v *validation) add(key, format string, args ...any) {
	v.errs = append(v.errs, v.c.errorf(key, key, format, args...))
}

func (c *Config) validate(f Features) Errors {
	v := &validation{c: c}
	v.store()
	v.defaults()
	v.feeds()
	channels := v.channels()
	if name := v.c.Defaults.OpsChannel; name != "" {
		if _, ok := channels[name]; !ok {
			v.add("defaults.ops_channel", "no channel named %q", name)
		}
	}
	v.aliases()
	v.rules(channels)
	v.slack()
	v.matrix(f)
	v.httpAndLog()
	return v.errs
}

func (v *validation) store() {
	switch s := v.c.Store; {
	case s.Path != "" && s.DSN != "":
		v.add("store.dsn", "set either path (SQLite) or dsn (PostgreSQL), not both")
	case s.DSN != "" && !strings.HasPrefix(s.DSN, "postgres://") && !strings.HasPrefix(s.DSN, "postgresql://"):
		v.add("store.dsn", "must start with postgres:// or postgresql://")
	}
	if v.c.Store.Retention.Duration <= 0 {
		v.add("store.retention", "must be positive")
	}
	if d := v.c.Store.Lease.Duration; d < time.Second || d > time.Hour {
		v.add("store.lease", "must be between 1s and 1h")
	}
	switch s := v.c.Store; {
	case s.MaxConns < 0 || s.MaxConns > 1000:
		v.add("store.max_conns", "must be between 3 and 1000 (0 or unset: 10)")
	case s.MaxConns != 0 && s.DSN == "":
		v.add("store.max_conns", "applies to PostgreSQL (dsn) only: SQLite has one writer")
	case s.MaxConns != 0 && s.MaxConns < 3:
		v.add("store.max_conns", "must be at least 3: a poll, a delivery and the leader's work (digests, pruning) run at once")
	}
}

func (v *validation) defaults() {
	d := v.c.Defaults
	if err := checkCron(d.Schedule); err != nil {
		v.add("defaults.schedule", "%v", err)
	}
	if d.MaxAge.Duration <= 0 {
		v.add("defaults.max_age", "must be positive")
	}
	if d.Window.Duration <= 0 {
		v.add("defaults.window", "must be positive")
	}
	if _, err := time.LoadLocation(d.Timezone); err != nil {
		v.add("defaults.timezone", "unknown time zone %q", d.Timezone)
	}
	if _, err := rules.ParseStem(d.Stem); err != nil {
		v.add("defaults.stem", "%v", err)
	}
	if d.FetchConcurrency < 1 || d.FetchConcurrency > 1000 {
		v.add("defaults.fetch_concurrency", "must be 1 to 1000")
	}
	if d.HostConcurrency < 1 || d.HostConcurrency > 100 {
		v.add("defaults.host_concurrency", "must be 1 to 100")
	}
	if d.HostInterval.Duration < 0 || d.HostInterval.Duration > time.Minute {
		v.add("defaults.host_interval", "must be 0 to 1m")
	}
	if d.ScheduleJitter < 0 || d.ScheduleJitter > 0.5 {
		v.add("defaults.schedule_jitter", "must be 0 to 0.5")
	}
}

// aliases checks the [alias] table: entries that do not parse, unknown
// aliases and cycles, each on the line of its entry.
func (v *validation) aliases() {
	for _, e := range rules.Aliases(v.c.Aliases).Check() {
		key := "alias." + quoteKey(e.Name)
		at := "alias." + e.Name // where it is written: keyLines holds a key's text, unquoted
		if e.Entry >= 0 {
			at = fmt.Sprintf("%s[%d]", at, e.Entry)
		}
		v.errs = append(v.errs, v.c.errorf(at, key, "%s", e.Msg))
	}
}

// quoteKey writes a TOML key part as the file would: bare when it can be.
func quoteKey(k string) string {
	for _, r := range k {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Sprintf("%q", k)
		}
	}
	return k
}

func (v *validation) feeds() {
	names := map[string]string{}
	for i, f := range v.c.Feeds {
		key := fmt.Sprintf("feed[%d]", i)
		v.name(key, f.Name, names)
		switch scheme := urlScheme(f.URL); {
		case f.URL == "":
			v.add(key+".url", "required")
		case scheme == "http" || scheme == "https":
			if u, err := url.Parse(f.URL); err != nil || u.Host == "" {
				v.add(key+".url", "not a valid %s URL", scheme)
			}
		case scheme != "" && scheme != "file":
			v.add(key+".url", "unsupported scheme %q: use http(s), file:// or a path", scheme)
		}
		if f.Schedule != "" {
			if err := checkCron(f.Schedule); err != nil {
				v.add(key+".schedule", "%v", err)
			}
		}
		if f.MaxAge != nil && f.MaxAge.Duration <= 0 {
			v.add(key+".max_age", "must be positive")
		}
		if f.Lang != "" && !langRE.MatchString(f.Lang) {
			v.add(key+".lang", "must be a language code like en or ru, not %q", f.Lang)
		}
		if f.Source != "" && strings.ContainsAny(f.Source, "/: ") {
			v.add(key+".source", "must be a domain like tass.com, not %q", f.Source)
		}
	}
}

// channels checks the [[channel]] tables and the accounts their kinds
// need; it returns the channel names, for the rules.
func (v *validation) channels() map[string]string {
	names := map[string]string{}
	var needSlack, needMatrix string // first channel of each kind
	for i, ch := range v.c.Channels {
		key := fmt.Sprintf("channel[%d]", i)
		v.name(key, ch.Name, names)
		v.channel(key, ch)
		if ch.Slack != "" {
			needSlack = cmp.Or(needSlack, key+".slack")
		}
		if ch.Matrix != "" {
			needMatrix = cmp.Or(needMatrix, key+".matrix")
		}
	}
	if needSlack != "" && v.c.Slack.BotToken == "" {
		v.add(needSlack, "a Slack channel needs slack.bot_token")
	}
	if needMatrix != "" {
		m := v.c.Matrix
		var missing []string
		if m.Homeserver == "" {
			missing = append(missing, "matrix.homeserver")
		}
		if m.UserID == "" {
			missing = append(missing, "matrix.user_id")
		}
		if m.AccessToken == "" && m.Password == "" {
			missing = append(missing, "matrix.access_token or matrix.password")
		}
		if len(missing) > 0 {
			v.add(needMatrix, "a Matrix channel needs %s", strings.Join(missing, ", "))
		}
	}
	return names
}

// channel checks one [[channel]]: exactly one target, well formed.
func (v *validation) channel(key string, ch Channel) {
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
		v.add(key, "%s needs one of slack, matrix, jsonl or webhook", label)
	case 1:
	default:
		v.add(key, "%s sets %s; set exactly one of slack, matrix, jsonl or webhook", label, strings.Join(set, " and "))
	}
	if ch.Slack != "" && !slackChannelID.MatchString(ch.Slack) && !slackChannelName(ch.Slack) {
		v.add(key+".slack", "%q is not a Slack channel ID (C…, G…) or #name", ch.Slack)
	}
	if ch.Matrix != "" && !matrixRoomRE.MatchString(ch.Matrix) {
		v.add(key+".matrix", "%q is not a Matrix room ID (!room:server) or alias (#alias:server)", ch.Matrix)
	}
	if ch.Webhook != "" {
		scheme := urlScheme(ch.Webhook)
		if u, err := url.Parse(ch.Webhook); err != nil || (scheme != "http" && scheme != "https") || u.Host == "" {
			v.add(key+".webhook", "must be an http(s) URL") // the URL may hold a secret
		}
	}
	switch ch.OnUpdate {
	case "both", "edit", "thread", "none":
		// Only chat messages can be edited or replied to; a JSONL file or a
		// webhook gets each update as a message of its own. on_update has no
		// [defaults] key: written here, it is this channel's own.
		if kind := ch.Kind(); (kind == "jsonl" || kind == "webhook") && len(set) == 1 && v.written(key+".on_update") {
			v.add(key+".on_update", "only Slack and Matrix channels edit an alert or reply in its thread (this is a %s channel: it gets each update as a message of its own): remove on_update", kind)
		}
	default:
		v.add(key+".on_update", "must be both, edit, thread or none, not %q", ch.OnUpdate)
	}
}

// written reports whether key is written in the file (false when the
// configuration was not loaded from one).
func (v *validation) written(key string) bool {
	_, ok := v.c.lines[key]
	return ok
}

// rules checks the [[rule]] tables; channels are the channel names.
func (v *validation) rules(channels map[string]string) {
	names := map[string]string{}
	for i, r := range v.c.Rules {
		key := fmt.Sprintf("rule[%d]", i)
		v.name(key, r.Name, names)
		if _, err := rules.ParseStem(r.Stem); err != nil {
			v.add(key+".stem", "%v", err)
		}
		opts := v.c.RuleOptions(r)
		if strings.TrimSpace(r.Query) == "" {
			v.add(key+".query", "required")
		} else if _, err := rules.ParseWith(r.Query, opts); err != nil {
			v.add(key+".query", "%v", err)
		}
		if r.Exclude != "" {
			if _, err := rules.ParseWith(r.Exclude, opts); err != nil {
				v.add(key+".exclude", "%v", err)
			}
		}
		for j, name := range r.Feeds {
			if !slices.ContainsFunc(v.c.Feeds, func(f Feed) bool { return f.Name == name }) {
				v.errs = append(v.errs, v.c.errorf(fmt.Sprintf("%s.feeds[%d]", key, j), key+".feeds", "no feed named %q", name))
			}
		}
		for j, tag := range r.Tags {
			if !slices.ContainsFunc(v.c.Feeds, func(f Feed) bool { return slices.Contains(f.Tags, tag) }) {
				v.errs = append(v.errs, v.c.errorf(fmt.Sprintf("%s.tags[%d]", key, j), key+".tags", "no feed has the tag %q", tag))
			}
		}
		if len(r.Channels) == 0 {
			v.add(key+".channels", "name at least one channel")
		}
		for j, name := range r.Channels {
			if _, ok := channels[name]; !ok {
				v.errs = append(v.errs, v.c.errorf(fmt.Sprintf("%s.channels[%d]", key, j), key+".channels", "no channel named %q", name))
			}
		}
		switch r.Mode {
		case "alert", "digest":
		default:
			v.add(key+".mode", "must be alert or digest, not %q", r.Mode)
		}
		if r.Mode == "alert" && v.written(key+".digest") {
			// An alert rule never posts a digest: the schedule would be dropped.
			mode := `this rule has mode = "alert"`
			if !v.written(key + ".mode") {
				mode = "this rule has no mode, so it is an alert rule"
			}
			v.add(key+".digest", `only digest rules post digests (%s): set mode = "digest", or remove digest`, mode)
		} else if err := checkCron(r.Digest); err != nil {
			v.add(key+".digest", "%v", err)
		}
		v.minimum(key+".min_sources", r.MinSources, r.Mode)
		v.minimum(key+".min_outlets", r.MinOutlets, r.Mode)
	}
}

// minimum checks a rule's min_sources or min_outlets (key), n, for a rule
// of mode: only alert rules hold alerts; a digest lists every matching story.
func (v *validation) minimum(key string, n int, mode string) {
	switch {
	case n < 0:
		v.add(key, "must be 0 or more, not %d", n)
	case mode == "digest" && (n != 0 || v.written(key)):
		v.add(key, `only alert rules hold alerts (this rule has mode = "digest"): remove %s, or set mode = "alert"`, key[strings.LastIndexByte(key, '.')+1:])
	}
}

func (v *validation) slack() {
	if u := v.c.Slack.APIURL; u != "" {
		if s := urlScheme(u); s != "http" && s != "https" {
			v.add("slack.api_url", "must be an http(s) URL")
		}
	}
	// Without a bot token Slack is not started at all. command has a
	// default, so only a written one is an error.
	if s := v.c.Slack; s.BotToken == "" {
		for _, k := range []struct {
			key string
			set bool
		}{{"slack.app_token", s.AppToken != ""}, {"slack.signing_secret", s.SigningSecret != ""}, {"slack.admins", len(s.Admins) > 0},
			{"slack.api_url", s.APIURL != ""}, {"slack.command", v.written("slack.command")}} {
			if k.set {
				v.add(k.key, "Slack is not started without slack.bot_token: set bot_token, or remove this key")
			}
		}
	}
	if v.c.Slack.SigningSecret != "" && v.c.HTTP.Listen == "" {
		v.add("slack.signing_secret", "Slack's HTTP slash commands are served on [http] listen, which is not set: set http.listen (e.g. 127.0.0.1:8080), or remove signing_secret (Socket Mode needs app_token only)")
	}
	if !strings.HasPrefix(v.c.Slack.Command, "/") {
		v.add("slack.command", "must start with /, like /wirewatch")
	}
	// A name (@alice) would never match the user ID Slack sends.
	v.userIDs("slack.admins", v.c.Slack.Admins, slackUserRE, "a Slack user ID like U012AB3CD (profile → ⋮ → Copy member ID)")
}

// userIDs reports each entry of a list of chat user IDs (key) that re does
// not match: admins or allowed users written as names match no one.
func (v *validation) userIDs(key string, ids []string, re *regexp.Regexp, like string) {
	for i, id := range ids {
		if !re.MatchString(id) {
			v.errs = append(v.errs, v.c.errorf(fmt.Sprintf("%s[%d]", key, i), key, "%q is not %s", id, like))
		}
	}
}

func (v *validation) matrix(f Features) {
	m := v.c.Matrix
	if u := m.Homeserver; u != "" {
		if s := urlScheme(u); s != "http" && s != "https" {
			v.add("matrix.homeserver", "must be an http(s) URL like https://matrix.org")
		}
	}
	if id := m.UserID; id != "" && !matrixUserRE.MatchString(id) {
		v.add("matrix.user_id", "%q is not a Matrix user ID like @bot:example.org", id)
	}
	v.userIDs("matrix.admins", m.Admins, matrixUserRE, "a Matrix user ID like @alice:example.org")
	v.userIDs("matrix.allowed_users", m.AllowedUsers, matrixUserRE, "a Matrix user ID like @alice:example.org")
	if m.Encryption && !f.Encryption {
		v.add("matrix.encryption", "this build of wirewatch lacks end-to-end encryption: build it with -tags goolm")
	}
	if strings.TrimSpace(m.CommandPrefix) == "" {
		v.add("matrix.command_prefix", "must not be empty")
	}
}

func (v *validation) httpAndLog() {
	if l := v.c.HTTP.Listen; l != "" {
		if _, port, err := net.SplitHostPort(l); err != nil || port == "" {
			v.add("http.listen", "%q is not host:port, like 127.0.0.1:8080", l)
		}
	}
	switch v.c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		v.add("log.level", "must be debug, info, warn or error, not %q", v.c.Log.Level)
	}
	switch v.c.Log.Format {
	case "text", "json":
	default:
		v.add("log.format", "must be text or json, not %q", v.c.Log.Format)
	}
}

// name reports a missing or repeated name; seen maps names to keys.
func (v *validation) name(key, name string, seen map[string]string) {
	switch prev, dup := seen[name]; {
	case strings.TrimSpace(name) == "":
		v.add(key+".name", "required")
	case dup:
		v.add(key+".name", "%q is already the name of %s", name, prev)
	default:
		seen[name] = key
	}
}

func checkCron(spec string) error {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("bad cron spec %q: %w", spec, err)
	}
	// robfig/cron gives up after five years; a year is a clearer bound. A
	// spec such as "0 0 30 2 *" (30 February) parses but never fires.
	now := time.Now()
	if next := sched.Next(now); next.IsZero() || next.Sub(now) > 366*24*time.Hour {
		return fmt.Errorf("cron spec %q never fires (no time within a year)", spec)
	}
	return nil
}

// errorf makes an *Error for key, placed on the line where at (or its
// nearest written parent) is.
func (c *Config) errorf(at, key, format string, args ...any) *Error {
	return &Error{File: c.Path, Line: c.lines.line(at), Key: key, Msg: fmt.Sprintf(format, args...)}
}

// slackChannelName reports whether s is a Slack channel's name after a #:
// 1 to 80 lower-case letters, letters without case, digits, _ . and -.
// (As a regular expression, the 80 repeats of the Unicode classes took
// 5 MB and 12 ms to compile at every start.)
func slackChannelName(s string) bool {
	name, ok := strings.CutPrefix(s, "#")
	if !ok || name == "" || utf8.RuneCountInString(name) > 80 {
		return false
	}
	for _, r := range name {
		if !unicode.IsLower(r) && !unicode.Is(unicode.Lo, r) && !unicode.IsNumber(r) && r != '_' && r != '.' && r != '-' {
			return false
		}
	}
	return true
}
