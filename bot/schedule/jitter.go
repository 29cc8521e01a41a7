package schedule

import (
	"hash/fnv"
	"time"

	"github.com/robfig/cron/v3"
)

// maxJitter bounds a feed's schedule offset.
const maxJitter = 15 * time.Minute

// Jitter returns s moved later by an offset fixed for the feed's name:
// within share (0 to 0.5) of the schedule's interval, at most 15 minutes.
// Feeds on "*/10 * * * *" then do not all poll at second 0 of the minute,
// and a feed keeps its offset across restarts. A share of 0 returns s.
func Jitter(name string, s cron.Schedule, share float64) cron.Schedule {
	if share <= 0 || s == nil {
		return s
	}
	gap := interval(s)
	span := min(time.Duration(float64(gap)*min(share, 0.5)), maxJitter)
	if span < time.Second {
		return s
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	off := time.Duration(h.Sum64()%uint64(span/time.Second)) * time.Second
	return jittered{s: s, off: off}
}

// interval returns the shortest of a schedule's first gaps after a fixed
// time (0 when it fires fewer than twice).
func interval(s cron.Schedule) time.Duration {
	t := s.Next(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	var gap time.Duration
	for range 3 {
		n := s.Next(t)
		if t.IsZero() || n.IsZero() {
			break
		}
		if d := n.Sub(t); gap == 0 || d < gap {
			gap = d
		}
		t = n
	}
	return gap
}

// jittered is a schedule moved later by off.
type jittered struct {
	s   cron.Schedule
	off time.Duration
}

func (j jittered) Next(t time.Time) time.Time {
	n := j.s.Next(t.Add(-j.off))
	if n.IsZero() {
		return n
	}
	return n.Add(j.off)
}
