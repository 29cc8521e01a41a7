package config

import (
	"reflect"
	"slices"
)

// A running wirewatch reloads its configuration file when it changes (and
// on SIGHUP): rules, aliases, feeds, channels and the defaults they inherit
// take effect at once. The settings below are read once, when the process
// starts; a reload that changes one reports it as needing a restart and
// otherwise runs without it.

// restartSections are the sections read only at start, whole.
var restartSections = []string{"store", "slack", "matrix", "http", "log"}

// restartDefaults are the [defaults] keys read only at start: the zone
// every schedule and shown time is in, the story window of the grouper,
// the user agent and limits of the fetcher, and the ops channel.
var restartDefaults = []string{"timezone", "window", "user_agent", "fetch_concurrency", "host_concurrency", "host_interval", "ops_channel"}

// RestartKeys returns the keys (e.g. "slack.bot_token", "defaults.timezone")
// whose values differ between c, the configuration a process started with,
// and next: changes a reload cannot apply. The keys name secrets at most,
// never their values.
func (c *Config) RestartKeys(next *Config) []string {
	var keys []string
	cv, nv := reflect.ValueOf(c).Elem(), reflect.ValueOf(next).Elem()
	for f := range structFields(cv.Type()) {
		section := tomlName(f)
		if !slices.Contains(restartSections, section) && section != "defaults" {
			continue
		}
		a, b := cv.FieldByIndex(f.Index), nv.FieldByIndex(f.Index)
		for k := range structFields(a.Type()) {
			key := tomlName(k)
			if section == "defaults" && !slices.Contains(restartDefaults, key) {
				continue
			}
			if !reflect.DeepEqual(a.FieldByIndex(k.Index).Interface(), b.FieldByIndex(k.Index).Interface()) {
				keys = append(keys, section+"."+key)
			}
		}
	}
	return keys
}

// Reloaded returns next with the settings that need a restart (RestartKeys)
// as they are in c: the configuration a running process applies.
func (c *Config) Reloaded(next *Config) *Config {
	out := *next
	out.Store, out.Slack, out.Matrix, out.HTTP, out.Log = c.Store, c.Slack, c.Matrix, c.HTTP, c.Log
	out.Defaults.Timezone, out.Defaults.Window, out.Defaults.UserAgent = c.Defaults.Timezone, c.Defaults.Window, c.Defaults.UserAgent
	out.Defaults.FetchConcurrency, out.Defaults.HostConcurrency, out.Defaults.HostInterval = c.Defaults.FetchConcurrency, c.Defaults.HostConcurrency, c.Defaults.HostInterval
	out.Defaults.OpsChannel = c.Defaults.OpsChannel
	return &out
}
