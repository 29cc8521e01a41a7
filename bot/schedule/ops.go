package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/store"
)

// DefaultFailingFor is how long a feed fails before the ops channel hears
// of it.
const DefaultFailingFor = 24 * time.Hour

// Ops tells the ops channel (defaults.ops_channel) of what needs a person:
// a feed failing for a day, a channel paused, a configuration reload
// refused; each once, and once when it recovers. What it told is kept in
// the store, so that a restart repeats nothing.
type Ops struct {
	DB         *store.DB
	Channel    string // the ops channel
	Feeds      []bot.Feed
	FailingFor time.Duration  // default DefaultFailingFor
	Location   *time.Location // times in notices (nil: UTC)
	Log        *slog.Logger
	Now        bot.Clock
}

// Subjects of the problems Ops reports.
const (
	opsFeed    = "feed:"
	opsChannel = "channel:"
	opsConfig  = "config"
)

func (o *Ops) failingFor() time.Duration {
	if o.FailingFor > 0 {
		return o.FailingFor
	}
	return DefaultFailingFor
}

// Check looks at the feeds' states and the paused channels, and queues
// the notices due: a problem newly worth reporting, a reported problem
// that recovered.
func (o *Ops) Check(ctx context.Context) error {
	now := o.Now()
	known, err := o.DB.OpsProblems(ctx)
	if err != nil {
		return err
	}
	recorded := make(map[string]*store.OpsProblem, len(known))
	for _, p := range known {
		recorded[p.Subject] = p
	}
	states, err := o.DB.FeedStates(ctx)
	if err != nil {
		return err
	}
	byName := make(map[string]*store.FeedState, len(states))
	for _, st := range states {
		byName[st.Name] = st
	}
	var errs []error
	configured := map[string]bool{}
	for _, f := range o.Feeds {
		configured[opsFeed+f.Name] = true
		errs = append(errs, o.checkFeed(ctx, f.Name, byName[f.Name], recorded[opsFeed+f.Name], now))
	}
	paused, err := o.DB.PausedChannels(ctx)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, p := range paused {
		subject := opsChannel + p.Channel
		configured[subject] = true
		text := fmt.Sprintf("⚠ Channel %s is paused: %s. Its deliveries wait in the outbox; it is tried again hourly and at start.",
			p.Channel, human.RedactURLs(p.Reason))
		errs = append(errs, o.report(ctx, subject, p.Reason, p.PausedAt, text, now))
	}
	for _, p := range known { // by subject
		subject := p.Subject
		if configured[subject] || subject == opsConfig {
			continue
		}
		var text string
		switch {
		case strings.HasPrefix(subject, opsChannel):
			text = fmt.Sprintf("✓ Channel %s works again; its waiting deliveries go out now.", strings.TrimPrefix(subject, opsChannel))
		default:
			text = fmt.Sprintf("✓ Feed %s is no longer configured (it had failed since %s).",
				strings.TrimPrefix(subject, opsFeed), human.Time(p.Since, o.Location))
		}
		errs = append(errs, o.resolve(ctx, subject, text, now))
	}
	return errors.Join(errs...)
}

// checkFeed notes a failing feed (failing since its last success, or since
// first seen failing when it never succeeded), reports it once it has
// failed for FailingFor, and resolves it when it works again.
func (o *Ops) checkFeed(ctx context.Context, name string, st *store.FeedState, p *store.OpsProblem, now time.Time) error {
	subject := opsFeed + name
	if st == nil || st.Failures == 0 {
		if p == nil {
			return nil
		}
		text := fmt.Sprintf("✓ Feed %s works again (it had failed since %s).", name, human.Time(p.Since, o.Location))
		return o.resolve(ctx, subject, text, now)
	}
	since := st.LastSuccess
	if p != nil {
		since = p.Since
	} else if since.IsZero() {
		since = st.LastAttempt
	}
	if err := o.DB.NoteProblem(ctx, subject, st.LastError, since); err != nil {
		return err
	}
	if now.Sub(since) < o.failingFor() || (p != nil && !p.Reported.IsZero()) {
		return nil
	}
	text := fmt.Sprintf("⚠ Feed %s has failed for %s (%s in a row): %s.", name,
		human.FormatDuration(now.Sub(since).Truncate(time.Hour)), human.Count(st.Failures, "poll", "polls"),
		human.Truncate(human.RedactURLs(st.LastError), 300))
	return o.report(ctx, subject, st.LastError, since, text, now)
}

// report records a problem and queues its notice, unless it was reported.
func (o *Ops) report(ctx context.Context, subject, detail string, since time.Time, text string, now time.Time) error {
	if err := o.DB.NoteProblem(ctx, subject, detail, since); err != nil {
		return err
	}
	ok, err := o.DB.ReportProblem(ctx, subject, o.Channel, text, now)
	if err != nil {
		return err
	}
	if ok {
		o.Log.Info("ops channel told of a problem", slog.String("channel", o.Channel), slog.String("subject", subject))
	}
	return nil
}

// resolve forgets a problem, queueing text when it had been reported.
func (o *Ops) resolve(ctx context.Context, subject, text string, now time.Time) error {
	ok, err := o.DB.ResolveProblem(ctx, subject, o.Channel, text, now)
	if err != nil {
		return err
	}
	if ok {
		o.Log.Info("ops channel told of a recovery", slog.String("channel", o.Channel), slog.String("subject", subject))
	}
	return nil
}

// ReloadRefused tells the ops channel, once until a reload succeeds, that
// a changed configuration was refused (the previous one stays in force).
// The error is the configuration's validation error: it names keys and
// lines, never their secret values.
func (o *Ops) ReloadRefused(ctx context.Context, cause error) error {
	text := fmt.Sprintf("⚠ The changed configuration was refused; the previous one stays in force: %s",
		human.Truncate(human.RedactURLs(cause.Error()), 1000))
	return o.report(ctx, opsConfig, cause.Error(), o.Now(), text, o.Now())
}

// Reloaded tells the ops channel that the configuration loaded again,
// when a refusal was reported.
func (o *Ops) Reloaded(ctx context.Context) error {
	return o.resolve(ctx, opsConfig, "✓ The configuration was reloaded.", o.Now())
}
