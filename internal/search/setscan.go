package search

import "math/bits"

// setScan finds, many positions at a time, where up to setScanMax consecutive bytes of a text
// fall in given byte sets: the vector form of a shape's scan, for shapes whose single positions
// are all common but whose few consecutive positions together are rare (water|world|work,
// (?i)country, [A-Z][a-z]). Each set is held as two 16-byte tables indexed by a byte's low
// nibble, whose bits say which high nibbles (0-7 in the first, 8-15 in the second) complete a
// member: any set of bytes is exact this way, and a vector shuffle looks up 32 bytes at once.
type setScan struct {
	k      int                     // positions, 1 to setScanMax
	tables [setScanMax][2][16]byte // low nibble → high nibbles 0-7, 8-15
	// single: every set has one byte, lit[i]: a comparison a position does instead of the tables.
	// pair: every set has one or two, lit[i] and alt[i]: two comparisons a position.
	single, pair bool
	lit, alt     [setScanMax]byte
}

const setScanMax = 4

// newSetScan returns the scan for sets, at most setScanMax of them.
func newSetScan(sets []byteSet) *setScan {
	s := &setScan{k: len(sets), single: true, pair: true}
	for i := range sets {
		switch l := sets[i].list(); len(l) {
		case 1:
			s.lit[i], s.alt[i] = l[0], l[0]
		case 2:
			s.lit[i], s.alt[i] = l[0], l[1]
			s.single = false
		default:
			s.single, s.pair = false, false
		}
		for b := range 256 {
			if sets[i].has(byte(b)) {
				lo, hi := b&15, b>>4
				s.tables[i][hi>>3][lo] |= 1 << (hi & 7)
			}
		}
	}
	return s
}

// litScan returns the scan for the bytes of lit, at most setScanMax, each a set of its own. It
// is cheap enough to make for each search: the comparison loop needs no tables, and the tables
// are not filled (has and at are for sets from newSetScan).
func litScan(lit []byte) setScan {
	s := setScan{k: len(lit), single: true}
	copy(s.lit[:], lit)
	return s
}

// has reports whether b is in the set at position i, as the tables say.
func (s *setScan) has(i int, b byte) bool {
	hi := b >> 4
	return s.tables[i][hi>>3][b&15]&(1<<(hi&7)) != 0
}

// index returns the first q in [from, to) such that text[q+i] is in set i for every i < k, or
// -1; text[q+k-1] must exist for every q < to.
func (s *setScan) index(text []byte, from, to int) int {
	q := from
	if haveSetScanVector && to-q >= 32 {
		// Whole blocks of 32 starts; the vector loads read text[q : q+32+k-1].
		blocks := (to - q) / 32
		var b int
		var mask uint32
		if s.single {
			b, mask = litScanBlocks(&text[q], blocks, s.k, &s.lit)
		} else if s.pair {
			b, mask = pairScanBlocks(&text[q], blocks, s.k, &s.lit, &s.alt)
		} else {
			b, mask = setScanBlocks(&text[q], blocks, s.k, &s.tables)
		}
		if b < blocks {
			return q + 32*b + bits.TrailingZeros32(mask)
		}
		q += 32 * blocks
	}
	for ; q < to; q++ {
		if s.at(text, q) {
			return q
		}
	}
	return -1
}

// at reports whether the sets fit text at q.
func (s *setScan) at(text []byte, q int) bool {
	for i := range s.k {
		if s.single && text[q+i] != s.lit[i] || !s.single && !s.has(i, text[q+i]) {
			return false
		}
	}
	return true
}
