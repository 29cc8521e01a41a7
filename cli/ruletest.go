package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/human"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// `rules test` matches a rule against the stored items as the pipeline
// does (the compiled matcher, with the rule's exclude, feeds and tags, the
// feeds' tags and languages from the configuration) and shows, per
// matching story, each matching item's matched words in context and why
// the rule matched it (Query.Why: which alternative, which alias entry).

// testRule compiles a configured rule (its query possibly replaced by
// -query) as the pipeline would; a rule named "-query" is a query alone.
func testRule(cfg *config.Config, r config.Rule) (bot.Rule, error) {
	opts := cfg.SearchOptions()
	if r.Name != "-query" {
		opts = cfg.RuleOptions(r)
	}
	q, err := rules.ParseWith(r.Query, opts)
	if err != nil {
		return bot.Rule{}, fmt.Errorf("query: %w", err)
	}
	br := bot.Rule{Name: r.Name, Query: q, Feeds: r.Feeds, Tags: r.Tags}
	if strings.TrimSpace(r.Exclude) != "" {
		if br.Exclude, err = rules.ParseWith(r.Exclude, opts); err != nil {
			return bot.Rule{}, fmt.Errorf("exclude: %w", err)
		}
	}
	return br, nil
}

// ruleMatch is one stored item a rule matches.
type ruleMatch struct {
	item  *store.Item
	spans []rules.Span
	why   string
}

// ruleTest is what a rule matched, by story, the story of the newest
// matching item first.
type ruleTest struct {
	rule     bot.Rule
	since    time.Time // the items published from then on were tried (zero: all)
	stories  []int64
	matches  map[int64][]ruleMatch
	items    int  // matching items
	read     int  // items read: the index's candidates, or those scanned
	narrowed bool // the full-text index narrowed the items to candidates
}

// runRuleTest matches r against the items published at or after since, as
// search does: the full-text index narrows them to the candidates of r's
// query (bot.Candidates), and the rule's matcher (with its exclude, feeds
// and tags) confirms them; a query the index cannot narrow is matched
// against every item, and a scan cut short (bot.MaxSearchScan) returns
// what it found and bot.ErrSearchCut.
func runRuleTest(ctx context.Context, db *store.DB, cfg *config.Config, r bot.Rule, since time.Time) (*ruleTest, error) {
	m := bot.Matcher([]bot.Rule{r})
	feeds := make(map[string]config.Feed, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		feeds[f.Name] = f
	}
	plan := r.Query.Plan()
	res := &ruleTest{rule: r, since: since, matches: map[int64][]ruleMatch{}, narrowed: plan.Op != rules.PlanAll}
	var found []ruleMatch
	err := bot.Candidates(ctx, db, plan, since, store.SearchOptions{Text: true}, func(it *store.Item, _ float64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		res.read++
		f := feeds[it.Feed]
		doc := rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed, Tags: f.Tags, Lang: f.Lang})
		if hits := m.Match(doc); len(hits) > 0 {
			found = append(found, ruleMatch{item: it, spans: hits[0].Spans, why: r.Query.Why(doc)})
		}
		return nil
	})
	// The index gives its candidates newest stored first: order the
	// matches as a scan reads them, newest published first.
	slices.SortStableFunc(found, func(a, b ruleMatch) int {
		if c := b.item.Published.Compare(a.item.Published); c != 0 {
			return c
		}
		return cmp.Compare(b.item.RowID, a.item.RowID)
	})
	for _, fm := range found {
		id := fm.item.StoryID
		if _, ok := res.matches[id]; !ok {
			res.stories = append(res.stories, id)
		}
		res.matches[id] = append(res.matches[id], fm)
	}
	res.items = len(found)
	return res, err
}

// storyOf returns a matching story as stored now (nil when pruned).
func storyOf(ctx context.Context, db *store.DB, id int64) (*store.Story, error) {
	s, err := db.Story(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return s, err
}

// writeJSON prints up to limit matching stories (limit <= 0: all) as JSON
// lines, as search -json does.
func (t *ruleTest) writeJSON(ctx context.Context, db *store.DB, w io.Writer, limit int) error {
	enc := json.NewEncoder(w)
	for i, id := range t.stories {
		if limit > 0 && i >= limit {
			break
		}
		s, err := storyOf(ctx, db, id)
		if err != nil {
			return failed(fmt.Errorf("wirewatch rules test: %w", err))
		}
		if s != nil {
			if err := enc.Encode(bot.NewStory(s)); err != nil {
				return failed(fmt.Errorf("wirewatch rules test: %w", err))
			}
		}
	}
	return nil
}

// itemsShown is how many matching items of a story rules test shows.
const itemsShown = 3

// contextRunes is about how many runes of an item's text rules test shows
// around its matched words.
const contextRunes = 200

// write prints up to limit matching stories (limit <= 0: all): per story
// its title, then per matching item where it is from, why it matched and
// its matched words in context (mark highlights them); then the count.
func (t *ruleTest) write(ctx context.Context, db *store.DB, w io.Writer, loc *time.Location, limit int, sinceArg string, mark func(string) string) error {
	for i, id := range t.stories {
		if limit > 0 && i >= limit {
			fmt.Fprintf(w, "… and %s more (-limit)\n\n", human.Count(len(t.stories)-limit, "story", "stories"))
			break
		}
		s, err := storyOf(ctx, db, id)
		if err != nil {
			return failed(fmt.Errorf("wirewatch rules test: %w", err))
		}
		title := fmt.Sprintf("story %d (pruned)", id)
		if s != nil {
			title = s.Title
		}
		fmt.Fprintf(w, "#%d  %s\n", id, title)
		ms := t.matches[id]
		for k, m := range ms {
			if k == itemsShown {
				fmt.Fprintf(w, "     … and %s more\n", human.Count(len(ms)-k, "matching item", "matching items"))
				break
			}
			writeMatch(w, m, loc, mark)
		}
		fmt.Fprintln(w)
	}
	scope := "in all stored items"
	if sinceArg != "" {
		scope = "in the items of the last " + sinceArg
	}
	name := t.rule.Name
	if name == "-query" {
		name = "the query"
	}
	read := human.Count(t.read, "item", "items") + " read"
	if t.narrowed {
		read += " (the full-text index's candidates)"
	}
	fmt.Fprintf(w, "%s matched %s (%s) %s; %s\n", name, human.Count(len(t.stories), "story", "stories"),
		human.Count(t.items, "item", "items"), scope, read)
	if len(t.stories) == 0 && !t.since.IsZero() {
		// When every stored item is older than the window (sample feeds,
		// a backlog), say so, and how to try them.
		latest, err := db.Stories(ctx, time.Time{}, 1)
		if err != nil {
			return failed(fmt.Errorf("wirewatch rules test: %w", err))
		}
		if len(latest) > 0 && latest[0].Updated.Before(t.since) {
			fmt.Fprintf(w, "no stored item is that recent: the latest story was updated %s; -since '' tries them all\n",
				human.Time(latest[0].Updated, loc))
		}
	}
	return nil
}

// writeMatch prints one matching item: its source, date and why; its
// matched words; its title and its text around them.
func writeMatch(w io.Writer, m ruleMatch, loc *time.Location, mark func(string) string) {
	it := m.item
	fmt.Fprintf(w, "     %s · %s · %s\n", it.Source, human.Time(it.Published, loc), it.URL)
	fmt.Fprintf(w, "       why: %s\n", m.why)
	var words []string
	fields := [2][]rules.Span{}
	for _, sp := range m.spans {
		fields[sp.Field] = append(fields[sp.Field], sp)
		src := it.Title
		if sp.Field == rules.Text {
			src = it.Text
		}
		if word := human.CollapseSpace(src[sp.Start:sp.End]); !slices.Contains(words, word) {
			words = append(words, word)
		}
	}
	if len(words) > 0 {
		fmt.Fprintf(w, "       matched: %s\n", strings.Join(words, ", "))
	}
	fmt.Fprintf(w, "       title: %s\n", inContext(it.Title, fields[rules.Title], 0, mark))
	if len(fields[rules.Text]) > 0 {
		fmt.Fprintf(w, "       text: %s\n", inContext(it.Text, fields[rules.Text], contextRunes, mark))
	}
}

// inContext returns about width runes of s (all of it when width is 0)
// around its first span, white space collapsed, each span within passed
// through mark; "…" where it is cut.
func inContext(s string, spans []rules.Span, width int, mark func(string) string) string {
	from, to := 0, len(s)
	if width > 0 && len(spans) > 0 && utf8.RuneCountInString(s) > width {
		from = wordBack(s, spans[0].Start, width/3)
		to = wordForward(s, from, width)
		if to < spans[0].End {
			to = spans[0].End
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, sp := range spans {
		if sp.Start < at || sp.End > to {
			continue
		}
		b.WriteString(human.CollapseSpace(s[at:sp.Start]))
		b.WriteString(mark(s[sp.Start:sp.End]))
		at = sp.End
	}
	b.WriteString(human.CollapseSpace(s[at:to]))
	if to < len(s) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// wordBack returns the start of the word about n runes before byte i of s.
func wordBack(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= size
	}
	return i
}

// wordForward returns the end of the word about n runes after byte i of s.
func wordForward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}
