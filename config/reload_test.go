package config

import (
	"slices"
	"testing"
)

func TestRestartKeys(t *testing.T) {
	base := `[store]
path = "/var/lib/wirewatch/a.db"

[defaults]
timezone = "UTC"

[[feed]]
name = "a"
url = "https://example.com/a.xml"

[[channel]]
name = "out"
jsonl = "-"

[[rule]]
name = "r"
query = "kabulov"
channels = ["out"]
`
	old, err := loadString(t, base)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		add  string // appended to base
		want []string
	}{
		{"rules only", "\n[[rule]]\nname = \"s\"\nquery = \"csto\"\nchannels = [\"out\"]\n", nil},
		{"defaults that apply live", "\n[alias]\nCSTO = [\"ОДКБ\"]\n", nil},
		{"http listen", "\n[http]\nlisten = \"127.0.0.1:8080\"\n", []string{"http.listen"}},
		{"slack token", "\n[slack]\nbot_token = \"xoxb-1\"\n", []string{"slack.bot_token"}},
		{"log level", "\n[log]\nlevel = \"debug\"\n", []string{"log.level"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, err := loadString(t, base+tt.add)
			if err != nil {
				t.Fatal(err)
			}
			if got := old.RestartKeys(next); !slices.Equal(got, tt.want) {
				t.Errorf("RestartKeys = %v, want %v", got, tt.want)
			}
			if got := old.RestartKeys(old.Reloaded(next)); len(got) != 0 {
				t.Errorf("Reloaded keeps %v changed, want none", got)
			}
		})
	}
	// Of [defaults], the zone, the window and the user agent are read at start.
	next, err := loadString(t, base+"\n")
	if err != nil {
		t.Fatal(err)
	}
	next.Defaults.Timezone, next.Defaults.Schedule, next.Defaults.OpsChannel = "Asia/Kabul", "@every 5m", "out"
	if got, want := old.RestartKeys(next), []string{"defaults.timezone", "defaults.ops_channel"}; !slices.Equal(got, want) {
		t.Errorf("RestartKeys = %v, want %v", got, want)
	}
	if r := old.Reloaded(next); r.Defaults.Schedule != "@every 5m" || r.Defaults.Timezone != "UTC" || r.Defaults.OpsChannel != "" {
		t.Errorf("Reloaded defaults = %+v, want the new schedule in the old zone, and no ops channel", r.Defaults)
	}
}
