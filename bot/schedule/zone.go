package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// In returns s read on the clocks of loc (of its own zone when it names
// one with CRON_TZ=), through the nights daylight saving changes them.
// An "@every" schedule counts elapsed time and is returned as it is.
func In(s cron.Schedule, loc *time.Location) cron.Schedule {
	switch s := s.(type) {
	case zoned:
		return s
	case *cron.SpecSchedule:
		if s.Location != time.Local {
			loc = s.Location
		}
		return zoned{s: s, loc: loc}
	}
	return s
}

// zoned is a cron schedule read on the clocks of loc.
type zoned struct {
	s   *cron.SpecSchedule
	loc *time.Location
}

// Next returns the schedule's first time after t. cron's own passes over a
// time the spring night skips (02:30 when the clocks go from 02:00 to
// 03:00) to the next day's; here it comes at the first instant after it,
// 03:00, once however many skipped times the schedule has. Between two
// changes the clocks keep one offset, and the schedule is read on that
// offset: cron's own reading of a zone skips a day where the clocks move
// by half an hour (Australia/Lord_Howe).
func (z zoned) Next(t time.Time) time.Time {
	at := t.In(z.loc)
	from := at
	for {
		_, off := at.Zone()
		n := z.onOffset(off).Next(from)
		if n.IsZero() {
			return n
		}
		_, change := at.ZoneBounds()
		if change.IsZero() || n.Before(change) {
			return n.In(z.loc)
		}
		// The times skipped, on the clock before the change: [change, change+jump).
		if old, jump := z.before(change); jump > 0 && old.Next(change.Add(-time.Second)).Before(change.Add(jump)) {
			return change
		}
		at, from = change, change.Add(-time.Second)
	}
}

// before returns the schedule read on the clock as it was before the
// change at t, and how far the clocks went then (negative: back).
func (z zoned) before(t time.Time) (*cron.SpecSchedule, time.Duration) {
	_, was := t.Add(-time.Second).Zone()
	_, is := t.Zone()
	return z.onOffset(was), time.Duration(is-was) * time.Second
}

// onOffset returns the schedule read on a clock at a fixed offset (off
// seconds east of UTC).
func (z zoned) onOffset(off int) *cron.SpecSchedule {
	s := *z.s
	s.Location = time.FixedZone("", off)
	return &s
}

// repeated returns, when t is in the hour the autumn night brings twice
// (02:00 to 03:00, the second time) and s, on the clock as it was before,
// has no time at t, the instant the clocks first showed t's time, an hour
// earlier: 02:30 of a daily digest is a repeat, 02:30 of a half-hourly one
// is not.
func repeated(s cron.Schedule, t time.Time) (first time.Time, ok bool) {
	z, ok := s.(zoned)
	if !ok {
		return time.Time{}, false
	}
	t = t.In(z.loc)
	change, _ := t.ZoneBounds()
	if change.IsZero() {
		return time.Time{}, false
	}
	old, jump := z.before(change)
	if jump < 0 && t.Before(change.Add(-jump)) && !old.Next(t.Add(-time.Second)).Equal(t) {
		return t.Add(jump), true
	}
	return time.Time{}, false
}
