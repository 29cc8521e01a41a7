package matrix

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// syncer is mautrix's syncer with our filter and backoff: a failed sync
// waits 1 s, 2 s, 4 s, … up to a minute (or what a rate limit asks); the
// first failure of a run and the recovery are logged. The client creates
// it; the command handler and the encryption helper add their handlers.
type syncer struct {
	*mautrix.DefaultSyncer
	log      *slog.Logger
	mu       sync.Mutex
	failures int // consecutive failed syncs
}

func newSyncer(log *slog.Logger) *syncer {
	s := &syncer{DefaultSyncer: mautrix.NewDefaultSyncer(), log: log}
	s.FilterJSON = syncFilter()
	s.OnSync(s.recovered)
	return s
}

// syncFilter asks for what the bot reads: room timelines and state, no
// presence, typing, receipts or account data.
func syncFilter() *mautrix.Filter {
	none := &mautrix.FilterPart{NotTypes: []event.Type{{Type: "*"}}}
	return &mautrix.Filter{
		Presence:    none,
		AccountData: none,
		Room: &mautrix.RoomFilter{
			Timeline:    &mautrix.FilterPart{Limit: 50},
			Ephemeral:   none,
			AccountData: none,
		},
	}
}

// failed counts a failure and returns the wait before the next attempt,
// and whether it is the first failure in a row.
func (s *syncer) failed() (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures++
	return min(minBackoff<<min(s.failures-1, 10), maxBackoff), s.failures == 1
}

// recovered notes a successful sync after failures.
func (s *syncer) recovered(context.Context, *mautrix.RespSync, string) bool {
	s.mu.Lock()
	was := s.failures
	s.failures = 0
	s.mu.Unlock()
	if was > 0 {
		s.log.Info("matrix sync recovered", slog.Int("failures", was))
	}
	return true
}

func (s *syncer) OnFailedSync(_ *mautrix.RespSync, err error) (time.Duration, error) {
	if errors.Is(err, mautrix.MUnknownToken) {
		return 0, err // Run logs in again
	}
	wait, first := s.failed()
	err = classify("sync", err)
	if ra := retryAfter(err); ra > wait {
		wait = ra
	}
	if first {
		s.log.Warn("matrix sync failed; retrying with backoff", slog.Any("error", err), slog.Duration("retry_in", wait))
	} else {
		s.log.Debug("matrix sync failed again", slog.Any("error", err), slog.Duration("retry_in", wait))
	}
	return wait, nil
}

// retryAfter returns the wait a rate-limit error carries, or 0.
func retryAfter(err error) time.Duration {
	var he mautrix.HTTPError
	ce, ok := errors.AsType[*codeError](err)
	if !ok || ce.code != "M_LIMIT_EXCEEDED" {
		if errors.As(err, &he) {
			return retryAfterHeader(he.Response)
		}
		return 0
	}
	if ms, ok := ce.wrapped.ExtraData["retry_after_ms"].(float64); ok {
		return time.Duration(ms) * time.Millisecond
	}
	return defaultRateWait
}

// inviteFilter keeps a sync's answer to the rooms and little else: the
// invites are what Check wants from it.
const inviteFilter = `{"presence":{"types":[]},"account_data":{"types":[]},"room":{"timeline":{"limit":1},` +
	`"state":{"types":[]},"ephemeral":{"types":[]},"account_data":{"types":[]}}}`

// invites returns the rooms the bot is invited to (one sync, from the
// start, that waits for nothing); none when the sync fails.
func (c *Client) invites(ctx context.Context) map[id.RoomID]bool {
	out := map[id.RoomID]bool{}
	var r *mautrix.RespSync
	err := c.call(ctx, "sync", func() (err error) {
		r, err = c.cli.FullSyncRequest(ctx, mautrix.ReqSync{Timeout: 0, FilterID: inviteFilter})
		return err
	})
	if err != nil {
		c.log.Warn("cannot read the bot's invites", slog.Any("error", err))
		return out
	}
	for room := range r.Rooms.Invite {
		out[room] = true
	}
	return out
}
