package stories

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKindSumsNorms checks that the sums by kinds add up to the seven
// sums the keys belong to, as summed key by key.
func TestKindSumsNorms(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		var s kindSums
		var want norms
		for range r.IntN(200) {
			k, kind, w2 := r.Uint32(), uint8(r.IntN(1<<keyKinds)), r.Float64()*50
			s.add(k, kind, w2)
			want.all += w2
			for _, x := range []struct {
				in  bool
				sum *float64
			}{
				{kind&keyName != 0, &want.names},
				{kind&keyTitle != 0, &want.title},
				{kind&keyLead != 0, &want.lead},
				{kind&keySpeaker != 0, &want.spk},
				{kind&keyName != 0 && kind&(keyTitle|keyLead) != 0, &want.leadNames},
				{k&1 != 0, &want.nums},
			} {
				if x.in {
					*x.sum += w2
				}
			}
		}
		got := s.norms()
		for _, p := range [][2]float64{{got.all, want.all}, {got.names, want.names}, {got.title, want.title}, {got.lead, want.lead},
			{got.spk, want.spk}, {got.leadNames, want.leadNames}, {got.nums, want.nums}} {
			if math.Abs(p[0]-p[1]) > 1e-9*(1+p[1]) {
				t.Fatalf("norms %+v, want %+v", got, want)
			}
		}
	}
}
