package stories

import (
	"strings"
	"testing"
)

func TestZZKeys(t *testing.T) {
	arts, err := readArticles(seedsPath)
	if err != nil {
		t.Skip()
	}
	for _, a := range arts[:3] {
		for _, flat := range []bool{false, true} {
			text := a.Text
			if flat {
				text = strings.Join(strings.Fields(text), " ")
			}
			var sc scratch
			p := NewSimilar(SimilarOptions{}).p
			var fp fingerprint
			sc.fingerprint(a.Title, text, &p, &fp)
			t.Logf("%s flat=%t keys %d names %d words %d lang %d", a.ID, flat, len(fp.keys), countKind(fp.kinds, keyName), fp.words, fp.lang)
		}
	}
}

func countKind(ks []uint8, k uint8) int {
	n := 0
	for _, x := range ks {
		if x&k != 0 {
			n++
		}
	}
	return n
}
