package tables

import (
	"math/rand/v2"
	"testing"
)

// TestKeyIndex checks KeyIndex against a map: keys set, overwritten and
// looked up, absent ones included, across growth.
func TestKeyIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var ki KeyIndex
	want := map[uint32]int32{}
	for i := range 200_000 {
		k := r.Uint32N(50_000) * 7 // repeats, and key 0
		if r.IntN(4) == 0 {
			k = r.Uint32()
		}
		ki.Set(k, int32(i))
		want[k] = int32(i)
		if i%1000 == 0 {
			check := func(k uint32) {
				got, ok := ki.Get(k)
				w, wok := want[k]
				if got != w || ok != wok {
					t.Fatalf("get(%d) = %d, %v; want %d, %v", k, got, ok, w, wok)
				}
			}
			for range 200 {
				check(r.Uint32N(60_000) * 7)
				check(r.Uint32())
			}
		}
	}
	if ki.n != len(want) {
		t.Fatalf("n = %d, want %d", ki.n, len(want))
	}
	for k, w := range want {
		if got, ok := ki.Get(k); !ok || got != w {
			t.Fatalf("get(%d) = %d, %v; want %d", k, got, ok, w)
		}
	}
}

// TestCountTable checks CountTable against a map: counts raised and
// lowered to 0 (removal) in random order, across growth.
func TestCountTable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var ct CountTable
	want := map[uint32]int32{}
	keys := make([]uint32, 5000)
	for i := range keys {
		keys[i] = r.Uint32() &^ 1
		if i%3 == 0 {
			keys[i] |= 1
		}
	}
	keys[0] = 0
	for i := range 300_000 {
		k := keys[r.IntN(min(len(keys), 100+i/20))]
		d := int32(1)
		if r.IntN(5) < 2 {
			d = -1
		}
		ct.Add(k, d)
		if n := want[k] + d; n > 0 {
			want[k] = n
		} else {
			delete(want, k)
		}
		if i%997 == 0 {
			for _, k := range keys {
				if got := ct.Get(k); got != want[k] {
					t.Fatalf("step %d: get(%d) = %d, want %d", i, k, got, want[k])
				}
			}
		}
	}
	if ct.Len() != len(want) {
		t.Fatalf("len = %d, want %d", ct.Len(), len(want))
	}
}
