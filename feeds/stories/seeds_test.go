package stories

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

// seedsPath is the five real articles wirewatch was specified from:
// private evaluation data kept outside the repository.
var seedsPath = filepath.Join("..", "..", "..", "shared", "seeds", "seeds.jsonl")

// lede is what a feed's summary carries of a page's text: its first
// paragraph of at least twenty words (menus and bylines come first on a
// page).
func lede(text string) string {
	for _, p := range strings.Split(text, "\n") {
		if len(strings.Fields(p)) >= 20 {
			return strings.TrimSpace(p)
		}
	}
	return firstParagraph(text)
}

// TestSeeds: the TASS interview of 2017 and its two re-reports form one
// story; the Sputnik statement of 2021 and the ambassador's 2020 statement
// stay apart. The items come feed by feed (one feed per outlet, each in
// date order), in every order of the four outlets, with their real dates.
func TestSeeds(t *testing.T) {
	arts := readOrSkip(t, seedsPath)
	bySource := map[string][]article{}
	var outlets []string
	for _, a := range arts {
		if bySource[a.Source] == nil {
			outlets = append(outlets, a.Source)
		}
		bySource[a.Source] = append(bySource[a.Source], a)
	}
	slices.Sort(outlets)
	for _, summary := range []bool{false, true} {
		for _, order := range permutations(outlets) {
			var items []article
			for _, o := range order {
				items = append(items, bySource[o]...)
			}
			pred := groupInOrder(t, items, summary)
			for i := range items {
				for j := i + 1; j < len(items); j++ {
					same, want := pred[i] == pred[j], items[i].Story == items[j].Story
					if same != want {
						t.Errorf("summary %t, outlets %v: %s and %s together %t, want %t",
							summary, order, items[i].ID, items[j].ID, same, want)
					}
				}
			}
		}
	}
}

// groupInOrder assigns the articles in the order given, as the pipeline
// does, and returns each one's story.
func groupInOrder(t *testing.T, arts []article, summary bool) []int64 {
	t.Helper()
	g := NewSimilar(SimilarOptions{})
	l := &evalLookup{}
	var next int64
	pred := make([]int64, len(arts))
	for i := range arts {
		it := arts[i].item(false)
		if summary {
			it.Text = lede(arts[i].Text)
		}
		if it.URL == "" {
			it.URL = "https://" + arts[i].Source + "/" + arts[i].ID
		}
		id := assignStore(t, g, l, &next, it)
		pred[i] = id
		for _, from := range g.Joins() {
			for j := range pred[:i] {
				if pred[j] == from {
					pred[j] = id
				}
			}
			l.merge(id, from)
			g.Merged(id, from)
		}
	}
	return pred
}

// permutations returns every order of xs.
func permutations(xs []string) [][]string {
	if len(xs) <= 1 {
		return [][]string{slices.Clone(xs)}
	}
	var out [][]string
	for i := range xs {
		rest := append(slices.Clone(xs[:i]), xs[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]string{xs[i]}, p...))
		}
	}
	return out
}

var _ = fmt.Sprint
var _ = time.Second
var _ feeds.Item
