package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func TestJitterSpreadsFeedsWithinTheShare(t *testing.T) {
	s, err := cron.ParseStandard("*/10 * * * *")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC)
	seconds := map[int]bool{}
	for i := range 200 {
		name := fmt.Sprintf("feed-%d", i)
		j := Jitter(name, s, 0.1)
		got := j.Next(from)
		// Within 10% of 10 minutes past a multiple of 10 minutes.
		if !got.After(from) || got.Sub(got.Truncate(10*time.Minute)) >= time.Minute {
			t.Fatalf("%s: got %v after %v, outside the jitter", name, got, from)
		}
		if again := Jitter(name, s, 0.1).Next(from); !again.Equal(got) {
			t.Fatalf("%s: got %v then %v: the offset is not fixed", name, got, again)
		}
		if next := j.Next(got); next.Sub(got) != 10*time.Minute {
			t.Errorf("%s: got %v between polls, want 10m", name, next.Sub(got))
		}
		seconds[got.Second()+60*(got.Minute()%10)] = true
	}
	if len(seconds) < 40 {
		t.Errorf("200 feeds poll at %d distinct times in the interval, want them spread", len(seconds))
	}
}

func TestJitterZeroShareKeepsTheSchedule(t *testing.T) {
	s, _ := cron.ParseStandard("*/10 * * * *")
	if got := Jitter("a", s, 0); got != s {
		t.Errorf("got %v, want the schedule itself", got)
	}
}
