package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones the tests name, whatever the machine has

	"github.com/wirewatch/wirewatch/rules"
)

// loadString writes src to config.toml in a new working directory and loads
// it, so that errors name "config.toml".
func loadString(t *testing.T, src string) (*Config, error) {
	t.Helper()
	t.Chdir(t.TempDir())
	if err := os.WriteFile("config.toml", []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return Load("config.toml", Features{})
}

// errorLines returns err as its lines, failing unless it is Errors.
func errorLines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error %q (%T) is not Errors", err, err)
	}
	return strings.Split(errs.Error(), "\n")
}

func TestLoadFull(t *testing.T) {
	c, err := Load("testdata/full.toml", Features{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	dir, _ := filepath.Abs("testdata")
	fetch := false
	want := &Config{
		Path:  "testdata/full.toml",
		Store: Store{Path: filepath.Join(dir, "state/wirewatch.db"), Retention: Duration{30 * 24 * time.Hour}, Lease: Duration{time.Minute}},
		Defaults: Defaults{
			Schedule:     "CRON_TZ=Asia/Kabul */15 * * * *",
			MaxAge:       Duration{48 * time.Hour},
			Window:       Duration{7 * 24 * time.Hour},
			Timezone:     "Asia/Kabul",
			FetchArticle: true,
			UserAgent:    "wirewatch-test/1.0",

			FetchConcurrency: 16,
			HostConcurrency:  2,
			HostInterval:     Duration{250 * time.Millisecond},
			ScheduleJitter:   0.1,
		},
		Feeds: []Feed{
			{
				Name: "tass", URL: "https://tass.com/rss/v2.xml", Schedule: "@every 5m",
				Tags: []string{"wire", "ru"}, Source: "tass.com", MaxAge: &Duration{36 * time.Hour},
				FetchArticle: &fetch, Headers: map[string]string{"Accept-Language": "en"},
			},
			{Name: "local", URL: filepath.Join(dir, "feeds/local.xml")},
		},
		Channels: []Channel{
			{Name: "news", Slack: "C0123ABCD", OnUpdate: "thread"},
			{Name: "ops", Matrix: "!abcdef:example.org", OnUpdate: "none"},
			{Name: "stdout", JSONL: "-", OnUpdate: "both"},
			{Name: "hook", Webhook: "https://hooks.example.com/in?token=abc", OnUpdate: "both"},
		},
		Rules: []Rule{
			{Name: "kabulov", Query: `kabulov OR "Кабулов"`, Channels: []string{"news", "stdout"}, Mode: "alert", Digest: "0 8 * * *"},
			{Name: "csto", Query: "csto OR одкб", Channels: []string{"ops", "hook"}, Mode: "digest", Digest: "0 7 * * 1-5"},
		},
		Slack: Slack{
			BotToken: "xoxb-test", AppToken: "xapp-test", SigningSecret: "s3cret",
			APIURL: "http://127.0.0.1:9/api/", Command: "/ww", Admins: []string{"U012345"},
		},
		Matrix: Matrix{
			Homeserver: "https://matrix.example.org", UserID: "@wirewatch:example.org", AccessToken: "syt_test",
			AllowedUsers: []string{"@alice:example.org"}, Admins: []string{"@alice:example.org"}, CommandPrefix: "!ww",
		},
		HTTP: HTTP{Listen: "127.0.0.1:8080"},
		Log:  Log{Level: "debug", Format: "json"},
	}
	c.lines = nil
	if data, err := os.ReadFile("testdata/full.toml"); err != nil || c.Hash != fmt.Sprintf("%x", sha256.Sum256(data)) {
		t.Errorf("Hash = %q, want the SHA-256 of the file (%v)", c.Hash, err)
	}
	c.Hash = ""
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}

	for _, tt := range []struct {
		feed     int
		schedule string
		maxAge   time.Duration
		fetch    bool
	}{
		{0, "@every 5m", 36 * time.Hour, false},
		{1, "CRON_TZ=Asia/Kabul */15 * * * *", 48 * time.Hour, true},
	} {
		f := c.Feeds[tt.feed]
		if got := c.FeedSchedule(f); got != tt.schedule {
			t.Errorf("FeedSchedule(%s) = %q, want %q", f.Name, got, tt.schedule)
		}
		if got := c.FeedMaxAge(f); got != tt.maxAge {
			t.Errorf("FeedMaxAge(%s) = %v, want %v", f.Name, got, tt.maxAge)
		}
		if got := c.FeedFetchArticle(f); got != tt.fetch {
			t.Errorf("FeedFetchArticle(%s) = %v, want %v", f.Name, got, tt.fetch)
		}
	}

	var kinds []string
	for _, ch := range c.Channels {
		kinds = append(kinds, ch.Kind()+" "+ch.Target())
	}
	wantKinds := []string{"slack C0123ABCD", "matrix !abcdef:example.org", "jsonl -", "webhook https://hooks.example.com/in?token=abc"}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("Kind Target = %q, want %q", kinds, wantKinds)
	}
}

func TestLoadDefaults(t *testing.T) {
	c, err := loadString(t, `
[[channel]]
name = "out"
jsonl = "-"

[[rule]]
name = "r"
query = "x"
channels = ["out"]
`)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	dir, _ := os.Getwd()
	for _, tt := range []struct {
		name string
		got  any
		want any
	}{
		{"store.path", c.Store.Path, filepath.Join(dir, "wirewatch.db")},
		{"store.retention", c.Store.Retention.Duration, 90 * 24 * time.Hour},
		{"defaults.schedule", c.Defaults.Schedule, "*/10 * * * *"},
		{"defaults.max_age", c.Defaults.MaxAge.Duration, 48 * time.Hour},
		{"defaults.window", c.Defaults.Window.Duration, 72 * time.Hour},
		{"defaults.timezone", c.Defaults.Timezone, "UTC"},
		{"defaults.fetch_article", c.Defaults.FetchArticle, false},
		{"defaults.user_agent", c.Defaults.UserAgent, ""},
		{"slack.command", c.Slack.Command, "/wirewatch"},
		{"matrix.command_prefix", c.Matrix.CommandPrefix, "!wirewatch"},
		{"log.level", c.Log.Level, "info"},
		{"log.format", c.Log.Format, "text"},
		{"channel.on_update", c.Channels[0].OnUpdate, "both"},
		{"rule.mode", c.Rules[0].Mode, "alert"},
		{"rule.digest", c.Rules[0].Digest, "0 8 * * *"},
		{"http.listen", c.HTTP.Listen, ""},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestLoadDSNHasNoDefaultPath(t *testing.T) {
	c, err := loadString(t, "[store]\ndsn = \"postgres://ww@db/ww\"\n")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := c.Store.Path, ""; got != want {
		t.Errorf("store.path = %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "unknown key",
			src:  "[[feed]]\nname = \"a\"\nurl = \"https://example.com/rss\"\nshedule = \"@hourly\"\n",
			want: []string{`config.toml:4: feed[0].shedule: unknown key (did you mean "schedule"?)`},
		},
		{
			name: "unknown key in second feed",
			src:  "[[feed]]\nname = \"a\"\nurl = \"https://example.com/a\"\n[[feed]]\nname = \"b\"\nurl = \"https://example.com/b\"\nmaxage = \"1d\"\n",
			want: []string{`config.toml:7: feed[1].maxage: unknown key (did you mean "max_age"?)`},
		},
		{
			name: "unknown table",
			src:  "[slak]\nbot_token = \"x\"\n",
			want: []string{`config.toml:1: slak: unknown table (did you mean "slack"?)`},
		},
		{
			name: "unknown key without suggestion",
			src:  "[log]\ncolour = true\n",
			want: []string{`config.toml:2: log.colour: unknown key`},
		},
		{
			name: "syntax error",
			src:  "[store]\npath = \"a.db\" junk\n",
			want: []string{`config.toml:2:15: expected newline but got U+006A 'j'`},
		},
		{
			name: "bad duration",
			src:  "[store]\nretention = \"7x\"\n",
			want: []string{`config.toml:2:13: store.retention: bad duration "7x": use Go syntax like 90m or 36h, or days like 7d`},
		},
		{
			name: "number for duration",
			src:  "[defaults]\nwindow = 72\n",
			want: []string{`config.toml:2: defaults.window: bad duration "72": use Go syntax like 90m or 36h, or days like 7d`},
		},
		{
			name: "number for a feed's duration",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\nmax_age = 48\n",
			want: []string{`config.toml:4: feed[0].max_age: bad duration "48": use Go syntax like 90m or 36h, or days like 7d`},
		},
		{
			name: "wrong type",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\ntags = \"x\"\n",
			want: []string{`config.toml:4:8: feed[0].tags: must be a list of strings, like ["a", "b"], not a string`},
		},
		{
			name: "a number as a string",
			src:  "[defaults]\nfetch_concurrency = \"four\"\n",
			want: []string{`config.toml:2:21: defaults.fetch_concurrency: must be a number, not a string`},
		},
		{
			name: "feed name and url required",
			src:  "[[feed]]\ntags = [\"x\"]\n",
			want: []string{
				`config.toml:1: feed[0].name: required`,
				`config.toml:1: feed[0].url: required`,
			},
		},
		{
			name: "feed name repeated",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\n\n[[feed]]\nname = \"a\"\nurl = \"b.xml\"\n",
			want: []string{`config.toml:6: feed[1].name: "a" is already the name of feed[0]`},
		},
		{
			name: "feed url scheme",
			src:  "[[feed]]\nname = \"a\"\nurl = \"ftp://example.com/rss?key=s3cret\"\n",
			want: []string{`config.toml:3: feed[0].url: unsupported scheme "ftp": use http(s), file:// or a path`},
		},
		{
			name: "feed url without host",
			src:  "[[feed]]\nname = \"a\"\nurl = \"https:///rss\"\n",
			want: []string{`config.toml:3: feed[0].url: not a valid https URL`},
		},
		{
			name: "feed schedule",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\nschedule = \"*/10 * *\"\n",
			want: []string{`config.toml:4: feed[0].schedule: bad cron spec "*/10 * *": expected exactly 5 fields, found 3: [*/10 * *]`},
		},
		{
			// Regression: a spec that never fires passed check, and run
			// then polled the feed in a tight loop.
			name: "feed schedule that never fires",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\nschedule = \"0 0 30 2 *\"\n",
			want: []string{`config.toml:4: feed[0].schedule: cron spec "0 0 30 2 *" never fires (no time within a year)`},
		},
		{
			name: "feed schedule with bad CRON_TZ",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\nschedule = \"CRON_TZ=Mars/Olympus @hourly\"\n",
			want: []string{`config.toml:4: feed[0].schedule: bad cron spec "CRON_TZ=Mars/Olympus @hourly": provided bad location Mars/Olympus: unknown time zone Mars/Olympus`},
		},
		{
			name: "feed max_age zero and bad source",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\nmax_age = \"0\"\nsource = \"https://tass.com/\"\n",
			want: []string{
				`config.toml:4: feed[0].max_age: must be positive`,
				`config.toml:5: feed[0].source: must be a domain like tass.com, not "https://tass.com/"`,
			},
		},
		{
			name: "defaults",
			src:  "[defaults]\nschedule = \"@sometimes\"\nmax_age = \"0s\"\nwindow = \"0d\"\ntimezone = \"Mars/Olympus\"\n",
			want: []string{
				`config.toml:2: defaults.schedule: bad cron spec "@sometimes": unrecognized descriptor: @sometimes`,
				`config.toml:3: defaults.max_age: must be positive`,
				`config.toml:4: defaults.window: must be positive`,
				`config.toml:5: defaults.timezone: unknown time zone "Mars/Olympus"`,
			},
		},
		{
			name: "channel without target",
			src:  "[[channel]]\nname = \"c\"\non_update = \"both\"\n",
			want: []string{`config.toml:1: channel[0]: channel "c" needs one of slack, matrix, jsonl or webhook`},
		},
		{
			name: "channel with two targets",
			src:  "[slack]\nbot_token = \"x\"\n\n[[channel]]\nname = \"c\"\nslack = \"C0123ABCD\"\njsonl = \"-\"\n",
			want: []string{`config.toml:4: channel[0]: channel "c" sets slack and jsonl; set exactly one of slack, matrix, jsonl or webhook`},
		},
		{
			name: "channel name required and repeated",
			src:  "[[channel]]\njsonl = \"-\"\n[[channel]]\nname = \"c\"\njsonl = \"-\"\n[[channel]]\nname = \"c\"\njsonl = \"-\"\n",
			want: []string{
				`config.toml:1: channel[0].name: required`,
				`config.toml:7: channel[2].name: "c" is already the name of channel[1]`,
			},
		},
		{
			name: "channel targets malformed",
			src: "[slack]\nbot_token = \"x\"\n[matrix]\nhomeserver = \"https://m.org\"\nuser_id = \"@b:m.org\"\npassword = \"p\"\n" +
				"[[channel]]\nname = \"s\"\nslack = \"general\"\n" +
				"[[channel]]\nname = \"m\"\nmatrix = \"room\"\non_update = \"replace\"\n" +
				"[[channel]]\nname = \"w\"\nwebhook = \"ftp://hooks.example.com/x?token=s3cret\"\n",
			want: []string{
				`config.toml:9: channel[0].slack: "general" is not a Slack channel ID (C…, G…) or #name`,
				`config.toml:12: channel[1].matrix: "room" is not a Matrix room ID (!room:server) or alias (#alias:server)`,
				`config.toml:13: channel[1].on_update: must be both, edit, thread or none, not "replace"`,
				`config.toml:16: channel[2].webhook: must be an http(s) URL`,
			},
		},
		{
			name: "slack channel needs token",
			src:  "[[channel]]\nname = \"a\"\nslack = \"#news\"\n[[channel]]\nname = \"b\"\nslack = \"G0123ABCD\"\n",
			want: []string{`config.toml:3: channel[0].slack: a Slack channel needs slack.bot_token`},
		},
		{
			name: "matrix channel needs login",
			src:  "[matrix]\nuser_id = \"@bot:example.org\"\n\n[[channel]]\nname = \"m\"\nmatrix = \"#news:example.org\"\n",
			want: []string{`config.toml:6: channel[0].matrix: a Matrix channel needs matrix.homeserver, matrix.access_token or matrix.password`},
		},
		{
			// Regression: an admin or allowed user written as a name, not an
			// ID, never matched anyone: admins were refused as others, and a
			// non-empty allowed_users of names let no one use the commands.
			name: "admins and allowed users are IDs",
			src: "[slack]\nbot_token = \"x\"\nadmins = [\"U012AB3CD\", \"@alice\"]\n" +
				"[matrix]\nadmins = [\"@alice:example.org\", \"alice\"]\nallowed_users = [\"bob@example.org\"]\n",
			want: []string{
				`config.toml:3: slack.admins: "@alice" is not a Slack user ID like U012AB3CD (profile → ⋮ → Copy member ID)`,
				`config.toml:5: matrix.admins: "alice" is not a Matrix user ID like @alice:example.org`,
				`config.toml:6: matrix.allowed_users: "bob@example.org" is not a Matrix user ID like @alice:example.org`,
			},
		},
		{
			name: "rule fields",
			src: "[[channel]]\nname = \"out\"\njsonl = \"-\"\n" +
				"[[rule]]\nquery = \"\"\nchannels = []\nmode = \"later\"\ndigest = \"daily\"\n" +
				"[[rule]]\nname = \"r\"\nquery = \"x\"\nchannels = [\"out\", \"ops\"]\n" +
				"[[rule]]\nname = \"r\"\nquery = \"x\"\nchannels = [\"out\"]\n",
			want: []string{
				`config.toml:4: rule[0].name: required`,
				`config.toml:5: rule[0].query: required`,
				`config.toml:6: rule[0].channels: name at least one channel`,
				`config.toml:7: rule[0].mode: must be alert or digest, not "later"`,
				`config.toml:8: rule[0].digest: bad cron spec "daily": expected exactly 5 fields, found 1: [daily]`,
				`config.toml:12: rule[1].channels: no channel named "ops"`,
				`config.toml:14: rule[2].name: "r" is already the name of rule[1]`,
			},
		},
		{
			// Regression: digest on an alert rule was checked, then dropped.
			name: "digest on an alert rule",
			src: "[[channel]]\nname = \"out\"\njsonl = \"-\"\n" +
				"[[rule]]\nname = \"r\"\nquery = \"x\"\nchannels = [\"out\"]\nmode = \"alert\"\ndigest = \"0 7 * * *\"\n",
			want: []string{`config.toml:9: rule[0].digest: only digest rules post digests (this rule has mode = "alert"): set mode = "digest", or remove digest`},
		},
		{
			name: "digest on a rule without mode",
			src: "[[channel]]\nname = \"out\"\njsonl = \"-\"\n" +
				"[[rule]]\nname = \"r\"\nquery = \"x\"\nchannels = [\"out\"]\ndigest = \"0 7 * * *\"\n",
			want: []string{`config.toml:8: rule[0].digest: only digest rules post digests (this rule has no mode, so it is an alert rule): set mode = "digest", or remove digest`},
		},
		{
			// Regression: a digest lists every story; min_sources was ignored.
			name: "min_sources on a digest rule",
			src: "[[channel]]\nname = \"out\"\njsonl = \"-\"\n" +
				"[[rule]]\nname = \"r\"\nquery = \"x\"\nchannels = [\"out\"]\nmode = \"digest\"\nmin_sources = 2\n",
			want: []string{`config.toml:9: rule[0].min_sources: only alert rules hold alerts (this rule has mode = "digest"): remove min_sources, or set mode = "alert"`},
		},
		{
			name: "min_outlets on a digest rule",
			src: "[[channel]]\nname = \"out\"\njsonl = \"-\"\n" +
				"[[rule]]\nname = \"r\"\nquery = \"x\"\nchannels = [\"out\"]\nmode = \"digest\"\ndigest = \"0 7 * * *\"\nmin_outlets = 3\n",
			want: []string{`config.toml:10: rule[0].min_outlets: only alert rules hold alerts (this rule has mode = "digest"): remove min_outlets, or set mode = "alert"`},
		},
		{
			// Regression: on_update of a JSONL or webhook channel was ignored.
			name: "on_update on a jsonl channel",
			src:  "[[channel]]\nname = \"out\"\njsonl = \"-\"\non_update = \"none\"\n",
			want: []string{`config.toml:4: channel[0].on_update: only Slack and Matrix channels edit an alert or reply in its thread (this is a jsonl channel: it gets each update as a message of its own): remove on_update`},
		},
		{
			name: "on_update on a webhook channel",
			src:  "[[channel]]\nname = \"hook\"\nwebhook = \"https://hooks.example.com/in?token=s3cret\"\non_update = \"both\"\n",
			want: []string{`config.toml:4: channel[0].on_update: only Slack and Matrix channels edit an alert or reply in its thread (this is a webhook channel: it gets each update as a message of its own): remove on_update`},
		},
		{
			// Regression: Slack was silently not started.
			name: "slack app_token without bot_token",
			src:  "[slack]\napp_token = \"xapp-s3cret\"\n",
			want: []string{`config.toml:2: slack.app_token: Slack is not started without slack.bot_token: set bot_token, or remove this key`},
		},
		{
			name: "slack signing_secret without bot_token",
			src:  "[slack]\nsigning_secret = \"s3cret\"\n[http]\nlisten = \"127.0.0.1:8080\"\n",
			want: []string{`config.toml:2: slack.signing_secret: Slack is not started without slack.bot_token: set bot_token, or remove this key`},
		},
		{
			name: "slack admins without bot_token",
			src:  "[slack]\nadmins = [\"U012AB3CD\"]\n",
			want: []string{`config.toml:2: slack.admins: Slack is not started without slack.bot_token: set bot_token, or remove this key`},
		},
		{
			// Regression: without a token there is no Slack client to use them.
			name: "slack command and api_url without bot_token",
			src:  "[slack]\napi_url = \"https://slack.example.com/api/\"\ncommand = \"/news\"\n",
			want: []string{
				`config.toml:2: slack.api_url: Slack is not started without slack.bot_token: set bot_token, or remove this key`,
				`config.toml:3: slack.command: Slack is not started without slack.bot_token: set bot_token, or remove this key`,
			},
		},
		{
			// Regression: HTTP slash commands were never served.
			name: "slack signing_secret without http listen",
			src:  "[slack]\nbot_token = \"xoxb-s3cret\"\nsigning_secret = \"s3cret\"\n",
			want: []string{`config.toml:3: slack.signing_secret: Slack's HTTP slash commands are served on [http] listen, which is not set: set http.listen (e.g. 127.0.0.1:8080), or remove signing_secret (Socket Mode needs app_token only)`},
		},
		{
			name: "ops channel not configured",
			src:  "[defaults]\nops_channel = \"ops\"\n\n[[channel]]\nname = \"out\"\njsonl = \"-\"\n",
			want: []string{`config.toml:2: defaults.ops_channel: no channel named "ops"`},
		},
		{
			name: "store path and dsn",
			src:  "[store]\npath = \"a.db\"\ndsn = \"postgres://ww:s3cret@db/ww\"\n",
			want: []string{`config.toml:3: store.dsn: set either path (SQLite) or dsn (PostgreSQL), not both`},
		},
		{
			name: "store dsn scheme",
			src:  "[store]\ndsn = \"mysql://ww:s3cret@db/ww\"\nretention = \"0d\"\n",
			want: []string{
				`config.toml:2: store.dsn: must start with postgres:// or postgresql://`,
				`config.toml:3: store.retention: must be positive`,
			},
		},
		{
			name: "store max_conns",
			src:  "[store]\ndsn = \"postgres://db/ww\"\nmax_conns = 2\n",
			want: []string{`config.toml:3: store.max_conns: must be at least 3: a poll, a delivery and the leader's work (digests, pruning) run at once`},
		},
		{
			name: "store max_conns too many",
			src:  "[store]\ndsn = \"postgres://db/ww\"\nmax_conns = 5000\n",
			want: []string{`config.toml:3: store.max_conns: must be between 3 and 1000 (0 or unset: 10)`},
		},
		{
			name: "store max_conns on SQLite",
			src:  "[store]\nmax_conns = 20\n",
			want: []string{`config.toml:2: store.max_conns: applies to PostgreSQL (dsn) only: SQLite has one writer`},
		},
		{
			name: "sections",
			src: "[slack]\napi_url = \"localhost\"\ncommand = \"wirewatch\"\nbot_token = \"x\"\n" +
				"[matrix]\nhomeserver = \"matrix.org\"\nuser_id = \"bot\"\ncommand_prefix = \" \"\n" +
				"[http]\nlisten = \"8080\"\n" +
				"[log]\nlevel = \"verbose\"\nformat = \"xml\"\n",
			want: []string{
				`config.toml:2: slack.api_url: must be an http(s) URL`,
				`config.toml:3: slack.command: must start with /, like /wirewatch`,
				`config.toml:6: matrix.homeserver: must be an http(s) URL like https://matrix.org`,
				`config.toml:7: matrix.user_id: "bot" is not a Matrix user ID like @bot:example.org`,
				`config.toml:8: matrix.command_prefix: must not be empty`,
				`config.toml:10: http.listen: "8080" is not host:port, like 127.0.0.1:8080`,
				`config.toml:12: log.level: must be debug, info, warn or error, not "verbose"`,
				`config.toml:13: log.format: must be text or json, not "xml"`,
			},
		},
		{
			name: "unset environment variable",
			src:  "[slack]\nbot_token = \"${WIREWATCH_TEST_UNSET}\"\n\n[[channel]]\nname = \"s\"\nslack = \"C0123ABCD\"\n",
			want: []string{`config.toml:2: slack.bot_token: environment variable WIREWATCH_TEST_UNSET is not set`},
		},
		{
			name: "unset variable in a webhook is reported once",
			src:  "[[channel]]\nname = \"w\"\nwebhook = \"${WIREWATCH_TEST_UNSET}\"\n",
			want: []string{`config.toml:3: channel[0].webhook: environment variable WIREWATCH_TEST_UNSET is not set`},
		},
		{
			name: "alias cycle and unknown alias",
			src:  "[alias]\nA = [\"x\", \"@B\"]\nB = [\"@A\"]\nC = [\"@NOPE\"]\n",
			want: []string{
				`config.toml:2: alias.A: "@B": alias cycle: @A → @B → @A`,
				`config.toml:3: alias.B: "@A": alias cycle: @B → @A → @B`,
				`config.toml:4: alias.C: "@NOPE": unknown alias @NOPE`,
			},
		},
		{
			name: "alias entry on its own line",
			src:  "[alias]\nCSTO = [\n  \"CSTO\",\n  \"x*y\",\n]\n",
			want: []string{`config.toml:4: alias.CSTO: "x*y": * must come right after a word, at its end`},
		},
		{
			// A name that is no bare key is quoted in the file.
			name: "alias entry of a quoted name",
			src:  "[alias]\nCSTO = [\"CSTO\"]\n\"ОДКБ\" = [\n  \"одкб\",\n  \"x*y\",\n]\n\"U.N.\" = [\"@NOPE\"]\n",
			want: []string{
				`config.toml:5: alias."ОДКБ": "x*y": * must come right after a word, at its end`,
				`config.toml:7: alias."U.N.": "@NOPE": unknown alias @NOPE`,
			},
		},
		{
			name: "rule options",
			src: "[[feed]]\nname = \"tass\"\nurl = \"a.xml\"\ntags = [\"russia\"]\n\n[[channel]]\nname = \"out\"\njsonl = \"-\"\n\n" +
				"[[rule]]\nname = \"r\"\nquery = \"@CSTO\"\nchannels = [\"out\"]\nfeeds = [\"tass\", \"ria\"]\ntags = [\"russia\", \"asia\"]\n" +
				"exclude = \"-x\"\nstem = \"german\"\nmin_outlets = -1\n",
			want: []string{
				`config.toml:12: rule[0].query: column 1: unknown alias @CSTO`,
				`config.toml:14: rule[0].feeds: no feed named "ria"`,
				`config.toml:15: rule[0].tags: no feed has the tag "asia"`,
				`config.toml:16: rule[0].exclude: column 1: only negative terms: the query would match almost every item`,
				`config.toml:17: rule[0].stem: unknown stem "german": use english or russian`,
				`config.toml:18: rule[0].min_outlets: must be 0 or more, not -1`,
			},
		},
		{
			name: "feed lang",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\nlang = \"Russian\"\n",
			want: []string{`config.toml:4: feed[0].lang: must be a language code like en or ru, not "Russian"`},
		},
		{
			name: "default stem",
			src:  "[defaults]\nstem = \"latin\"\n",
			want: []string{`config.toml:2: defaults.stem: unknown stem "latin": use english or russian`},
		},
		{
			name: "politeness out of range",
			src:  "[defaults]\nfetch_concurrency = 0\nhost_concurrency = 101\nhost_interval = \"2m\"\nschedule_jitter = 0.9\n",
			want: []string{
				`config.toml:2: defaults.fetch_concurrency: must be 1 to 1000`,
				`config.toml:3: defaults.host_concurrency: must be 1 to 100`,
				`config.toml:4: defaults.host_interval: must be 0 to 1m`,
				`config.toml:5: defaults.schedule_jitter: must be 0 to 0.5`,
			},
		},
		{
			name: "unset variable in a duration",
			src:  "[store]\nretention = \"${WIREWATCH_TEST_UNSET}\"\n",
			want: []string{`config.toml:2:13: store.retention: environment variable WIREWATCH_TEST_UNSET is not set`},
		},
		{
			name: "unset variable in a header",
			src:  "[[feed]]\nname = \"a\"\nurl = \"a.xml\"\n[feed.headers]\nAuthorization = \"Bearer ${WIREWATCH_TEST_UNSET}\"\n",
			want: []string{`config.toml:5: feed[0].headers.Authorization: environment variable WIREWATCH_TEST_UNSET is not set`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadString(t, tt.src)
			if err == nil {
				t.Fatalf("Load: no error, want %q", tt.want)
			}
			if c != nil {
				t.Errorf("Load returned a config with errors")
			}
			got := errorLines(t, err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows a secret", err)
			}
		})
	}
}

func TestValidateWithoutFile(t *testing.T) {
	c := defaultConfig()
	c.Feeds = []Feed{{Name: "a", URL: "https://example.com/rss"}}
	c.Rules = []Rule{{Name: "r", Query: "x", Channels: []string{"out"}, Mode: "alert", Digest: "0 8 * * *"}}
	got := errorLines(t, c.Validate(Features{}))
	want := []string{`rule[0].channels: no channel named "out"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
	c.Channels = []Channel{{Name: "out", JSONL: "-", OnUpdate: "both"}}
	if err := c.Validate(Features{}); err != nil {
		t.Errorf("Validate: %v", err)
	}
	// Without a file, a hold of a digest rule is known by its value.
	c.Rules[0].Mode, c.Rules[0].MinOutlets = "digest", 2
	got = errorLines(t, c.Validate(Features{}))
	want = []string{`rule[0].min_outlets: only alert rules hold alerts (this rule has mode = "digest"): remove min_outlets, or set mode = "alert"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func TestLoadThreeErrors(t *testing.T) {
	_, err := Load("testdata/three_errors.toml", Features{})
	got := errorLines(t, err)
	want := []string{
		`testdata/three_errors.toml:9: feed[1].shedule: unknown key (did you mean "schedule"?)`,
		`testdata/three_errors.toml:14: feed[2].schedule: bad cron spec "*/10 * *": expected exactly 5 fields, found 3: [*/10 * *]`,
		`testdata/three_errors.toml:30: rule[1].channels: no channel named "ops"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 9 || ce.Key != "feed[1].shedule" {
		t.Errorf("errors.As(*Error) = %+v, want the unknown key on line 9", ce)
	}
}

func TestLoadRuleQueryError(t *testing.T) {
	const query = `kabulov AND (`
	_, perr := rules.Parse(query)
	if perr == nil {
		t.Skipf("rules.Parse accepts %q", query)
	}
	_, err := loadString(t, "[[channel]]\nname = \"out\"\njsonl = \"-\"\n\n[[rule]]\nname = \"r\"\nquery = \""+query+"\"\nchannels = [\"out\"]\n")
	got := errorLines(t, err)
	want := []string{"config.toml:7: rule[0].query: " + perr.Error()}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func TestLoadEnv(t *testing.T) {
	t.Setenv("WIREWATCH_TEST_TOKEN", "xoxb-1-2-3")
	t.Setenv("WIREWATCH_TEST_TAG", "asia")
	t.Setenv("WIREWATCH_TEST_EMPTY", "")
	t.Setenv("WIREWATCH_TEST_DAYS", "30")
	c, err := loadString(t, `
[store]
retention = "${WIREWATCH_TEST_DAYS}d"

[[feed]]
name = "a"
url = "https://example.com/rss"
tags = ["${WIREWATCH_TEST_TAG}", "central-${WIREWATCH_TEST_TAG}"]
headers = { Authorization = "Bearer ${WIREWATCH_TEST_TOKEN}" }
max_age = "${WIREWATCH_TEST_DAYS}h"

[slack]
bot_token = "${WIREWATCH_TEST_TOKEN}"
signing_secret = "a$$b$c${not-a-name}$${WIREWATCH_TEST_TAG}${"
app_token = "x${WIREWATCH_TEST_EMPTY}y"

[http]
listen = "127.0.0.1:8080"
`)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, tt := range []struct {
		key, got, want string
	}{
		{"slack.bot_token", c.Slack.BotToken, "xoxb-1-2-3"},
		{"slack.signing_secret", c.Slack.SigningSecret, "a$$b$c${not-a-name}$${WIREWATCH_TEST_TAG}${"},
		{"slack.app_token", c.Slack.AppToken, "xy"},
		{"feed[0].tags[0]", c.Feeds[0].Tags[0], "asia"},
		{"feed[0].tags[1]", c.Feeds[0].Tags[1], "central-asia"},
		{"feed[0].headers.Authorization", c.Feeds[0].Headers["Authorization"], "Bearer xoxb-1-2-3"},
		{"store.retention", c.Store.Retention.String(), (30 * 24 * time.Hour).String()},
		{"feed[0].max_age", c.FeedMaxAge(c.Feeds[0]).String(), (30 * time.Hour).String()},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.key, tt.got, tt.want)
		}
	}
}

func TestLoadPaths(t *testing.T) {
	c, err := Load("testdata/paths.toml", Features{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	dir, _ := filepath.Abs("testdata")
	fileURL := "file://" + filepath.ToSlash(dir)
	for _, tt := range []struct {
		key, got, want string
	}{
		{"store.path", c.Store.Path, filepath.Join(dir, "state", "wirewatch.db")},
		{"feed[0].url", c.Feeds[0].URL, filepath.Join(dir, "feeds", "a.xml")},
		{"feed[1].url", c.Feeds[1].URL, fileURL + "/feeds/b.xml"},
		{"feed[2].url", c.Feeds[2].URL, fileURL + "/feeds/c.xml"},
		{"feed[3].url", c.Feeds[3].URL, "file:///srv/feeds/d.xml"},
		{"feed[4].url", c.Feeds[4].URL, "/srv/feeds/e.xml"},
		{"feed[5].url", c.Feeds[5].URL, "https://example.com/rss"},
		{"channel[0].jsonl", c.Channels[0].JSONL, filepath.Join(dir, "out", "alerts.jsonl")},
		{"channel[1].jsonl", c.Channels[1].JSONL, "-"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.key, tt.got, tt.want)
		}
	}
}

func TestDurationText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Duration
		text string
	}{
		{"days", "90d", 90 * 24 * time.Hour, "90d"},
		{"days and hours", "1d12h", 36 * time.Hour, "36h0m0s"},
		{"hours in whole days", "48h", 48 * time.Hour, "2d"},
		{"minutes", "90m", 90 * time.Minute, "1h30m0s"},
		{"zero", "0", 0, "0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Duration
			if err := d.UnmarshalText([]byte(tt.in)); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", tt.in, err)
			}
			if d.Duration != tt.want {
				t.Errorf("UnmarshalText(%q) = %v, want %v", tt.in, d.Duration, tt.want)
			}
			text, _ := d.MarshalText()
			if string(text) != tt.text {
				t.Errorf("MarshalText = %q, want %q", text, tt.text)
			}
			var back Duration
			if err := back.UnmarshalText(text); err != nil || back != d {
				t.Errorf("round trip of %q = %v, %v; want %v", text, back.Duration, err, d.Duration)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"full", &Error{File: "c.toml", Line: 3, Key: "log.level", Msg: "bad"}, "c.toml:3: log.level: bad"},
		{"column", &Error{File: "c.toml", Line: 3, Column: 7, Msg: "bad"}, "c.toml:3:7: bad"},
		{"no line", &Error{File: "c.toml", Key: "log.level", Msg: "bad"}, "c.toml: log.level: bad"},
		{"no file", &Error{Key: "log.level", Msg: "bad"}, "log.level: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestConfigExamples loads the shipped example configurations: they must
// stay valid, and the offline one's feed files must exist.
func TestConfigExamples(t *testing.T) {
	for _, path := range []string{"../config.example.toml", "../examples/offline.toml"} {
		t.Run(path, func(t *testing.T) {
			c, err := Load(path, Features{})
			if err != nil {
				t.Fatalf("Load:\n%v", err)
			}
			if len(c.Feeds) == 0 || len(c.Channels) == 0 || len(c.Rules) == 0 {
				t.Errorf("got %d feeds, %d channels, %d rules; want some of each", len(c.Feeds), len(c.Channels), len(c.Rules))
			}
			for _, f := range c.Feeds {
				if urlScheme(f.URL) != "" {
					continue
				}
				if _, err := os.Stat(f.URL); err != nil {
					t.Errorf("feed %s: %v", f.Name, err)
				}
			}
		})
	}
}

// TestConfigExampleOpsChannel: the example's commented ops_channel, once
// uncommented, names one of its channels.
func TestConfigExampleOpsChannel(t *testing.T) {
	b, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "# ops_channel = ", "ops_channel = ", 1)
	if src == string(b) {
		t.Fatal("config.example.toml does not document ops_channel")
	}
	path := filepath.Join(t.TempDir(), "example.toml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, Features{})
	if err != nil {
		t.Fatalf("Load:\n%v", err)
	}
	if c.Defaults.OpsChannel == "" {
		t.Errorf("ops_channel not read")
	}
}

// TestValidateEncryption: matrix.encryption is an error only in a build
// without it, which the caller says through Features.
func TestValidateEncryption(t *testing.T) {
	c := defaultConfig()
	c.Matrix.Encryption = true
	got := errorLines(t, c.Validate(Features{}))
	want := []string{"matrix.encryption: this build of wirewatch lacks end-to-end encryption: build it with -tags goolm"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors without encryption = %q, want %q", got, want)
	}
	if err := c.Validate(Features{Encryption: true}); err != nil {
		t.Errorf("Validate with encryption: %v", err)
	}
}

func TestTestQuery(t *testing.T) {
	c := &Config{Feeds: []Feed{
		{Name: "tass", Tags: []string{"wire", "russia"}},
		{Name: "ria", Tags: []string{"russia"}},
		{Name: "dawn", Tags: []string{"pakistan"}},
	}}
	tests := []struct {
		name string
		rule Rule
		want string
	}{
		{"query only", Rule{Query: "a OR b"}, "(a OR b)"},
		{"exclude", Rule{Query: "a", Exclude: "b c"}, "(a) -(b c)"},
		{"feeds", Rule{Query: "a", Feeds: []string{"dawn"}}, `(a) (source:"dawn")`},
		{"tags", Rule{Query: "a", Tags: []string{"russia"}}, `(a) (source:"tass" OR source:"ria")`},
		{"feeds and tags", Rule{Query: "a", Feeds: []string{"ria", "dawn"}, Tags: []string{"russia"}}, `(a) (source:"ria")`},
		{"no feed left", Rule{Query: "a", Feeds: []string{"dawn"}, Tags: []string{"wire"}}, `(a) (source:"-")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.TestQuery(tt.rule)
			if got != tt.want {
				t.Errorf("TestQuery = %q, want %q", got, tt.want)
			}
			if _, err := rules.ParseWith(got, c.RuleOptions(tt.rule)); err != nil {
				t.Errorf("Parse(%q): %v", got, err)
			}
		})
	}
}
