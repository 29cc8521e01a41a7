package bot_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store"
)

// TestPollClaimLost: a replica whose claim on a feed ran short sends no
// request and records no failure (no backoff: the replica that takes the
// feed over polls it); with the claim held, the poll goes on as usual.
func TestPollClaimLost(t *testing.T) {
	fs, srv := newFeedServer(t)
	f, p, feed := newPoller(t, srv)
	ctx := context.Background()
	fs.serve(http.StatusOK, `"v1"`, "", rss(f.Clock.Now(), itemKabulov, itemCSTO))

	asked := 0
	held := true
	claim := bot.WithClaim(ctx, func() bool { asked++; return held })
	held = false
	res, err := p.Poll(claim, feed)
	if !errors.Is(err, bot.ErrClaimLost) {
		t.Fatalf("Poll with the claim run short = %+v, %v; want ErrClaimLost", res, err)
	}
	if requests, _, _ := fs.last(); requests != 0 || asked != 1 {
		t.Errorf("the server saw %d requests (the claim was asked %d times), want none (asked once)", requests, asked)
	}
	st, err := f.DB.FeedState(ctx, feed.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		t.Fatal(err)
	case st.Failures != 0 || st.LastError != "" || !st.NextPoll.IsZero():
		t.Errorf("state after the poll left to another replica: %d failures (%q), next poll %v; want none recorded",
			st.Failures, st.LastError, st.NextPoll)
	}

	held = true
	res, err = p.Poll(claim, feed)
	if err != nil || res.New != 2 {
		t.Fatalf("Poll with the claim held = %+v, %v; want 2 new items", res, err)
	}
	if requests, _, _ := fs.last(); requests != 1 {
		t.Errorf("the server saw %d requests, want 1", requests)
	}
}
