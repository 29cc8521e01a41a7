package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot/internal/chanrules"
	"github.com/wirewatch/wirewatch/bot/internal/proc"
	"github.com/wirewatch/wirewatch/bot/internal/senderr"
	"github.com/wirewatch/wirewatch/bot/internal/sentmark"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// pausedRetry is how long a channel with a permanent error waits.
const pausedRetry = time.Hour

// claimLease is how long a dispatcher holds a delivery it is sending; a
// claim that runs out (a process that hung) lets another send it.
const claimLease = 10 * time.Minute

// Dispatcher sends due deliveries from the outbox and marks them sent. It
// claims each delivery before sending it, so dispatchers of several
// processes on one database never send one twice.
type Dispatcher struct {
	owner   string // this dispatcher's claims: host, pid and a random part
	db      *store.DB
	mu      sync.RWMutex      // guards rules and senders, replaced on reload
	rules   *alertRules       // whose terms snippets show
	senders map[string]Sender // by channel name
	log     *slog.Logger
	now     Clock
	obs     Observer
	// Crash is called at points of deliveries (tests; set before use).
	Crash CrashHook
}

// SetObserver makes o hear of every delivery attempt (for metrics).
func (d *Dispatcher) SetObserver(o Observer) { d.obs = ObserverOr(o) }

// NewDispatcher returns a dispatcher sending to the given channels; its
// messages' snippets show the terms of rs.
func NewDispatcher(db *store.DB, rs []Rule, senders map[string]Sender, log *slog.Logger, now Clock) *Dispatcher {
	return &Dispatcher{owner: proc.NewOwner(), db: db, rules: newAlertRules(rs), senders: senders, log: log, now: now, obs: nopObserver{}}
}

// FlushResult counts one flush.
type FlushResult struct {
	Sent    int
	Failed  int // attempts that failed; those deliveries stay in the outbox
	Pending int // deliveries left in the outbox afterwards
}

// Flush sends the due deliveries, oldest first. With all, deliveries waiting
// for a retry time are tried now too (as `once` does). A channel whose send
// fails is skipped for the rest of the flush, so its messages keep their order.
func (d *Dispatcher) Flush(ctx context.Context, all bool) (FlushResult, error) {
	var last sentmark.Last
	res, err := d.flush(ctx, all, &last)
	// The last one sent went out whatever stopped the flush: it is
	// recorded even when shutting down.
	last.Record(context.WithoutCancel(ctx), d.db)
	if err != nil {
		return res, err
	}
	res.Pending, err = d.db.PendingDeliveries(ctx)
	return res, err
}

// flush is Flush but for marking the last delivery sent, which it leaves
// in last, and counting the deliveries left.
func (d *Dispatcher) flush(ctx context.Context, all bool, last *sentmark.Last) (FlushResult, error) {
	var res FlushResult
	due := d.now()
	if all {
		due = time.Unix(1<<40, 0)
	}
	list, err := d.db.DueDeliveries(ctx, due)
	if err != nil {
		return res, err
	}
	paused, err := d.pausedChannels(ctx)
	if err != nil {
		return res, err
	}
	blocked := map[string]bool{}
	lookedForDead := false
	for _, del := range list {
		if ctx.Err() != nil {
			break
		}
		if blocked[del.Channel] {
			continue
		}
		if p := paused[del.Channel]; p != nil && !all && p.RetryAt.After(due) {
			blocked[del.Channel] = true // paused: not tried before its retry time
			continue
		}
		sender, ok := d.sender(del.Channel)
		if !ok {
			// A channel removed from the config: keep its backlog, say so once.
			blocked[del.Channel] = true
			d.log.Warn("deliveries wait for a channel that is not configured", slog.String("channel", del.Channel))
			continue
		}
		got := d.send(ctx, sender, del, last)
		if got == unclaimed && !lookedForDead {
			// Claimed by another process: if that one died, its claims
			// end, and this delivery is tried again.
			lookedForDead = true
			released, err := proc.ReleaseDead(ctx, d.db, d.now(), d.log)
			if err != nil {
				return res, err
			}
			if released {
				got = d.send(ctx, sender, del, last)
			}
		}
		switch got {
		case unclaimed:
			// Another process is sending it (or just sent it): this
			// channel's later messages wait their turn.
			blocked[del.Channel] = true
			continue
		case notSent:
			blocked[del.Channel] = true
			res.Failed++
			if ctx.Err() != nil {
				return res, nil
			}
			continue
		}
		res.Sent++
		if paused[del.Channel] != nil {
			delete(paused, del.Channel)
			if ok, err := d.db.ResumeChannel(ctx, del.Channel); err != nil {
				d.log.Error("cannot record resumed channel", slog.String("channel", del.Channel), slog.Any("error", err))
			} else if ok {
				d.log.Info("channel resumed", slog.String("channel", del.Channel))
			}
		}
	}
	return res, nil
}

// pausedChannels returns the channels paused by a permanent error, by name.
func (d *Dispatcher) pausedChannels(ctx context.Context) (map[string]*store.ChannelPause, error) {
	list, err := d.db.PausedChannels(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*store.ChannelPause, len(list))
	for _, p := range list {
		out[p.Channel] = p
	}
	return out, nil
}

// The outcomes of send.
type outcome int

const (
	sent      outcome = iota // handed to the channel; marked sent later (sentmark)
	notSent                  // failed or refused; what became of it is recorded
	unclaimed                // another process holds it: not attempted
)

// send claims one delivery, sends it and records the outcome, and
// reports it. It handles its errors: each is logged here, once, and a
// delivery not sent stays in the outbox. A delivery sent is left in last,
// to be marked sent in the transaction of the next claim; the one in last
// before is marked sent in this one's.
func (d *Dispatcher) send(ctx context.Context, sender Sender, del *store.Delivery, last *sentmark.Last) outcome {
	log := d.log.With(slog.String("channel", del.Channel), slog.String("kind", del.Kind), slog.Int64("delivery", del.ID))
	// Claimed, rendered and marked started in one transaction: an outlet
	// ingested before is in the message, one ingested after finds it
	// started and gets an update of its own; none falls between.
	var m *Message
	var claimed *store.Delivery // its payload as it is now; nil when not claimed
	var renderErr error
	err := d.db.InView(ctx, func(v *store.DB) error {
		if err := last.Mark(ctx, v); err != nil {
			return err
		}
		var err error
		if claimed, err = v.ClaimDelivery(ctx, del.ID, d.owner, d.now(), d.now().Add(claimLease)); err != nil || claimed == nil {
			return err
		}
		_, plain := sender.(SnippetFree)
		if m, renderErr = d.render(ctx, v, claimed, !plain); renderErr != nil {
			return nil // claimed, not started: the failure is recorded below
		}
		if m.Resend, err = v.StartDelivery(ctx, del.ID, d.now()); err != nil {
			return err
		}
		return keepShown(ctx, v, claimed, m)
	})
	if err != nil {
		log.Error("cannot record delivery attempt", slog.Any("error", err))
		d.release(ctx, log, del)
		return notSent
	}
	last.Done()
	switch {
	case claimed == nil:
		return unclaimed
	case renderErr != nil:
		log.Error("cannot render delivery", slog.Any("error", renderErr))
		d.markFailed(ctx, log, del, renderErr, d.now().Add(pausedRetry))
		return notSent
	}
	d.Crash.at("send")
	remote, err := sender.Send(ctx, m)
	d.Crash.at("sent")
	if err != nil {
		if ctx.Err() != nil {
			// Shutting down: not the channel's fault, try again next start.
			d.release(context.WithoutCancel(ctx), log, del)
			return notSent
		}
		if IsRejected(err) {
			d.obs.Delivered(del.Channel, del.Kind, DeliveryRefused)
			log.Error("the channel refused this message; it is not sent again", slog.Any("error", err))
			if gerr := d.db.MarkGivenUp(ctx, del.ID, err.Error(), d.now()); gerr != nil {
				log.Error("cannot record refused delivery", slog.Any("error", gerr))
			}
			return notSent
		}
		// A rate limit's Retry-After is what the channel asked for: wait
		// exactly that (a chat platform asks for seconds); other errors back
		// off exponentially.
		wait := senderr.RetryAfterOf(err)
		if wait <= 0 {
			wait = feeds.Backoff(del.Attempts+1, 0)
		}
		next := d.now().Add(wait)
		result := DeliveryFailed
		if IsPermanent(err) {
			result = DeliveryPaused
			next = d.now().Add(pausedRetry)
			if newly, perr := d.db.PauseChannel(ctx, del.Channel, err.Error(), d.now(), next); perr != nil {
				log.Error("cannot record paused channel", slog.Any("error", perr))
			} else if newly {
				log.Error("channel paused: its deliveries wait in the outbox and are retried hourly", slog.Any("error", err))
			}
		}
		log.Warn("delivery failed; kept in the outbox", slog.Any("error", err),
			slog.Bool("permanent", IsPermanent(err)), slog.Time("retry_at", next))
		d.obs.Delivered(del.Channel, del.Kind, result)
		d.markFailed(ctx, log, del, err, next)
		return notSent
	}
	d.obs.Delivered(del.Channel, del.Kind, DeliverySent)
	last.Set(del.ID, remote, d.now(), log)
	return sent
}

// release gives up the claim on a delivery that was not attempted.
func (d *Dispatcher) release(ctx context.Context, log *slog.Logger, del *store.Delivery) {
	if err := d.db.ReleaseClaim(ctx, del.ID, d.owner); err != nil {
		log.Error("cannot release delivery", slog.Any("error", err))
	}
}

// markFailed records a failed attempt and when to try again; a failure to
// record it is logged (the delivery stays due).
func (d *Dispatcher) markFailed(ctx context.Context, log *slog.Logger, del *store.Delivery, cause error, next time.Time) {
	if err := d.db.MarkFailed(ctx, del.ID, cause.Error(), next); err != nil {
		log.Error("cannot record failed delivery", slog.Any("error", err))
	}
}

// render loads what a delivery shows from db: its stories as they are now
// (with the snippet when snippet is set).
func (d *Dispatcher) render(ctx context.Context, db *store.DB, del *store.Delivery, snippet bool) (*Message, error) {
	// Stories is an array in every delivery line, empty for a notice (or
	// a digest whose stories were all pruned), never null.
	m := &Message{ID: del.ID, Kind: del.Kind, Channel: del.Channel, Rule: del.Rule, Seq: del.Seq, Stories: []*Story{}}
	switch del.Kind {
	case store.KindAlert, store.KindUpdate:
		if err := storyMessage(ctx, db, d.ruleList(), m, del.StoryID, snippet); err != nil {
			return nil, err
		}
		if del.Kind == store.KindUpdate {
			p, err := decodeUpdate(del.Payload)
			if err != nil {
				return nil, err
			}
			m.New = p.New
			remote, err := db.AlertRemoteID(ctx, del.Channel, del.StoryID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			m.ReplyTo = remote
		}
	case store.KindNotice:
		var p store.NoticePayload
		if err := json.Unmarshal(del.Payload, &p); err != nil {
			return nil, fmt.Errorf("notice payload: %w", err)
		}
		m.Text, m.Rule = p.Text, ""
	case store.KindDigest:
		m.Matched = []string{del.Rule}
		var p digestPayload
		if err := json.Unmarshal(del.Payload, &p); err != nil {
			return nil, fmt.Errorf("digest payload: %w", err)
		}
		if p.Shown != nil {
			// Started before: shown as then, so that its parts are split
			// as the parts an earlier attempt may have posted.
			m.Stories = p.Shown
			break
		}
		// A story merged into another since the digest was queued is shown
		// as the story it went into, once.
		listed := make(map[int64]bool, len(p.Stories))
		for _, queued := range p.Stories {
			id, err := db.Resolve(ctx, queued)
			if err != nil {
				return nil, fmt.Errorf("digest story: %w", err)
			}
			if listed[id] {
				continue
			}
			listed[id] = true
			s, err := db.Story(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // pruned while the digest waited
			}
			if err != nil {
				return nil, fmt.Errorf("digest story %s: %w", strconv.FormatInt(id, 10), err)
			}
			m.Stories = append(m.Stories, NewStory(s))
		}
		// Most outlets first, then the latest.
		sort.SliceStable(m.Stories, func(i, j int) bool {
			a, b := m.Stories[i], m.Stories[j]
			if a.Sources != b.Sources {
				return a.Sources > b.Sources
			}
			return a.Updated.After(b.Updated)
		})
	default:
		return nil, fmt.Errorf("unknown delivery kind %q", del.Kind)
	}
	return m, nil
}

// digestPayload is the payload of a digest delivery as the dispatcher
// keeps it: the stories queued and, from its first attempt on, the stories
// it showed then, in their order. A digest posted in several messages is
// sent again as it was: its retry skips the parts posted already, and a
// story that gained outlets (or moved) meanwhile would otherwise fall
// between the parts, or be in two.
type digestPayload struct {
	store.DigestPayload
	Shown []*Story `json:"shown,omitempty"`
}

// keepShown records in a digest's payload the stories m shows, unless it
// holds them already (an earlier attempt's); other deliveries are left as
// they are.
func keepShown(ctx context.Context, db *store.DB, del *store.Delivery, m *Message) error {
	if del.Kind != store.KindDigest || len(m.Stories) == 0 {
		return nil
	}
	var p digestPayload
	if err := json.Unmarshal(del.Payload, &p); err != nil {
		return fmt.Errorf("digest payload: %w", err)
	}
	if p.Shown != nil {
		return nil
	}
	p.Shown = m.Stories
	payload, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return db.SetPayload(ctx, del.ID, payload)
}

// storyMessage fills m (of an alert or an update in m.Channel) with the
// story as it is now, the rules of the channel that match it and the
// snippet of why (when snippet is set).
func storyMessage(ctx context.Context, db *store.DB, rs *alertRules, m *Message, storyID int64, snippet bool) error {
	read := db.StoryOutline // the items' texts show only in the snippet
	if snippet {
		read = db.Story
	}
	s, err := read(ctx, storyID)
	if err != nil {
		return err
	}
	m.Stories = []*Story{NewStory(s)}
	causes := rs.Of(m.Channel, m.Stories[0].Rules)
	if snippet {
		texts := make(map[string]string, len(s.Items))
		for _, it := range s.Items {
			texts[it.URL] = it.Text
		}
		// MatchSnippet of the causes, without copying each Rule.
		queries := make([]*rules.Query, len(causes))
		for i, r := range causes {
			queries[i] = r.Query
		}
		m.Snippet = Snippet(m.Stories[0], texts, queries, SnippetRunes)
	}
	if len(causes) > 0 {
		m.Matched = make([]string, len(causes))
		for i, r := range causes {
			m.Matched[i] = r.Name
		}
	}
	return nil
}

// alertRules is the rules of a dispatcher, with the alert rules of each
// channel indexed by name.
type alertRules = chanrules.Set[Rule]

func newAlertRules(rs []Rule) *alertRules {
	return chanrules.NewSet(rs, func(r *Rule) (string, []string, bool) { return r.Name, r.Channels, r.Mode == ModeAlert })
}
