package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// addItems stores one story per item and returns the items' ids by guid.
func addItems(t *testing.T, db *store.DB, items ...*feeds.Item) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for _, it := range items {
			it.Attribute()
			sid, err := tx.CreateStory(ctx, it.Title, it.ID, it.Published)
			if err != nil {
				return err
			}
			if ids[it.ID], err = tx.AddItem(ctx, it, nil, sid, it.Published); err != nil {
				return err
			}
			names[ids[it.ID]] = it.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// names maps the ids of the items addItems stored to their guids.
var names = map[int64]string{}

// candidates returns the guids the index finds for a query.
func candidates(t *testing.T, db *store.DB, query string, opts rules.Options, since time.Time) []string {
	t.Helper()
	q, err := rules.ParseWith(query, opts)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var got []string
	err = db.SearchItems(context.Background(), q.Plan(), since, store.SearchOptions{}, func(it *store.Item, rank float64) error {
		got = append(got, names[it.RowID])
		return nil
	})
	if err != nil {
		t.Fatalf("%s (plan %s): %v", query, q.Plan(), err)
	}
	slices.Sort(got)
	return got
}

func TestSearchItemsNarrows(t *testing.T) {
	db := storetest.MustOpen(t)
	old := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	item := func(id, title, text, source string, at time.Time) *feeds.Item {
		return &feeds.Item{Feed: "feed " + source, ID: id, URL: "https://" + source + "/" + id, Title: title, Text: text, Source: source, Published: at}
	}
	addItems(t, db,
		item("a", "Zamir Kabulov on the Taliban", "Russia's envoy Zamir Kabulov said talks go on.", "tass.com", old),
		item("b", "Кабулов: переговоры продолжатся", "Заявление спецпредставителя Замира Кабулова.", "ria.ru", now),
		item("c", "Délisting of the Taliban", "The UN committee weighs a délisting.", "news.un.org", now),
		item("d", "Football results", "Kabul club wins; Taliban officials attend.", "bbc.co.uk", now),
		item("e", "CSTO drills", "The CSTO holds drills near the Tajik-Afghan border.", "eurasianet.org", now),
	)
	cases := []struct {
		name, query string
		opts        rules.Options
		since       time.Time
		want        []string
	}{
		{"word", "kabulov", rules.Options{}, time.Time{}, []string{"a"}},
		{"phrase", `"zamir kabulov"`, rules.Options{}, time.Time{}, []string{"a"}},
		{"cyrillic folded", "КАБУЛОВ", rules.Options{}, time.Time{}, []string{"b"}},
		{"diacritics", "delisting", rules.Options{}, time.Time{}, []string{"c"}},
		{"prefix", "kabul*", rules.Options{}, time.Time{}, []string{"a", "d"}},
		{"prefix in phrase", `"zam* kabulov"`, rules.Options{}, time.Time{}, []string{"a"}},
		{"title field", "title:taliban", rules.Options{}, time.Time{}, []string{"a", "c"}},
		{"text field", "text:taliban", rules.Options{}, time.Time{}, []string{"d"}},
		{"not", "taliban NOT football", rules.Options{}, time.Time{}, []string{"a", "c"}},
		{"or", "csto OR délisting", rules.Options{}, time.Time{}, []string{"c", "e"}},
		{"proximity", `"csto border"~5`, rules.Options{}, time.Time{}, []string{"e"}},
		{"near", `csto NEAR/5 (border OR frontier)`, rules.Options{}, time.Time{}, []string{"e"}},
		{"source", "source:tass.com taliban", rules.Options{}, time.Time{}, []string{"a"}},
		{"source parent", "source:co.uk", rules.Options{}, time.Time{}, []string{"d"}},
		{"feed", `source:"feed ria.ru"`, rules.Options{}, time.Time{}, []string{"b"}},
		{"since", "taliban", rules.Options{}, now.Add(-time.Hour), []string{"c", "d"}},
		{"stemmed name", "Кабулов", rules.Options{Stem: rules.Russian}, time.Time{}, []string{"b"}},
		{"alias", "@envoy", rules.Options{Aliases: rules.Aliases{"envoy": {"Kabulov", "Кабулов"}}}, time.Time{}, []string{"a", "b"}},
		{"hyphen", "tajik-afghan", rules.Options{}, time.Time{}, []string{"e"}},
		{"no phrase from a title into its text", `"results kabul"`, rules.Options{}, time.Time{}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := candidates(t, db, c.query, c.opts, c.since); !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.query, got, c.want)
			}
		})
	}
}

func TestIndexFollowsRevisionsAndRetention(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	it := &feeds.Item{Feed: "f", ID: "x", URL: "https://x.org/x", Title: "Kabulov speaks", Text: "On the Taliban.", Source: "x.org", Published: at}
	ids := addItems(t, db, it)
	if got := candidates(t, db, "kabulov", rules.Options{}, time.Time{}); !slices.Equal(got, []string{"x"}) {
		t.Fatalf("before the edit: got %v, want [x]", got)
	}
	edited := *it
	edited.Title, edited.Text = "Lavrov speaks", "On the CSTO."
	edited.Attribute()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		ref, err := tx.ItemRef(ctx, "f", "x")
		if err != nil {
			return err
		}
		if ref.RowID != ids["x"] {
			t.Errorf("ref %d, want %d", ref.RowID, ids["x"])
		}
		_, err = tx.ReviseItem(ctx, ref, &edited, at.Add(time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := candidates(t, db, "kabulov", rules.Options{}, time.Time{}); len(got) != 0 {
		t.Errorf("the old version is still found: %v", got)
	}
	if got := candidates(t, db, "lavrov csto", rules.Options{}, time.Time{}); !slices.Equal(got, []string{"x"}) {
		t.Errorf("the edited version: got %v, want [x]", got)
	}
	if n, err := db.Prune(ctx, at.Add(48*time.Hour), at.Add(48*time.Hour)); err != nil || n != 1 {
		t.Fatalf("prune: %d stories, %v; want 1", n, err)
	}
	if got := candidates(t, db, "lavrov", rules.Options{}, time.Time{}); len(got) != 0 {
		t.Errorf("a pruned item is still found: %v", got)
	}
	if rows, err := db.IndexRows(ctx); err != nil || rows != 0 {
		t.Errorf("index rows after pruning everything: %d, %v; want 0", rows, err)
	}
}

func TestPruneInBatches(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	at := time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC)
	var items []*feeds.Item
	for i := range 300 {
		id := string(rune('a'+i%26)) + time.Duration(i).String()
		items = append(items, &feeds.Item{Feed: "f", ID: id, URL: "https://x.org/" + id, Title: "story " + id, Text: "common words", Source: "x.org", Published: at})
	}
	addItems(t, db, items...)
	keep := &feeds.Item{Feed: "f", ID: "keep", URL: "https://x.org/keep", Title: "fresh", Text: "common words", Source: "x.org", Published: at.AddDate(1, 0, 0)}
	addItems(t, db, keep)
	n, err := db.Prune(ctx, at.AddDate(0, 6, 0), at.AddDate(1, 0, 0))
	if err != nil || n != 300 {
		t.Fatalf("prune: %d stories, %v; want 300", n, err)
	}
	if got := candidates(t, db, "common", rules.Options{}, time.Time{}); !slices.Equal(got, []string{"keep"}) {
		t.Errorf("after pruning: got %v, want [keep]", got)
	}
}

// TestHugeItemIsStored: an item whose text holds more distinct words than
// PostgreSQL's tsvector takes (1 MB) is stored and found by its first
// words, on either store (on PostgreSQL it failed its poll's transaction,
// and so its feed's every poll after).
func TestHugeItemIsStored(t *testing.T) {
	db := storetest.MustOpen(t)
	var b strings.Builder
	b.WriteString("Kabulov opens the archive. ")
	for i := range 150_000 {
		fmt.Fprintf(&b, "w%x ", i*7919)
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	addItems(t, db, &feeds.Item{Feed: "f", ID: "huge", Title: "Archive", Text: b.String(), Source: "x.org", Published: at})
	if got := candidates(t, db, "kabulov", rules.Options{}, time.Time{}); !slices.Equal(got, []string{"huge"}) {
		t.Errorf("kabulov finds %v, want the huge item", got)
	}
}
