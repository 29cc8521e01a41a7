package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/rules"
)

// Config is a loaded configuration file; shared/DESIGN.md lists its keys.
type Config struct {
	Path     string          `toml:"-"` // file it was loaded from
	Store    StoreConfig     `toml:"store"`
	Defaults DefaultsConfig  `toml:"defaults"`
	Feeds    []FeedConfig    `toml:"feed"`
	Channels []ChannelConfig `toml:"channel"`
	Rules    []RuleConfig    `toml:"rule"`
	Slack    SlackConfig     `toml:"slack"`
	Matrix   MatrixConfig    `toml:"matrix"`
	HTTP     HTTPConfig      `toml:"http"`
	Log      LogConfig       `toml:"log"`

	lines keyLines // where each key is written, for error messages
}

// StoreConfig is the [store] section: SQLite by path, or PostgreSQL by DSN.
type StoreConfig struct {
	Path      string   `toml:"path"`      // SQLite file, absolute after LoadConfig; "wirewatch.db" unless dsn is set
	DSN       string   `toml:"dsn"`       // postgres:// or postgresql:// URL (secret)
	Retention Duration `toml:"retention"` // how long items are kept
}

// DefaultsConfig is the [defaults] section: values feeds inherit, and global settings.
type DefaultsConfig struct {
	Schedule     string   `toml:"schedule"`      // cron spec for polling feeds
	MaxAge       Duration `toml:"max_age"`       // older items are stored but never alerted
	Window       Duration `toml:"window"`        // how long a story stays open for new items
	Timezone     string   `toml:"timezone"`      // for digests and shown times
	FetchArticle bool     `toml:"fetch_article"` // fetch the article page for more text
	UserAgent    string   `toml:"user_agent"`    // "" means the versioned default
}

// FeedConfig is one [[feed]]. Unset optional keys inherit from [defaults]:
// read them through Config.FeedSchedule, FeedMaxAge and FeedFetchArticle.
type FeedConfig struct {
	Name         string            `toml:"name"`
	URL          string            `toml:"url"`      // http(s) URL, file:// URL or path; relative files are made absolute, keeping their form
	Schedule     string            `toml:"schedule"` // "" inherits defaults.schedule
	Tags         []string          `toml:"tags"`
	Source       string            `toml:"source"`  // outlet domain override
	MaxAge       *Duration         `toml:"max_age"` // nil inherits defaults.max_age
	FetchArticle *bool             `toml:"fetch_article"`
	Headers      map[string]string `toml:"headers"` // extra request headers (values may be secrets)
}

// ChannelConfig is one [[channel]]: a name and exactly one target.
type ChannelConfig struct {
	Name     string `toml:"name"`
	Slack    string `toml:"slack"`     // channel ID (C…, G…) or #name
	Matrix   string `toml:"matrix"`    // !room:server or #alias:server
	JSONL    string `toml:"jsonl"`     // "-" for stdout, else a file path (absolute after LoadConfig)
	Webhook  string `toml:"webhook"`   // http(s) URL (its query may hold secrets)
	OnUpdate string `toml:"on_update"` // both, edit, thread or none
}

// RuleConfig is one [[rule]].
type RuleConfig struct {
	Name     string   `toml:"name"`
	Query    string   `toml:"query"` // rules language
	Channels []string `toml:"channels"`
	Mode     string   `toml:"mode"`   // alert or digest
	Digest   string   `toml:"digest"` // cron spec for digest mode
	// MinSources holds an alert until this many independent sources carry
	// the story (a wire agency and its re-reports count once); 0 or 1: none.
	MinSources int `toml:"min_sources"`
}

// SlackConfig is the [slack] section.
type SlackConfig struct {
	BotToken      string   `toml:"bot_token"`      // secret
	AppToken      string   `toml:"app_token"`      // secret; enables Socket Mode
	SigningSecret string   `toml:"signing_secret"` // secret; enables HTTP commands
	APIURL        string   `toml:"api_url"`        // for tests
	Command       string   `toml:"command"`
	Admins        []string `toml:"admins"`
}

// MatrixConfig is the [matrix] section.
type MatrixConfig struct {
	Homeserver    string   `toml:"homeserver"`
	UserID        string   `toml:"user_id"`
	AccessToken   string   `toml:"access_token"` // secret
	Password      string   `toml:"password"`     // secret
	AllowedUsers  []string `toml:"allowed_users"`
	Admins        []string `toml:"admins"`
	CommandPrefix string   `toml:"command_prefix"`
	Encryption    bool     `toml:"encryption"`
}

// HTTPConfig is the [http] section.
type HTTPConfig struct {
	Listen string `toml:"listen"` // host:port; "" means off
}

// LogConfig is the [log] section.
type LogConfig struct {
	Level  string `toml:"level"`  // debug, info, warn or error
	Format string `toml:"format"` // text or json
}

// Duration is a time.Duration written in Go syntax or in days ("90d").
type Duration struct{ time.Duration }

// UnmarshalText parses s with bot.ParseDuration.
func (d *Duration) UnmarshalText(s []byte) error {
	v, err := bot.ParseDuration(string(s))
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
func (c *Config) FeedSchedule(f FeedConfig) string {
	if f.Schedule != "" {
		return f.Schedule
	}
	return c.Defaults.Schedule
}

// FeedMaxAge returns the feed's max_age, else the default.
func (c *Config) FeedMaxAge(f FeedConfig) time.Duration {
	if f.MaxAge != nil {
		return f.MaxAge.Duration
	}
	return c.Defaults.MaxAge.Duration
}

// FeedFetchArticle returns the feed's fetch_article, else the default.
func (c *Config) FeedFetchArticle(f FeedConfig) bool {
	if f.FetchArticle != nil {
		return *f.FetchArticle
	}
	return c.Defaults.FetchArticle
}

// Kind returns the channel's target kind: "slack", "matrix", "jsonl",
// "webhook", or "" when none is set.
func (ch ChannelConfig) Kind() string {
	kind, _ := ch.target()
	return kind
}

// Target returns the channel's target: a Slack or Matrix room, a JSONL path
// ("-" is stdout) or a webhook URL.
func (ch ChannelConfig) Target() string {
	_, target := ch.target()
	return target
}

func (ch ChannelConfig) target() (kind, target string) {
	for _, t := range ch.targets() {
		if t[1] != "" {
			return t[0], t[1]
		}
	}
	return "", ""
}

func (ch ChannelConfig) targets() [][2]string {
	return [][2]string{{"slack", ch.Slack}, {"matrix", ch.Matrix}, {"jsonl", ch.JSONL}, {"webhook", ch.Webhook}}
}

// ConfigError is one problem in a configuration file. Msg never holds a
// secret value.
type ConfigError struct {
	File   string
	Line   int // 0 when unknown
	Column int // set for TOML syntax errors only
	Key    string
	Msg    string
}

// Error formats the problem as "file:line: key: msg".
func (e *ConfigError) Error() string {
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

// ConfigErrors is every problem found in a configuration file, by line.
type ConfigErrors []*ConfigError

// Error lists the problems, one a line.
func (es ConfigErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.As access to each *ConfigError.
func (es ConfigErrors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// LoadConfig reads the file at path: defaults, then the TOML (unknown keys
// are errors), then ${NAME} expansion in every string value, then relative
// paths resolved against the file's directory, then Validate. Problems in
// the file come back together as ConfigErrors, sorted by line.
//
// ${NAME} is replaced by the environment variable NAME (letters, digits and
// underscores); an unset variable is an error. "$$" and any other "$" stay
// as written, so "$${NAME}" is not expanded.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c := defaultConfig()
	c.Path = path
	c.lines = scanKeyLines(data)
	var errs ConfigErrors
	if err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		var derr *toml.DecodeError
		switch {
		case errors.As(err, &strict): // decoding went on past the unknown keys
			for i := range strict.Errors {
				errs = append(errs, c.unknownKeyError(&strict.Errors[i]))
			}
		case errors.As(err, &derr): // decoding stopped here
			return nil, ConfigErrors{c.decodeError(derr)}
		default: // an error from Duration.UnmarshalText without a position
			return nil, ConfigErrors{c.durationError(err)}
		}
	}
	c.fillDefaults()
	envErrs := c.expandEnv()
	errs = append(errs, envErrs...)
	c.resolvePaths(dir)
	for _, e := range c.validate() {
		// A key whose variable is unset already has its error.
		if !slices.ContainsFunc(envErrs, func(x *ConfigError) bool { return x.Key == e.Key }) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *ConfigError) int { return cmp.Compare(a.Line, b.Line) })
		return nil, errs
	}
	return &c, nil
}

func defaultConfig() Config {
	return Config{
		Store: StoreConfig{Retention: Duration{90 * 24 * time.Hour}},
		Defaults: DefaultsConfig{
			Schedule: "*/10 * * * *",
			MaxAge:   Duration{48 * time.Hour},
			Window:   Duration{72 * time.Hour},
			Timezone: "UTC",
		},
		Slack:  SlackConfig{Command: "/wirewatch"},
		Matrix: MatrixConfig{CommandPrefix: "!wirewatch"},
		Log:    LogConfig{Level: "info", Format: "text"},
	}
}

// fillDefaults sets the defaults that depend on what the file holds.
func (c *Config) fillDefaults() {
	if c.Store.Path == "" && c.Store.DSN == "" {
		c.Store.Path = "wirewatch.db"
	}
	for i := range c.Channels {
		if c.Channels[i].OnUpdate == "" {
			c.Channels[i].OnUpdate = "both"
		}
	}
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.Mode == "" {
			r.Mode = "alert"
		}
		if r.Digest == "" {
			r.Digest = "0 8 * * *"
		}
	}
}

// decodeError reports a TOML syntax or type error.
func (c *Config) decodeError(derr *toml.DecodeError) *ConfigError {
	line, col := derr.Position()
	key := c.lines.keyAt(line, col)
	if key == "" {
		key = strings.Join(derr.Key(), ".")
	}
	return &ConfigError{File: c.Path, Line: line, Column: col, Key: key, Msg: strings.TrimPrefix(derr.Error(), "toml: ")}
}

// durationError places err, from a duration written as a number rather
// than a string, on the first such key.
func (c *Config) durationError(err error) *ConfigError {
	e := &ConfigError{File: c.Path, Msg: err.Error()}
	durationType := reflect.TypeFor[Duration]()
	for key, pos := range c.lines {
		if pos.kind == unstable.String || pos.kind == unstable.Array || pos.kind == unstable.InlineTable {
			continue
		}
		if t := keyType(key); t != nil && (t == durationType || t.Kind() == reflect.Pointer && t.Elem() == durationType) {
			if e.Line == 0 || pos.Line < e.Line {
				e.Line, e.Key = pos.Line, key
			}
		}
	}
	return e
}

// unknownKeyError reports a key or table that Config has no field for.
func (c *Config) unknownKeyError(derr *toml.DecodeError) *ConfigError {
	line, col := derr.Position()
	key := c.lines.keyAt(line, col)
	if key == "" {
		key = strings.Join(derr.Key(), ".")
	}
	msg := "unknown key"
	if strings.Contains(derr.Error(), "table") {
		msg = "unknown table"
	}
	if s := suggestKey(derr.Key()); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return &ConfigError{File: c.Path, Line: line, Key: key, Msg: msg}
}

// suggestKey returns the known key nearest to the last part of key, or "".
func suggestKey(key toml.Key) string {
	if len(key) == 0 {
		return ""
	}
	t := structType(typeOfKey(key[:len(key)-1]))
	if t == nil {
		return ""
	}
	last := key[len(key)-1]
	best, bestDist := "", 3
	for f := range structFields(t) {
		if d := editDistance(last, tomlName(f)); d < bestDist && d < len(last) {
			best, bestDist = tomlName(f), d
		}
	}
	return best
}

// keyType returns the Go type a key path such as "feed[1].max_age" decodes
// into, or nil.
func keyType(key string) reflect.Type {
	var parts []string
	for part := range strings.SplitSeq(key, ".") {
		name, _, _ := strings.Cut(part, "[")
		parts = append(parts, name)
	}
	return typeOfKey(parts)
}

// typeOfKey returns the Go type the key parts decode into, or nil.
func typeOfKey(parts []string) reflect.Type {
	t := reflect.TypeFor[Config]()
	for _, part := range parts {
		st := structType(t)
		if st == nil {
			return nil
		}
		f, ok := fieldByKey(st, part)
		if !ok {
			return nil
		}
		t = f.Type
	}
	return t
}

// structType returns t, or the struct a slice or pointer t holds, or nil.
func structType(t reflect.Type) reflect.Type {
	for t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer) {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return t
}

// expandEnv replaces ${NAME} in every string value.
func (c *Config) expandEnv() ConfigErrors {
	var errs ConfigErrors
	var walk func(v reflect.Value, key string)
	walk = func(v reflect.Value, key string) {
		switch v.Kind() {
		case reflect.String:
			s, missing := expandVars(v.String(), os.LookupEnv)
			if missing != "" {
				errs = append(errs, c.errorf(key, key, "environment variable %s is not set", missing))
				return
			}
			v.SetString(s)
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), key)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", key, i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				s := reflect.New(it.Value().Type()).Elem()
				s.Set(it.Value())
				walk(s, joinKey(key, it.Key().String()))
				v.SetMapIndex(it.Key(), s)
			}
		case reflect.Struct:
			for f := range structFields(v.Type()) {
				walk(v.FieldByIndex(f.Index), joinKey(key, tomlName(f)))
			}
		}
	}
	walk(reflect.ValueOf(c).Elem(), "")
	return errs
}

// expandVars replaces ${NAME} in s by the value lookup gives; it returns
// the name of the first variable that is not set instead.
func expandVars(s string, lookup func(string) (string, bool)) (string, string) {
	if !strings.Contains(s, "${") {
		return s, ""
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$$"):
			b.WriteString("$$")
			i += 2
			continue
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end > 0 && envName.MatchString(s[i+2:i+end]) {
				val, ok := lookup(s[i+2 : i+end])
				if !ok {
					return "", s[i+2 : i+end]
				}
				b.WriteString(val)
				i += end + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String(), ""
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// resolvePaths makes relative file paths absolute against dir.
func (c *Config) resolvePaths(dir string) {
	if p := c.Store.Path; p != "" && p != ":memory:" && !strings.HasPrefix(p, "file:") {
		c.Store.Path = absPath(dir, p)
	}
	for i := range c.Feeds {
		c.Feeds[i].URL = resolveFeedURL(dir, c.Feeds[i].URL)
	}
	for i := range c.Channels {
		if p := c.Channels[i].JSONL; p != "" && p != "-" {
			c.Channels[i].JSONL = absPath(dir, p)
		}
	}
}

func absPath(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// resolveFeedURL makes a relative path absolute, and a relative file URL
// ("file:feeds/a.xml", "file://feeds/a.xml") an absolute one.
func resolveFeedURL(dir, raw string) string {
	switch urlScheme(raw) {
	case "":
		if raw == "" {
			return raw
		}
		return absPath(dir, raw)
	case "file":
		rest := strings.TrimPrefix(raw[len("file:"):], "//")
		if strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, "localhost/") {
			return raw
		}
		p := filepath.ToSlash(absPath(dir, filepath.FromSlash(rest)))
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return raw
}

// urlScheme returns the lower-cased scheme of s, or "" when s is a path
// (a one-letter "scheme" is a Windows drive).
func urlScheme(s string) string {
	if m := schemeRE.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1])
	}
	return ""
}

var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]+):`)

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

// keyLines maps key paths as errors name them ("feed[2].schedule",
// "rule[0].channels[1]") to where they are written.
type keyLines map[string]keyPos

// keyPos is where a key is written, and the kind of its value (Invalid
// for table headers and parts of dotted keys).
type keyPos struct {
	unstable.Position
	kind unstable.Kind
}

// scanKeyLines walks the TOML document with go-toml's parser and records the
// position of every table header, key and array element. Array tables count
// from 0 in document order, as they decode. It stops at a syntax error,
// which decoding reports.
func scanKeyLines(data []byte) keyLines {
	lines := keyLines{}
	arrays := map[string]int{} // array tables seen so far, by path
	var p unstable.Parser
	p.Reset(data)
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			path := ""
			for it := e.Key(); it.Next(); {
				path = joinKey(path, string(it.Node().Data))
				n, isArray := arrays[path]
				switch {
				case e.Kind == unstable.ArrayTable && it.IsLast():
					arrays[path] = n + 1
					path = fmt.Sprintf("%s[%d]", path, n)
				case isArray:
					path = fmt.Sprintf("%s[%d]", path, n-1)
				}
				lines.add(path, p.Shape(it.Node().Raw).Start, unstable.Invalid)
			}
			prefix = path
		case unstable.KeyValue:
			lines.addKeyValue(&p, prefix, e)
		}
	}
	return lines
}

func (l keyLines) addKeyValue(p *unstable.Parser, prefix string, kv *unstable.Node) {
	path := prefix
	for it := kv.Key(); it.Next(); {
		path = joinKey(path, string(it.Node().Data))
		kind := unstable.Invalid
		if it.IsLast() {
			kind = kv.Value().Kind
		}
		l.add(path, p.Shape(it.Node().Raw).Start, kind)
	}
	l.addValue(p, path, kv.Value())
}

func (l keyLines) addValue(p *unstable.Parser, path string, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			if it.Node().Kind == unstable.KeyValue {
				l.addKeyValue(p, path, it.Node())
			}
		}
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); {
			elem := it.Node()
			if elem.Kind == unstable.Comment {
				continue
			}
			key := fmt.Sprintf("%s[%d]", path, i)
			if elem.Raw.Length > 0 {
				l.add(key, p.Shape(elem.Raw).Start, elem.Kind)
			}
			l.addValue(p, key, elem)
			i++
		}
	}
}

// add records the first place a key is written.
func (l keyLines) add(key string, pos unstable.Position, kind unstable.Kind) {
	if _, ok := l[key]; !ok {
		l[key] = keyPos{pos, kind}
	}
}

// line returns the line of key, else of its nearest written parent, else 0.
func (l keyLines) line(key string) int {
	for key != "" {
		if pos, ok := l[key]; ok {
			return pos.Line
		}
		key = key[:max(strings.LastIndexAny(key, ".["), 0)]
	}
	return 0
}

// keyAt returns the key written last before column col of line, or "".
func (l keyLines) keyAt(line, col int) string {
	best, bestCol := "", 0
	for key, pos := range l {
		if pos.Line == line && pos.Column <= col && (pos.Column > bestCol || pos.Column == bestCol && len(key) > len(best)) {
			best, bestCol = key, pos.Column
		}
	}
	return best
}

func joinKey(prefix, part string) string {
	if prefix == "" {
		return part
	}
	return prefix + "." + part
}

// structFields yields the fields of struct type t that TOML decodes.
func structFields(t reflect.Type) func(yield func(reflect.StructField) bool) {
	return func(yield func(reflect.StructField) bool) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.IsExported() && tomlName(f) != "-" && !yield(f) {
				return
			}
		}
	}
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for f := range structFields(t) {
		if tomlName(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tomlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return cmp.Or(name, f.Name)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
