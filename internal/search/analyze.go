package search

import (
	"math"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// byteSet is a set of byte values.
type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) intersects(t *byteSet) bool {
	return s[0]&t[0]|s[1]&t[1]|s[2]&t[2]|s[3]&t[3] != 0
}
func (s *byteSet) subsetOf(t *byteSet) bool {
	return s[0]&^t[0]|s[1]&^t[1]|s[2]&^t[2]|s[3]&^t[3] == 0
}
func (s *byteSet) union(t *byteSet) {
	s[0], s[1], s[2], s[3] = s[0]|t[0], s[1]|t[1], s[2]|t[2], s[3]|t[3]
}
func (s *byteSet) addRange(lo, hi int) {
	for b := lo; b <= hi; b++ {
		s.add(byte(b))
	}
}

func (s *byteSet) count() int {
	n := 0
	for b := range 256 {
		if s.has(byte(b)) {
			n++
		}
	}
	return n
}

// list returns the set's members in increasing order.
func (s *byteSet) list() []byte {
	var l []byte
	for b := range 256 {
		if s.has(byte(b)) {
			l = append(l, byte(b))
		}
	}
	return l
}

func (s *byteSet) full() bool { return s[0]&s[1]&s[2]&s[3] == math.MaxUint64 }

// weigh estimates the share of positions in a text where one of the set's bytes occurs, given
// the frequency of each byte value.
func (s *byteSet) weigh(freq *[256]float64) float64 {
	f := 0.0
	for b := range 256 {
		if s.has(byte(b)) {
			f += freq[b]
		}
	}
	return min(f, 1)
}

// byteFreq estimates how often b occurs in typical text from ByteRank, which is on a log scale:
// 8 ranks are a factor of 2, and the space, at 255, is about one byte in six.
func byteFreq(b byte) float64 { return byteFreqs[b] }

var byteFreqs = func() (f [256]float64) {
	for b := range f {
		f[b] = 0.16 * math.Exp2((float64(ByteRank[b])-255)/8)
	}
	return f
}()

// maxShape is how many leading positions of a match the analysis describes: enough to make a
// candidate rare, few enough to check in a few nanoseconds.
const maxShape = 16

// shape describes the first bytes of every match of re: every match is at least len(sets)
// bytes long and its byte i is in sets[i]. exact says that every match of re is exactly that
// long, so that what follows re in a concatenation comes next.
func shape(re *syntax.Regexp) (sets []byteSet, exact bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return nil, true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			var set byteSet
			fixed := runeBytes(r, re.Flags&syntax.FoldCase != 0, &set)
			if fixed < 0 {
				// One byte wide, whatever the case: a position of its own.
				sets = append(sets, set)
				continue
			}
			if fixed > 0 {
				// A rune of fixed encoding, several bytes long.
				var buf [utf8.UTFMax]byte
				n := utf8.EncodeRune(buf[:], r)
				for _, b := range buf[:n] {
					var one byteSet
					one.add(b)
					sets = append(sets, one)
				}
				continue
			}
			// Case variants of different widths, or U+FFFD, which also matches any invalid
			// byte: only the first byte is known.
			return append(sets, set), false
		}
		return sets, true
	case syntax.OpCharClass:
		var set byteSet
		ascii := true
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo < utf8.RuneSelf {
				set.addRange(int(lo), int(min(hi, utf8.RuneSelf-1)))
			}
			if hi >= utf8.RuneSelf {
				ascii = false
				set.addRange(0x80, 0xff) // lead bytes, and invalid bytes, which match U+FFFD
			}
		}
		return []byteSet{set}, ascii
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		set := allBytes(re.Op == syntax.OpAnyCharNotNL)
		return []byteSet{set}, false
	case syntax.OpCapture:
		return shape(re.Sub[0])
	case syntax.OpPlus:
		sets, _ = shape(re.Sub[0])
		return sets, false
	case syntax.OpStar, syntax.OpQuest:
		return nil, false
	case syntax.OpRepeat:
		sub, subExact := shape(re.Sub[0])
		if re.Min == 0 {
			return nil, false
		}
		for i := 0; i < re.Min && len(sets) < maxShape; i++ {
			sets = append(sets, sub...)
			if !subExact {
				return sets, false
			}
		}
		return sets, re.Min == re.Max && len(sets) < maxShape
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			s, e := shape(sub)
			sets = append(sets, s...)
			if !e || len(sets) >= maxShape {
				return sets, false
			}
		}
		return sets, true
	case syntax.OpAlternate:
		for i, sub := range re.Sub {
			s, e := shape(sub)
			if i == 0 {
				sets, exact = s, e
				continue
			}
			if len(s) != len(sets) {
				exact = false
			}
			exact = exact && e
			sets = sets[:min(len(sets), len(s))]
			for j := range sets {
				sets[j].union(&s[j])
			}
		}
		return sets, exact
	}
	return nil, false
}

// runeBytes adds to set the first byte of every encoding of r (with its case variants when fold).
// It returns -1 if every one is a single byte, the length of r's encoding if that is the only
// one (no fold), and 0 otherwise: then only the first byte is known.
func runeBytes(r rune, fold bool, set *byteSet) int {
	if r == utf8.RuneError {
		set.addRange(0x80, 0xff)
		return 0
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	set.add(buf[0])
	if !fold {
		if n == 1 {
			return -1
		}
		return n
	}
	widths := n
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m := utf8.EncodeRune(buf[:], f)
		set.add(buf[0])
		if m != n {
			widths = 0
		}
	}
	if widths == 1 {
		return -1
	}
	return 0
}

func allBytes(notNL bool) byteSet {
	var set byteSet
	set.addRange(0, 255)
	if notNL {
		set[0] &^= 1 << '\n'
	}
	return set
}

// bytesOf adds to set every byte that a match of re can contain. Any rune outside ASCII adds
// every byte from 0x80 up, which covers its encoding and the invalid bytes that U+FFFD matches.
func bytesOf(re *syntax.Regexp, set *byteSet) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			runeAll(r, set)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					runeAll(f, set)
				}
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo < utf8.RuneSelf {
				set.addRange(int(lo), int(min(hi, utf8.RuneSelf-1)))
			}
			if hi >= utf8.RuneSelf {
				set.addRange(0x80, 0xff)
			}
		}
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		all := allBytes(re.Op == syntax.OpAnyCharNotNL)
		set.union(&all)
	default:
		for _, sub := range re.Sub {
			bytesOf(sub, set)
		}
	}
}

func runeAll(r rune, set *byteSet) {
	if r < utf8.RuneSelf {
		set.add(byte(r))
		return
	}
	set.addRange(0x80, 0xff)
}

// hasOp reports whether re or a part of it is an op.
func hasOp(re *syntax.Regexp, op syntax.Op) bool {
	if re.Op == op {
		return true
	}
	for _, sub := range re.Sub {
		if hasOp(sub, op) {
			return true
		}
	}
	return false
}

// looksBack reports whether re has an assertion that looks at the character before a position.
func looksBack(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, sub := range re.Sub {
		if looksBack(sub) {
			return true
		}
	}
	return false
}

// innerLit is a literal that every match holds, and the bytes that the part of a match before
// it can hold: a match holding the literal at q starts within the run of such bytes that ends at
// q.
type innerLit struct {
	lit    []byte
	before byteSet
}

// innerLiterals returns the literals, case-sensitive and without U+FFFD, among the parts of re's
// top-level concatenation: for each literal part, its longest run without U+FFFD.
func innerLiterals(re *syntax.Regexp) []innerLit {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	var out []innerLit
	var before byteSet
	for _, p := range parts {
		lit := p
		for lit.Op == syntax.OpCapture {
			lit = lit.Sub[0]
		}
		if lit.Op == syntax.OpLiteral && lit.Flags&syntax.FoldCase == 0 {
			var cur, longest []byte
			for _, r := range lit.Rune {
				if r == utf8.RuneError {
					cur = nil
					continue
				}
				cur = utf8.AppendRune(cur, r)
				if len(cur) > len(longest) {
					longest = append(longest[:0], cur...)
				}
			}
			if len(longest) > 0 {
				// The literal part's own bytes before the run count as before's too.
				b := before
				bytesOf(p, &b)
				out = append(out, innerLit{lit: longest, before: b})
			}
		}
		bytesOf(p, &before)
	}
	return out
}

// maxWidth returns the most bytes a match of re can span, or -1 if that is unbounded.
func maxWidth(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		// A character's encoding is as long as its largest fold's, at most.
		w := 0
		for _, r := range re.Rune {
			n := utf8.RuneLen(r)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					n = max(n, utf8.RuneLen(f))
				}
			}
			w += max(n, 1)
		}
		return w
	case syntax.OpCharClass:
		// UTF-8 grows with the code point; regexp reads an invalid byte as one character.
		if len(re.Rune) == 0 {
			return 0
		}
		return max(utf8.RuneLen(re.Rune[len(re.Rune)-1]), 1)
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return utf8.UTFMax
	case syntax.OpStar, syntax.OpPlus:
		return -1
	case syntax.OpRepeat:
		w := maxWidth(re.Sub[0])
		if re.Max < 0 || w < 0 {
			return -1
		}
		return re.Max * w
	case syntax.OpConcat, syntax.OpAlternate, syntax.OpCapture, syntax.OpQuest:
		total := 0
		for _, sub := range re.Sub {
			w := maxWidth(sub)
			if w < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				total += w
			} else {
				total = max(total, w)
			}
		}
		return total
	}
	return 0
}
