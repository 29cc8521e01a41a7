package fastfeed

import (
	"strings"
	"time"
)

// Dates as gofeed's shared.ParseDate parses them, for three shapes whose
// first matching layout in its list is known:
//
//	Mon, 02 Jan 2006 15:04:05 -0700   (day of one or two digits)
//	Mon, 02 Jan 2006 15:04:05 GMT     (a zone of gofeed's table but UT)
//	2006-01-02T15:04:05Z, …+07:00     (RFC 3339, fraction allowed)
//
// Anything else, or one of these time.Parse rejects (gofeed would try its
// other layouts), is not parsed: ok false, and the caller falls back.

const (
	layoutNumeric = "Mon, 2 Jan 2006 15:04:05 -0700"
	layoutNamed   = "Mon, 2 Jan 2006 15:04:05 MST"
)

// zoneOffset is gofeed's timezoneAbbreviations. A date in "UT" is left
// to gofeed, which reads it with a layout of its own.
func zoneOffset(name string) (int, bool) {
	switch name {
	case "UT", "GMT", "UTC", "WET":
		return 0, true
	case "EST", "CDT":
		return -5 * 3600, true
	case "EDT":
		return -4 * 3600, true
	case "CST", "MDT":
		return -6 * 3600, true
	case "MST", "PDT":
		return -7 * 3600, true
	case "PST":
		return -8 * 3600, true
	case "WEST", "BST", "CET":
		return 1 * 3600, true
	case "CEST", "EET":
		return 2 * 3600, true
	case "EEST":
		return 3 * 3600, true
	}
	return 0, false
}

// parseDate is shared.ParseDate(s) for the shapes above.
func parseDate(s string) (time.Time, bool) {
	d := strings.TrimSpace(s)
	switch {
	case isRFC3339(d):
		t, err := time.Parse(time.RFC3339, d)
		return t, err == nil
	case len(d) > 0 && 'A' <= d[0] && d[0] <= 'Z':
		zone, numeric, ok := rfc1123Zone(d)
		if !ok {
			return time.Time{}, false
		}
		if numeric {
			t, err := time.Parse(layoutNumeric, d)
			return t, err == nil
		}
		if _, known := zoneOffset(zone); !known || zone == "UT" {
			return time.Time{}, false
		}
		t, err := time.Parse(layoutNamed, d)
		if err != nil {
			return time.Time{}, false
		}
		// As gofeed: the table's offset, not the host's reading.
		if name, offset := t.Zone(); name != "" {
			if want, ok := zoneOffset(name); ok && want != offset {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(),
					time.FixedZone(name, want))
			}
		}
		return t, true
	}
	return time.Time{}, false
}

// parseDateUTC is parseDate in UTC, as gofeed keeps most parsed dates.
func parseDateUTC(s string) (*time.Time, bool) {
	t, ok := parseDate(s)
	if !ok {
		return nil, false
	}
	t = t.UTC()
	return &t, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (s[i] < 'a' || s[i] > 'z') {
			return false
		}
	}
	return len(s) > 0
}

// isRFC3339 reports whether d is 2006-01-02T15:04:05 with an optional
// fraction and Z or ±hh:mm.
func isRFC3339(d string) bool {
	if len(d) < 20 || !digits(d[0:4]) || d[4] != '-' || !digits(d[5:7]) || d[7] != '-' || !digits(d[8:10]) ||
		d[10] != 'T' || !digits(d[11:13]) || d[13] != ':' || !digits(d[14:16]) || d[16] != ':' || !digits(d[17:19]) {
		return false
	}
	rest := d[19:]
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && i <= 10 && '0' <= rest[i] && rest[i] <= '9' {
			i++
		}
		if i == 1 || i > 10 {
			return false
		}
		rest = rest[i:]
	}
	return rest == "Z" || len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && digits(rest[1:3]) && rest[3] == ':' && digits(rest[4:6])
}

// rfc1123Zone checks d is "Www, D Mmm YYYY hh:mm:ss ZONE" (D one or two
// digits) and returns the zone, numeric when it is ±hhmm.
func rfc1123Zone(d string) (zone string, numeric, ok bool) {
	f := strings.Split(d, " ")
	if len(f) != 6 || len(f[0]) != 4 || !letters(f[0][:3]) || f[0][3] != ',' ||
		len(f[1]) < 1 || len(f[1]) > 2 || !digits(f[1]) || len(f[2]) != 3 || !letters(f[2]) ||
		len(f[3]) != 4 || !digits(f[3]) || len(f[4]) != 8 || !digits(f[4][0:2]) || f[4][2] != ':' ||
		!digits(f[4][3:5]) || f[4][5] != ':' || !digits(f[4][6:8]) {
		return "", false, false
	}
	z := f[5]
	if len(z) == 5 && (z[0] == '+' || z[0] == '-') && digits(z[1:]) {
		return z, true, true
	}
	if len(z) >= 3 && len(z) <= 4 && letters(z) && strings.ToUpper(z) == z {
		return z, false, true
	}
	return "", false, false
}
