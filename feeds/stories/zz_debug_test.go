package stories

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestZZSeedsDebug(t *testing.T) {
	arts, err := readArticles(seedsPath)
	if err != nil {
		t.Skip()
	}
	order := strings.Split(os.Getenv("ZZ_ORDER"), ",")
	byID := map[string]article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	g := NewSimilar(SimilarOptions{})
	l := &evalLookup{}
	for i, id := range order {
		a := byID[id]
		it := a.item(false)
		if os.Getenv("ZZ_LEDE") != "" {
			it.Text = lede(a.Text)
		}
		fp := g.fingerprint(it)
		g.prepare(&g.q, fp, it.Published.Unix())
		for _, st := range g.stories {
			e := g.storyEvidence(st)
			t.Logf("%s vs story %d: %.3f core %t maj %t %+v", a.ID, st.id, g.tune.score(&e), e.core, e.majority, e)
		}
		id, _ := g.Assign(context.Background(), l, it)
		if id == 0 {
			id = int64(i + 1)
		}
		g.Added(id, it)
		l.store(id, it)
	}
}
