package human

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Duration
	}{
		{"zero", "0", 0},
		{"zero days", "0d", 0},
		{"minutes", "90m", 90 * time.Minute},
		{"go combined", "1h30m", 90 * time.Minute},
		{"fraction", "1.5h", 90 * time.Minute},
		{"sub-second", "250ms", 250 * time.Millisecond},
		{"many hours", "1000000h", 1000000 * time.Hour},
		{"days", "7d", 7 * 24 * time.Hour},
		{"days and hours", "1d12h", 36 * time.Hour},
		{"fractional days", "1.5d", 36 * time.Hour},
		{"weeks", "2w", 14 * 24 * time.Hour},
		{"weeks and days", "1w2d", 9 * 24 * time.Hour},
		{"unordered", "12h1d", 36 * time.Hour},
		{"spaces trimmed", " 90d ", 90 * 24 * time.Hour},
		{"plus sign", "+5m", 5 * time.Minute},
		{"large days", "100000d", 100000 * 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err != nil {
				t.Fatalf("ParseDuration(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"unknown unit", "7x", `bad duration "7x": use Go syntax like 90m or 36h, or days like 7d`},
		{"empty", "", `bad duration "": empty; use Go syntax like 90m or 36h, or days like 7d`},
		{"no unit", "90", `bad duration "90": use Go syntax like 90m or 36h, or days like 7d`},
		{"no number", "d", `bad duration "d": use Go syntax like 90m or 36h, or days like 7d`},
		{"words", "two days", `bad duration "two days": use Go syntax like 90m or 36h, or days like 7d`},
		{"two dots", "1.2.3h", `bad duration "1.2.3h": use Go syntax like 90m or 36h, or days like 7d`},
		{"negative", "-5m", `bad duration "-5m": must not be negative`},
		{"negative days", "-1d", `bad duration "-1d": must not be negative`},
		{"too many days", "1000000d", `bad duration "1000000d": too large`},
		{"too many hours", "3000000h", `bad duration "3000000h": too large`},
		{"sum too large", "100000d100000d", `bad duration "100000d100000d": too large`},
		{"huge integer", "99999999999999999999999w", `bad duration "99999999999999999999999w": too large`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err == nil {
				t.Fatalf("ParseDuration(%q) = %v, want error %q", tt.in, got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseDuration(%q) error = %q, want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{7 * Day, "7d"},
		{36 * time.Hour, "36h"},
		{90 * time.Minute, "1h30m"},
		{10 * time.Minute, "10m"},
		{90 * time.Second, "1m30s"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.in); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
