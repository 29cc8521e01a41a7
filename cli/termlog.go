package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/human"
)

// termHandler writes log records as short lines for a person at a
// terminal, above its status line: a failed feed is "feed NAME failed:
// REASON · next try 10:42" (no next try when the next once tries again), a
// feed whose server asked to wait "feed NAME not polled: its server asked
// to wait (Retry-After) · next try 10:42"; other records are their message, their error's
// gist and their other attributes. Records below level are left out.
type termHandler struct {
	status *statusLine
	level  slog.Leveler
	loc    *time.Location // times are shown in
	attrs  []slog.Attr    // from WithAttrs
	prefix string         // from WithGroup
}

var _ slog.Handler = (*termHandler)(nil)

// terminalLevel is the least level the terminal shows: warnings and errors
// (once's status line and summary say what its info records would), or
// every record when [log] level asks for debug.
func terminalLevel(configured slog.Level) slog.Level {
	if configured <= slog.LevelDebug {
		return configured
	}
	return max(configured, slog.LevelWarn)
}

func (h *termHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *termHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	for _, a := range as {
		a.Key = h.prefix + a.Key
		c.attrs = append(c.attrs[:len(c.attrs):len(c.attrs)], a)
	}
	return &c
}

func (h *termHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.prefix += name + "."
	return &c
}

func (h *termHandler) Handle(_ context.Context, r slog.Record) error {
	attrs := append([]slog.Attr(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		a.Key = h.prefix + a.Key
		attrs = append(attrs, a)
		return true
	})
	var feed, reason string
	var retry time.Time
	var rest []string
	for _, a := range attrs {
		v := a.Value.Resolve()
		switch {
		case a.Key == "feed":
			feed = v.String()
		case a.Key == "error":
			if err, ok := v.Any().(error); ok {
				reason = errorGist(err)
			} else {
				reason = human.Truncate(human.RedactURLs(v.String()), 120)
			}
		case a.Key == "retry_at" && v.Kind() == slog.KindTime:
			retry = v.Time()
		case a.Key == "failures":
			// the feeds command keeps count
		default:
			rest = append(rest, a.Key+"="+v.String())
		}
	}
	var b strings.Builder
	switch {
	case feed != "" && reason != "" && r.Message == schedule.MsgPollFailed:
		fmt.Fprintf(&b, "feed %s failed: %s", feed, reason)
		if !retry.IsZero() { // once tries again next time, unless the server asked to wait
			b.WriteString(" · next try " + clock(retry, r.Time, h.loc))
		}
	case feed != "" && r.Message == schedule.MsgNotPolled:
		fmt.Fprintf(&b, "feed %s%s · next try %s", feed, strings.TrimPrefix(r.Message, "feed"), clock(retry, r.Time, h.loc))
	default:
		if r.Level >= slog.LevelError {
			b.WriteString("error: ")
		} else if r.Level >= slog.LevelWarn {
			b.WriteString("warning: ")
		}
		if feed != "" {
			b.WriteString("feed " + feed + ": ")
		}
		b.WriteString(r.Message)
		if reason != "" {
			b.WriteString(": " + reason)
		}
		if !retry.IsZero() {
			b.WriteString(" · next try " + clock(retry, r.Time, h.loc))
		}
		if len(rest) > 0 {
			b.WriteString(" (" + strings.Join(rest, ", ") + ")")
		}
	}
	b.WriteByte('\n')
	_, err := h.status.Write([]byte(b.String()))
	return err
}

// clock shows t as a time of day when it falls on the same day as now, else
// with its date.
func clock(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t, now = t.In(loc), now.In(loc)
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04")
	}
	return human.Time(t, loc)
}

// errorGist says in a few words why a feed (or anything on the network)
// failed: the HTTP status, "connection refused", "no such host", "timed
// out"; else the error's message without the request's URL.
func errorGist(err error) string {
	var httpErr *feeds.HTTPError
	var dnsErr *net.DNSError
	var netErr net.Error
	var urlErr *url.Error
	switch {
	case errors.As(err, &httpErr):
		return httpErr.Error()
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "no such host " + dnsErr.Name
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.Is(err, feeds.ErrTooLarge):
		return "feed too large"
	case errors.As(err, &urlErr):
		err = urlErr.Err // drops `Get "https://…":`
	}
	msg := err.Error()
	// "fetch URL: …", `parse feed "name": …`: the line names the feed.
	for _, p := range []string{"fetch ", "parse feed "} {
		if rest, ok := strings.CutPrefix(msg, p); ok {
			if _, after, ok := strings.Cut(rest, ": "); ok {
				msg = after
			}
		}
	}
	return human.Truncate(human.RedactURLs(msg), 120)
}
