package store_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// Each item added to a story brings its latest time, its earliest and its
// title up to date: the earliest report's title, unless a wire agency's
// report is among its items.
func TestAddItemKeepsTheStoryUpToDate(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		name, id, source string
		at               time.Duration // published, after t0
		title            string        // the story's, after the item
		first, latest    time.Duration
	}{
		{"first", "a", "x.org", 0, "a", 0, 0},
		{"later", "b", "y.org", time.Hour, "a", 0, time.Hour},
		{"earlier", "c", "z.org", -time.Hour, "c", -time.Hour, time.Hour},
		{"between", "d", "x.org", 30 * time.Minute, "c", -time.Hour, time.Hour},
		{"a wire agency's, later", "e", "tass.com", 2 * time.Hour, "e", -time.Hour, 2 * time.Hour},
		{"earlier than all, after the agency's", "f", "y.org", -2 * time.Hour, "e", -2 * time.Hour, 2 * time.Hour},
		{"the same time as the latest", "g", "z.org", 2 * time.Hour, "e", -2 * time.Hour, 2 * time.Hour},
	}
	if feeds.WireOf("tass.com") == "" {
		t.Fatal("tass.com is no wire agency's outlet")
	}
	var storyID int64
	for _, s := range steps {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			it := &feeds.Item{Feed: "f", ID: s.id, URL: "https://" + s.source + "/" + s.id, Title: s.id,
				Source: s.source, Published: t0.Add(s.at), Dated: true}
			it.Attribute()
			if storyID == 0 {
				var err error
				if storyID, err = tx.CreateStory(ctx, it.Title, it.Title, it.Published); err != nil {
					return err
				}
			}
			_, err := tx.AddItem(ctx, it, nil, storyID, t0)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		st, err := db.Story(ctx, storyID)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if st.Title != s.title || !st.FirstSeen.Equal(t0.Add(s.first)) || !st.Updated.Equal(t0.Add(s.latest)) {
			t.Errorf("%s: title %q, first %v, latest %v; want %q, %v, %v", s.name, st.Title, st.FirstSeen.Sub(t0),
				st.Updated.Sub(t0), s.title, s.first, s.latest)
		}
	}
}

// ItemRef and StoryByURL answer the same, item by item, after
// LoadItemRefs looked the batch up, as the transaction adds, revises and
// moves items.
func TestLoadItemRefsAnswersAsItemRef(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	item := func(feed, id, title string) *feeds.Item {
		it := &feeds.Item{Feed: feed, ID: id, URL: "https://x.org/" + feed + "/" + id, Title: title, Source: "x.org", Published: t0, Hash: title}
		it.Attribute()
		return it
	}
	add := func(tx *store.Tx, it *feeds.Item, storyID int64) int64 {
		t.Helper()
		if storyID == 0 {
			var err error
			if storyID, err = tx.CreateStory(ctx, it.Title, it.Title, it.Published); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.AddItem(ctx, it, nil, storyID, t0); err != nil {
			t.Fatal(err)
		}
		return storyID
	}
	var s1, s2 int64
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		s1 = add(tx, item("f", "a", "a"), 0)
		s2 = add(tx, item("g", "a", "b"), 0) // the same ID in another feed
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		batch := []*feeds.Item{item("f", "a", "a"), item("g", "a", "b"), item("f", "new", "c"), item("f", "new", "c"), item("f", `q"\`, "d")}
		if err := tx.LoadItemRefs(ctx, batch); err != nil {
			return err
		}
		want := func(feed, id string, storyID int64, hash string) {
			t.Helper()
			ref, err := tx.ItemRef(ctx, feed, id)
			switch {
			case storyID == 0 && !errors.Is(err, store.ErrNotFound):
				t.Errorf("%s/%s: %+v, %v; want not found", feed, id, ref, err)
			case storyID != 0 && (err != nil || ref.StoryID != storyID || ref.Hash != hash):
				t.Errorf("%s/%s: %+v, %v; want story %d, hash %q", feed, id, ref, err, storyID, hash)
			}
		}
		want("f", "a", s1, "a")
		want("g", "a", s2, "b")
		want("f", "new", 0, "")
		want("f", `q"\`, 0, "")
		want("f", "unasked", 0, "")
		if _, err := tx.ItemRef(ctx, "f", "new"); err == nil || err.Error() != "item f/new: "+store.ErrNotFound.Error() {
			t.Errorf("f/new: error %v, want %q", err, "item f/new: "+store.ErrNotFound.Error())
		}
		byURL := func(url string, want int64) {
			t.Helper()
			if id, err := tx.StoryByURL(ctx, url, t0.Add(-time.Hour)); err != nil || id != want {
				t.Errorf("story by %s = %d, %v; want %d", url, id, err, want)
			}
		}
		byURL("https://x.org/f/a", s1)
		byURL("https://x.org/f/new", 0)
		byURL("https://x.org/f/unasked", 0)
		s3 := add(tx, item("f", "new", "c"), 0)
		want("f", "new", s3, "c")
		byURL("https://x.org/f/new", s3)
		ref, _ := tx.ItemRef(ctx, "g", "a")
		if _, err := tx.ReviseItem(ctx, ref, item("g", "a", "b2"), t0); err != nil {
			return err
		}
		want("g", "a", s2, "b2")
		if ok, err := tx.JoinStories(ctx, s3, s1, t0); err != nil || !ok {
			t.Fatalf("join: %v, %v", ok, err)
		}
		want("f", "a", s3, "a")
		want("f", "new", s3, "c")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// StoryFacts reads of the live story (a merged one's, followed) its rules
// (unless asked to leave them out) and the channels it was alerted in, and
// whether an outlet reported it.
func TestStoryFacts(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		a, err := addItem(ctx, tx, 0, "a", t0, t0)
		if err != nil {
			return err
		}
		b, err := addItem(ctx, tx, 0, "b", t0, t0)
		if err != nil {
			return err
		}
		for _, rs := range [][]string{{"r2"}, {"r1", "r2", "r1"}} { // one, then several (one known)
			if err := tx.AddStoryRules(ctx, a, rs, t0); err != nil {
				return err
			}
		}
		if err := tx.MarkAlerted(ctx, a, "ch", t0); err != nil {
			return err
		}
		check := func(id int64, source string, want store.StoryFacts) {
			t.Helper()
			want.RulesRead = true
			f, err := tx.StoryFacts(ctx, id, source, nil)
			if err != nil || !sameFacts(f, &want) {
				t.Errorf("facts of %d, %s = %+v, %v; want %+v", id, source, f, err, want)
			}
			// Asked whether its rules matter, given its alerts: read in a
			// second query when they do, left out when they do not.
			for _, matter := range []bool{true, false} {
				var asked []string
				f, err := tx.StoryFacts(ctx, id, source, func(alerted []string) bool {
					asked = alerted
					return matter
				})
				want := want
				if !matter {
					want.Rules, want.RulesRead = nil, false
				}
				if err != nil || !sameFacts(f, &want) || strings.Join(asked, ",") != strings.Join(want.Alerted, ",") {
					t.Errorf("facts of %d, %s (rules matter: %v) = %+v, %v, asked with %v; want %+v", id, source, matter, f, err, asked, want)
				}
			}
		}
		check(a, "x.org", store.StoryFacts{ID: a, HasSource: true, Rules: []string{"r1", "r2"}, Alerted: []string{"ch"}})
		check(a, "y.org", store.StoryFacts{ID: a, Rules: []string{"r1", "r2"}, Alerted: []string{"ch"}})
		check(b, "x.org", store.StoryFacts{ID: b, HasSource: true})
		check(999, "x.org", store.StoryFacts{ID: 999})
		if ok, err := tx.JoinStories(ctx, b, a, t0); err != nil || !ok {
			t.Fatalf("join: %v, %v", ok, err)
		}
		check(a, "x.org", store.StoryFacts{ID: b, HasSource: true, Rules: []string{"r1", "r2"}, Alerted: []string{"ch"}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sameFacts reports whether two facts say the same.
func sameFacts(f, g *store.StoryFacts) bool {
	return f.ID == g.ID && f.HasSource == g.HasSource && f.RulesRead == g.RulesRead &&
		strings.Join(f.Rules, ",") == strings.Join(g.Rules, ",") && strings.Join(f.Alerted, ",") == strings.Join(g.Alerted, ",")
}

// Updates says an alert waits as a look for an unsent alert would, for
// alerts queued before the transaction and in it, and after a join moves
// them.
func TestAlertWaits(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	alert := func(tx *store.Tx, ch string, story int64) error {
		return tx.Enqueue(ctx, &store.Delivery{Channel: ch, Kind: store.KindAlert, StoryID: story, Created: t0})
	}
	var before int64
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if before, err = addItem(ctx, tx, 0, "a", t0, t0); err != nil {
			return err
		}
		return alert(tx, "ch1", before)
	}); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		waits := func(ch string, story int64, want bool) {
			t.Helper()
			if got, err := tx.Updates(ctx, ch, story); err != nil || got.AlertWaits != want {
				t.Errorf("alert waits in %s for %d = %+v, %v; want %v", ch, story, got, err, want)
			}
		}
		now, err := addItem(ctx, tx, 0, "b", t0, t0)
		if err != nil {
			return err
		}
		waits("ch1", now, false)
		if err := alert(tx, "ch1", now); err != nil {
			return err
		}
		if err := alert(tx, "ch2", now); err != nil {
			return err
		}
		waits("ch1", now, true)
		waits("ch2", now, true)
		waits("ch1", before, true)
		waits("ch2", before, false)
		if ok, err := tx.JoinStories(ctx, before, now, t0); err != nil || !ok {
			t.Fatalf("join: %v, %v", ok, err)
		}
		waits("ch1", now, false) // the story's alerts moved, or went (ch1 had one)
		waits("ch2", now, false)
		waits("ch1", before, true)
		waits("ch2", before, true)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Story reads a story's row, rules and items (with revisions once one was
// edited); a story that does not exist is ErrNotFound.
func TestStoryHead(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var id int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = addItem(ctx, tx, 0, "a", t0, t0); err != nil {
			return err
		}
		return tx.AddStoryRules(ctx, id, []string{"r2", "r1"}, t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.Story(ctx, id)
	if err != nil || s.Title != "a" || !s.FirstSeen.Equal(t0) || strings.Join(s.Rules, ",") != "r1,r2" || len(s.Items) != 1 || s.Items[0].Revisions != nil {
		t.Fatalf("story = %+v, %v; want a, rules r1,r2, one item without revisions", s, err)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		ref, err := tx.ItemRef(ctx, "f", "a")
		if err != nil {
			return err
		}
		it := &feeds.Item{Feed: "f", ID: "a", Title: "a2", Hash: "2"}
		prev, err := tx.ReviseItem(ctx, ref, it, t0.Add(time.Hour))
		if prev.Rev != 1 || prev.Title != "a" {
			t.Errorf("previous version = %+v, want revision 1 titled a", prev)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, err = db.Story(ctx, id); err != nil || s.Title != "a2" || len(s.Items) != 1 || len(s.Items[0].Revisions) != 1 || s.Items[0].Revisions[0].Title != "a" {
		t.Fatalf("story after an edit = %+v, %v; want a2, one revision titled a", s, err)
	}
	if _, err := db.Story(ctx, id+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a story that does not exist: %v, want ErrNotFound", err)
	}
}

// StoryOutline reads what Story does but the items' texts, edited items
// and their revisions included.
func TestStoryOutline(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var id int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = tx.CreateStory(ctx, "a", "a", t0); err != nil {
			return err
		}
		for i, src := range []string{"tass.com", "reuters.com", "tass.com"} {
			it := &feeds.Item{Feed: "f", ID: strconv.Itoa(i), URL: "https://" + src + "/" + strconv.Itoa(i), Title: "a",
				Text: "the text of " + strconv.Itoa(i), Source: src, Published: t0.Add(time.Duration(i) * time.Minute)}
			it.Attribute()
			if _, err := tx.AddItem(ctx, it, nil, id, t0); err != nil {
				return err
			}
		}
		ref, err := tx.ItemRef(ctx, "f", "1")
		if err != nil {
			return err
		}
		_, err = tx.ReviseItem(ctx, ref, &feeds.Item{Feed: "f", ID: "1", Title: "a2", Text: "edited", Hash: "2"}, t0.Add(time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := db.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.StoryOutline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range want.Items {
		if it.Text == "" {
			t.Fatalf("Story's item %s has no text", it.ID)
		}
		it.Text = ""
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StoryOutline = %+v, want Story without texts %+v", got, want)
	}
	if _, err := db.StoryOutline(ctx, id+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a story that does not exist: %v, want ErrNotFound", err)
	}
}
