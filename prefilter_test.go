package mmap_test

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/mmapio/mmap"
)

// TestFindAllPrefilter compares FindAll with regexp.FindAllSubmatchIndex for patterns with a
// literal prefix, which FindAll scans for itself: matches at the ends, overlapping candidates,
// prefixes that occur far more often than matches (where the prefilter gives up midway) and
// prefixes that never match.
func TestFindAllPrefilter(t *testing.T) {
	patterns := []string{
		`abc`, `abc\d+`, `abca`, `(ab)(c+)x?`, `abc|abd`, `aab[^b]*b`, `ab\x00c`, `abc$`, `(?s)abc.*?c`,
		`aaa`, `aaa+`, `aab(a|b)c`, `babc(?:\d{2,3})?`, `abc(?i)D`,
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 60 {
		n := rng.IntN(40000) + 1
		alphabet := []byte("abc0123\n")
		if trial%3 == 0 {
			alphabet = []byte("aab")
		}
		data := make([]byte, n)
		for i := range data {
			data[i] = alphabet[rng.IntN(len(alphabet))]
		}
		copy(data, "abc12")
		copy(data[max(0, n-4):], "abcD")
		r, _ := mapFile(t, data, mmap.AccessRead)
		for _, p := range patterns {
			re := regexp.MustCompile(p)
			want := re.FindAllSubmatchIndex(data, -1)
			got := slices.Collect(r.FindAll(re))
			if len(want) == 0 && len(got) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("trial %d, %d bytes, FindAll(%q): %d matches, want %d (first difference near %v)", trial, n, p, len(got), len(want), firstDiff(got, want))
			}
		}
	}
}

func firstDiff(got, want [][]int) []int {
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			return append(append([]int{}, got[i]...), want[i]...)
		}
	}
	return nil
}
