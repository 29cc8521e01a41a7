package config

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Load reads the file at path: defaults, then the TOML (unknown keys
// are errors), then ${NAME} expansion in every string value, then relative
// paths resolved against the file's directory, then Validate with what
// this build supports (f). Problems in the file come back together as
// Errors, sorted by line.
//
// ${NAME} is replaced by the environment variable NAME (letters, digits and
// underscores); an unset variable is an error. "$$" and any other "$" stay
// as written, so "$${NAME}" is not expanded.
func Load(path string, f Features) (*Config, error) {
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
	sum := sha256.Sum256(data)
	c.Hash = hex.EncodeToString(sum[:])
	c.lines = scanKeyLines(data)
	var errs Errors
	if err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		var derr *toml.DecodeError
		switch {
		case errors.As(err, &strict): // decoding went on past the unknown keys
			for i := range strict.Errors {
				errs = append(errs, c.unknownKeyError(&strict.Errors[i]))
			}
		case errors.As(err, &derr): // decoding stopped here
			return nil, Errors{c.decodeError(derr)}
		default: // an error from Duration.UnmarshalText without a position
			return nil, Errors{c.durationError(err)}
		}
	}
	c.fillDefaults()
	envErrs := c.expandEnv()
	errs = append(errs, envErrs...)
	c.resolvePaths(dir)
	for _, e := range c.validate(f) {
		// A key whose variable is unset already has its error.
		if !slices.ContainsFunc(envErrs, func(x *Error) bool { return x.Key == e.Key }) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
		return nil, errs
	}
	return &c, nil
}

func defaultConfig() Config {
	return Config{
		Store: Store{Retention: Duration{90 * 24 * time.Hour}, Lease: Duration{time.Minute}},
		Defaults: Defaults{
			Schedule: "*/10 * * * *",
			MaxAge:   Duration{48 * time.Hour},
			Window:   Duration{72 * time.Hour},
			Timezone: "UTC",

			FetchConcurrency: 16,
			HostConcurrency:  2,
			HostInterval:     Duration{250 * time.Millisecond},
			ScheduleJitter:   0.1,
		},
		Slack:  Slack{Command: "/wirewatch"},
		Matrix: Matrix{CommandPrefix: "!wirewatch"},
		Log:    Log{Level: "info", Format: "text"},
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
func (c *Config) decodeError(derr *toml.DecodeError) *Error {
	line, col := derr.Position()
	key := c.lines.keyAt(line, col)
	if key == "" {
		key = strings.Join(derr.Key(), ".")
	}
	return &Error{File: c.Path, Line: line, Column: col, Key: key, Msg: typeMessage(strings.TrimPrefix(derr.Error(), "toml: "))}
}

// typeRE matches go-toml's type error, which names Go's types.
var typeRE = regexp.MustCompile(`^cannot decode TOML (\w+) into (?:struct field \S+ of type|a Go value of type) (\S+)$`)

// typeMessage says a type error in the file's terms ("must be a number,
// not a string"), not Go's; other messages as they are.
func typeMessage(msg string) string {
	m := typeRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want := map[string]string{"int": "a number", "int64": "a number", "float64": "a number", "bool": "true or false",
		"string": "a string in quotes", "[]string": `a list of strings, like ["a", "b"]`}[strings.TrimPrefix(m[2], "*")]
	if want == "" {
		return msg
	}
	got := map[string]string{"integer": "a number", "float": "a number", "bool": "true or false", "array": "a list",
		"inline-table": "a table", "table": "a table"}[m[1]]
	if got == "" {
		got = "a " + m[1]
	}
	return "must be " + want + ", not " + got
}

// durationError places err, from a duration written as a number rather
// than a string, on the first such key.
func (c *Config) durationError(err error) *Error {
	e := &Error{File: c.Path, Msg: err.Error()}
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
func (c *Config) unknownKeyError(derr *toml.DecodeError) *Error {
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
	return &Error{File: c.Path, Line: line, Key: key, Msg: msg}
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
func (c *Config) expandEnv() Errors {
	var errs Errors
	var walk func(v reflect.Value, key string)
	walk = func(v reflect.Value, key string) {
		switch v.Kind() {
		case reflect.String:
			s, err := expandEnvString(v.String())
			if err != nil {
				errs = append(errs, c.errorf(key, key, "%v", err))
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

// expandEnvString replaces ${NAME} in s by the environment variable NAME;
// an unset one is an error naming it.
func expandEnvString(s string) (string, error) {
	s, missing := expandVars(s, os.LookupEnv)
	if missing != "" {
		return "", fmt.Errorf("environment variable %s is not set", missing)
	}
	return s, nil
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
