package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/store"
)

// The store's sentinel errors, for callers that reach it through Archive.
var (
	ErrNotFound   = store.ErrNotFound   // no such story
	ErrCorrection = store.ErrCorrection // a merge or split that cannot be made
)

// Archive answers the command set's questions from the store and makes its
// changes there (bot/command declares what it needs as small interfaces;
// Archive satisfies them).
type Archive struct {
	db    *store.DB
	mu    sync.RWMutex // guards rules and feeds, replaced on reload
	rules *ruleSet
	feeds feedSet
}

// NewArchive returns the archive over db; rs and fs are the rules and
// feeds a merged or split story is matched and alerted against.
func NewArchive(db *store.DB, rs []Rule, fs []Feed) *Archive {
	return &Archive{db: db, rules: newRuleSet(rs), feeds: newFeedSet(fs)}
}

// Story returns a story in its public shape; ErrNotFound when there is none.
func (a *Archive) Story(ctx context.Context, id int64) (*Story, error) {
	s, err := a.db.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	return NewStory(s), nil
}

// Stories returns the stories updated at or after since, the most recently
// updated first: at most limit of them.
func (a *Archive) Stories(ctx context.Context, since time.Time, limit int) ([]*Story, error) {
	list, err := a.db.Stories(ctx, since, limit)
	if err != nil {
		return nil, err
	}
	out := make([]*Story, 0, len(list))
	for _, s := range list {
		out = append(out, NewStory(s))
	}
	return out, nil
}

// Resolve returns the story that story id was merged into (id itself when
// it was not).
func (a *Archive) Resolve(ctx context.Context, id int64) (live int64, err error) {
	err = a.db.InTx(ctx, func(tx *store.Tx) error {
		live, err = tx.Resolve(ctx, id)
		return err
	})
	return live, err
}

// SearchStoryIDs is SearchStoryIDs over the archive's store.
func (a *Archive) SearchStoryIDs(ctx context.Context, req SearchRequest) ([]int64, error) {
	return SearchStoryIDs(ctx, a.db, req)
}

// FeedsHealth is FeedsHealth over the archive's store.
func (a *Archive) FeedsHealth(ctx context.Context, names []string) ([]FeedHealth, error) {
	return FeedsHealth(ctx, a.db, names)
}

// ChannelPause is a channel paused by a permanent error.
type ChannelPause struct {
	Channel  string
	PausedAt time.Time // the first permanent error
	Reason   string    // the latest error
	RetryAt  time.Time // when its deliveries are tried again
}

// PausedChannels returns the channels paused by a permanent error.
func (a *Archive) PausedChannels(ctx context.Context) ([]ChannelPause, error) {
	list, err := a.db.PausedChannels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChannelPause, 0, len(list))
	for _, p := range list {
		out = append(out, ChannelPause(*p))
	}
	return out, nil
}

// MutedUntil returns when each rule muted at now is unmuted, by rule name.
func (a *Archive) MutedUntil(ctx context.Context, now time.Time) (map[string]time.Time, error) {
	mutes, err := a.db.Mutes(ctx, now)
	if err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(mutes))
	for _, m := range mutes {
		out[m.Rule] = m.Until
	}
	return out, nil
}

// Mute silences a rule until then; by (a chat user id) muted it at at.
func (a *Archive) Mute(ctx context.Context, rule string, until time.Time, by string, at time.Time) error {
	return a.db.SetMute(ctx, &store.Mute{Rule: rule, Until: until, By: by, At: at})
}

// Unmute ends a rule's mute; it reports whether the rule was muted at now.
func (a *Archive) Unmute(ctx context.Context, rule string, now time.Time) (bool, error) {
	return a.db.Unmute(ctx, rule, now)
}

// Merge is Merge over the archive's store, rules and feeds.
func (a *Archive) Merge(ctx context.Context, into, from int64, now time.Time) error {
	set, fs := a.corrections()
	return merge(ctx, a.db, set, fs, into, from, now)
}

// AlertMessage returns the alert of a story in a channel as it would be
// sent now (a chat adapter re-renders a message with it after a
// correction): of the story it was merged into, when it was; ErrNotFound
// when there is no such story.
func (a *Archive) AlertMessage(ctx context.Context, channel string, storyID int64) (*Message, error) {
	live, err := a.db.Resolve(ctx, storyID)
	if err != nil {
		return nil, err
	}
	m := &Message{Kind: store.KindAlert, Channel: channel}
	if err := storyMessage(ctx, a.db, a.ruleList(), m, live, true); err != nil {
		return nil, err
	}
	return m, nil
}

// Split is Split over the archive's store, rules and feeds.
func (a *Archive) Split(ctx context.Context, storyID int64, rawURL string, now time.Time) (int64, error) {
	set, fs := a.corrections()
	return split(ctx, a.db, set, fs, storyID, rawURL, now)
}

// FeedHealth is how polling one configured feed goes.
type FeedHealth struct {
	Name        string
	Polled      bool // false: never polled yet
	LastSuccess time.Time
	LastError   string // "" when the last poll succeeded
	Failures    int    // consecutive failures
	NextPoll    time.Time
	RetryUntil  time.Time // its server asked for no poll before this (Retry-After); zero when it did not
	Items       int64
}

// FeedsHealth returns the health of the named feeds, in their order.
func FeedsHealth(ctx context.Context, db *store.DB, names []string) ([]FeedHealth, error) {
	states, err := db.FeedStates(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*store.FeedState, len(states))
	for _, s := range states {
		byName[s.Name] = s
	}
	out := make([]FeedHealth, 0, len(names))
	for _, n := range names {
		h := FeedHealth{Name: n}
		if st := byName[n]; st != nil {
			h.Polled, h.LastSuccess, h.LastError, h.Failures, h.NextPoll, h.RetryUntil, h.Items =
				true, st.LastSuccess, st.LastError, st.Failures, st.NextPoll, st.RetryUntil, st.ItemCount
		}
		out = append(out, h)
	}
	return out, nil
}

// Describe says in one line how the feed does, with URLs in its error
// redacted (they may carry tokens in their query).
func (h FeedHealth) Describe(loc *time.Location) string {
	if !h.Polled {
		return h.Name + ": never polled"
	}
	status := "ok"
	if h.LastError != "" {
		status = fmt.Sprintf("FAILING (%d in a row): %s", h.Failures, human.RedactURLs(h.LastError))
		if !h.RetryUntil.IsZero() {
			status += " (its server asked for no poll before " + human.Time(h.RetryUntil, loc) + ")"
		}
	}
	return fmt.Sprintf("%s: %s · last success %s · next poll %s · %s", h.Name, status,
		human.Time(h.LastSuccess, loc), human.Time(h.NextPoll, loc), human.Count(int(h.Items), "item", "items"))
}
