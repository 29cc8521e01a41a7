package storetest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store/storetest"
)

func TestMustOpen(t *testing.T) {
	db := storetest.MustOpen(t)
	v, err := db.SchemaVersion(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("SchemaVersion = %d, %v; want a migrated database", v, err)
	}
}

func TestClock(t *testing.T) {
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	c := storetest.NewClock(start)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			c.Advance(time.Minute)
			c.Now()
		})
	}
	wg.Wait()
	if got, want := c.Now(), start.Add(4*time.Minute); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Errorf("after Set, Now = %v, want %v", got, start)
	}
}
