package stories

import (
	"context"
	"strings"
	"testing"
)

func TestZZSeedsDebug(t *testing.T) {
	arts, err := readArticles(seedsPath)
	if err != nil {
		t.Skip()
	}
	g := NewSimilar(SimilarOptions{})
	l := &evalLookup{}
	for i := range arts {
		it := arts[i].item(false)
		it.Text = lede(arts[i].Text)
		_ = strings.Fields
		fp := g.fingerprint(it)
		g.prepare(&g.q, fp, it.Published.Unix())
		for _, st := range g.stories {
			e := g.storyEvidence(st)
			t.Logf("%s vs story %d: %.3f (thr %.3f) core %t maj %t %+v", arts[i].ID, st.id, g.tune.score(&e), g.threshold(), e.core, e.majority, e)
		}
		id, _ := g.Assign(context.Background(), l, it)
		if id == 0 {
			id = int64(i + 1)
		}
		g.Added(id, it)
		l.store(id, it)
	}
}
