package stories

import (
	"cmp"
	"path/filepath"
	"slices"
	"testing"
)

// TestBackgroundOf: the background a record is scored with against one
// story (backgroundOf, which looks at the other stories only as far as it
// must) is the full background (background) wherever the story's members
// share the record's shingles, the only place scoring reads it.
func TestBackgroundOf(t *testing.T) {
	arts := readOrSkip(t, filepath.Join("testdata", "eval", "hard.jsonl"))
	_, g := evalRun(t, arts, false, SimilarOptions{}, nil, nil)
	var sts []*storyState
	for _, st := range g.stories {
		sts = append(sts, st)
	}
	slices.SortFunc(sts, func(a, b *storyState) int { return cmp.Compare(a.id, b.id) })
	checked, shared := 0, 0
	for i, a := range sts {
		r := a.members[0]
		for j := range 6 {
			// A story and the next few (by id) as the
			// others, the story among them first, last or not at all.
			others := []*storyState{}
			for k := 1; k <= 4; k++ {
				if c := sts[(i+j*5+k)%len(sts)]; c != a {
					others = append(others, c)
				}
			}
			st := others[j%len(others)]
			if j == 5 {
				st = sts[(i+1)%len(sts)]
				others = others[1:]
			}
			g.recordQuery(r)
			var own uint64
			for _, m := range g.compared(st) {
				own |= g.sketchOverlap(m).mask
			}
			if own != 0 {
				shared++
			}
			got, want := g.backgroundOf(st, others)&own, g.background(others)&own
			if got != want {
				t.Fatalf("story %d, record of story %d: background %x, want %x", st.id, a.id, got, want)
			}
			checked++
		}
	}
	if shared == 0 {
		t.Fatalf("none of %d comparisons shares a shingle: the test tells nothing", checked)
	}
	t.Logf("%d comparisons, %d sharing shingles", checked, shared)
}
