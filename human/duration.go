package human

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Day and Week are the units ParseDuration adds to Go's.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

const durationHint = "use Go syntax like 90m or 36h, or days like 7d"

// ParseDuration parses a duration in Go syntax ("90m", "1h30m") extended
// with days and weeks ("7d", "1d12h", "2w"). Negative durations are errors.
func ParseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	bad := func(why string) error {
		return fmt.Errorf("bad duration %q: %s", s, why)
	}
	if strings.HasPrefix(in, "-") {
		return 0, bad("must not be negative")
	}
	in = strings.TrimPrefix(in, "+")
	if in == "0" {
		return 0, nil
	}
	if in == "" {
		return 0, bad("empty; " + durationHint)
	}
	var total time.Duration
	for in != "" {
		num, unit, rest, ok := splitDurationSegment(in)
		if !ok {
			return 0, bad(durationHint)
		}
		in = rest
		var d time.Duration
		switch unit {
		case "d", "w":
			size := Day
			if unit == "w" {
				size = Week
			}
			var ok bool
			if d, ok = scaleDuration(num, size); !ok {
				return 0, bad("too large")
			}
		default:
			var err error
			if d, err = time.ParseDuration(num + unit); err != nil {
				// The segment is well-formed, so only its size can be wrong.
				return 0, bad("too large")
			}
		}
		if total > math.MaxInt64-d {
			return 0, bad("too large")
		}
		total += d
	}
	return total, nil
}

// splitDurationSegment splits "12.5h30m" into "12.5", "h" and "30m".
func splitDurationSegment(s string) (num, unit, rest string, ok bool) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	j := i
	for j < len(s) && !(s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
		j++
	}
	num, unit = s[:i], s[i:j]
	if num == "" || num == "." || strings.Count(num, ".") > 1 || unit == "" {
		return "", "", "", false
	}
	switch unit {
	case "ns", "us", "µs", "μs", "ms", "s", "m", "h", "d", "w":
		return num, unit, s[j:], true
	}
	return "", "", "", false
}

// scaleDuration returns num (a well-formed decimal such as "7" or "1.5")
// times size, and false when that overflows.
func scaleDuration(num string, size time.Duration) (time.Duration, bool) {
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		if n > math.MaxInt64/int64(size) {
			return 0, false
		}
		return time.Duration(n) * size, true
	}
	f, err := strconv.ParseFloat(num, 64)
	v := f * float64(size)
	if err != nil || v >= math.MaxInt64 {
		return 0, false
	}
	return time.Duration(v), true
}

// FormatDuration formats a duration as people write it: 7d, 36h, 1h30m.
func FormatDuration(d time.Duration) string {
	if d >= Day && d%Day == 0 {
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
