package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestPlanIsSuperset: for random queries over random items, the index
// finds every item the matcher matches, and exactly those when the plan
// says it is exact.
func TestPlanIsSuperset(t *testing.T) {
	db := storetest.MustOpen(t)
	r := rand.New(rand.NewPCG(10, 14))
	vocab := strings.Fields("Kabulov kabul CSTO ОДКБ Кабулова Кабулов délisting delist border граница границы Taliban talks the")
	words := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	sources := []string{"tass.com", "news.bbc.co.uk", "ria.ru"}
	var items []*feeds.Item
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 150 {
		src := sources[r.IntN(len(sources))]
		items = append(items, &feeds.Item{Feed: "feed " + src, ID: fmt.Sprint(i), URL: fmt.Sprintf("https://%s/%d", src, i),
			Title: words(1 + r.IntN(5)), Text: words(r.IntN(12)), Source: src, Published: at})
	}
	ids := addItems(t, db, items...)
	term := func() string {
		w := vocab[r.IntN(len(vocab))]
		switch r.IntN(9) {
		case 0:
			return `"` + w + " " + vocab[r.IntN(len(vocab))] + `"`
		case 1:
			return `"` + w + " " + vocab[r.IntN(len(vocab))] + `"~` + fmt.Sprint(r.IntN(4))
		case 2:
			return "title:" + w
		case 3:
			return "text:" + w
		case 4:
			return "=" + w
		case 5:
			if len([]rune(w)) > 3 {
				return string([]rune(w)[:3]) + "*"
			}
		case 6:
			return "source:" + sources[r.IntN(len(sources))]
		}
		return w
	}
	var expr func(depth int) string
	expr = func(depth int) string {
		if depth == 0 {
			return term()
		}
		switch r.IntN(5) {
		case 0:
			return "(" + expr(depth-1) + " OR " + expr(depth-1) + ")"
		case 1:
			return "(" + expr(depth-1) + " " + expr(depth-1) + ")"
		case 2:
			return "(" + expr(depth-1) + " NOT " + expr(depth-1) + ")"
		case 3:
			return "(" + term() + " NEAR/2 " + term() + ")"
		}
		return term()
	}
	tried := 0
	for range 400 {
		src := expr(r.IntN(4))
		opts := rules.Options{}
		if r.IntN(3) == 0 {
			opts.Stem = rules.Russian
		}
		q, err := rules.ParseWith(src, opts)
		if err != nil {
			continue
		}
		plan := q.Plan()
		if plan.Op == rules.PlanAll {
			continue
		}
		tried++
		cand := map[int64]bool{}
		err = db.SearchItems(context.Background(), plan, time.Time{}, store.SearchOptions{}, func(it *store.Item, rank float64) error {
			cand[it.RowID] = true
			return nil
		})
		if err != nil {
			t.Fatalf("%s (plan %s): %v", src, plan, err)
		}
		for _, it := range items {
			matched := q.Match(rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed}))
			switch id := ids[it.ID]; {
			case matched && !cand[id]:
				t.Errorf("%s (plan %s): the index misses %q / %q", src, plan, it.Title, it.Text)
			case plan.Exact && !matched && cand[id]:
				t.Errorf("%s (exact plan %s): the index finds %q / %q, which does not match", src, plan, it.Title, it.Text)
			}
		}
	}
	if tried < 150 {
		t.Errorf("only %d queries tried", tried)
	}
}
