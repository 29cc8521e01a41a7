package bot_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// TestPollCommitsWhileSearchHeld: a search held in the middle of its scan
// (its candidates' confirmation blocked) keeps no poll from committing new
// items; the search then finishes, and the next one finds them.
func TestPollCommitsWhileSearchHeld(t *testing.T) {
	f := bottest.New(t, nil, nil, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "desk"))
	at := bottest.Start().Add(-time.Hour)
	var items []feeds.Item
	for i := range 600 { // more than a page of candidates
		items = append(items, bottest.Item(fmt.Sprintf("old-%d", i), "tass.com", fmt.Sprintf("Kabulov statement %d on talks number %d", i, i*7), at))
	}
	f.Ingest(t, items...)

	q := bottest.MustQuery(t, "kabulov")
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		first := true
		done <- f.DB.SearchItems(context.Background(), q.Plan(), time.Time{}, store.SearchOptions{Text: true}, func(it *store.Item, rank float64) error {
			if first {
				first = false
				close(held)
				<-release
			}
			return nil
		})
	}()
	<-held
	// The poll: new items, their story and their alert in one transaction.
	res := f.Ingest(t, bottest.Item("new", "tolonews.com", "Kabulov meets the Taliban in Kazan", bottest.Start()))
	if res.New != 1 {
		t.Errorf("the poll stored %d new items while the search was held, want 1", res.New)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("the held search: %v", err)
	}
	ids, err := bot.SearchStoryIDs(context.Background(), f.DB, bot.SearchRequest{Query: bottest.MustQuery(t, "kazan"), Now: bottest.Start()})
	if err != nil || len(ids) != 1 {
		t.Errorf("search kazan after the poll: %v, %v; want one story", ids, err)
	}
}

// TestSearchFinds: phrase, Cyrillic, alias, field, prefix, stemmed name,
// outlet and time window, ranked by relevance, recency and outlets.
func TestSearchFinds(t *testing.T) {
	f := bottest.New(t, nil, nil)
	now := bottest.Start()
	item := func(id, source, title, text string, at time.Time) feeds.Item {
		it := bottest.Item(id, source, title, at)
		it.Text = text
		return it
	}
	f.Ingest(t,
		item("a", "tass.com", "Zamir Kabulov on the Taliban", "Russia's envoy said talks go on.", now.AddDate(-6, 0, 0)),
		item("b", "ria.ru", "Кабулова спросили о талибах", "Заявление спецпредставителя.", now.Add(-time.Hour)),
		item("c", "news.un.org", "Délisting of Taliban officials", "The committee weighs a délisting.", now.Add(-2*time.Hour)),
		item("d", "bbc.co.uk", "Football results", "Kabul club wins; the Taliban attend.", now.Add(-3*time.Hour)),
		item("e", "eurasianet.org", "CSTO drills on the Tajik-Afghan border", "Drills of the ОДКБ.", now.Add(-4*time.Hour)),
	)
	titles := func(ids []int64) []string {
		var out []string
		for _, id := range ids {
			s, err := f.DB.Story(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s.Title)
		}
		return out
	}
	aliases := rules.Aliases{"csto": {"CSTO", "ОДКБ"}}
	cases := []struct {
		name, query string
		opts        rules.Options
		since       time.Duration
		want        []string
	}{
		{"phrase", `"zamir kabulov"`, rules.Options{}, 0, []string{"Zamir Kabulov on the Taliban"}},
		{"cyrillic name inflected", "Кабулов", rules.Options{Stem: rules.Russian}, 0, []string{"Кабулова спросили о талибах"}},
		{"alias", "@csto", rules.Options{Aliases: aliases}, 0, []string{"CSTO drills on the Tajik-Afghan border"}},
		{"field", "title:taliban", rules.Options{}, 0, []string{"Délisting of Taliban officials", "Zamir Kabulov on the Taliban"}},
		{"prefix", "kabul*", rules.Options{}, 0, []string{"Football results", "Zamir Kabulov on the Taliban"}},
		{"diacritics", "delisting", rules.Options{}, 0, []string{"Délisting of Taliban officials"}},
		{"time window", "taliban", rules.Options{}, 24 * time.Hour, []string{"Délisting of Taliban officials", "Football results"}},
		{"all history", "kabulov", rules.Options{}, 0, []string{"Zamir Kabulov on the Taliban"}},
		{"outlet", "source:co.uk taliban", rules.Options{}, 0, []string{"Football results"}},
		{"regexp, scanned", "/tajik-afghan/", rules.Options{Regexp: true}, 0, []string{"CSTO drills on the Tajik-Afghan border"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := rules.ParseWith(c.query, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			req := bot.SearchRequest{Query: q, Now: now}
			if c.since > 0 {
				req.Since = now.Add(-c.since)
			}
			ids, err := bot.SearchStoryIDs(context.Background(), f.DB, req)
			if err != nil {
				t.Fatal(err)
			}
			got := titles(ids)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: got %q, want %q", c.query, got, c.want)
			}
		})
	}
}

// TestSearchCut: a search whose time is up says so (ErrSearchCut).
func TestSearchCut(t *testing.T) {
	f := bottest.New(t, nil, nil)
	f.Ingest(t, bottest.Item("a", "tass.com", "Kabulov speaks", bottest.Start()))
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := bot.SearchStoryIDs(ctx, f.DB, bot.SearchRequest{Query: bottest.MustQuery(t, "kabulov")})
	if err != bot.ErrSearchCut {
		t.Errorf("a search past its deadline: %v, want ErrSearchCut", err)
	}
}

// TestSearchLimitRanksAsAll: a search with a limit, which reads only the
// stories that may make its page (newest stored candidates first, a chunk
// at a time), returns the first stories of the same search without one:
// over thousands of candidates in stories of equal relevance and one
// outlet (so that recency alone orders them), whose newest candidates the
// matcher rejects, with an archive stored last, and with a time window.
func TestSearchLimitRanksAsAll(t *testing.T) {
	f := bottest.New(t, nil, nil)
	ctx := context.Background()
	now := bottest.Start()
	// Every title has six words, one of them unique, so that no two
	// items' relevance differs and none of them is a phrase's match by
	// accident: "kabulov envoy" matches kabulov NEAR/1 envoy, "kabulov
	// said more to the envoy" is only its candidate.
	add := func(tx *store.Tx, n int, title string, published, stored time.Time) error {
		sid, err := tx.CreateStory(ctx, title, fmt.Sprint(n), published)
		if err != nil {
			return err
		}
		it := bottest.Item(fmt.Sprint("i", n), "tass.com", title, published)
		_, err = tx.AddItem(ctx, &it, nil, sid, stored)
		return err
	}
	const stories = 2600 // more than the first chunk of candidates
	for from := 0; from < stories; from += 200 {
		err := f.DB.InTx(ctx, func(tx *store.Tx) error {
			for n := from; n < min(from+200, stories); n++ {
				// Stored oldest first, each dated when stored; the newest
				// 2,200 only candidates of the NEAR query.
				at := now.Add(-time.Duration(stories-n) * 8 * time.Hour)
				title := fmt.Sprintf("kabulov envoy w%d said it today", n)
				if n >= stories-2200 {
					title = fmt.Sprintf("kabulov w%d said to the envoy", n)
				}
				if err := add(tx, n, title, at, at); err != nil {
					return err
				}
			}
			// An archive of old stories, stored last.
			if from+200 >= stories {
				for n := stories; n < stories+50; n++ {
					at := now.AddDate(-5, 0, n-stories)
					if err := add(tx, n, fmt.Sprintf("kabulov envoy w%d said it today", n), at, now); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		query string
		since time.Duration
		limit int
	}{
		{"kabulov", 0, 20},
		{"kabulov NEAR/1 envoy", 0, 20},
		{"kabulov NEAR/1 envoy", 0, 1},
		{"kabulov NEAR/1 envoy", 200 * 24 * time.Hour, 20},
		{"kabulov -w2599", 0, 60},
	} {
		t.Run(fmt.Sprint(c.query, c.since, c.limit), func(t *testing.T) {
			req := bot.SearchRequest{Query: bottest.MustQuery(t, c.query), Now: now}
			if c.since > 0 {
				req.Since = now.Add(-c.since)
			}
			all, err := bot.SearchStoryIDs(ctx, f.DB, req)
			if err != nil {
				t.Fatal(err)
			}
			req.Limit = c.limit
			got, err := bot.SearchStoryIDs(ctx, f.DB, req)
			if err != nil {
				t.Fatal(err)
			}
			if want := all[:min(len(all), c.limit)]; !slices.Equal(got, want) {
				t.Errorf("with limit %d: %v, want the first of all %d: %v", c.limit, got, len(all), want)
			}
		})
	}
}
