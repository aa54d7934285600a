package search

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSetScan compares setScan.index with a byte-by-byte check of the sets, for random sets
// (some with bytes from 0x80 up) over random texts, at every start and end.
func TestSetScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for round := range 400 {
		k := 1 + rng.IntN(setScanMax)
		sets := make([]byteSet, k)
		alphabet := []byte("aAbB09 _\x80\xc3\xff\n")
		single := round%2 == 0 // one byte a set: the comparison loop
		for i := range sets {
			for range 1 + rng.IntN(4) {
				if single && sets[i].count() == 1 {
					break
				}
				sets[i].add(alphabet[rng.IntN(len(alphabet))])
			}
			if round%7 == 0 && !single {
				sets[i].addRange(0x40, 0x7f)
			}
		}
		s := newSetScan(sets)
		wantSingle, wantPair := true, true
		for i := range sets {
			wantSingle = wantSingle && sets[i].count() == 1
			wantPair = wantPair && sets[i].count() <= 2
		}
		if s.single != wantSingle || s.pair != wantPair {
			t.Fatalf("sets %v: single %v, pair %v; want %v, %v", sets, s.single, s.pair, wantSingle, wantPair)
		}
		text := make([]byte, rng.IntN(300))
		for i := range text {
			text[i] = alphabet[rng.IntN(len(alphabet))]
		}
		last := len(text) - k + 1 // starts < last have all k bytes
		for from := 0; from < last; from += 1 + rng.IntN(9) {
			to := from + rng.IntN(last-from+1)
			want := -1
			for q := from; q < to; q++ {
				ok := true
				for i := range k {
					ok = ok && sets[i].has(text[q+i])
				}
				if ok {
					want = q
					break
				}
			}
			if got := s.index(text, from, to); got != want {
				t.Fatalf("sets %v, text %q: index(%d, %d) = %d; want %d", sets, text, from, to, got, want)
			}
		}
	}
}

// BenchmarkSetScan times the scans over a text without a candidate: sets of four bytes (table
// lookups), of two (two comparisons) and of one (one comparison), for one to four positions.
func BenchmarkSetScan(b *testing.B) {
	text := make([]byte, 1<<20)
	for i := range text {
		text[i] = "abcdefgh ijklmnop"[i%17]
	}
	for _, members := range []string{"xWyZ", "xW", "x"} {
		for k := 1; k <= setScanMax; k++ {
			sets := make([]byteSet, k)
			for i := range sets {
				for _, c := range []byte(members) {
					sets[i].add(c)
				}
			}
			s := newSetScan(sets)
			b.Run(fmt.Sprintf("members=%d/k=%d", len(members), k), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					if s.index(text, 0, len(text)-k+1) >= 0 {
						b.Fatal("found")
					}
				}
			})
		}
	}
}
