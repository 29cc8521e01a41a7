package human

import (
	"strings"
	"testing"
	"time"
)

func TestTime(t *testing.T) {
	kabul := time.FixedZone("+0430", 4*3600+1800)
	at := time.Date(2026, 11, 23, 6, 15, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"zero", time.Time{}, time.UTC, "never"},
		{"utc", at, time.UTC, "2026-11-23 06:15 UTC"},
		{"nil location is utc", at, nil, "2026-11-23 06:15 UTC"},
		{"zone", at, kabul, "2026-11-23 10:45 +0430"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Time(tt.t, tt.loc); got != tt.want {
				t.Errorf("Time = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 stories", 1: "1 story", 2: "2 stories"} {
		if got := Count(n, "story", "stories"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"Кабулов сказал", 8, "Кабулов…"},
		{"a b c d e f", 4, "a b…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestJoinFitMore: parts that do not fit and the parts left out are told
// in one note ("and 5 more", not "and 2 more and 3 more"), room kept for it.
func TestJoinFitMore(t *testing.T) {
	for _, tc := range []struct {
		parts     []string
		max, rest int
		want      string
	}{
		{[]string{"aaaa", "bbbb", "cccc", "dddd"}, 100, 3, "aaaa, bbbb, cccc, dddd and 3 more · #1"},
		{[]string{"aaaa", "bbbb", "cccc", "dddd"}, 30, 3, "aaaa, bbbb, and 5 more · #1"},
		{[]string{"aaaa", "bbbb"}, 3, 3, "and 5 more · #1"},
		{[]string{"aaaa", "bbbb"}, 100, 0, "aaaa, bbbb"},
		{[]string{"aaaa", "bbbb", "cccc"}, 22, 0, "aaaa, and 2 more · #1"},
	} {
		got := JoinFitMore(tc.parts, ", ", tc.max, tc.rest, " · #1")
		if got != tc.want {
			t.Errorf("JoinFitMore(%q, %d, %d) = %q, want %q", tc.parts, tc.max, tc.rest, got, tc.want)
		}
		if len(got) > tc.max && !strings.HasPrefix(got, "and ") { // the note alone may not fit
			t.Errorf("JoinFitMore(%q, %d, %d) = %q: %d bytes, over max", tc.parts, tc.max, tc.rest, got, len(got))
		}
	}
}
