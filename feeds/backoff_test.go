package feeds

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		name       string
		failures   int
		retryAfter time.Duration
		want       time.Duration
	}{
		{"no failures", 0, 0, 0},
		{"negative failures", -3, time.Hour, 0},
		{"first failure", 1, 0, time.Minute},
		{"second", 2, 0, 2 * time.Minute},
		{"third", 3, 0, 4 * time.Minute},
		{"ninth", 9, 0, 256 * time.Minute},
		{"tenth capped", 10, 0, 6 * time.Hour},
		{"huge failures capped", 1000, 0, 6 * time.Hour},
		{"retry-after larger wins", 1, 10 * time.Minute, 10 * time.Minute},
		{"retry-after smaller ignored", 5, 7 * time.Second, 16 * time.Minute},
		{"retry-after beyond cap wins", 20, 12 * time.Hour, 12 * time.Hour},
		{"retry-after capped at a day", 1, 72 * time.Hour, 24 * time.Hour},
		{"negative retry-after ignored", 1, -time.Hour, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Backoff(tt.failures, tt.retryAfter); got != tt.want {
				t.Errorf("Backoff(%d, %v) = %v, want %v", tt.failures, tt.retryAfter, got, tt.want)
			}
		})
	}
}
