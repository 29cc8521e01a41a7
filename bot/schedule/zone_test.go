package schedule

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestInSpringNight: a schedule read in Europe/Berlin comes at 03:00 on
// the night the clocks skip from 02:00 to 03:00 when it has a time they
// skip, whatever its zone is named by; other times are cron's own.
func TestInSpringNight(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for _, tc := range []struct {
		spec, from, want string // times in Berlin
	}{
		{"30 2 * * *", "2026-03-29 01:00 CET", "2026-03-29 03:00 CEST"},
		{"CRON_TZ=Europe/Berlin 30 2 * * *", "2026-03-29 01:00 CET", "2026-03-29 03:00 CEST"},
		{"30 2 * * 0", "2026-03-28 12:00 CET", "2026-03-29 03:00 CEST"}, // Sundays only
		{"30 2 * * *", "2026-03-29 03:00 CEST", "2026-03-30 02:30 CEST"},
		{"0 3 * * *", "2026-03-29 01:00 CET", "2026-03-29 03:00 CEST"},
		{"*/30 * * * *", "2026-03-29 01:30 CET", "2026-03-29 03:00 CEST"},
		{"*/30 * * * *", "2026-03-29 03:00 CEST", "2026-03-29 03:30 CEST"},
		{"30 2 * * *", "2026-03-27 12:00 CET", "2026-03-28 02:30 CET"},
		{"30 2 * * *", "2026-10-25 01:00 CEST", "2026-10-25 02:30 CEST"},
		{"@every 1h", "2026-03-29 01:30 CET", "2026-03-29 03:30 CEST"},
	} {
		s, err := cron.ParseStandard(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		from, err := time.ParseInLocation("2006-01-02 15:04 MST", tc.from, berlin)
		if err != nil {
			t.Fatal(err)
		}
		// The caller's clock may be in any zone: UTC here.
		if got := In(s, berlin).Next(from.UTC()).In(berlin).Format("2006-01-02 15:04 MST"); got != tc.want {
			t.Errorf("%q after %s = %s, want %s", tc.spec, tc.from, got, tc.want)
		}
	}
}
