package bot_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestPollPassesOverUnchangedEntries: the entries of a changed feed that
// the last poll stored are not normalized again; an edited one is (it is
// revised), a new one is stored; an hour after a poll that normalized
// every entry, the next one does so again, and finds nothing new.
func TestPollPassesOverUnchangedEntries(t *testing.T) {
	fs, srv := newFeedServer(t)
	f, p, feed := newPoller(t, srv)
	ctx := context.Background()
	pub := f.Clock.Now()
	edited := itemCSTO
	edited.title = "CSTO holds drills in Tajikistan and Kyrgyzstan"
	steps := []struct {
		name                                           string
		items                                          []rssItem
		wait                                           time.Duration
		wantItems, wantUnchanged, wantNew, wantRevised int
	}{
		{"first poll", []rssItem{itemKabulov, itemCSTO}, 0, 2, 0, 2, 0},
		{"one edited, one new", []rssItem{itemKabulov, edited, itemDushanbe}, 10 * time.Minute, 3, 1, 1, 1},
		{"the same entries", []rssItem{itemKabulov, edited, itemDushanbe}, 10 * time.Minute, 3, 3, 0, 0},
		{"an hour after the first", []rssItem{itemKabulov, edited, itemDushanbe}, 40 * time.Minute, 3, 0, 0, 0},
		{"after that one", []rssItem{itemKabulov, edited, itemDushanbe}, 10 * time.Minute, 3, 3, 0, 0},
	}
	for i, st := range steps {
		f.Clock.Advance(st.wait)
		// A new ETag each time: the document is fetched whole.
		fs.serve(http.StatusOK, `"v`+string(rune('1'+i))+`"`, "", rss(pub, st.items...))
		res, err := p.Poll(ctx, feed)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if res.Items != st.wantItems || res.Unchanged != st.wantUnchanged || res.New != st.wantNew || res.Revised != st.wantRevised {
			t.Errorf("%s: %d items, %d unchanged, %d new, %d revised; want %d, %d, %d, %d", st.name,
				res.Items, res.Unchanged, res.New, res.Revised, st.wantItems, st.wantUnchanged, st.wantNew, st.wantRevised)
		}
	}
	if got := f.feedState(t, feed.Name).ItemCount; got != 3 {
		t.Errorf("ItemCount = %d, want 3", got)
	}
}
