package monitor

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/human"
)

// Pinger is a store that says whether it answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Health answers /healthz and /readyz.
type Health struct {
	Store    Pinger
	LastTick func() time.Time // when the scheduler last ticked; zero before it started
	Started  time.Time        // when the process started
	// Stuck is how long the scheduler may go without a tick before it is
	// taken as stuck (default five heartbeats).
	Stuck time.Duration
	Now   func() time.Time // default time.Now
}

// pingTimeout bounds the store's answer to a health check.
const pingTimeout = 3 * time.Second

func (h *Health) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Health) stuck() time.Duration {
	if h.Stuck > 0 {
		return h.Stuck
	}
	return 5 * schedule.DefaultHeartbeat
}

// problem says why the process is unhealthy, "" when it is healthy: the
// store does not answer, or the scheduler has not ticked for too long (or
// not started long after the process did).
func (h *Health) problem(ctx context.Context, ready bool) string {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := h.Store.Ping(ctx); err != nil {
		return fmt.Sprintf("store: %v", err)
	}
	now := h.now()
	last := h.LastTick()
	switch {
	case last.IsZero() && ready:
		return "starting: the scheduler has not started yet"
	case last.IsZero() && now.Sub(h.Started) > h.stuck():
		return fmt.Sprintf("scheduler: not started %s after start", human.FormatDuration(now.Sub(h.Started)))
	case !last.IsZero() && now.Sub(last) > h.stuck():
		return fmt.Sprintf("scheduler: stuck, last tick %s ago", human.FormatDuration(now.Sub(last)))
	}
	return ""
}

// ServeHealthz answers 200 "ok" when the store answers and the scheduler
// ticked recently, else 503 with the reason.
func (h *Health) ServeHealthz(w http.ResponseWriter, r *http.Request) {
	h.answer(w, r, false)
}

// ServeReadyz answers 200 "ok" once the scheduler runs and while the
// store answers, else 503 with the reason.
func (h *Health) ServeReadyz(w http.ResponseWriter, r *http.Request) {
	h.answer(w, r, true)
}

func (h *Health) answer(w http.ResponseWriter, r *http.Request, ready bool) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if p := h.problem(r.Context(), ready); p != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, p)
		return
	}
	fmt.Fprintln(w, "ok")
}
