// Package search finds literals and regular expressions in large byte slices, such as a memory
// mapping, faster than bytes.Index and regexp do alone, with the same results. It serves the
// Region's Find, RFind, Search and FindAll, and mmgrep.
//
// A regexp is analysed once ([Compile]) from its syntax tree: the byte sets its matches' first
// bytes come from (its shape: a literal, an alternation of literals, (?i) variants, short
// classes), and the literals every match holds. A [Searcher] picks, from a sample of a large
// text or from [ByteRank], the rarest of these to scan for: one to three bytes with IndexByte, up
// to four consecutive byte sets 32 positions at a time (vector table lookups, on amd64 with
// AVX2), a pair of bytes at their distance eight positions at a time, a large set by table or
// by Horspool-like skips, an inner literal (\w+ing\b), around which only the starts a match can
// have are tried, or, for a pattern that (?m)^ leads, each line's start.
//
// Each candidate is verified by a small backtracking matcher where the pattern is a sequence of
// repeated classes, strings, alternations of strings and assertions, with captures around them
// (or an alternation of such sequences), or by the literals of an alternation, else by the
// regexp anchored there; a prefilter whose verifications cost more than the regexp's own search
// gives up. Where no scan filters well, the small matcher tries every start itself if the
// sample shows matches dense; otherwise a lazy DFA finds where the earliest match ends, reading
// a byte a step and skipping over bytes that start no match, and the small matcher (or regexp)
// then tries only the starts just before that end. Leftmost-longest regexps run on regexp alone.
package search

import (
	"bytes"
	"math"
)

// Index returns the index of the first instance of needle in hay, or -1. It is bytes.Index with a
// prefilter: bytes.IndexByte (a vector loop) looks for the needle's rarest byte, or, where even
// that is common, the vector set scan (or the pair scan) looks for a few of its bytes at once,
// and only their hits are compared. bytes.Index itself scans for the needle's first byte, which
// in text is often common ('e', ' '), and then runs far below memory speed. If the "rare" byte turns out common in
// this haystack, Index hands the rest to bytes.Index, whose worst case is linear.
func Index(hay, needle []byte) int {
	n := len(needle)
	switch {
	case n == 0:
		return 0
	case n == 1:
		return bytes.IndexByte(hay, needle[0])
	case n > len(hay):
		return -1
	}
	// Matches are often near (Find called in a loop from each match on): look near the start
	// first, by ByteRank, without the cost of counting bytes.
	rare := Rarest(needle, nil)
	if len(hay) <= 2*probeSize {
		return indexNear(hay, needle, rare)
	}
	if i := indexNear(hay[:probeSize+n-1], needle, rare); i >= 0 {
		return i
	}
	// Far: count the bytes of the end of the part just scanned (pages already touched) to find
	// the rarest byte in this text. If even that is common ('y' of "ethyl" in prose), scan for
	// a few bytes at once rather than stop at every hit. (bytes.Index switches to a
	// vector search only after enough false hits near its start, so its speed depends on where
	// it starts.)
	sample := hay[probeSize-sampleSize : probeSize]
	var count [256]int
	for _, c := range needle {
		if count[c] == 0 {
			count[c] = 1 + bytes.Count(sample, []byte{c})
		}
	}
	rare, other := -1, -1
	for i, c := range needle {
		switch {
		case rare < 0 || count[c] < count[needle[rare]]:
			rare, other = i, rare
		case c != needle[rare] && (other < 0 || count[c] < count[needle[other]]):
			other = i
		}
	}
	if other >= 0 && needle[other] == needle[rare] {
		other = -1
	}
	hay = hay[probeSize:]
	var i int
	common := float64(count[needle[rare]]) > commonFreq*sampleSize
	switch {
	case common && haveSetScanVector && !noSetScan:
		i = indexSetLit(hay, needle, func(c byte) float64 { return float64(count[c]) })
	case common && other >= 0:
		i = indexPairLit(hay, needle, min(rare, other), max(rare, other)-min(rare, other))
	default:
		i = IndexRare(hay, needle, rare)
	}
	if i < 0 {
		return -1
	}
	return probeSize + i
}

const (
	// probeSize is how far Index looks before it counts bytes.
	probeSize = 64 << 10
	// commonFreq is how common the rarest byte must be for the pair scan to beat IndexByte.
	commonFreq = 1.0 / 512
)

// indexNear is Index's search near the start, by ByteRank: for needle[rare], or, where even that
// byte is common in text ("needle"), for a few bytes at once.
func indexNear(hay, needle []byte, rare int) int {
	if haveSetScanVector && !noSetScan && byteFreq(needle[rare]) > commonFreq {
		return indexSetLit(hay, needle, byteFreq)
	}
	return IndexRare(hay, needle, rare)
}

// indexSetLit is Index scanning for the setScanMax consecutive bytes of needle that are rarest
// together by weight (a byte's frequency, or its count in a sample of the text) with the vector
// set scan.
func indexSetLit(hay, needle []byte, weight func(byte) float64) int {
	a, _ := rarestWindow(needle, weight)
	set := litScan(needle[a : a+min(setScanMax, len(needle))])
	return indexCandidates(hay, needle, 0, a, true, func(lo, hi int) int { return set.index(hay, lo, hi) })
}

// rarestWindow returns the start of the window of min(setScanMax, len(lit)) bytes of lit whose
// weights have the least product, and that product.
func rarestWindow(lit []byte, weight func(byte) float64) (at int, product float64) {
	k := min(setScanMax, len(lit))
	product = math.Inf(1)
	for w := 0; w+k <= len(lit); w++ {
		f := 1.0
		for _, c := range lit[w : w+k] {
			f *= weight(c)
		}
		if f < product {
			at, product = w, f
		}
	}
	return at, product
}

// indexPairLit is Index scanning for needle[a] and needle[a+d] at once with indexPair.
func indexPairLit(hay, needle []byte, a, d int) int {
	x, y := needle[a], needle[a+d]
	return indexCandidates(hay, needle, 0, a, true, func(from, to int) int { return indexPair(hay, from, to, x, y, d) })
}

// indexCandidates returns the index of the first instance of lit in text at or after from, or
// -1, checking the starts that next finds: next(lo, hi) returns the first h in [lo, hi) where
// lit[a] may stand, or -1. With giveUp, dense false candidates near the start hand the rest to
// bytes.Index, whose worst case is linear.
func indexCandidates(text, lit []byte, from, a int, giveUp bool, next func(lo, hi int) int) int {
	for last, misses := len(text)-len(lit), 0; from <= last; {
		h := next(from+a, last+a+1)
		if h < 0 {
			return -1
		}
		q := h - a
		if bytes.Equal(text[q:q+len(lit)], lit) {
			return q
		}
		from = q + 1
		if misses++; giveUp && misses >= 8 && from < misses*64 {
			if k := bytes.Index(text[from:], lit); k >= 0 {
				return from + k
			}
			return -1
		}
	}
	return -1
}

// IndexRare is Index with the prefilter byte chosen: needle[rare], len(needle) >= 2.
func IndexRare(hay, needle []byte, rare int) int {
	n := len(needle)
	if n > len(hay) {
		return -1
	}
	b := needle[rare]
	last := len(hay) - n // the last possible start
	for i, misses := 0, 0; i <= last; {
		j := bytes.IndexByte(hay[i+rare:last+rare+1], b)
		if j < 0 {
			return -1
		}
		start := i + j
		if bytes.Equal(hay[start:start+n], needle) {
			return start
		}
		i = start + 1
		if misses++; misses >= 8 && i < misses*64 {
			if k := bytes.Index(hay[i:], needle); k >= 0 {
				return i + k
			}
			return -1
		}
	}
	return -1
}

// LastIndex is Index from the end: the index of the last instance of needle in hay, or -1.
func LastIndex(hay, needle []byte) int {
	n := len(needle)
	switch {
	case n == 0:
		return len(hay)
	case n == 1:
		return bytes.LastIndexByte(hay, needle[0])
	case n > len(hay):
		return -1
	}
	rare := Rarest(needle, hay[max(0, len(hay)-sampleSize):])
	b := needle[rare]
	end := len(hay) // candidates start before end-n+1
	for misses := 0; end >= n; {
		j := bytes.LastIndexByte(hay[rare:end-n+rare+1], b)
		if j < 0 {
			return -1
		}
		if bytes.Equal(hay[j:j+n], needle) {
			return j
		}
		end = j + n - 1
		if misses++; misses >= 8 && len(hay)-end < misses*64 {
			return bytes.LastIndex(hay[:end], needle)
		}
	}
	return -1
}

// sampleSize is how much of a large haystack rarest counts bytes in: bytes.Count runs at memory
// speed, so 16 KiB costs about a microsecond, and it pays off as soon as the haystack is large.
const sampleSize = 16 << 10

// Rarest returns the position in needle of its least common byte: by its count in sample when the
// sample is large enough to say, by ByteRank otherwise and on ties.
func Rarest(needle, sample []byte) int {
	if len(sample) < sampleSize {
		sample = nil
	}
	best, bestCount := 0, -1
	for i, c := range needle {
		count := 0
		if sample != nil {
			count = bytes.Count(sample, needle[i:i+1])
		}
		if bestCount < 0 || count < bestCount || count == bestCount && ByteRank[c] < ByteRank[needle[best]] {
			best, bestCount = i, count
		}
	}
	return best
}

// ByteRank scores how common each byte value is in the files people search (English text, source
// code, some binary), on a log scale: 255 is the space character. It was measured over Go's source
// tree, license texts and two executables.
var ByteRank = [256]uint8{
	229, 194, 188, 184, 180, 177, 180, 171, 182, 233, 231, 165, 165, 168, 167, 187,
	178, 166, 162, 163, 165, 163, 163, 164, 168, 162, 158, 155, 159, 157, 158, 166,
	255, 183, 212, 169, 190, 179, 182, 179, 216, 216, 191, 182, 225, 194, 219, 216,
	229, 216, 211, 207, 208, 201, 207, 198, 205, 200, 210, 182, 183, 211, 180, 158,
	175, 211, 198, 204, 203, 209, 197, 190, 204, 205, 168, 178, 202, 200, 198, 203,
	202, 181, 205, 210, 208, 191, 197, 183, 188, 182, 171, 192, 191, 192, 158, 208,
	176, 230, 210, 223, 221, 238, 221, 214, 212, 230, 175, 200, 223, 214, 231, 228,
	218, 177, 232, 229, 235, 219, 205, 199, 221, 207, 181, 205, 185, 205, 153, 157,
	173, 161, 159, 174, 171, 171, 157, 153, 160, 187, 151, 184, 162, 172, 159, 153,
	164, 157, 152, 152, 161, 154, 148, 154, 154, 149, 151, 149, 155, 148, 148, 151,
	161, 150, 150, 149, 150, 150, 151, 156, 154, 156, 159, 150, 152, 153, 150, 149,
	155, 152, 150, 149, 154, 150, 156, 163, 156, 160, 153, 152, 153, 150, 155, 156,
	174, 165, 166, 163, 159, 152, 159, 159, 159, 159, 153, 151, 175, 150, 153, 151,
	159, 155, 156, 153, 149, 153, 153, 150, 156, 157, 151, 155, 148, 148, 149, 153,
	164, 156, 158, 157, 152, 155, 151, 155, 174, 167, 153, 164, 158, 151, 151, 155,
	162, 153, 153, 161, 152, 150, 156, 156, 160, 161, 153, 154, 153, 158, 160, 193,
}
