package schedule

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store"
)

// Digester queues a digest delivery per (rule, channel) when the rule's
// digest schedule fires, listing the stories matched since the last one.
type Digester struct {
	db    *store.DB
	mu    sync.RWMutex // guards rules, replaced on reload
	rules []bot.Rule
	loc   *time.Location // digest schedules are read in this zone
	log   *slog.Logger
	now   bot.Clock
}

// NewDigester returns a digester for the digest rules among rs.
func NewDigester(db *store.DB, rs []bot.Rule, loc *time.Location, log *slog.Logger, now bot.Clock) *Digester {
	return &Digester{db: db, rules: rs, loc: loc, log: log, now: now}
}

// Queue queues the digests that are due (all that have stories waiting when
// force is set) and returns how many it queued, and when the next one is due
// (zero when none is waiting).
func (g *Digester) Queue(ctx context.Context, force bool) (int, time.Time, error) {
	states, err := g.db.DigestStates(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	now := g.now()
	queued := 0
	var next time.Time
	for _, st := range states {
		r := g.rule(st.Rule)
		if r == nil || st.Pending == 0 {
			continue
		}
		// A digest posts at its schedule's times only: the first one after
		// the last digest at which a story was waiting. A time that passed
		// with nothing waiting is not owed (a story matched after a quiet
		// night waits for the next time, not for none).
		since := st.LastSent
		if st.Oldest.After(since) {
			since = st.Oldest
		}
		// In: a time the spring night skips (02:30) comes at 03:00.
		sched := In(r.Digest, g.loc)
		due := sched.Next(since)
		if first, ok := repeated(sched, due); ok && !st.LastSent.IsZero() && !st.LastSent.Before(first) {
			// The autumn night of daylight saving has 02:30 twice: a
			// digest posted at the first, or late after it, is not posted
			// again at the second (a half-hourly one is: it is due then
			// anyway). Instants, not clock faces: a rule's CRON_TZ= zone
			// and the default one read alike.
			due = sched.Next(due)
		}
		if !force && due.After(now) {
			if next.IsZero() || due.Before(next) {
				next = due
			}
			continue
		}
		ok, err := g.db.TakeDigest(ctx, st.Rule, st.Channel, now)
		if err != nil {
			return queued, next, err
		}
		if ok {
			queued++
			g.log.Info("digest queued", slog.String("rule", st.Rule), slog.String("channel", st.Channel), slog.Int("stories", st.Pending))
		}
	}
	return queued, next, nil
}

func (g *Digester) rule(name string) *bot.Rule {
	g.mu.RLock()
	defer g.mu.RUnlock()
	for i := range g.rules {
		if g.rules[i].Name == name && g.rules[i].Mode == bot.ModeDigest {
			return &g.rules[i]
		}
	}
	return nil
}

// QueueRule queues the waiting digests of one rule, in every channel, and
// returns how many it queued.
func (g *Digester) QueueRule(ctx context.Context, rule string) (int, error) {
	states, err := g.db.DigestStates(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, st := range states {
		if st.Rule != rule || st.Pending == 0 {
			continue
		}
		ok, err := g.db.TakeDigest(ctx, st.Rule, st.Channel, g.now())
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// SetRules replaces the rules whose digests it queues.
func (g *Digester) SetRules(rs []bot.Rule) {
	g.mu.Lock()
	g.rules = rs
	g.mu.Unlock()
}
